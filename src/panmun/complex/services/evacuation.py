"""철수 — an order to leave the complex: recorded (with the people allowed to stay and what may
be taken), closed when it no longer holds; the manifest of the people and vehicles still inside
and of those who crossed, sent to the other side as a signed list in the liaison log; and the
assets each firm left behind, with their totals and an Excel file in Korean.

Who may do what is in `access` (`can_order_evacuation`, `can_record_assets_left`). While an
order is in force the gate lets no one cross out and lets everyone cross in without a plan:
that is the gate's rule (services of the crossings part), which reads the order recorded here."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid_fields
from panmun.common.spreadsheets.writing import write_xlsx_to
from panmun.liaison import node
from panmun.liaison.models import Entry
from panmun.liaison.services.messages import manifest_post

from ..access import can_order_evacuation, can_record_assets_left, firms_for_edit
from ..models import (
    AssetCategory,
    AssetLeft,
    EvacuationOrder,
    EvacuationState,
    EvacuationStay,
    Firm,
    Presence,
    Subject,
)
from ..selectors_evacuation import evacuation_board
from ..timetables import subject_key

#: Most people (or vehicles) one order may let stay: a bound, not a fact (880 residents were
#: the most the 2008 measures allowed inside).
MAX_STAYS = 1000
MAX_TEXT = 4000
#: Largest value of one asset (KRW): a bound on input, well above any one firm's claim.
MAX_VALUE_KRW = Decimal(10) ** 15
MAX_QUANTITY = Decimal(10) ** 12


def _aware(field: str, value: Any, problems: list[tuple[str, str, str]]) -> dt.datetime | None:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        problems.append(
            (field, "날짜와 시각을 시간대와 함께 적어 주십시오.", "A date and time with its zone.")
        )
        return None
    if not 2000 <= value.year <= 2099:
        problems.append((field, "2000–2099년의 시각입니다.", "A time in 2000–2099."))
        return None
    return value


def _text(field: str, value: str, most: int, problems: list[tuple[str, str, str]]) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        problems.append((field, "쓸 수 없는 문자가 있습니다.", "It holds a character not allowed."))
    if len(value) > most:
        problems.append((field, f"{most:,}자까지입니다.", f"At most {most:,} characters."))
    return value


def stays_parse(text: str) -> list[dict[str, str]]:
    """The people allowed to stay as typed on the form: one a line, `key` or `key, name`;
    a line starting with `차량:`/`vehicle:` names a vehicle's plate."""
    stays = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        subject = Subject.PERSON
        for mark in ("차량:", "vehicle:"):
            if line.lower().startswith(mark):
                subject, line = Subject.VEHICLE, line[len(mark) :].strip()
        key, _sep, name = line.partition(",")
        stays.append({"subject": str(subject), "key": key.strip(), "name": name.strip()})
    return stays


def _stays_check(
    allowed_to_stay: Sequence[Mapping[str, Any] | str], problems: list[tuple[str, str, str]]
) -> list[dict[str, str]]:
    if len(allowed_to_stay) > MAX_STAYS:
        problems.append(
            (
                "allowed_to_stay",
                f"남을 수 있는 사람은 {MAX_STAYS:,}명까지 적습니다.",
                f"At most {MAX_STAYS:,} people allowed to stay.",
            )
        )
        return []
    seen: set[tuple[str, str]] = set()
    stays = []
    for n, given in enumerate(allowed_to_stay, start=1):
        item = {"key": given} if isinstance(given, str) else dict(given)
        subject = str(item.get("subject") or Subject.PERSON)
        key = subject_key(str(item.get("key") or ""))
        name = str(item.get("name") or "").strip()
        where = f"allowed_to_stay[{n}]"
        if subject not in Subject.values:
            problems.append((where, "사람 또는 차량입니다.", "A person or a vehicle."))
            continue
        if not key or len(key) > 40 or "\x00" in key:
            problems.append(
                (
                    where,
                    "신분증 번호(또는 차량 번호)를 40자까지 적어 주십시오.",
                    "Give the document number (or plate), at most 40 characters.",
                )
            )
            continue
        if len(name) > 200 or "\x00" in name:
            problems.append((where, "이름은 200자까지입니다.", "A name of at most 200 characters."))
            continue
        if (subject, key) in seen:
            problems.append((where, f"{key}: 두 번 적었습니다.", f"{key} is given twice."))
            continue
        seen.add((subject, key))
        stays.append({"subject": subject, "key": key, "name": name})
    return stays


