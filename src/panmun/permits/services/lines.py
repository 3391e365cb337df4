"""Writes of what an application lists — its travellers (one by one, from a people list, from
the applicant's profile), its vehicles and its goods lines — and of the applicant's profile
(the 2014 "information store": the people, vehicles and usual goods filed again and again).

An application's lists change only while every approval of it is a draft or waits for more
information from the applicant; otherwise CONFLICT, nothing changed. Every value is checked by
`people` first; a refused write changes nothing. Each write has its audit entry in the same
transaction (document numbers are not copied into the audit log).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Max
from django.utils import translation

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import OrganisationKind, User
from panmun.common.errors import DomainError, ErrorCode, invalid_fields
from panmun.common.findings import Finding
from panmun.korean.dates import korea_today

from ..access import can_apply, is_applicant_of
from ..models import (
    CLOSED,
    Application,
    Approval,
    ApprovalKind,
    ApprovalState,
    GoodsLine,
    Profile,
    ProfileGoods,
    ProfileKind,
    ProfilePerson,
    ProfileVehicle,
    Traveller,
    Vehicle,
)
from ..people import Problem, check_goods, check_goods_line, check_person, check_vehicle
from ..people_file import PeopleFileError, read_people

#: The states in which the applicant may still change an application's lists.
EDITABLE = (ApprovalState.DRAFT, ApprovalState.INFO_REQUESTED)
GOODS_KINDS = (ApprovalKind.GOODS, ApprovalKind.CROSSING)
REFUSED_KO = "명단 파일을 받지 않았습니다: 아무것도 저장하지 않았습니다."
REFUSED_EN = "The people list was refused; nothing was saved."

PROFILE_KINDS: dict[str, str] = {
    OrganisationKind.FIRM: ProfileKind.FIRM,
    OrganisationKind.AID_ORGANISATION: ProfileKind.NGO,
    OrganisationKind.RED_CROSS: ProfileKind.NGO,
}


def _refused(problems: list[Problem]) -> DomainError:
    return invalid_fields("저장하지 않았습니다.", "Nothing was saved.", problems)


def lists_fixed_by(states: Iterable[str]) -> list[str]:
    """The states, among an application's approvals', that keep its lists from changing: an
    open approval's that is neither a draft nor waiting for more information (a withdrawn,
    refused, revoked or expired one no longer reads the lists)."""
    return sorted(set(states) - set(EDITABLE) - set(CLOSED))


def lists_editable(states: Iterable[str]) -> bool:
    """Whether an application whose approvals are in `states` may have its lists changed: some
    approval still reads them, and none is fixed (`lists_fixed_by`)."""
    states = set(states)
    return bool(states - set(CLOSED)) and not lists_fixed_by(states)


def _editable(actor: User, application: Application) -> Application:
    """The application, locked, after checking that `actor` files it and its approvals still
    open are all drafts or wait for more information (a withdrawn, refused, revoked or expired
    one no longer reads the lists)."""
    require_authenticated(actor)
    require(is_applicant_of(actor, application))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    fixed = lists_fixed_by(locked.approvals.values_list("state", flat=True))
    if fixed:
        labels = {}
        for language in ("ko", "en"):
            with translation.override(language):
                labels[language] = ", ".join(str(ApprovalState(s).label) for s in fixed)
        raise DomainError(
            ErrorCode.CONFLICT,
            "승인이 모두 작성 중이거나 보완 요청 상태일 때만 명단을 바꿀 수 있습니다 "
            f"(지금: {labels['ko']}).",
            "The lists can be changed only while every approval is a draft or waits for more "
            f"information (now: {labels['en']}).",
            {"states": fixed},
        )
    return locked


def _next_row(application: Application) -> int:
    last = application.travellers.aggregate(last=Max("row"))["last"]
    return (last or 0) + 1


def _profile_of_application(application: Application) -> Profile | None:
    """The profile the application's applicant keeps (none made here)."""
    if application.profile_id is not None:
        return application.profile
    organisation = application.organisation
    if organisation is not None and organisation.kind != OrganisationKind.INDIVIDUALS:
        return Profile.objects.filter(organisation=organisation).first()
    return Profile.objects.filter(user_id=application.applicant_id).first()


ON_LIST: Problem = (
    "document_number",
    "이 신분증 번호의 사람이 이미 명단에 있습니다.",
    "A person with this document number is already on the list.",
)


# -- travellers -----------------------------------------------------------------------------------


