"""A visit approval in force with its travellers and their certificates, made by the services
(the travellers validated as a form would), for the certificate tests and the permission
matrix."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..models import Approval, Certificate, Traveller
from ..services.applications import application_create, application_submit
from ..services.moves import approval_transition
from .factories import data_for

PEOPLE = [
    ("김철수", "KIM CHEOLSU", "M", date(1950, 3, 1), "M12345678"),
    ("이영희", "LEE YOUNGHEE", "F", date(1956, 7, 15), "M87654321"),
]


def approved_visit(
    personas: dict[str, Any], *, kinds: tuple[str, ...] = ("visit",), multiple: bool = True
) -> tuple[Approval, list[Certificate]]:
    """A visit of `firm`'s for two travellers (`factories.data_for`: ten days from today, for
    three days), filed, and approved by `ministry` (its other kinds first); and its
    certificates."""
    data = data_for(list(kinds))
    data.terms["visit"]["multiple"] = multiple
    application = application_create(actor=personas["firm"], data=data)
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
    if "vehicle" in kinds:
        application.vehicles.create(plate_number="12가3456", vehicle_kind="car")
    application_submit(actor=personas["firm"], application=application)
    for approval in sorted(application.approvals.all(), key=lambda a: a.kind == "visit"):
        for move in ("start_review", "approve"):
            approval = approval_transition(actor=personas["ministry"], approval=approval, move=move)
    visit = Approval.objects.select_related("application").get(
        application=application, kind="visit"
    )
    return visit, list(visit.certificates.order_by("number"))