@transaction.atomic
def evacuation_order_record(
    *,
    actor: User,
    issued_at: dt.datetime,
    deadline: dt.datetime,
    issued_by_ko: str,
    issued_by_en: str = "",
    terms: str = "",
    may_take: str = "",
    allowed_to_stay: Sequence[Mapping[str, Any] | str] = (),
) -> EvacuationOrder:
    """Record an order to leave, from `issued_at`, everyone out by `deadline` but the people
    allowed to stay (`allowed_to_stay`: keys as the gate keys them, or {subject, key, name}).
    Refused while another order is in force, or with a deadline not after the issue."""
    require_authenticated(actor)
    require(can_order_evacuation(actor))
    problems: list[tuple[str, str, str]] = []
    issued = _aware("issued_at", issued_at, problems)
    due = _aware("deadline", deadline, problems)
    if issued is not None and due is not None and due <= issued:
        problems.append(
            (
                "deadline",
                "철수 시한은 통보 시각보다 뒤여야 합니다.",
                "The deadline must be after the order was given.",
            )
        )
    by_ko = _text("issued_by_ko", issued_by_ko, 300, problems)
    if not by_ko:
        problems.append(
            ("issued_by_ko", "누가 통보했는지 적어 주십시오.", "Say who gave the order.")
        )
    by_en = _text("issued_by_en", issued_by_en, 300, problems)
    terms = _text("terms", terms, MAX_TEXT, problems)
    may_take = _text("may_take", may_take, MAX_TEXT, problems)
    stays = _stays_check(allowed_to_stay, problems)
    if problems:
        raise invalid_fields(
            "철수 명령을 기록하지 않았습니다.", "The order to leave was not recorded.", problems
        )
    assert issued is not None and due is not None
    current = (
        EvacuationOrder.objects.select_for_update().filter(state=EvacuationState.IN_FORCE).first()
    )
    if current is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"{current.issued_at:%Y-%m-%d %H:%M}의 철수 명령이 아직 유효합니다: 먼저 종료하십시오.",
            f"The order of {current.issued_at:%Y-%m-%d %H:%M} is still in force: close it first.",
            {"field": "issued_at", "order": current.pk},
        )
    try:
        with transaction.atomic():
            order = EvacuationOrder.objects.create(
                issued_at=issued,
                deadline=due,
                issued_by_ko=by_ko,
                issued_by_en=by_en,
                terms=terms,
                may_take=may_take,
                recorded_by=actor,
            )
    except IntegrityError as err:  # another officer recorded one at the same moment
        raise DomainError(
            ErrorCode.CONFLICT,
            "다른 철수 명령이 방금 기록되었습니다.",
            "Another order to leave was recorded just now.",
            {"field": "issued_at"},
        ) from err
    inside = {
        (p.subject, p.key): p
        for p in Presence.objects.filter(key__in=[s["key"] for s in stays]).select_related("firm")
    }
    EvacuationStay.objects.bulk_create(
        EvacuationStay(
            order=order,
            subject=s["subject"],
            key=s["key"],
            name=s["name"] or getattr(inside.get((s["subject"], s["key"])), "name", ""),
            firm=getattr(inside.get((s["subject"], s["key"])), "firm", None),
        )
        for s in stays
    )
    audit.record(
        actor=actor,
        action="complex.evacuation.order",
        obj=order,
        changes={
            "issued_at": issued.isoformat(),
            "deadline": due.isoformat(),
            "issued_by_ko": by_ko,
            "allowed_to_stay": [s["key"] for s in stays],
        },
    )
    return order


