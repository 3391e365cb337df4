"""Writes of the complex's firms: a firm as the committee records it (kind, sector, the tenant a
subcontractor works for, its organisation in Panmun, contacts, dates), its contacts as the firm
itself keeps them, and the link to its cooperation-project approval.

- The committee (`gic`) creates and changes firms; a firm's officers change their own firm's
  contacts only.
- A subcontractor works for a tenant (never for a developer or another subcontractor); a tenant
  with subcontractors stays a tenant.
- A firm **operates** only while its cooperation-project approval (협력사업 승인, Art. 17 of the
  Inter-Korean Exchange and Cooperation Act: a permits `Approval` of kind "project") is in
  force (`permits.models.IN_FORCE`): `operates()` says so, and what needs it (a month's output,
  `services.output`) is refused without it. Any project approval may be linked, in any state:
  the firm's page shows its state.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import Organisation, OrganisationKind, User
from panmun.common.errors import invalid_fields
from panmun.common.text import CONTROL_BUT_TAB_AND_NEWLINE
from panmun.permits.models import IN_FORCE, Approval, ApprovalKind

from ..access import can_keep_rules, firms_for_edit
from ..models import Firm, FirmKind, Sector

Problem = tuple[str, str, str]
#: 사업자등록번호: 10 digits, written 123-45-67890 or without the dashes.
BUSINESS_NUMBER = re.compile(r"^\d{3}-?\d{2}-?\d{5}$")
PHONE = re.compile(r"^[0-9+()\-. ]{3,40}$")
#: Production began in December 2004; no firm of the complex started before that year.
EARLIEST = dt.date(2004, 1, 1)
REFUSED_KO = "기업 기록에 문제가 있어 저장하지 않았습니다."
REFUSED_EN = "The firm's record has problems; nothing was saved."


@dataclass(frozen=True)
class FirmData:
    """A firm as the form or the API gives it."""

    name_ko: str
    kind: str
    name_en: str = ""
    sector: str = ""
    tenant: Firm | None = None
    organisation: Organisation | None = None
    business_number: str = ""
    representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    started_on: dt.date | None = None
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class Contacts:
    """What a firm keeps of itself: who to call."""

    representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


CONTACT_FIELDS = tuple(f.name for f in fields(Contacts))
FIRM_FIELDS = tuple(f.name for f in fields(FirmData))


def operates(firm: Firm) -> bool:
    """Whether the firm may operate: its cooperation-project approval is in force."""
    approval = firm.project_approval
    return approval is not None and approval.state in IN_FORCE


def _text(name: str, value: str, limit: int, *, required: bool = False) -> Problem | None:
    if required and not value.strip():
        return (name, "적어 주십시오.", "Required.")
    if len(value) > limit:
        return (name, f"{limit:,}자 이내로 적어 주십시오.", f"At most {limit:,} characters.")
    if CONTROL_BUT_TAB_AND_NEWLINE.search(value) or "\n" in value or "\t" in value:
        return (name, "쓸 수 없는 제어 문자가 있습니다.", "Contains control characters.")
    return None


def _check_contacts(values: Contacts | FirmData) -> list[Problem]:
    problems: list[Problem] = []
    for name, limit in (("representative", 100), ("contact_name", 100)):
        problem = _text(name, getattr(values, name), limit)
        if problem:
            problems.append(problem)
    phone = values.contact_phone.strip()
    if phone and not PHONE.match(phone):
        problems.append(
            (
                "contact_phone",
                "전화번호는 숫자와 +, -, 괄호로 적어 주십시오 (예: 02-1234-5678).",
                "A telephone number: digits, +, - and brackets (e.g. 02-1234-5678).",
            )
        )
    email = values.contact_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                ("contact_email", "전자우편 주소가 맞지 않습니다.", "Not an e-mail address.")
            )
    return problems


def _check_firm(data: FirmData, existing: Firm | None) -> list[Problem]:
    problems: list[Problem] = []
    for name, limit, required in (("name_ko", 200, True), ("name_en", 200, False)):
        problem = _text(name, getattr(data, name), limit, required=required)
        if problem:
            problems.append(problem)
    name = data.name_ko.strip()
    if name:
        same = Firm.objects.filter(name_ko=name)
        if existing is not None:
            same = same.exclude(pk=existing.pk)
        if same.exists():
            problems.append(
                ("name_ko", "같은 이름의 기업이 이미 있습니다.", "A firm of that name exists.")
            )
    if data.kind not in FirmKind.values:
        problems.append(("kind", "기업 구분을 고르십시오.", "Choose the kind of firm."))
    if data.sector and data.sector not in Sector.values:
        problems.append(("sector", "업종을 목록에서 고르십시오.", "Choose a sector from the list."))
    elif not data.sector and data.kind in (FirmKind.TENANT, FirmKind.SUBCONTRACTOR):
        problems.append(("sector", "업종을 고르십시오.", "Choose the firm's sector."))
    if data.kind == FirmKind.SUBCONTRACTOR:
        if data.tenant is None:
            problems.append(
                (
                    "tenant",
                    "협력업체가 일하는 입주기업을 고르십시오.",
                    "Choose the tenant the subcontractor works for.",
                )
            )
        elif data.tenant.kind != FirmKind.TENANT or (
            existing is not None and data.tenant.pk == existing.pk
        ):
            problems.append(
                (
                    "tenant",
                    "협력업체는 입주기업을 위해 일합니다: 입주기업을 고르십시오.",
                    "A subcontractor works for a tenant firm: choose a tenant.",
                )
            )
    elif data.tenant is not None:
        problems.append(
            (
                "tenant",
                "협력업체만 입주기업을 둡니다.",
                "Only a subcontractor works for a tenant.",
            )
        )
    if (
        existing is not None
        and existing.kind == FirmKind.TENANT
        and data.kind != FirmKind.TENANT
        and existing.subcontractors.exists()
    ):
        problems.append(
            (
                "kind",
                "협력업체가 있는 입주기업은 구분을 바꿀 수 없습니다.",
                "A tenant with subcontractors stays a tenant.",
            )
        )
    org = data.organisation
    if org is not None:
        if org.kind != OrganisationKind.FIRM or org.side is None or org.side.code != "south":
            problems.append(
                (
                    "organisation",
                    "남측 기업 기관을 고르십시오.",
                    "Choose a South firm's organisation.",
                )
            )
        else:
            taken = Firm.objects.filter(organisation=org)
            if existing is not None:
                taken = taken.exclude(pk=existing.pk)
            if taken.exists():
                problems.append(
                    (
                        "organisation",
                        "그 기관은 이미 다른 기업에 연결되어 있습니다.",
                        "That organisation is already another firm's.",
                    )
                )
    number = data.business_number.strip()
    if number and not BUSINESS_NUMBER.match(number):
        problems.append(
            (
                "business_number",
                "사업자등록번호는 숫자 10자리입니다 (예: 123-45-67890).",
                "A business registration number has 10 digits (e.g. 123-45-67890).",
            )
        )
    problems += _check_contacts(data)
    today = timezone.localdate()
    for field in ("started_on", "closed_on"):
        day = getattr(data, field)
        if day is not None and (day < EARLIEST or day > today + dt.timedelta(days=366)):
            problems.append(
                (
                    field,
                    "2004년부터 내년까지의 날짜를 적어 주십시오.",
                    "A date from 2004 to next year.",
                )
            )
    if data.started_on and data.closed_on and data.closed_on < data.started_on:
        problems.append(
            ("closed_on", "생산 시작일보다 앞설 수 없습니다.", "Cannot be before production began.")
        )
    return problems


def _clean(data: FirmData) -> dict[str, Any]:
    values = asdict(data)
    values["tenant"], values["organisation"] = data.tenant, data.organisation
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip()
    return values


def _audited(firm: Firm) -> dict[str, Any]:
    return {
        name: str(value) if value is not None else None
        for name in FIRM_FIELDS
        for value in [getattr(firm, f"{name}_id" if name in ("tenant", "organisation") else name)]
    }


@transaction.atomic
def firm_create(*, actor: User, data: FirmData) -> Firm:
    """Record a firm of the complex (the committee)."""
    require(can_keep_rules(actor))
    problems = _check_firm(data, None)
    if problems:
        raise invalid_fields(REFUSED_KO, REFUSED_EN, problems)
    firm = Firm(**_clean(data))
    firm.full_clean()
    firm.save()
    audit.record(actor=actor, action="complex.firm.create", obj=firm, changes=_audited(firm))
    return firm


@transaction.atomic
def firm_update(*, actor: User, firm: Firm, data: FirmData) -> Firm:
    """Change a firm's record (the committee)."""
    require(can_keep_rules(actor))
    firm = Firm.objects.select_for_update().get(pk=firm.pk)
    problems = _check_firm(data, firm)
    if problems:
        raise invalid_fields(REFUSED_KO, REFUSED_EN, problems)
    before = _audited(firm)
    for name, value in _clean(data).items():
        setattr(firm, name, value)
    firm.full_clean()
    firm.save()
    after = _audited(firm)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit.record(actor=actor, action="complex.firm.update", obj=firm, changes=changed)
    return firm


