"""Writes of shipments (물자 수송): a new shipment under an activity, checked by the policy
gates on its planned day; an NGO's shipment filed as a goods carry-out approval of the permits
app (Art. 13) and sent only once that approval is in force; its moves (sent — the gates asked
again on the sending day —, cancelled, sent back, suspended and resumed as in 1995 and 2006);
and the North's acknowledgement of receipt (인수 확인), recorded as a signed list in the
liaison log."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import Organisation, User
from panmun.common.errors import DomainError, ErrorCode, invalid_fields
from panmun.common.text import text_problem
from panmun.liaison.services.messages import manifest_post
from panmun.permits.access import can_apply
from panmun.permits.models import IN_FORCE, Approval, Destination, EntryPoint, GoodsDirection
from panmun.permits.services.applications import (
    ApplicationData,
    application_create,
    application_submit,
)
from panmun.permits.services.lines import goods_line_add

from ..access import activities_for_edit, can_acknowledge, can_keep_ledger, is_aid_organisation
from ..models import (
    Activity,
    Channel,
    Commodity,
    Route,
    Shipment,
    TargetGroup,
    Unit,
)
from ..policy import check_gates, purely_humanitarian

REFERENCE_PREFIX = "AS"
#: The HS 2022 subheading each commodity is filed under in its carry-out approval.
HS_CODES = {
    Commodity.RICE: "100630",  # semi-milled or wholly milled rice
    Commodity.CORN: "100590",  # maize, other than seed
    Commodity.FLOUR: "110100",  # wheat or meslin flour
    Commodity.FERTILISER: "310210",  # urea
    Commodity.MEDICINE: "300490",  # medicaments, in measured doses
    Commodity.MILK_POWDER: "190110",  # preparations for infants or young children
    Commodity.FOOD_OTHER: "210690",  # food preparations n.e.s.
    Commodity.OTHER: "630900",  # worn clothing and other worn articles (relief goods)
}
#: How long the carry-out approval asked for runs from the planned day.
APPROVAL_DAYS = 30
ENTRY_POINTS: dict[str, str] = {
    Route.GYEONGUI: EntryPoint.GYEONGUI,
    Route.DONGHAE: EntryPoint.DONGHAE,
}
TEXT_FIELDS = {
    "description": 300,
    "packaging": 200,
    "markings": 300,
    "port_of_loading": 100,
    "port_of_discharge": 100,
    "vessel": 200,
}
MOVES = ("send", "cancel", "send_back", "suspend", "resume")
MAX_REASON = 4000

Problem = tuple[str, str, str]


def _reference() -> str:
    return f"{REFERENCE_PREFIX}-{timezone.localdate():%Y}-{secrets.token_hex(4).upper()}"


def _choose(name: str, value: Any, choices: Sequence[str], problems: list[Problem]) -> None:
    if value not in choices:
        problems.append((name, "목록에서 고르십시오.", "Choose from: " + ", ".join(choices)))


def _quantity(name: str, value: Any, problems: list[Problem], *, positive: bool) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.append((name, "수량은 숫자로 적습니다.", "The quantity is a number."))
        return None
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int):
        problems.append((name, "수량은 숫자로 적습니다.", "The quantity is a number."))
        return None
    if number < 0 or (positive and number == 0):
        problems.append((name, "0보다 커야 합니다.", "Must be more than 0."))
        return None
    if exponent < -3 or abs(number) >= Decimal(10) ** 13:
        problems.append(
            (name, "소수점 아래 3자리, 13자리까지입니다.", "At most 13 digits and 3 decimals.")
        )
        return None
    return number


def _text(name: str, value: str, limit: int, problems: list[Problem]) -> None:
    problem = text_problem(name, value, limit)
    if problem:
        problems.append(problem)


def needs_approval(activity: Activity, actor: User) -> bool:
    """An NGO's shipment (through an NGO, from its own funds, or filed by an aid organisation)
    is a goods carry-out approval of the permits app."""
    return activity.channel in (Channel.VIA_NGO, Channel.NGO_OWN) or is_aid_organisation(actor)


def _not_saved(problems: list[Problem]) -> DomainError:
    return invalid_fields("수송을 등록하지 않았습니다.", "The shipment was not recorded.", problems)


@transaction.atomic
def shipment_create(
    *,
    actor: User,
    activity: Activity,
    commodity: str,
    quantity: Decimal | str,
    unit: str,
    route: str,
    planned_on: dt.date,
    target_groups: Sequence[str],
    recipient_organisation: Organisation | None = None,
    value: Decimal | None = None,
    currency: str = "KRW",
    **texts: str,
) -> Shipment:
    """A shipment in process under `activity`. Refused when a measure in force on
    `planned_on` forbids it (named; a supervisor's exception for a new shipment of the activity
    lets it through). An NGO's shipment files and submits its goods carry-out approval at once."""
    require_authenticated(actor)
    require(activities_for_edit(actor).filter(pk=activity.pk).exists())
    problems: list[Problem] = []
    _choose("commodity", commodity, Commodity.values, problems)
    _choose("unit", unit, Unit.values, problems)
    _choose("route", route, Route.values, problems)
    amount = _quantity("quantity", quantity, problems, positive=True)
    groups = list(dict.fromkeys(target_groups))
    if not groups or any(g not in TargetGroup.values for g in groups):
        problems.append(
            (
                "target_groups",
                "지원 대상을 하나 이상 고르십시오.",
                "Choose one or more target groups: " + ", ".join(TargetGroup.values),
            )
        )
    if not isinstance(planned_on, dt.date) or not dt.date(1995, 1, 1) <= planned_on <= dt.date(
        2200, 12, 31
    ):
        problems.append(("planned_on", "날짜를 확인해 주십시오.", "Check the date."))
    for name in texts:
        if name not in TEXT_FIELDS:
            problems.append((name, "알 수 없는 항목입니다.", "Not a field of a shipment."))
        else:
            _text(name, str(texts[name]), TEXT_FIELDS[name], problems)
    if value is not None:
        _quantity("value", value, problems, positive=False)
    if len(currency) != 3 or not currency.isascii() or not currency.isupper():
        problems.append(("currency", "ISO 4217 통화 부호입니다.", "An ISO 4217 currency code."))
    recipient = recipient_organisation or activity.recipient_organisation
    if recipient is not None and (recipient.side is None or recipient.side.code != "north"):
        problems.append(
            (
                "recipient_organisation",
                "북측 기관이 아닙니다.",
                "Not an organisation of the North.",
            )
        )
    if problems:
        raise _not_saved(problems)
    assert amount is not None
    # The policy first: a supervisor trying an NGO's shipment learns which measure stops it
    # (and may record an exception for the NGO's next one).
    check_gates(
        actor=actor,
        activity=activity,
        day=planned_on,
        what="shipment",
        what_id=None,
        commodity=commodity,
        target_groups=groups,
    )
    with_approval = needs_approval(activity, actor)
    if with_approval and not can_apply(actor):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "민간단체의 수송은 그 단체가 물품 반출 승인을 신청해 등록합니다.",
            "An NGO's shipment is recorded by the NGO, which applies for its carry-out approval.",
            {"field": "activity"},
        )
    shipment = Shipment(
        activity=activity,
        reference=_reference(),
        commodity=commodity,
        quantity=amount,
        unit=unit,
        route=route,
        planned_on=planned_on,
        target_groups=groups,
        recipient_organisation=recipient,
        value=value,
        currency=currency,
        created_by=actor,
        **{k: str(v).strip() for k, v in texts.items()},
    )
    shipment.full_clean(exclude=["state"])  # the state is the transitions' (protected)
    shipment.save()
    if with_approval:
        shipment.approval = _file_approval(actor, shipment)
        shipment.save(update_fields=["approval"])
    audit.record(
        actor=actor,
        action="aid.shipment.create",
        obj=shipment,
        changes={
            "activity": activity.identifier,
            "commodity": commodity,
            "quantity": str(amount),
            "unit": unit,
            "planned_on": planned_on.isoformat(),
            "approval": shipment.approval.application.reference if shipment.approval else None,
        },
    )
    return shipment


