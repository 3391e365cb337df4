"""Visit certificates (방문증명서 = visit certificate): issued, one per traveller, when a visit
approval comes into force; each carries a token signed by this node's certificate key
(`signing`), which its QR code holds; printed as a PDF in Korean and English
(`certificate.document`); and checked — offline from the token alone, and here also against
the database, which knows whether it has been revoked since.

A certificate is revoked when its approval is no longer in force (revoked, expired, sent back to
review) or when a later certificate replaced it (the approval was approved again)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation

from panmun.accounts import audit
from panmun.common.errors import invalid_fields
from panmun.common.findings import Finding

from .certificate.document import PrintedExtras, verify_pdf
from .certificate.document import certificate_pdf as render_pdf
from .certificate.token import CertificateFacts, Verdict, sign_certificate, verify_token
from .models import IN_FORCE, Application, Approval, ApprovalKind, Certificate, EntryPoint
from .signing import published_keys, signer

NUMBER_PREFIX = "VC"


def _next_number(year: int) -> str:
    stem = f"{NUMBER_PREFIX}-{year}-"
    last = (
        Certificate.objects.filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    n = int(last[len(stem) :]) + 1 if last and last[len(stem) :].isdigit() else 1
    return f"{stem}{n:06d}"


@transaction.atomic
def certificates_issue(*, approval: Approval) -> list[Certificate]:
    """One certificate for each traveller of `approval`'s application, signed — called by
    `approval_transition` in its transaction when a visit approval comes into force (approved,
    with or without conditions). Any other approval gets none. The certificates cover the
    application's approvals in force at that moment; they are valid over the application's
    period. Raises DomainError (and so refuses the approval) where there is no period."""
    if approval.kind != ApprovalKind.VISIT or approval.state not in IN_FORCE:
        return []
    application = approval.application
    if application.start_date is None or application.end_date is None:
        raise invalid_fields(
            "방문증명서를 발급할 수 없습니다.",
            "The visit certificates cannot be issued.",
            [
                (
                    "start_date" if application.start_date is None else "end_date",
                    "방문 기간을 적어 주십시오.",
                    "Give the period of the visit.",
                )
            ],
        )
    at = timezone.now().replace(microsecond=0)  # the token's times are to the second
    key = signer(at)
    covered = tuple(
        (a.kind, application.reference)
        for a in application.approvals.filter(state__in=IN_FORCE).order_by("kind")
    )
    issued = []
    for traveller in application.travellers.order_by("row", "pk"):
        for _attempt in range(5):
            number = _next_number(at.year)
            facts = CertificateFacts(
                number=number,
                name_ko=traveller.name_ko,
                name_latin=traveller.name_latin,
                sex=traveller.sex,
                birth_date=traveller.birth_date,
                document_kind=traveller.document_kind,
                document_number=traveller.document_number,
                nationality=traveller.nationality,
                valid_from=application.start_date,
                valid_to=application.end_date,
                multiple=approval.multiple,
                approvals=covered,
                key_id=key.key.key_id,
                issued_at=at,
            )
            try:
                with transaction.atomic():  # a savepoint: a number taken meanwhile is retried
                    certificate = Certificate.objects.create(
                        number=number,
                        approval=approval,
                        traveller=traveller,
                        valid_from=facts.valid_from,
                        valid_to=facts.valid_to,
                        multiple=facts.multiple,
                        token=sign_certificate(facts, key.private),
                        key_id=key.key.key_id,
                    )
            except IntegrityError:
                continue
            issued.append(certificate)
            break
        else:
            raise IntegrityError("no free certificate number")
    if issued:
        Certificate.objects.filter(pk__in=[c.pk for c in issued]).update(issued_at=at)
        for certificate in issued:
            certificate.issued_at = at  # as the token says
        audit.record(
            actor=None,
            action="permits.certificate.issue",
            obj=approval,
            changes={"certificates": [c.number for c in issued], "key_id": key.key.key_id},
        )
    return issued


REVOKED = Finding(
    "certificate_revoked",
    ko="취소된 증명서입니다. 승인이 더 이상 유효하지 않거나 새 증명서로 대체되었습니다.",
    en="The certificate has been revoked: its approval is no longer in force, or a newer "
    "certificate replaced it.",
)
UNKNOWN_HERE = Finding(
    "certificate_not_on_record",
    ko="진본이지만 이 시스템의 기록에 없는 증명서입니다. 취소 여부를 확인할 수 없습니다.",
    en="Genuine, but not on this system's record: whether it was revoked cannot be told.",
)


def _is_revoked(certificate: Certificate, token: str) -> bool:
    if certificate.token != token or certificate.approval.state not in IN_FORCE:
        return True
    return Certificate.objects.filter(
        approval_id=certificate.approval_id,
        traveller_id=certificate.traveller_id,
        pk__gt=certificate.pk,
    ).exists()


def with_revocation(verdict: Verdict) -> Verdict:
    """`verdict` with whether the database knows the certificate as revoked."""
    if not verdict.genuine or verdict.facts is None:
        return verdict
    certificate = (
        Certificate.objects.select_related("approval").filter(number=verdict.facts.number).first()
    )
    if certificate is None:
        return replace(verdict, reasons=(*verdict.reasons, UNKNOWN_HERE))
    return verdict.with_revocation(_is_revoked(certificate, verdict.token), REVOKED)


def today() -> date:
    return timezone.localdate()


def verify(token: str, on: date | None = None) -> Verdict:
    """A token checked against this node's published keys and its record."""
    return with_revocation(verify_token(token, published_keys(), on or today()))


def verify_certificate_pdf(data: bytes, on: date | None = None) -> Verdict:
    """A certificate's PDF checked against this node's published keys and its record."""
    return with_revocation(verify_pdf(data, published_keys(), on or today()))


def certificate_status(certificate: Certificate, on: date | None = None) -> Verdict:
    """What a page says of a certificate: genuine, valid on `on` (today), revoked."""
    return verify(certificate.token, on)


def verify_url(request: HttpRequest | None = None) -> str:
    """The address of the public verification page: PANMUN_PUBLIC_URL where set, else the
    address the request came to."""
    path = reverse("verify:page")
    base = str(getattr(settings, "PANMUN_PUBLIC_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def certificate_pdf(certificate: Certificate, url: str) -> bytes:
    """The certificate's PDF, its QR code pointing at `url` (`verify_url`)."""
    verdict = verify_token(certificate.token, published_keys(), today())
    if verdict.facts is None:  # a token this node cannot read back is not printed
        raise invalid_fields(
            "증명서를 인쇄할 수 없습니다.",
            "The certificate cannot be printed.",
            [("token", verdict.reasons[0].ko, verdict.reasons[0].en)],
        )
    approval = certificate.approval
    application = approval.application
    destination = _both(application, "get_destination_display")
    if application.destination_detail:
        destination += f" ({application.destination_detail})"
    entry = (
        []
        if application.entry_point == EntryPoint.NONE
        else [_both(application, "get_entry_point_display")]
    )
    extras = PrintedExtras(
        purpose=application.purpose,
        destination=destination,
        entry_points=entry,
        conditions=" / ".join(x for x in (approval.conditions_ko, approval.conditions_en) if x),
    )
    return render_pdf(verdict.facts, certificate.token, url, extras)


def _both(application: Application, display: str) -> str:
    """A choice's label in Korean and in English, as the bilingual certificate prints it."""
    words = []
    for language in ("ko", "en"):
        with translation.override(language):
            words.append(str(getattr(application, display)()))
    return words[0] if words[0] == words[1] else f"{words[0]} {words[1]}"