@transaction.atomic
def traveller_add(
    *, actor: User, application: Application, values: Mapping[str, object]
) -> Traveller:
    """Add one person to the application's list (last), linked to the applicant's profile
    person of the same document where there is one."""
    locked = _editable(actor, application)
    person, problems = check_person(values, today=korea_today())
    if person is None:
        raise _refused(problems)
    if locked.travellers.filter(
        document_kind=person.document_kind, document_number=person.document_number
    ).exists():
        raise _refused([ON_LIST])
    profile = _profile_of_application(locked)
    linked = None
    if profile is not None:
        linked = profile.people.filter(
            document_kind=person.document_kind, document_number=person.document_number
        ).first()
    traveller = Traveller(
        application=locked, profile_person=linked, row=_next_row(locked), **person.as_fields()
    )
    traveller.full_clean()
    traveller.save()
    audit.record(
        actor=actor,
        action="permits.traveller.add",
        obj=traveller,
        changes={"application": locked.reference, "document_kind": person.document_kind},
    )
    return traveller


@transaction.atomic
def traveller_remove(*, actor: User, traveller: Traveller) -> None:
    """Take a person off the application's list (a vehicle they drove keeps no driver)."""
    locked = _editable(actor, traveller.application)
    audit.record(
        actor=actor,
        action="permits.traveller.remove",
        obj=traveller,
        changes={"application": locked.reference},
    )
    traveller.delete()


@transaction.atomic
def travellers_import(
    *, actor: User, application: Application, file_name: str, data: bytes, replace: bool = True
) -> int:
    """Read a people list (xlsx or CSV, see `people_file`) into the application: all or nothing.
    With `replace` the list takes the place of the application's travellers; without it the
    people are added after them. A person whose document (kind and number) the applicant's
    profile keeps is linked to it. Every problem — of the file, of a row's field, a document
    number given twice or already on the list — is named by file, row and field; on any, nothing
    is written. Returns how many people were added."""
    locked = _editable(actor, application)
    try:
        rows = read_people(data, file_name=file_name, today=korea_today())
    except PeopleFileError as error:
        raise DomainError.from_findings(
            error.problems, ko=REFUSED_KO, en=REFUSED_EN, file=file_name
        ) from error
    first = 0
    if not replace:
        on_list = set(locked.travellers.values_list("document_kind", "document_number"))
        clashes = [
            Finding(
                "permits_people_on_list",
                ko="이 신분증 번호의 사람이 이미 명단에 있습니다",
                en="a person with this document number is already on the list",
                file=file_name,
                row=row.row,
                field="document_number",
            )
            for row in rows
            if (row.person.document_kind, row.person.document_number) in on_list
        ]
        if clashes:
            raise DomainError.from_findings(clashes, ko=REFUSED_KO, en=REFUSED_EN, file=file_name)
        first = _next_row(locked) - 1
    profile = _profile_of_application(locked)
    known: dict[tuple[str, str], int] = {}
    if profile is not None:
        known = {
            (kind, number): pk
            for pk, kind, number in profile.people.values_list(
                "pk", "document_kind", "document_number"
            )
        }
    removed = 0
    if replace:
        removed, _ = locked.travellers.all().delete()
    Traveller.objects.bulk_create(
        Traveller(
            application=locked,
            profile_person_id=known.get((row.person.document_kind, row.person.document_number)),
            row=first + row.row,
            **row.person.as_fields(),
        )
        for row in rows
    )
    audit.record(
        actor=actor,
        action="permits.travellers.import",
        obj=locked,
        changes={
            "file": file_name,
            "added": len(rows),
            "removed": removed,
            "linked": sum(
                1 for row in rows if (row.person.document_kind, row.person.document_number) in known
            ),
        },
    )
    return len(rows)


@transaction.atomic
def travellers_from_profile(
    *, actor: User, application: Application, people_ids: Iterable[int | str]
) -> list[Traveller]:
    """Add people of the applicant's profile to the application's list, in the order given,
    linked to them. Someone not of the profile, or already on the list, refuses the whole."""
    locked = _editable(actor, application)
    given = [str(pk).strip() for pk in people_ids]
    unreadable = [pk for pk in given if not (pk.isascii() and pk.isdigit() and len(pk) < 19)]
    if unreadable:
        shown = ", ".join(repr(pk[:20]) for pk in unreadable[:10])
        raise _refused([("people_ids", f"번호가 아닙니다: {shown}", f"Not numbers: {shown}")])
    wanted = list(dict.fromkeys(int(pk) for pk in given))
    profile = _profile_of_application(locked)
    people = {
        person.pk: person
        for person in (profile.people.filter(pk__in=wanted) if profile is not None else [])
    }
    problems: list[Problem] = []
    missing = [pk for pk in wanted if pk not in people]
    if not wanted or missing:
        problems.append(
            (
                "people_ids",
                "신청자 정보에 없는 사람입니다: " + ", ".join(map(str, missing)),
                "Not people of the applicant's profile: " + ", ".join(map(str, missing)),
            )
            if missing
            else ("people_ids", "사람을 한 명 이상 고르십시오.", "Choose one or more people.")
        )
    on_list = set(locked.travellers.values_list("document_kind", "document_number"))
    already = [
        people[pk].name_ko
        for pk in wanted
        if pk in people and (people[pk].document_kind, people[pk].document_number) in on_list
    ]
    if already:
        problems.append(
            (
                "people_ids",
                "이미 명단에 있습니다: " + ", ".join(already),
                "Already on the list: " + ", ".join(already),
            )
        )
    if problems:
        raise _refused(problems)
    row = _next_row(locked)
    fields = ProfilePerson._meta.get_fields()
    names = [f.name for f in fields if f.concrete and f.name not in ("id", "profile")]
    travellers = Traveller.objects.bulk_create(
        Traveller(
            application=locked,
            profile_person=people[pk],
            row=row + index,
            **{name: getattr(people[pk], name) for name in names},
        )
        for index, pk in enumerate(wanted)
    )
    audit.record(
        actor=actor,
        action="permits.travellers.from_profile",
        obj=locked,
        changes={"people": wanted},
    )
    return travellers


