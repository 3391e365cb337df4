"""/api/v1/permits/: what an applicant does: applications, their people, vehicles and goods,
submission, answers, withdrawal; the profile. Only those who may apply (`access.can_apply`)
are let in, before their input is read; an application not theirs is not found. Same
services and access helpers as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.common.errors import invalid_fields, not_found

from .access import (
    applications_for_user,
    can_apply,
    get_application_for_user,
    profile_for_user,
)
from .access import get_approval_for_user as _approval
from .models import (
    Application,
    Approval,
    GoodsLine,
    ProfileGoods,
    ProfilePerson,
    ProfileVehicle,
    Traveller,
    Vehicle,
)
from .people_file import MAX_FILE_BYTES
from .schemas_applicant import (
    ApplicationChangeIn,
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatchIn,
    ApplicationsQuery,
    ApprovalOut,
    GoodsIn,
    GoodsLineIn,
    GoodsLineOut,
    ImportedOut,
    PermitPersonOut,
    PersonIn,
    ProfileGoodsOut,
    ProfileOut,
    ProfilePeopleIn,
    ProfileVehicleOut,
    TravellerOut,
    VehicleIn,
    VehicleOut,
    application_data,
    changed_data,
)
from .services import lines, moves
from .services.applications import (
    application_copy,
    application_create,
    application_submit,
    application_update,
)

router = Router(tags=["permits"])
APPLICANTS = permitted(can_apply)


def _detail(application: Application) -> Application:
    return (
        Application.objects.select_related("applicant")
        .prefetch_related("approvals", "travellers", "vehicles")
        .get(pk=application.pk)
    )


@router.get(
    "/applications",
    response=responds(list[ApplicationOut]),
    summary="The applications of the applicant (and of their organisation), newest first",
    auth=APPLICANTS,
)
def list_applications(request: ApiRequest, q: Query[ApplicationsQuery]) -> QuerySet[Application]:
    applications = (
        applications_for_user(request.auth)
        .select_related("applicant")
        .prefetch_related("approvals")
        .order_by("-created_at", "-pk")
    )
    return applications[q.offset : q.offset + q.limit]


@router.post(
    "/applications",
    response=responds(ApplicationDetailOut, 201),
    summary="File an application: one draft approval per kind asked for, with its terms",
    auth=APPLICANTS,
)
def create_application(request: ApiRequest, payload: ApplicationIn) -> Status[Application]:
    application = application_create(actor=request.auth, data=application_data(payload))
    return Status(201, _detail(application))


@router.get(
    "/applications/{application_id}",
    response=responds(ApplicationDetailOut),
    summary="An application: every approval's state, history and the officer's words",
    auth=APPLICANTS,
)
def get_application(request: ApiRequest, application_id: RecordId) -> Application:
    return _detail(get_application_for_user(request.auth, application_id))


def _amend(
    request: ApiRequest, application_id: int, payload: ApplicationChangeIn | ApplicationPatchIn
) -> Application:
    application = get_application_for_user(request.auth, application_id)
    application_update(
        actor=request.auth, application=application, data=changed_data(application, payload)
    )
    return _detail(application)


@router.put(
    "/applications/{application_id}",
    response=responds(ApplicationDetailOut),
    summary="Amend an application (every fact given; a major change sends approvals in "
    "force back to review)",
    auth=APPLICANTS,
)
def put_application(
    request: ApiRequest, application_id: RecordId, payload: ApplicationChangeIn
) -> Application:
    return _amend(request, application_id, payload)


@router.patch(
    "/applications/{application_id}",
    response=responds(ApplicationDetailOut),
    summary="Amend some facts of an application",
    auth=APPLICANTS,
)
def patch_application(
    request: ApiRequest, application_id: RecordId, payload: ApplicationPatchIn
) -> Application:
    return _amend(request, application_id, payload)


@router.post(
    "/applications/{application_id}/submit",
    response=responds(ApplicationDetailOut),
    summary="Submit every draft approval (all or none; refused with every finding, a policy "
    "measure named)",
    auth=APPLICANTS,
)
def submit_application(request: ApiRequest, application_id: RecordId) -> Application:
    application = get_application_for_user(request.auth, application_id)
    application_submit(actor=request.auth, application=application)
    return _detail(application)


@router.post(
    "/applications/{application_id}/copy",
    response=responds(ApplicationDetailOut, 201),
    summary="Start a new draft from an application (its people, vehicles and goods; no dates)",
    auth=APPLICANTS,
)
def copy_application(request: ApiRequest, application_id: RecordId) -> Status[Application]:
    source = get_application_for_user(request.auth, application_id)
    return Status(201, _detail(application_copy(actor=request.auth, source=source)))


@router.post(
    "/approvals/{approval_id}/withdraw",
    response=responds(ApprovalOut),
    summary="Withdraw an approval before it is decided",
    auth=APPLICANTS,
)
def withdraw_approval(request: ApiRequest, approval_id: RecordId) -> Approval:
    approval = _approval(request.auth, approval_id)
    return moves.approval_transition(actor=request.auth, approval=approval, move="withdraw")


@router.post(
    "/approvals/{approval_id}/resubmit",
    response=responds(ApprovalOut),
    summary="Send an approval back to its officer once the questions are answered",
    auth=APPLICANTS,
)
def resubmit_approval(request: ApiRequest, approval_id: RecordId) -> Approval:
    approval = _approval(request.auth, approval_id)
    return moves.approval_transition(actor=request.auth, approval=approval, move="resubmit")


# --- what an application lists -------------------------------------------------------------


def _values(payload: Schema) -> dict[str, object]:
    return payload.model_dump()


@router.post(
    "/applications/{application_id}/travellers",
    response=responds(TravellerOut, 201),
    summary="Add a person to the application's list (while its approvals are drafts or "
    "asked for more information)",
    auth=APPLICANTS,
)
def add_traveller(
    request: ApiRequest, application_id: RecordId, payload: PersonIn
) -> Status[Traveller]:
    application = get_application_for_user(request.auth, application_id)
    traveller = lines.traveller_add(
        actor=request.auth, application=application, values=_values(payload)
    )
    return Status(201, traveller)


@router.post(
    "/applications/{application_id}/travellers/import",
    response=responds(ImportedOut),
    summary="Read a people list (xlsx or CSV in UTF-8 or CP949) into the application: all or "
    "nothing, every bad row named by file, row and field",
    auth=APPLICANTS,
)
def import_travellers(
    request: ApiRequest,
    application_id: RecordId,
    file: File[UploadedFile],
    replace: Form[bool] = True,
) -> dict[str, int]:
    application = get_application_for_user(request.auth, application_id)
    added = lines.travellers_import(
        actor=request.auth,
        application=application,
        file_name=file.name or "people",
        data=file.read(MAX_FILE_BYTES + 1),
        replace=replace,
    )
    return {"added": added}


@router.post(
    "/applications/{application_id}/travellers/from-profile",
    response=responds(list[TravellerOut], 201),
    summary="Add people the applicant's profile keeps to the application's list",
    auth=APPLICANTS,
)
def add_travellers_from_profile(
    request: ApiRequest, application_id: RecordId, payload: ProfilePeopleIn
) -> Status[list[Traveller]]:
    application = get_application_for_user(request.auth, application_id)
    added = lines.travellers_from_profile(
        actor=request.auth, application=application, people_ids=payload.people_ids
    )
    return Status(201, added)


@router.delete(
    "/applications/{application_id}/travellers/{traveller_id}",
    response=responds(None, 204),
    summary="Take a person off the application's list",
    auth=APPLICANTS,
)
def remove_traveller(
    request: ApiRequest, application_id: RecordId, traveller_id: RecordId
) -> Status[None]:
    application = get_application_for_user(request.auth, application_id)
    traveller = get_or_404(application.travellers.all(), traveller_id, "사람", "Person")
    lines.traveller_remove(actor=request.auth, traveller=traveller)
    return Status(204, None)


@router.post(
    "/applications/{application_id}/vehicles",
    response=responds(VehicleOut, 201),
    summary="Add a vehicle (its driver one of the application's travellers)",
    auth=APPLICANTS,
)
def add_vehicle(
    request: ApiRequest, application_id: RecordId, payload: VehicleIn
) -> Status[Vehicle]:
    application = get_application_for_user(request.auth, application_id)
    values = _values(payload)
    values.pop("driver_id")
    vehicle = lines.vehicle_add(
        actor=request.auth, application=application, values=values, driver_id=payload.driver_id
    )
    return Status(201, vehicle)


@router.delete(
    "/applications/{application_id}/vehicles/{vehicle_id}",
    response=responds(None, 204),
    summary="Take a vehicle off the application",
    auth=APPLICANTS,
)
def remove_vehicle(
    request: ApiRequest, application_id: RecordId, vehicle_id: RecordId
) -> Status[None]:
    application = get_application_for_user(request.auth, application_id)
    vehicle = get_or_404(application.vehicles.all(), vehicle_id, "차량", "Vehicle")
    lines.vehicle_remove(actor=request.auth, vehicle=vehicle)
    return Status(204, None)


@router.post(
    "/approvals/{approval_id}/goods-lines",
    response=responds(GoodsLineOut, 201),
    summary="Add an item to a goods approval or a crossing plan's cargo",
    auth=APPLICANTS,
)
def add_goods_line(
    request: ApiRequest, approval_id: RecordId, payload: GoodsLineIn
) -> Status[GoodsLine]:
    approval = _approval(request.auth, approval_id)
    line = lines.goods_line_add(actor=request.auth, approval=approval, values=_values(payload))
    return Status(201, line)


@router.delete(
    "/approvals/{approval_id}/goods-lines/{line_id}",
    response=responds(None, 204),
    summary="Take an item off a goods approval",
    auth=APPLICANTS,
)
def remove_goods_line(
    request: ApiRequest, approval_id: RecordId, line_id: RecordId
) -> Status[None]:
    approval = _approval(request.auth, approval_id)
    line = get_or_404(approval.goods_lines.all(), line_id, "물품", "Goods item")
    lines.goods_line_remove(actor=request.auth, line=line)
    return Status(204, None)


# --- the applicant's profile ---------------------------------------------------------------


@router.get(
    "/profile",
    response=responds(ProfileOut),
    summary="The applicant's profile: the people, vehicles and usual goods kept",
    auth=APPLICANTS,
)
def get_profile(request: ApiRequest) -> dict[str, Any]:
    profile = profile_for_user(request.auth)
    if profile is None:
        return {"id": None, "name_ko": "", "name_en": "", "people": [], "vehicles": [], "goods": []}
    return {
        "id": profile.pk,
        "name_ko": profile.name_ko,
        "name_en": profile.name_en,
        "people": list(profile.people.all()),
        "vehicles": list(profile.vehicles.all()),
        "goods": list(profile.goods.all()),
    }


def _kept(request: ApiRequest, related: str, pk: int, what_ko: str, what_en: str) -> Any:
    profile = profile_for_user(request.auth)
    if profile is None:
        raise not_found(what_ko, what_en, pk)
    return get_or_404(getattr(profile, related).all(), pk, what_ko, what_en)


@router.post(
    "/profile/people",
    response=responds(PermitPersonOut, 201),
    summary="Keep a person in the profile",
    auth=APPLICANTS,
)
def add_profile_person(request: ApiRequest, payload: PersonIn) -> Status[ProfilePerson]:
    return Status(201, lines.profile_person_add(actor=request.auth, values=_values(payload)))


@router.delete(
    "/profile/people/{person_id}",
    response=responds(None, 204),
    summary="Forget a person of the profile",
    auth=APPLICANTS,
)
def remove_profile_person(request: ApiRequest, person_id: RecordId) -> Status[None]:
    person = _kept(request, "people", person_id, "사람", "Person")
    lines.profile_person_remove(actor=request.auth, person=person)
    return Status(204, None)


@router.post(
    "/profile/vehicles",
    response=responds(ProfileVehicleOut, 201),
    summary="Keep a vehicle in the profile",
    auth=APPLICANTS,
)
def add_profile_vehicle(request: ApiRequest, payload: VehicleIn) -> Status[ProfileVehicle]:
    values = _values(payload)
    if values.pop("driver_id") is not None:
        raise invalid_fields(
            "저장하지 않았습니다.",
            "Nothing was saved.",
            [
                (
                    "driver_id",
                    "신청자 정보의 차량에는 운전자가 없습니다.",
                    "A vehicle of the profile has no driver.",
                )
            ],
        )
    return Status(201, lines.profile_vehicle_add(actor=request.auth, values=values))


@router.delete(
    "/profile/vehicles/{vehicle_id}",
    response=responds(None, 204),
    summary="Forget a vehicle of the profile",
    auth=APPLICANTS,
)
def remove_profile_vehicle(request: ApiRequest, vehicle_id: RecordId) -> Status[None]:
    vehicle = _kept(request, "vehicles", vehicle_id, "차량", "Vehicle")
    lines.profile_vehicle_remove(actor=request.auth, vehicle=vehicle)
    return Status(204, None)


@router.post(
    "/profile/goods",
    response=responds(ProfileGoodsOut, 201),
    summary="Keep usual goods in the profile",
    auth=APPLICANTS,
)
def add_profile_goods(request: ApiRequest, payload: GoodsIn) -> Status[ProfileGoods]:
    return Status(201, lines.profile_goods_add(actor=request.auth, values=_values(payload)))


@router.delete(
    "/profile/goods/{goods_id}",
    response=responds(None, 204),
    summary="Forget goods of the profile",
    auth=APPLICANTS,
)
def remove_profile_goods(request: ApiRequest, goods_id: RecordId) -> Status[None]:
    goods = _kept(request, "goods", goods_id, "물품", "Goods")
    lines.profile_goods_remove(actor=request.auth, goods=goods)
    return Status(204, None)