def _file_approval(actor: User, shipment: Shipment) -> Approval:
    """The goods carry-out approval of an NGO's shipment, filed and submitted to the ministry."""
    activity = shipment.activity
    recipient = shipment.recipient_organisation
    data = ApplicationData(
        purpose=(
            f"인도적 지원 물자 반출: {activity.identifier} / {shipment.reference} "
            f"({shipment.get_commodity_display()})"
        ),
        kinds=["goods"],
        direction="to_north",
        destination=Destination.OTHER_NORTH,
        destination_detail=(shipment.port_of_discharge or activity.region)[:200],
        entry_point=ENTRY_POINTS.get(shipment.route, EntryPoint.NONE),
        start_date=shipment.planned_on,
        end_date=shipment.planned_on + dt.timedelta(days=APPROVAL_DAYS),
        north_partner=(recipient.name_ko if recipient else activity.recipient_name_ko)[:200],
        north_organisation_id=recipient.pk if recipient else None,
        terms={
            "goods": {
                "goods_direction": GoodsDirection.CARRY_OUT,
                "humanitarian": purely_humanitarian(shipment.commodity, shipment.target_groups),
            }
        },
    )
    application = application_create(actor=actor, data=data)
    approval = application.approvals.get(kind="goods")
    goods_line_add(
        actor=actor,
        approval=approval,
        values={
            "hs_code": HS_CODES[Commodity(shipment.commodity)],
            "description": (shipment.description or shipment.get_commodity_display())[:200],
            "quantity": str(shipment.quantity),
            "unit": shipment.unit,
            "value": str(shipment.value if shipment.value is not None else 0),
            "currency": shipment.currency,
        },
    )
    application_submit(actor=actor, application=application)
    return Approval.objects.get(pk=approval.pk)  # its state is protected: read it afresh