@transaction.atomic
def evacuation_order_close(
    *, actor: User, order: EvacuationOrder, closed_at: dt.datetime | None = None
) -> EvacuationOrder:
    """The order no longer holds (the complex reopened, or everyone is out): from `closed_at`
    (now, if not given) the gate's usual rules apply again."""
    require_authenticated(actor)
    require(can_order_evacuation(actor))
    locked = EvacuationOrder.objects.select_for_update().get(pk=order.pk)
    if locked.state != EvacuationState.IN_FORCE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 종료된 철수 명령입니다.",
            "The order to leave is already closed.",
            {"state": locked.state},
        )
    problems: list[tuple[str, str, str]] = []
    closed = timezone.now() if closed_at is None else _aware("closed_at", closed_at, problems)
    if closed is not None and closed < locked.issued_at:
        problems.append(
            ("closed_at", "통보 시각보다 앞설 수 없습니다.", "Not before the order was given.")
        )
    if problems:
        raise invalid_fields(
            "철수 명령을 종료하지 않았습니다.", "The order to leave was not closed.", problems
        )
    assert closed is not None
    locked.state = EvacuationState.CLOSED
    locked.closed_at = closed
    locked.save(update_fields=["state", "closed_at"])
    audit.record(
        actor=actor,
        action="complex.evacuation.close",
        obj=locked,
        changes={"closed_at": closed.isoformat()},
    )
    return locked


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value is not None else ""


def manifest_items(order: EvacuationOrder, at: dt.datetime) -> list[dict[str, Any]]:
    """The manifest's rows at `at`: everyone still inside (marked `staying` when allowed to
    stay), then everyone who crossed back since the order, each with their firm and vehicle.
    Only strings: the signed list is canonical JSON."""
    board = evacuation_board(order=order, at=at, firms=None)
    items: list[dict[str, Any]] = []
    for row in board.inside:
        items.append(
            {
                "status": "staying" if row.staying else "inside",
                "subject": row.subject,
                "key": row.key,
                "name": row.name,
                "firm": row.firm_name,
                "vehicle": row.vehicle_key,
                "at": _when(row.since),
            }
        )
    for row in board.crossed:
        items.append(
            {
                "status": "crossed",
                "subject": row.subject,
                "key": row.key,
                "name": row.name,
                "firm": row.firm_name,
                "vehicle": row.vehicle_key,
                "at": _when(row.since),
            }
        )
    return items


@transaction.atomic
def evacuation_manifest_send(
    *, actor: User, order: EvacuationOrder, at: dt.datetime | None = None
) -> Entry:
    """Send the other side the manifest of the order at `at` (now, if not given): the people
    and vehicles still inside and those who crossed since the order, one signed list entry in
    the South's liaison log (`manifest_post`), kept on `order.manifest_entry` (the latest one
    sent: a manifest may be sent again as people cross)."""
    require_authenticated(actor)
    require(can_order_evacuation(actor))
    if not node.is_local(actor.side_code or ""):
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 서버는 남측 연락 기록을 쓰지 않습니다: 명단을 보내지 않았습니다.",
            "This server does not write the South's liaison log: the manifest was not sent.",
            {"side": actor.side_code},
        )
    locked = EvacuationOrder.objects.select_for_update().get(pk=order.pk)
    at = at or timezone.now()
    if timezone.is_naive(at):  # a moment without its zone: Seoul time
        at = timezone.make_aware(at)
    if at < locked.issued_at:
        raise invalid_fields(
            "명단을 보내지 않았습니다.",
            "The manifest was not sent.",
            [("at", "철수 명령 전의 시각입니다.", "A time before the order was given.")],
        )
    items = manifest_items(locked, at)
    entry = manifest_post(
        actor=actor,
        list_kind="other",
        title=(
            f"개성공업지구 철수 인원·차량 명단 / Evacuation manifest: "
            f"{timezone.localtime(locked.issued_at):%Y-%m-%d %H:%M}"
        ),
        items=items,
        source={"app": "complex", "ref": f"evacuation-order/{locked.pk}"},
    )
    assert entry is not None  # the side is local: checked above
    locked.manifest_entry = entry
    locked.save(update_fields=["manifest_entry"])
    audit.record(
        actor=actor,
        action="complex.evacuation.manifest",
        obj=locked,
        changes={"entry": f"{entry.log.side}/{entry.index}", "items": len(items)},
    )
    return entry


# --- assets left behind ------------------------------------------------------------------