@transaction.atomic
def firm_contacts_update(*, actor: User, firm: Firm, contacts: Contacts) -> Firm:
    """Change who to call at a firm: the committee, or the firm's own officers."""
    require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    problems = _check_contacts(contacts)
    if problems:
        raise invalid_fields(REFUSED_KO, REFUSED_EN, problems)
    firm = Firm.objects.select_for_update().get(pk=firm.pk)
    changed = {}
    for name in CONTACT_FIELDS:
        value = getattr(contacts, name).strip()
        if getattr(firm, name) != value:
            changed[name] = [getattr(firm, name), value]
            setattr(firm, name, value)
    firm.full_clean()
    firm.save(update_fields=list(CONTACT_FIELDS))
    audit.record(actor=actor, action="complex.firm.contacts", obj=firm, changes=changed)
    return firm


@transaction.atomic
def firm_link_approval(*, actor: User, firm: Firm, approval: Approval | None) -> Firm:
    """Link the firm's cooperation-project approval (None: unlink it). The committee."""
    require(can_keep_rules(actor))
    if approval is not None:
        problems: list[Problem] = []
        if approval.kind != ApprovalKind.PROJECT:
            problems.append(
                (
                    "project_approval",
                    "협력사업 승인(제17조)을 고르십시오.",
                    "Choose a cooperation-project approval (Art. 17).",
                )
            )
        if problems:
            raise invalid_fields(REFUSED_KO, REFUSED_EN, problems)
    firm = Firm.objects.select_for_update().get(pk=firm.pk)
    before = firm.project_approval_id
    firm.project_approval = approval
    firm.save(update_fields=["project_approval"])
    audit.record(
        actor=actor,
        action="complex.firm.approval",
        obj=firm,
        changes={
            "project_approval": [before, approval.pk if approval else None],
            "state": approval.state if approval else None,
        },
    )
    return firm
