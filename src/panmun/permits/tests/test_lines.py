"""An application's lists (travellers, vehicles, goods lines) and the applicant's profile: who may
change them, when, and that a refused change writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..models import GoodsLine, Profile, ProfileKind, Traveller, Vehicle
from ..services import lines
from ..services.applications import application_create
from ..services.moves import approval_transition
from .factories import data_for
from .test_people_file import ENGLISH, KIM, KOREAN, LEE, PARK, csv_bytes, xlsx_bytes

KIM_VALUES = dict(zip(ENGLISH, KIM, strict=True))
LEE_VALUES = dict(zip(ENGLISH, LEE, strict=True))
LINE = {"hs_code": "1006.30", "description": "쌀", "quantity": "1000", "unit": "kg",
        "value": "450", "currency": "USD"}  # fmt: skip


def _application(personas, who="firm", kinds=("visit", "goods", "vehicle")):
    return application_create(
        actor=personas[who], data=data_for(list(kinds), purpose="개성 방문 / a visit")
    )


def _refused(code: ErrorCode, call, *args, **kwargs) -> DomainError:
    audits = AuditEntry.objects.count()
    counts = [m.objects.count() for m in (Traveller, Vehicle, GoodsLine, Profile)]
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    assert AuditEntry.objects.count() == audits
    assert [m.objects.count() for m in (Traveller, Vehicle, GoodsLine, Profile)] == counts
    return caught.value


def _fields(err: DomainError) -> list[tuple[object, str]]:
    return [(e.get("row"), e["field"]) for e in err.details["errors"]]


# -- travellers -----------------------------------------------------------------------------------


def test_traveller_add_and_remove(personas):
    application = _application(personas)
    firm = personas["firm"]
    kim = lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    lee = lines.traveller_add(actor=firm, application=application, values=LEE_VALUES)
    assert (kim.row, lee.row) == (1, 2)
    assert (kim.document_number, kim.phone, kim.profile_person) == (
        "M12345678",
        "01012345678",
        None,
    )
    entry = AuditEntry.objects.filter(action="permits.traveller.add").latest("pk")
    assert "6207152345678" not in str(entry.changes)  # no document numbers in the audit log
    lines.traveller_remove(actor=firm, traveller=kim)
    assert list(application.travellers.values_list("name_ko", flat=True)) == ["이영희"]
    assert AuditEntry.objects.filter(action="permits.traveller.remove").count() == 1


def test_traveller_add_refuses_bad_values_and_the_same_document(personas):
    application = _application(personas)
    firm = personas["firm"]
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.traveller_add,
        actor=firm,
        application=application,
        values={**KIM_VALUES, "document_number": "X1"},
    )
    assert _fields(err) == [(None, "document_number")]
    lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.traveller_add,
        actor=firm,
        application=application,
        values={**KIM_VALUES, "document_number": "m1234-5678", "name_ko": "김철호"},
    )
    assert _fields(err) == [(None, "document_number")]


def test_only_the_applicant_changes_the_lists(personas):
    application = _application(personas)
    for who in ("aid", "ministry", "applicant"):
        _refused(
            ErrorCode.PERMISSION_DENIED,
            lines.traveller_add,
            actor=personas[who],
            application=application,
            values=KIM_VALUES,
        )


def test_lists_are_fixed_once_an_approval_is_submitted(personas):
    application = _application(personas, kinds=("visit", "goods"))
    firm = personas["firm"]
    kim = lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    visit = application.approvals.get(kind="visit")
    goods = application.approvals.get(kind="goods")
    approval_transition(actor=firm, approval=visit, move="submit")
    err = _refused(
        ErrorCode.CONFLICT,
        lines.traveller_add,
        actor=firm,
        application=application,
        values=LEE_VALUES,
    )
    assert err.details == {"states": ["submitted"]}
    assert err.message_en.endswith("(now: Submitted).")
    assert err.message_ko.endswith("(지금: 제출됨).")
    _refused(ErrorCode.CONFLICT, lines.traveller_remove, actor=firm, traveller=kim)
    _refused(ErrorCode.CONFLICT, lines.goods_line_add, actor=firm, approval=goods, values=LINE)
    _refused(
        ErrorCode.CONFLICT,
        lines.travellers_import,
        actor=firm,
        application=application,
        file_name="a.csv",
        data=csv_bytes([KOREAN, LEE]),
    )


def test_lists_change_again_when_more_information_is_asked(personas):
    application = _application(personas, kinds=("visit",))
    lines.traveller_add(actor=personas["firm"], application=application, values=LEE_VALUES)
    visit = application.approvals.get()
    for move, who in (
        ("submit", "firm"),
        ("start_review", "ministry"),
        ("request_info", "ministry"),
    ):
        approval_transition(actor=personas[who], approval=visit, move=move, ko="질문", en="Q")
    lines.traveller_add(actor=personas["firm"], application=application, values=KIM_VALUES)
    assert application.travellers.count() == 2


# -- a people list --------------------------------------------------------------------------------


def test_import_replaces_the_list_and_links_profile_people(personas):
    firm = personas["firm"]
    application = _application(personas)
    kept = lines.profile_person_add(actor=firm, values=LEE_VALUES)
    lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    count = lines.travellers_import(
        actor=firm,
        application=application,
        file_name="명단.csv",
        data=csv_bytes([KOREAN, LEE, PARK], "cp949"),
    )
    assert count == 2
    travellers = list(application.travellers.order_by("row"))
    assert [(t.row, t.name_ko, t.profile_person_id) for t in travellers] == [
        (2, "이영희", kept.pk),
        (3, "박민수", None),
    ]
    entry = AuditEntry.objects.get(action="permits.travellers.import")
    assert entry.changes == {"file": "명단.csv", "added": 2, "removed": 1, "linked": 1}


def test_import_appends_after_the_list(personas):
    firm = personas["firm"]
    application = _application(personas)
    lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    lines.travellers_import(
        actor=firm,
        application=application,
        file_name="people.xlsx",
        data=xlsx_bytes([ENGLISH, LEE, PARK]),
        replace=False,
    )
    assert list(application.travellers.values_list("row", "name_ko")) == [
        (1, "김철수"),
        (3, "이영희"),
        (4, "박민수"),
    ]


def test_import_with_one_bad_row_writes_nothing_and_names_it(personas):
    firm = personas["firm"]
    application = _application(personas)
    lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    bad = [*PARK[:5], "A1234567", *PARK[6:]]  # a Korean passport in the wrong form
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.travellers_import,
        actor=firm,
        application=application,
        file_name="people.csv",
        data=csv_bytes([KOREAN, LEE, bad, KIM]),
    )
    assert err.details["file"] == "people.csv"
    assert [(e["file"], e["row"], e["field"]) for e in err.details["errors"]] == [
        ("people.csv", 3, "document_number")
    ]
    assert list(application.travellers.values_list("name_ko", flat=True)) == ["김철수"]


def test_import_appending_someone_already_on_the_list_is_refused(personas):
    firm = personas["firm"]
    application = _application(personas)
    lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.travellers_import,
        actor=firm,
        application=application,
        file_name="people.csv",
        data=csv_bytes([KOREAN, LEE, KIM]),
        replace=False,
    )
    assert _fields(err) == [(3, "document_number")]


def test_travellers_from_the_profile(personas):
    firm = personas["firm"]
    application = _application(personas)
    kim = lines.profile_person_add(actor=firm, values=KIM_VALUES)
    lee = lines.profile_person_add(actor=firm, values=LEE_VALUES)
    added = lines.travellers_from_profile(
        actor=firm, application=application, people_ids=[lee.pk, kim.pk]
    )
    assert [(t.row, t.name_ko, t.profile_person_id) for t in added] == [
        (1, "이영희", lee.pk),
        (2, "김철수", kim.pk),
    ]
    assert application.travellers.get(profile_person=kim).birth_date == kim.birth_date
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.travellers_from_profile,
        actor=firm,
        application=application,
        people_ids=[kim.pk],
    )
    assert "김철수" in err.details["errors"][0]["reason_ko"]


def test_travellers_from_another_profile_are_refused(personas):
    theirs = lines.profile_person_add(actor=personas["aid"], values=KIM_VALUES)
    application = _application(personas)
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.travellers_from_profile,
        actor=personas["firm"],
        application=application,
        people_ids=[theirs.pk],
    )
    assert _fields(err) == [(None, "people_ids")]


# -- vehicles and goods ---------------------------------------------------------------------------


def test_vehicles_with_a_driver_of_the_application(personas):
    firm = personas["firm"]
    application = _application(personas)
    other = _application(personas)
    driver = lines.traveller_add(actor=firm, application=application, values=KIM_VALUES)
    stranger = lines.traveller_add(actor=firm, application=other, values=KIM_VALUES)
    truck = {"plate_number": "서울 12가 3456", "vehicle_kind": "화물차", "make_model": "Hyundai"}
    vehicle = lines.vehicle_add(actor=firm, application=application, values=truck, driver=driver)
    assert (vehicle.plate_number, vehicle.vehicle_kind, vehicle.driver) == (
        "서울12가3456",
        "truck",
        driver,
    )
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.vehicle_add,
        actor=firm,
        application=application,
        values={**truck, "plate_number": "34나5678"},
        driver=stranger,
    )
    assert _fields(err) == [(None, "driver")]
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.vehicle_add,
        actor=firm,
        application=application,
        values=truck,
    )
    assert _fields(err) == [(None, "plate_number")]
    lines.vehicle_remove(actor=firm, vehicle=vehicle)
    assert not application.vehicles.exists()


def test_goods_lines_on_goods_and_crossing_approvals_only(personas):
    firm = personas["firm"]
    application = _application(personas, kinds=("visit", "goods", "crossing"))
    goods = application.approvals.get(kind="goods")
    crossing = application.approvals.get(kind="crossing")
    line = lines.goods_line_add(actor=firm, approval=goods, values=LINE)
    assert (line.row, line.hs_code, line.quantity) == (1, "100630", Decimal("1000.000"))
    assert lines.goods_line_add(actor=firm, approval=goods, values=LINE).row == 2
    assert lines.goods_line_add(actor=firm, approval=crossing, values=LINE).row == 1
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.goods_line_add,
        actor=firm,
        approval=application.approvals.get(kind="visit"),
        values=LINE,
    )
    assert _fields(err) == [(None, "approval")]
    lines.goods_line_remove(actor=firm, line=line)
    assert goods.goods_lines.count() == 1


@pytest.mark.parametrize("code", ["100699", "999999", "1006"])
def test_goods_line_with_an_unknown_hs_code(personas, code):
    application = _application(personas, kinds=("goods",))
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.goods_line_add,
        actor=personas["firm"],
        approval=application.approvals.get(),
        values={**LINE, "hs_code": code},
    )
    assert _fields(err) == [(None, "hs_code")]


# -- the profile ----------------------------------------------------------------------------------


def test_an_organisation_keeps_one_profile(personas):
    firm = personas["firm"]
    profile = lines.profile_get_or_create(actor=firm)
    assert (profile.kind, profile.organisation, profile.user) == (
        ProfileKind.FIRM,
        firm.organisation,
        None,
    )
    assert lines.profile_get_or_create(actor=firm) == profile
    assert AuditEntry.objects.filter(action="permits.profile.create").count() == 1
    assert lines.profile_get_or_create(actor=personas["aid"]).kind == ProfileKind.NGO


def test_an_individual_keeps_their_own(personas):
    applicant = personas["applicant"]
    profile = lines.profile_get_or_create(actor=applicant)
    assert (profile.kind, profile.user, profile.organisation) == (
        ProfileKind.INDIVIDUAL,
        applicant,
        None,
    )


def test_the_ministry_keeps_no_profile(personas):
    _refused(ErrorCode.PERMISSION_DENIED, lines.profile_get_or_create, actor=personas["ministry"])


def test_profile_people_vehicles_and_goods(personas):
    firm = personas["firm"]
    person = lines.profile_person_add(actor=firm, values=KIM_VALUES)
    err = _refused(ErrorCode.INVALID_INPUT, lines.profile_person_add, actor=firm, values=KIM_VALUES)
    assert _fields(err) == [(None, "document_number")]
    vehicle = lines.profile_vehicle_add(
        actor=firm, values={"plate_number": "12가3456", "vehicle_kind": "bus"}
    )
    goods = lines.profile_goods_add(
        actor=firm, values={"hs_code": "3004.90", "description": "의약품", "unit": "box"}
    )
    assert (goods.hs_code, goods.currency) == ("300490", "USD")
    _refused(
        ErrorCode.INVALID_INPUT,
        lines.profile_goods_add,
        actor=firm,
        values={"hs_code": "999999", "description": "무엇", "unit": "box"},
    )
    for call, obj in (
        (lines.profile_person_remove, {"person": person}),
        (lines.profile_vehicle_remove, {"vehicle": vehicle}),
        (lines.profile_goods_remove, {"goods": goods}),
    ):
        _refused(ErrorCode.PERMISSION_DENIED, call, actor=personas["aid"], **obj)
        call(actor=firm, **obj)
    profile = lines.profile_get_or_create(actor=firm)
    assert (profile.people.count(), profile.vehicles.count(), profile.goods.count()) == (0, 0, 0)


def test_travellers_from_the_profile_by_unreadable_ids(personas):
    application = _application(personas)
    err = _refused(
        ErrorCode.INVALID_INPUT,
        lines.travellers_from_profile,
        actor=personas["firm"],
        application=application,
        people_ids=["1", "x; drop"],
    )
    assert err.details["errors"][0]["reason_en"] == "Not numbers: 'x; drop'"
