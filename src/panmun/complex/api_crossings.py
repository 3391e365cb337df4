"""/api/v1/complex/: timetables, day plans and the North's consent, the gate, flags, the
headcount.

The plans part: the timetable of a day (anyone with a page in the complex); the day's plans and
a plan with its lines (the gate officer, the committee and the ministry all; a firm officer the
plans with its firm's lines, and only those lines; the bureau the plans sent to the North);
build and send (the gate officer); answer (the bureau)."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router, Status

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.common.errors import DomainError, ErrorCode

from .access import (
    can_answer_plans,
    can_build_plans,
    can_see_complex,
    can_see_plans,
    dayplans_for_user,
    get_dayplan,
    get_dayplan_for_answer,
    get_dayplan_for_build,
    planlines_for_user,
)
from .models import DayPlan, PlanLine
from .schemas_plans import (
    ComplexDayPlanAnswerIn,
    ComplexDayPlanDetailOut,
    ComplexDayPlanOut,
    ComplexDayPlansBuildIn,
    ComplexDayPlansBuildOut,
    ComplexDayQuery,
    ComplexPlanLineIn,
    ComplexPlanLineOut,
    ComplexTimetableOut,
    clock,
)
from .selectors_plans import plan_out, rows_for_user, season_on, slots_on, timetable_on
from .services import plans as plan_service
from .services import plans_north

router = Router()
SEEING = permitted(can_see_plans)
GATE = permitted(can_build_plans)
BUREAU = permitted(can_answer_plans)


def _one(request: ApiRequest, plan: DayPlan) -> dict[str, Any]:
    rows = rows_for_user(request.auth, DayPlan.objects.filter(pk=plan.pk))
    return plan_out(rows[0])


@router.get(
    "/timetable",
    response=responds(ComplexTimetableOut),
    summary="The crossing timetable in force on a day, with that day's slots",
    auth=permitted(can_see_complex),
)
def get_timetable(request: ApiRequest, q: Query[ComplexDayQuery]) -> dict[str, Any]:
    timetable = timetable_on(q.day)
    if timetable is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"{q.day:%Y-%m-%d}에 시행 중인 통행 시간표가 없습니다.",
            f"No crossing timetable was in force on {q.day:%Y-%m-%d}.",
            {"day": q.day.isoformat()},
        )
    return {
        "day": q.day,
        "effective_from": timetable.effective_from,
        "name_ko": timetable.name_ko,
        "name_en": timetable.name_en,
        "mode": timetable.mode,
        "season": season_on(timetable, q.day),
        "guarantee_from": clock(timetable.guarantee_from),
        "guarantee_to": clock(timetable.guarantee_to),
        "people_per_slot": timetable.people_per_slot,
        "vehicles_per_slot": timetable.vehicles_per_slot,
        "residents_max": timetable.residents_max,
        "source": timetable.source,
        "slots": slots_on(q.day),
    }


@router.get(
    "/dayplans",
    response=responds(list[ComplexDayPlanOut]),
    summary="The plans of a day, each slot's with its counts and state",
    auth=SEEING,
)
def list_dayplans(request: ApiRequest, q: Query[ComplexDayQuery]) -> list[dict[str, Any]]:
    plans = dayplans_for_user(request.auth).filter(day=q.day)
    return [plan_out(row) for row in rows_for_user(request.auth, plans)]


@router.post(
    "/dayplans/build",
    response=responds(ComplexDayPlansBuildOut),
    summary="Build or refresh a day's plans from the approved crossing plans",
    auth=GATE,
)
def build_dayplans(request: ApiRequest, payload: ComplexDayPlansBuildIn) -> dict[str, Any]:
    result = plan_service.dayplans_build(actor=request.auth, day=payload.day)
    plans = DayPlan.objects.filter(pk__in=[p.pk for p in result.plans])
    return {
        "day": result.day,
        "added": result.added,
        "withdrawn": result.withdrawn,
        "plans": [plan_out(row) for row in rows_for_user(request.auth, plans)],
        "skipped": result.skipped,
    }


@router.get(
    "/dayplans/{plan_id}",
    response=responds(ComplexDayPlanDetailOut),
    summary="A day plan with its lines (a firm officer: its firm's lines only)",
    auth=SEEING,
)
def get_dayplan_detail(request: ApiRequest, plan_id: RecordId) -> dict[str, Any]:
    plan = get_dayplan(request.auth, plan_id)
    lines = planlines_for_user(request.auth, plan).order_by("subject", "key")
    return {**_one(request, plan), "lines": list(lines)}


@router.post(
    "/dayplans/{plan_id}/send",
    response=responds(ComplexDayPlanOut),
    summary="Send the plan to the North: a signed list in the South's liaison log",
    auth=GATE,
)
def send_dayplan(request: ApiRequest, plan_id: RecordId) -> dict[str, Any]:
    plan = get_dayplan_for_build(request.auth, plan_id)
    return _one(request, plans_north.dayplan_send(actor=request.auth, plan=plan))


@router.post(
    "/dayplans/{plan_id}/answer",
    response=responds(ComplexDayPlanOut),
    summary="The North's consent or refusal: a signed reply in the North's liaison log",
    auth=BUREAU,
)
def answer_dayplan(
    request: ApiRequest, plan_id: RecordId, payload: ComplexDayPlanAnswerIn
) -> dict[str, Any]:
    plan = get_dayplan_for_answer(request.auth, plan_id)
    done = plans_north.dayplan_answer(
        actor=request.auth, plan=plan, consent=payload.consent, note=payload.note
    )
    return _one(request, done)


@router.post(
    "/dayplans/{plan_id}/lines",
    response=responds(ComplexPlanLineOut, 201),
    summary="Put a person or vehicle of a crossing plan in force on a plan (after sending: "
    "the North consents again)",
    auth=GATE,
)
def add_planline(
    request: ApiRequest, plan_id: RecordId, payload: ComplexPlanLineIn
) -> Status[PlanLine]:
    plan = get_dayplan_for_build(request.auth, plan_id)
    traveller, vehicle = plan_service.crossing_subject_find(plan, payload.subject, payload.key)
    line = plan_service.planline_add(
        actor=request.auth, plan=plan, traveller=traveller, vehicle=vehicle
    )
    return Status(201, line)


@router.post(
    "/dayplans/{plan_id}/lines/{line_id}/withdraw",
    response=responds(ComplexDayPlanOut),
    summary="Take a person or vehicle off a plan (after sending: the North consents again)",
    auth=GATE,
)
def withdraw_planline(request: ApiRequest, plan_id: RecordId, line_id: RecordId) -> dict[str, Any]:
    plan = get_dayplan_for_build(request.auth, plan_id)
    line = get_or_404(planlines_for_user(request.auth, plan), line_id, "계획 줄", "plan line")
    plan_service.planline_withdraw(actor=request.auth, line=line)
    return _one(request, plan)