# -- vehicles -------------------------------------------------------------------------------------


@transaction.atomic
def vehicle_add(
    *,
    actor: User,
    application: Application,
    values: Mapping[str, object],
    driver: Traveller | None = None,
    driver_id: int | None = None,
) -> Vehicle:
    """Add a vehicle to the application; its driver, where named (the traveller, or its id as
    a client gives it), is one of its travellers."""
    locked = _editable(actor, application)
    vehicle, problems = check_vehicle(values)
    if driver_id is not None:
        driver = locked.travellers.filter(pk=driver_id).first()
        if driver is None:
            problems.append(
                (
                    "driver_id",
                    "운전자는 이 신청의 명단에 있는 사람이어야 합니다.",
                    "The driver must be a traveller of this application.",
                )
            )
    if driver is not None and driver.application_id != locked.pk:
        problems.append(
            (
                "driver",
                "운전자는 이 신청의 명단에 있는 사람이어야 합니다.",
                "The driver must be a traveller of this application.",
            )
        )
    if vehicle is not None and locked.vehicles.filter(plate_number=vehicle.plate_number).exists():
        problems.append(
            (
                "plate_number",
                "이 차량 번호는 이미 있습니다.",
                "This plate number is already listed.",
            )
        )
    if problems or vehicle is None:
        raise _refused(problems)
    created = Vehicle(application=locked, driver=driver, **vehicle.as_fields())
    created.full_clean()
    created.save()
    audit.record(
        actor=actor,
        action="permits.vehicle.add",
        obj=created,
        changes={"application": locked.reference, "plate_number": created.plate_number},
    )
    return created


@transaction.atomic
def vehicle_remove(*, actor: User, vehicle: Vehicle) -> None:
    locked = _editable(actor, vehicle.application)
    audit.record(
        actor=actor,
        action="permits.vehicle.remove",
        obj=vehicle,
        changes={"application": locked.reference},
    )
    vehicle.delete()


# -- goods lines ----------------------------------------------------------------------------------


@transaction.atomic
def goods_line_add(*, actor: User, approval: Approval, values: Mapping[str, object]) -> GoodsLine:
    """Add an item (HS code, quantity, value) to a goods approval or a crossing plan's cargo."""
    _editable(actor, approval.application)
    if approval.kind not in GOODS_KINDS:
        raise _refused(
            [
                (
                    "approval",
                    "물품은 물품 반출입 승인이나 통행 계획에만 적습니다.",
                    "Goods are listed only on a goods approval or a crossing plan.",
                )
            ]
        )
    line, problems = check_goods_line(values)
    if line is None:
        raise _refused(problems)
    last = approval.goods_lines.aggregate(last=Max("row"))["last"]
    created = GoodsLine(
        approval=approval,
        row=(last or 0) + 1,
        hs_code=line.hs_code,
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        value=line.value,
        currency=line.currency,
    )
    created.full_clean()
    created.save()
    audit.record(
        actor=actor,
        action="permits.goods_line.add",
        obj=created,
        changes={"approval": approval.pk, "hs_code": line.hs_code},
    )
    return created


@transaction.atomic
def goods_line_remove(*, actor: User, line: GoodsLine) -> None:
    _editable(actor, line.approval.application)
    audit.record(
        actor=actor,
        action="permits.goods_line.remove",
        obj=line,
        changes={"approval": line.approval_id},
    )
    line.delete()


# -- the applicant's profile ----------------------------------------------------------------------


def _profile_owner(actor: User) -> dict[str, object]:
    organisation = actor.organisation
    if organisation is None or organisation.kind == OrganisationKind.INDIVIDUALS:
        return {"user": actor}
    return {"organisation": organisation}


