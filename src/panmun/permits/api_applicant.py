"""/api/v1/permits/: what an applicant does: applications, their people, vehicles and goods,
submission, answers, withdrawal; the profile. Only those who may apply (`access.can_apply`)
are let in, before their input is read; an application not theirs is not found. Same
services and access helpers as the pages."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Query, Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds

from .access import applications_for_user, can_apply, get_application_for_user
from .access import get_approval_for_user as _approval
from .models import Application, Approval
from .schemas_applicant import (
    ApplicationChangeIn,
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatchIn,
    ApplicationsQuery,
    ApprovalOut,
    application_data,
    changed_data,
)
from .services import moves
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