def _decimal(
    field: str, value: Any, most: Decimal, places: int, problems: list[tuple[str, str, str]]
) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or number >= most:
        problems.append(
            (field, f"0 이상 {most:,} 미만의 수입니다.", f"A number from 0 below {most:,}.")
        )
        return None
    if number != round(number, places):
        problems.append(
            (field, f"소수점 아래 {places}자리까지입니다.", f"At most {places} decimals.")
        )
        return None
    return number


@transaction.atomic
def asset_left_record(
    *,
    actor: User,
    firm: Firm,
    category: str,
    description: str,
    quantity: Decimal | str,
    value_krw: Decimal | str,
    unit: str = "",
    order: EvacuationOrder | None = None,
) -> AssetLeft:
    """Register something `firm` left behind: by the firm itself or by the committee."""
    require_authenticated(actor)
    require(can_record_assets_left(actor))
    require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    problems: list[tuple[str, str, str]] = []
    if category not in AssetCategory.values:
        problems.append(("category", "자산 종류를 고르십시오.", "Choose the kind of asset."))
    description = _text("description", description, 500, problems)
    if not description:
        problems.append(("description", "무엇인지 적어 주십시오.", "Say what it is."))
    unit = _text("unit", unit, 20, problems)
    qty = _decimal("quantity", quantity, MAX_QUANTITY, 3, problems)
    if qty is not None and qty == 0:
        problems.append(("quantity", "수량은 0보다 커야 합니다.", "The quantity is above 0."))
    value = _decimal("value_krw", value_krw, MAX_VALUE_KRW, 0, problems)
    if problems:
        raise invalid_fields(
            "남겨 둔 자산을 기록하지 않았습니다.",
            "The asset left behind was not recorded.",
            problems,
        )
    assert qty is not None and value is not None
    asset = AssetLeft.objects.create(
        firm=firm,
        order=order,
        category=category,
        description=description,
        quantity=qty,
        unit=unit,
        value_krw=value,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="complex.asset_left.record",
        obj=asset,
        changes={
            "firm": firm.pk,
            "category": category,
            "quantity": str(qty),
            "value_krw": str(value),
        },
    )
    return asset


EXPORT_HEADER = [
    "기업",
    "종류",
    "내용",
    "수량",
    "단위",
    "가액(원)",
    "철수 명령",
    "기록자",
    "기록 시각",
]
CATEGORY_KO = {
    AssetCategory.FINISHED_GOODS: "완제품",
    AssetCategory.RAW_MATERIALS: "원부자재",
    AssetCategory.EQUIPMENT: "설비",
    AssetCategory.BUILDINGS: "건물",
    AssetCategory.VEHICLES: "차량",
    AssetCategory.OTHER: "기타",
}


def assets_export(assets: QuerySet[AssetLeft]) -> bytes:
    """The assets left behind as an xlsx workbook in Korean: a row each, then each firm's
    total, then the total of all."""

    def rows() -> Iterable[list[str]]:
        totals: dict[str, Decimal] = {}
        for a in assets.select_related("firm", "order", "recorded_by").order_by(
            "firm__name_ko", "category", "pk"
        ):
            totals[a.firm.name_ko] = totals.get(a.firm.name_ko, Decimal(0)) + a.value_krw
            yield [
                a.firm.name_ko,
                CATEGORY_KO.get(AssetCategory(a.category), a.category),
                a.description,
                f"{a.quantity.normalize():f}",
                a.unit,
                str(a.value_krw),
                f"{timezone.localtime(a.order.issued_at):%Y-%m-%d %H:%M}" if a.order else "",
                a.recorded_by.get_full_name() or a.recorded_by.get_username(),
                f"{timezone.localtime(a.recorded_at):%Y-%m-%d %H:%M}",
            ]
        for name, total in totals.items():
            yield [name, "기업 합계", "", "", "", str(total), "", "", ""]
        yield ["합계", f"{len(totals)}개 기업", "", "", "", str(sum(totals.values(), Decimal(0)))]

    out = io.BytesIO()
    write_xlsx_to(out, EXPORT_HEADER, rows(), sheet_name="남겨 둔 자산")
    return out.getvalue()