@transaction.atomic
def profile_get_or_create(*, actor: User) -> Profile:
    """The profile the actor files with: their organisation's, or for a person applying in
    their own name (no organisation, or the individual applicants') their own, made the first
    time it is asked for."""
    require_authenticated(actor)
    require(can_apply(actor))
    owner = _profile_owner(actor)
    found = Profile.objects.select_for_update().filter(**owner).first()
    if found is not None:
        return found
    organisation = actor.organisation
    if "organisation" in owner and organisation is not None:
        kind = PROFILE_KINDS.get(organisation.kind, ProfileKind.NGO)
        name_ko, name_en = organisation.name_ko, organisation.name_en
    else:
        kind = ProfileKind.INDIVIDUAL
        name_ko = name_en = actor.display_name or actor.get_username()
    profile = Profile(kind=kind, name_ko=name_ko, name_en=name_en, email=actor.email, **owner)
    profile.full_clean()
    profile.save()
    audit.record(actor=actor, action="permits.profile.create", obj=profile, changes={})
    return profile


def _own(actor: User, profile_id: int) -> Profile:
    """The actor's profile, which must be `profile_id`'s owner."""
    profile = profile_get_or_create(actor=actor)
    require(profile.pk == profile_id)
    return profile


@transaction.atomic
def profile_person_add(*, actor: User, values: Mapping[str, object]) -> ProfilePerson:
    profile = profile_get_or_create(actor=actor)
    person, problems = check_person(values, today=korea_today())
    if person is None:
        raise _refused(problems)
    if profile.people.filter(
        document_kind=person.document_kind, document_number=person.document_number
    ).exists():
        raise _refused(
            [
                (
                    "document_number",
                    "이 신분증 번호의 사람이 이미 있습니다.",
                    "A person with this document number is already kept.",
                )
            ]
        )
    created = ProfilePerson(profile=profile, **person.as_fields())
    created.full_clean()
    created.save()
    audit.record(
        actor=actor,
        action="permits.profile_person.add",
        obj=created,
        changes={"document_kind": person.document_kind},
    )
    return created


@transaction.atomic
def profile_person_remove(*, actor: User, person: ProfilePerson) -> None:
    """Forget a person of the profile; travellers once copied from them stay as they are."""
    _own(actor, person.profile_id)
    audit.record(actor=actor, action="permits.profile_person.remove", obj=person, changes={})
    person.delete()


@transaction.atomic
def profile_vehicle_add(*, actor: User, values: Mapping[str, object]) -> ProfileVehicle:
    profile = profile_get_or_create(actor=actor)
    vehicle, problems = check_vehicle(values)
    if vehicle is not None and profile.vehicles.filter(plate_number=vehicle.plate_number).exists():
        problems.append(
            ("plate_number", "이 차량 번호는 이미 있습니다.", "This plate number is already kept.")
        )
    if problems or vehicle is None:
        raise _refused(problems)
    created = ProfileVehicle(profile=profile, **vehicle.as_fields())
    created.full_clean()
    created.save()
    audit.record(
        actor=actor,
        action="permits.profile_vehicle.add",
        obj=created,
        changes={"plate_number": created.plate_number},
    )
    return created


@transaction.atomic
def profile_vehicle_remove(*, actor: User, vehicle: ProfileVehicle) -> None:
    _own(actor, vehicle.profile_id)
    audit.record(actor=actor, action="permits.profile_vehicle.remove", obj=vehicle, changes={})
    vehicle.delete()


@transaction.atomic
def profile_goods_add(*, actor: User, values: Mapping[str, object]) -> ProfileGoods:
    profile = profile_get_or_create(actor=actor)
    goods, problems = check_goods(values)
    if goods is None:
        raise _refused(problems)
    created = ProfileGoods(profile=profile, **goods.as_fields())
    created.full_clean()
    created.save()
    audit.record(
        actor=actor,
        action="permits.profile_goods.add",
        obj=created,
        changes={"hs_code": goods.hs_code},
    )
    return created


@transaction.atomic
def profile_goods_remove(*, actor: User, goods: ProfileGoods) -> None:
    _own(actor, goods.profile_id)
    audit.record(actor=actor, action="permits.profile_goods.remove", obj=goods, changes={})
    goods.delete()


__all__ = [
    "EDITABLE",
    "goods_line_add",
    "goods_line_remove",
    "profile_get_or_create",
    "profile_goods_add",
    "profile_goods_remove",
    "profile_person_add",
    "profile_person_remove",
    "profile_vehicle_add",
    "profile_vehicle_remove",
    "traveller_add",
    "traveller_remove",
    "travellers_from_profile",
    "travellers_import",
    "vehicle_add",
    "vehicle_remove",
]