def _locked(shipment: Shipment) -> Shipment:
    return Shipment.objects.select_for_update().select_related("activity").get(pk=shipment.pk)


def _cannot(shipment: Shipment, move: str) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_TRANSITION,
        f"지금 상태({shipment.state})에서는 할 수 없습니다: {move}",
        f"Not possible in the shipment's state ({shipment.state}): {move}",
        {"state": shipment.state, "move": move},
    )


@transaction.atomic
def shipment_move(
    *,
    actor: User,
    shipment: Shipment,
    move: str,
    sent_on: dt.date | None = None,
    vessel: str = "",
) -> Shipment:
    """Move a shipment on: `send` (on `sent_on`, default today; an NGO's only with its approval
    in force; the gates asked again on that day), `cancel`, `send_back`, and the government's
    `suspend` and `resume` (back to where it was held: in process or sent)."""
    require_authenticated(actor)
    if move not in MOVES:
        raise invalid_fields(
            "처리하지 않았습니다.",
            "Nothing was done.",
            [("move", "목록에서 고르십시오.", "Choose from: " + ", ".join(MOVES))],
        )
    locked = _locked(shipment)
    require(activities_for_edit(actor).filter(pk=locked.activity_id).exists())
    if move in ("suspend", "resume"):
        require(can_keep_ledger(actor))
    changes: dict[str, Any] = {"move": move, "from": locked.state}
    if move == "send":
        if not can_proceed(locked.send):
            raise _cannot(locked, move)
        day = sent_on or timezone.localdate()
        problems: list[Problem] = []
        if day > timezone.localdate():
            problems.append(("sent_on", "미래의 날짜입니다.", "The date is in the future."))
        if vessel:
            _text("vessel", vessel, TEXT_FIELDS["vessel"], problems)
        if problems:
            raise invalid_fields("처리하지 않았습니다.", "Nothing was done.", problems)
        _check_approval(locked, day)
        check_gates(
            actor=actor,
            activity=locked.activity,
            day=day,
            what="shipment",
            what_id=locked.pk,
            commodity=locked.commodity,
            target_groups=locked.target_groups,
        )
        locked.send(by=actor)
        locked.sent_on = day
        if vessel:
            locked.vessel = vessel.strip()
        changes["sent_on"] = day.isoformat()
    elif move == "resume":
        step = locked.resume if can_proceed(locked.resume) else locked.resume_sent
        if not can_proceed(step):
            raise _cannot(locked, move)
        step(by=actor)
    else:
        step = getattr(locked, move)
        if not can_proceed(step):
            raise _cannot(locked, move)
        step(by=actor)
    locked.save()
    changes["to"] = locked.state
    audit.record(actor=actor, action="aid.shipment.move", obj=locked, changes=changes)
    return locked


