"""A visit approval in force with its travellers and their certificates, made by the services
(the travellers validated as a form would), for the certificate tests and the permission
matrix."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..certificates import certificates_issue
from ..models import Application, Approval, Certificate, Traveller
from ..services import application_create, approval_transition

PEOPLE = [
    ("김철수", "KIM CHEOLSU", "M", date(1950, 3, 1), "M12345678"),
    ("이영희", "LEE YOUNGHEE", "F", date(1956, 7, 15), "M87654321"),
]

STEPS = (("submit", "firm"), ("start_review", "ministry"), ("approve", "ministry"))


def approved_visit(
    personas: dict[str, Any],
    *,
    kinds: tuple[str, ...] = ("visit",),
    start: date = date(2026, 12, 1),
    end: date = date(2027, 2, 28),
    multiple: bool = True,
) -> tuple[Approval, list[Certificate]]:
    """A visit of `firm`'s, for two travellers over [start, end], approved by `ministry` (its
    other kinds too, first), and its certificates."""
    application = application_create(
        actor=personas["firm"], purpose="금강산 이산가족 상봉 지원 / Reunion support", kinds=kinds
    )
    Application.objects.filter(pk=application.pk).update(
        start_date=start, end_date=end, destination="geumgangsan", entry_point="donghae"
    )
    for row, (name_ko, name_latin, sex, born, number) in enumerate(PEOPLE, 1):
        traveller = Traveller(
            application=application,
            name_ko=name_ko,
            name_latin=name_latin,
            sex=sex,
            birth_date=born,
            document_kind="passport",
            document_number=number,
            nationality="KR",
            row=row,
        )
        traveller.full_clean()
        traveller.save()
    approvals = sorted(application.approvals.all(), key=lambda a: a.kind == "visit")
    for approval in approvals:
        Approval.objects.filter(pk=approval.pk).update(multiple=multiple)
        for move, who in (
            ("submit", "firm"),
            ("start_review", "ministry"),
            ("approve", "ministry"),
        ):
            approval = approval_transition(actor=personas[who], approval=approval, move=move)
    visit = Approval.objects.select_related("application").get(
        application=application, kind="visit"
    )
    # Until approval_transition issues them itself (issue 18), the test issues them here.
    certificates = list(visit.certificates.order_by("number")) or certificates_issue(approval=visit)
    return visit, certificates
