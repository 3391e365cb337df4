"""The pages of firms and land (complex/views/firms.py): who sees what, and forms that answer
422 with what was typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry

from ..models import FeeRule, Firm, OutputMonth
from .factories import persona_firm
from .firms_world import land_world, operating_firm, other_tenant, project_approval

pytestmark = pytest.mark.django_db


def test_the_firm_list_filters_and_counts(personas, client_for):
    persona_firm(personas)
    other_tenant()
    page = client_for("gic").get("/complex/firms/?kind=tenant&sector=textiles")
    assert page.status_code == 200
    text = page.content.decode()
    assert "한빛어패럴" in text and "다른전자" not in text
    assert 'data-sector="electric_electronic"' in text  # the counts cover every sector
    page = client_for("ministry").get("/complex/firms/?q=다른&kind=bogus&sector=ships")
    assert page.status_code == 200
    assert "다른전자" in page.content.decode() and "한빛어패럴" not in page.content.decode()


def test_a_firm_sees_its_own_firm_only(personas, client_for):
    own, other = persona_firm(personas), other_tenant()
    firm = client_for("firm")
    assert firm.get(f"/complex/firms/{own.pk}/").status_code == 200
    assert firm.get(f"/complex/firms/{other.pk}/").status_code == 404
    listing = firm.get("/complex/firms/").content.decode()
    assert own.name_ko in listing and other.name_ko not in listing
    assert firm.get(f"/complex/firms/{own.pk}/edit/").status_code == 403
    assert client_for("bureau").get(f"/complex/firms/{own.pk}/").status_code == 403


def test_the_new_firm_form_keeps_what_was_typed_and_names_each_field(personas, client_for):
    gic = client_for("gic")
    assert gic.get("/complex/firms/new/").status_code == 200
    before = Firm.objects.count()
    bad = {
        "name_ko": "새기업",
        "kind": "pirate",
        "sector": "ships",
        "tenant": "999999",
        "organisation": "x",
        "business_number": "1",
        "contact_email": "nobody",
        "started_on": "2015-02-30",
    }
    page = gic.post("/complex/firms/new/", bad)
    assert page.status_code == 422
    text = page.content.decode()
    assert 'value="새기업"' in text and 'value="nobody"' in text
    form = page.context["form"]
    assert set(form.errors) == {"kind", "sector", "tenant", "organisation", "started_on"}
    # Past the form, the service names what remains.
    good = {"name_ko": "새기업", "kind": "tenant", "sector": "", "contact_email": "nobody"}
    page = gic.post("/complex/firms/new/", good)
    assert page.status_code == 422
    assert set(page.context["form"].errors) == {"__all__", "sector", "contact_email"}
    assert Firm.objects.count() == before
    page = gic.post("/complex/firms/new/", {**good, "sector": "food", "contact_email": ""})
    assert page.status_code == 302
    made = Firm.objects.get(name_ko="새기업")
    assert page["Location"] == f"/complex/firms/{made.pk}/"


def test_the_committee_edits_and_links_the_approval_from_the_firm_page(personas, client_for):
    firm = persona_firm(personas)
    gic = client_for("gic")
    page = gic.get(f"/complex/firms/{firm.pk}/edit/")
    assert page.status_code == 200 and firm.name_ko in page.content.decode()
    approval = project_approval(personas)
    answer = gic.post(f"/complex/firms/{firm.pk}/approval/", {"approval-approval": "99999999"})
    assert answer.status_code == 422
    assert Firm.objects.get(pk=firm.pk).project_approval_id is None
    answer = gic.post(f"/complex/firms/{firm.pk}/approval/", {"approval-approval": approval.pk})
    assert answer.status_code == 302
    page = gic.get(f"/complex/firms/{firm.pk}/").content.decode()
    assert 'data-operates="yes"' in page


def test_a_firm_records_its_output_and_a_bad_month_is_422(personas, client_for):
    firm = operating_firm(personas)
    client = client_for("firm")
    url = f"/complex/firms/{firm.pk}/output/"
    bad = client.post(url, {"output-month": "2015-13", "output-production_usd": "1.2345"})
    assert bad.status_code == 422
    assert set(bad.context["output_form"].errors) == {"month", "production_usd"}
    assert 'value="2015-13"' in bad.content.decode()
    early = client.post(url, {"output-month": "2004-01", "output-production_usd": "1"})
    assert early.status_code == 422 and "month" in early.context["output_form"].errors
    assert OutputMonth.objects.count() == 0
    done = client.post(url, {"output-month": "2015-03", "output-production_usd": "1234.5"})
    assert done.status_code == 302
    assert OutputMonth.objects.get().production_usd == Decimal("1234.500")
    other = other_tenant()
    assert client.post(f"/complex/firms/{other.pk}/output/", {}).status_code == 404


def test_a_firm_without_an_approval_in_force_is_refused_output_on_its_page(personas, client_for):
    firm = persona_firm(personas)
    page = client_for("gic").post(
        f"/complex/firms/{firm.pk}/output/",
        {"output-month": "2015-03", "output-production_usd": "1"},
    )
    assert page.status_code == 422
    assert "Art. 17" in page.content.decode() or "제17조" in page.content.decode()
    assert OutputMonth.objects.count() == 0


def test_the_firm_page_shows_its_site_and_fee_schedule(personas, client_for):
    world = land_world(personas)
    page = client_for("firm").get(f"/complex/firms/{world['firm'].pk}/")
    text = page.content.decode()
    assert 'data-parcel="A-1"' in text and "3025.00" in text
    # USD 1,000,000 × 1.56% = 15,600.000, due 20 December.
    assert "15600.000" in text and "2015-12-20" in text


def test_the_land_page_and_a_refused_fee_revision(personas, client_for):
    land_world(personas)
    gic = client_for("gic")
    assert gic.get("/complex/land/").status_code == 200
    assert client_for("viewer").get("/complex/land/").status_code == 200
    assert client_for("firm").get("/complex/land/").status_code == 403
    audits = AuditEntry.objects.count()
    page = gic.post(
        "/complex/land/fee-rules/add/", {"fee_rule-from_year": "2017", "fee_rule-rate": "0.0156"}
    )
    assert page.status_code == 422
    assert "2015" in page.content.decode()
    assert FeeRule.objects.count() == 1 and AuditEntry.objects.count() == audits
    page = gic.post(
        "/complex/land/fee-rules/add/", {"fee_rule-from_year": "20x9", "fee_rule-rate": "abc"}
    )
    assert page.status_code == 422
    assert set(page.context["fee_rule_form"].errors) == {"from_year", "rate"}
    page = gic.post(
        "/complex/land/fee-rules/add/", {"fee_rule-from_year": "2019", "fee_rule-rate": "0.01872"}
    )
    assert page.status_code == 302 and FeeRule.objects.count() == 2
    page = gic.post("/complex/land/parcels/add/", {"parcel-number": "Z"})
    assert page.status_code == 422


def test_the_firm_changes_its_contacts(personas, client_for):
    firm = persona_firm(personas)
    client = client_for("firm")
    bad = client.post(
        f"/complex/firms/{firm.pk}/contacts/", {"contacts-contact_email": "not-an-address"}
    )
    assert bad.status_code == 422 and 'value="not-an-address"' in bad.content.decode()
    good = client.post(f"/complex/firms/{firm.pk}/contacts/", {"contacts-contact_name": "김"})
    assert good.status_code == 302 and Firm.objects.get(pk=firm.pk).contact_name == "김"
    assert client_for("ministry").post(f"/complex/firms/{firm.pk}/contacts/", {}).status_code == 403