def _check_approval(shipment: Shipment, day: dt.date) -> None:
    approval = shipment.approval
    if approval is None:
        if shipment.activity.channel in (Channel.VIA_NGO, Channel.NGO_OWN):
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                "민간단체의 수송은 물품 반출 승인이 있어야 보냅니다.",
                "An NGO's shipment is sent only under a goods carry-out approval.",
                {"approval": None},
            )
        return
    if approval.state not in IN_FORCE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"물품 반출 승인({approval.application.reference})이 아직 유효하지 않습니다: "
            f"{approval.state}",
            f"The goods carry-out approval ({approval.application.reference}) is not in force: "
            f"{approval.state}",
            {"approval": approval.application.reference, "state": approval.state},
        )
    application = approval.application
    start, end = application.start_date, application.end_date
    if start and end and not start <= day <= end:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"보내는 날이 승인 기간({start}–{end}) 밖입니다.",
            f"The sending day is outside the approval's period ({start} to {end}).",
            {"field": "sent_on"},
        )


@transaction.atomic
def shipment_acknowledge(
    *,
    actor: User,
    shipment: Shipment,
    received_quantity: Decimal | str,
    received_on: dt.date,
    difference_reason: str = "",
) -> Shipment:
    """The North's recipient acknowledges a shipment sent to it: the quantity received (any
    difference from the quantity sent needs its reason) and the day. The receipt goes into the
    recipient side's liaison log as a signed list, covered by the other side's cosignature; where
    this node does not write that side's log, the receipt is kept without its entry."""
    require_authenticated(actor)
    locked = _locked(shipment)
    require(can_acknowledge(actor, locked))
    if not can_proceed(locked.receive):
        raise _cannot(locked, "acknowledge")
    problems: list[Problem] = []
    received = _quantity("received_quantity", received_quantity, problems, positive=False)
    reason = difference_reason.strip()
    if not isinstance(received_on, dt.date):
        problems.append(("received_on", "날짜가 아닙니다.", "Not a date."))
    elif received_on > timezone.localdate():
        problems.append(("received_on", "미래의 날짜입니다.", "The date is in the future."))
    elif locked.sent_on and received_on < locked.sent_on:
        problems.append(
            (
                "received_on",
                "보낸 날보다 앞섭니다.",
                f"Before the day it was sent ({locked.sent_on}).",
            )
        )
    if received is not None and received != locked.quantity and not reason:
        problems.append(
            (
                "difference_reason",
                f"보낸 수량({locked.quantity})과 다르면 그 사유를 적어 주십시오.",
                f"The quantity differs from the quantity sent ({locked.quantity}): "
                "give the reason.",
            )
        )
    _text("difference_reason", reason, MAX_REASON, problems)
    if problems:
        raise invalid_fields("인수를 확인하지 않았습니다.", "Nothing was acknowledged.", problems)
    assert received is not None
    locked.receive(by=actor)
    locked.received_quantity = received
    locked.received_on = received_on
    locked.difference_reason = reason
    locked.save()
    entry = manifest_post(
        actor=actor,
        list_kind="aid_receipt",
        title=f"지원 물자 인수증 / Receipt of aid: {locked.reference}",
        items=[
            {
                "reference": locked.reference,
                "activity": locked.activity.identifier,
                "commodity": locked.commodity,
                "unit": locked.unit,
                "sent_quantity": str(locked.quantity),
                "sent_on": locked.sent_on.isoformat() if locked.sent_on else "",
                "received_quantity": str(received),
                "received_on": received_on.isoformat(),
                "difference_reason": reason,
            }
        ],
        source={"app": "aid", "ref": f"shipment/{locked.pk}"},
    )
    if entry is not None:
        locked.receipt_entry = entry
        locked.save(update_fields=["receipt_entry"])
    audit.record(
        actor=actor,
        action="aid.shipment.acknowledge",
        obj=locked,
        changes={
            "received_quantity": str(received),
            "received_on": received_on.isoformat(),
            "difference_reason": reason,
            "entry": f"{entry.log.side}/{entry.index}" if entry is not None else None,
        },
    )
    return locked
