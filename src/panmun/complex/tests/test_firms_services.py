"""Writes of firms (complex/services/firms.py): who may, what is refused, and that a refusal
writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..models import Firm, FirmKind, Sector
from ..services.firms import (
    Contacts,
    FirmData,
    firm_contacts_update,
    firm_create,
    firm_link_approval,
    firm_update,
    operates,
)
from .factories import persona_firm
from .firms_world import other_tenant, project_approval

pytestmark = pytest.mark.django_db


def fields_of(err: DomainError) -> list[str]:
    return [e["field"] for e in err.details["errors"]]


def test_the_committee_records_a_tenant_and_its_subcontractor(personas):
    gic = personas["gic"]
    tenant = firm_create(
        actor=gic,
        data=FirmData(
            name_ko=" 신원에벤에셀 ",
            kind=FirmKind.TENANT,
            sector=Sector.TEXTILES,
            business_number="123-45-67890",
            contact_phone="02-1234-5678",
            contact_email="office@example.org",
            started_on=dt.date(2005, 3, 1),
        ),
    )
    assert tenant.name_ko == "신원에벤에셀"
    sub = firm_create(
        actor=gic,
        data=FirmData(
            name_ko="협력봉제", kind=FirmKind.SUBCONTRACTOR, sector=Sector.TEXTILES, tenant=tenant
        ),
    )
    assert list(tenant.subcontractors.all()) == [sub]
    entry = AuditEntry.objects.filter(action="complex.firm.create").latest("pk")
    assert entry.object_id == str(sub.pk) and entry.changes["tenant"] == str(tenant.pk)


def test_every_bad_field_is_named_and_nothing_is_written(personas):
    before = Firm.objects.count(), AuditEntry.objects.count()
    developer = firm_create(
        actor=personas["gic"], data=FirmData(name_ko="현대아산", kind=FirmKind.DEVELOPER)
    )
    before = Firm.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        firm_create(
            actor=personas["gic"],
            data=FirmData(
                name_ko="현대아산",  # taken
                kind=FirmKind.SUBCONTRACTOR,
                sector="ships",
                tenant=developer,  # a developer is not a tenant
                organisation=personas["aid"].organisation,  # not a firm's
                business_number="12-345",
                contact_phone="call me",
                contact_email="nobody",
                started_on=dt.date(2010, 1, 1),
                closed_on=dt.date(2009, 1, 1),
            ),
        )
    assert info.value.code == ErrorCode.INVALID_INPUT
    assert fields_of(info.value) == [
        "name_ko",
        "sector",
        "tenant",
        "organisation",
        "business_number",
        "contact_phone",
        "contact_email",
        "closed_on",
    ]
    assert (Firm.objects.count(), AuditEntry.objects.count()) == before


def test_only_a_subcontractor_names_a_tenant_and_a_tenant_with_subcontractors_stays_one(personas):
    gic = personas["gic"]
    tenant = other_tenant()
    with pytest.raises(DomainError) as info:
        firm_create(
            actor=gic,
            data=FirmData(name_ko="갑", kind=FirmKind.TENANT, sector="food", tenant=tenant),
        )
    assert fields_of(info.value) == ["tenant"]
    with pytest.raises(DomainError) as info:
        firm_create(
            actor=gic, data=FirmData(name_ko="을", kind=FirmKind.SUBCONTRACTOR, sector="food")
        )
    assert fields_of(info.value) == ["tenant"]
    firm_create(
        actor=gic,
        data=FirmData(name_ko="병", kind=FirmKind.SUBCONTRACTOR, sector="food", tenant=tenant),
    )
    with pytest.raises(DomainError) as info:
        firm_update(
            actor=gic, firm=tenant, data=FirmData(name_ko=tenant.name_ko, kind=FirmKind.DEVELOPER)
        )
    assert fields_of(info.value) == ["kind"]
    assert Firm.objects.get(pk=tenant.pk).kind == FirmKind.TENANT


def test_the_committee_changes_a_firm_and_the_audit_keeps_what_changed(personas):
    tenant = other_tenant()
    firm_update(
        actor=personas["gic"],
        firm=tenant,
        data=FirmData(name_ko=tenant.name_ko, kind="tenant", sector="chemical"),
    )
    assert Firm.objects.get(pk=tenant.pk).sector == "chemical"
    entry = AuditEntry.objects.filter(action="complex.firm.update").latest("pk")
    assert entry.changes["sector"] == ["electric_electronic", "chemical"]


@pytest.mark.parametrize("who", ["firm", "ministry", "supervisor", "viewer", "bureau", "aid"])
def test_only_the_committee_creates_or_changes_firms(personas, who):
    tenant = other_tenant()
    before = Firm.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        firm_create(actor=personas[who], data=FirmData(name_ko="정", kind="tenant", sector="food"))
    assert info.value.code in {ErrorCode.PERMISSION_DENIED, ErrorCode.NOT_FOUND}
    with pytest.raises(DomainError):
        firm_update(
            actor=personas[who],
            firm=tenant,
            data=FirmData(name_ko="바꾼 이름", kind="tenant", sector="food"),
        )
    assert (Firm.objects.count(), AuditEntry.objects.count()) == before
    assert Firm.objects.get(pk=tenant.pk).name_ko == "다른전자(주)"


def test_a_firm_keeps_its_own_contacts_not_anothers(personas):
    own, other = persona_firm(personas), other_tenant()
    firm_contacts_update(
        actor=personas["firm"],
        firm=own,
        contacts=Contacts(contact_name="김담당", contact_phone="+82 2 123 4567"),
    )
    assert Firm.objects.get(pk=own.pk).contact_name == "김담당"
    with pytest.raises(DomainError) as info:
        firm_contacts_update(
            actor=personas["firm"], firm=other, contacts=Contacts(contact_name="x")
        )
    assert info.value.code == ErrorCode.PERMISSION_DENIED
    assert Firm.objects.get(pk=other.pk).contact_name == ""


def test_a_firm_operates_only_while_its_project_approval_is_in_force(personas):
    firm = persona_firm(personas)
    assert not operates(firm)
    pending = project_approval(personas, approved=False)
    firm = firm_link_approval(actor=personas["gic"], firm=firm, approval=pending)
    assert firm.project_approval == pending and not operates(firm)
    approved = project_approval(personas)
    firm = firm_link_approval(actor=personas["gic"], firm=firm, approval=approved)
    assert operates(firm)


def test_only_a_project_approval_is_linked(personas):
    from panmun.permits.tests.factories import complete_application

    visit = complete_application(personas["firm"], ["visit"]).approvals.get()
    firm = persona_firm(personas)
    with pytest.raises(DomainError) as info:
        firm_link_approval(actor=personas["gic"], firm=firm, approval=visit)
    assert fields_of(info.value) == ["project_approval"]
    assert Firm.objects.get(pk=firm.pk).project_approval_id is None
    with pytest.raises(DomainError) as info:
        firm_link_approval(actor=personas["firm"], firm=firm, approval=None)
    assert info.value.code == ErrorCode.PERMISSION_DENIED
