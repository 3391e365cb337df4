"""Demo traffic of the joint liaison office (both sides on this node): three weeks of daily
contact calls (two left unanswered), notices and replies, a working-level meeting arranged by
proposal, counter-proposal and acceptance, delegation lists, the meeting's record and a joint
press statement — all signed, checkpointed and cosigned.

Idempotent by its own entries: nothing is written once the demo's first notice is in the South's
log; whatever else the logs hold (a tracing round's request list, today's calls) does not stop
it. `load-demo` loads it before anything else writes to the logs, so that its three weeks come
first and each log's `sent_at` runs forward. Loaded into logs that already hold later entries
(a database from an older `load-demo`), each entry is dated no earlier than the log's last one,
as `log.entry_append` does for every entry: the log stays valid and verifiable, and the calls keep
their scheduled times."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from panmun.accounts.models import User
from panmun.common.apps import DemoRun

from . import node
from .ledger import entries
from .models import Entry, Kind
from .services import calls, delivery, messages, sending

KST = calls.KST

#: Calls the North leaves unanswered: (weekday index in the demo period, call).
UNANSWERED = {(4, "closing"), (11, "opening")}
#: The subject of the demo's first entry, the South's notice: its presence means "loaded".
FIRST_NOTICE = "남북공동연락사무소 근무 일정 통지"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=KST)


def _weekdays(end: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = end
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def _send(
    user: User,
    kind: str,
    body: dict[str, object],
    at: dt.datetime,
    parent: Entry | None = None,
) -> Entry:
    if kind in messages.SENDABLE:  # the same rules as an officer's message
        messages.message_validate(user, kind, parent)
    return sending.entry_send(
        side=user.side_code or "", kind=kind, body=body, in_reply_to=parent, author=user, at=at
    )


def is_loaded() -> bool:
    """Whether the demo traffic is in the logs (its first notice is)."""
    return Entry.objects.filter(log__side="south", kind=Kind.NOTICE, subject=FIRST_NOTICE).exists()


def load_liaison_demo(today: dt.date | None = None) -> dict[str, int]:
    """Write the demo traffic ending the weekday before `today` (Korea time). Returns how many
    entries it added (0 when already loaded or when this node does not hold both sides)."""
    if not (node.is_local("south") and node.is_local("north")):
        return {"entries": 0}
    node.ensure_logs()
    if is_loaded():
        return {"entries": 0}
    before = Entry.objects.count()
    south = User.objects.get(username="liaison_s")
    north = User.objects.get(username="liaison_n")
    today = today or dt.datetime.now(tz=KST).date()
    days = _weekdays(today - dt.timedelta(days=1), 15)
    thread: dict[str, Entry] = {}  # the entries later days answer
    for i, day in enumerate(days):
        with transaction.atomic():  # in the order of the day: each log runs forward in time
            _call(i, day, north, "opening", 9)
            _messages(i, day, south, north, thread)
            _call(i, day, north, "closing", 17)
        for side in node.local_sides():
            delivery.deliver(side)
    return {"entries": Entry.objects.count() - before}


def _call(i: int, day: dt.date, north: User, call: str, hour: int) -> None:
    placed = calls.call_place(
        side="south", call=call, scheduled_at=_at(day, hour), at=_at(day, hour, 0)
    )
    if (i, call) in UNANSWERED:
        calls.call_close_unanswered(call=placed, now=_at(day, hour) + calls.wait())
    else:
        calls.call_answer(actor=north, call=placed, at=_at(day, hour, 2))


def _messages(i: int, day: dt.date, south: User, north: User, state: dict[str, Entry]) -> None:
    if i == 0:
        notice = _send(
            south,
            Kind.NOTICE,
            {
                "subject": FIRST_NOTICE,
                "text": "남측은 다음 주부터 평일 09:00~17:00 근무하며, 개시·마감 통화를 "
                "정시에 걸겠음을 통지합니다.",
            },
            _at(day, 10),
        )
        _send(
            north,
            Kind.REPLY,
            {"text": "통지를 받았습니다. 북측도 같은 시간에 근무합니다."},
            _at(day, 11, 30),
            notice,
        )
    elif i == 1:
        state["proposal"] = _send(
            south,
            Kind.PROPOSAL,
            {
                "subject": "이산가족 화상상봉 실무회담 개최 제의",
                "text": "화상상봉 재개를 협의하기 위한 실무회담을 개성 공동연락사무소에서 "
                "열 것을 제의합니다.",
                "meeting": {
                    "starts_at": entries.format_time(_at(day + dt.timedelta(days=8), 10)),
                    "place": "개성 남북공동연락사무소 회의실",
                    "agenda": ["화상상봉 일정", "상봉 장소와 설비 점검", "영상편지 교환"],
                },
            },
            _at(day, 10, 15),
        )
    elif i == 3:
        state["counter"] = _send(
            north,
            Kind.COUNTER_PROPOSAL,
            {
                "subject": "실무회담 일자 수정 제의",
                "text": "회담 일자를 하루 늦추고 의제에 설비 반출 문제를 더할 것을 제의합니다.",
                "meeting": {
                    "starts_at": entries.format_time(_at(day + dt.timedelta(days=7), 10)),
                    "place": "개성 남북공동연락사무소 회의실",
                    "agenda": ["화상상봉 일정", "설비 반출", "영상편지 교환"],
                },
            },
            _at(day, 14),
            state["proposal"],
        )
    elif i == 4:
        state["acceptance"] = _send(
            south,
            Kind.ACCEPTANCE,
            {"text": "수정 제의를 수락합니다."},
            _at(day, 11),
            state["counter"],
        )
    elif i == 6:
        for user, names in (
            (south, [("이정민", "수석대표, 통일부 국장"), ("박지훈", "대한적십자사 부장")]),
            (
                north,
                [("김성철", "단장, 조국평화통일위원회 부국장"), ("리영철", "조선적십자회 부장")],
            ),
        ):
            _send(
                user,
                Kind.LIST,
                {
                    "list_kind": "delegation",
                    "title": "실무회담 대표단 명단",
                    "items": [{"name": n, "title": t} for n, t in names],
                    "source": None,
                },
                _at(day, 10 if user is south else 15),
                state["acceptance"],
            )
    elif i == 8:
        _send(
            north,
            Kind.LETTER,
            {
                "subject": "개성 출입 인원 관련 서한",
                "text": "회담 당일 남측 인원의 출입 명단을 하루 전까지 보내 주기 바랍니다.",
                "addressee": "남측 연락사무소 소장",
                "signatory": "북측 연락사무소 소장",
            },
            _at(day, 9, 40),
        )
    elif i == 11:
        _send(
            south,
            Kind.MEETING_RECORD,
            {
                "title": "이산가족 화상상봉 실무회담",
                "held_at": entries.format_time(_at(day, 10)),
                "place": "개성 남북공동연락사무소 회의실",
                "attendees": {"south": ["이정민", "박지훈"], "north": ["김성철", "리영철"]},
                "minutes": "양측은 화상상봉을 재개하는 데 원칙적으로 합의하고, 일정은 "
                "연락사무소를 통해 협의하기로 하였다.",
                "outcomes": [
                    {"text": "화상상봉 재개에 원칙적 합의", "record": None},
                    {"text": "영상편지 교환 명단을 2주 안에 교환", "record": None},
                ],
            },
            _at(day, 16),
            state["acceptance"],
        )
    elif i == 12:
        _send(
            south,
            Kind.AGREEMENT_TEXT,
            {
                "title": "이산가족 화상상봉 실무회담 공동보도문",
                "text": "1. 남과 북은 이산가족 화상상봉을 재개하기로 하였다.\n"
                "2. 구체적인 일정은 남북공동연락사무소를 통해 협의한다.",
            },
            _at(day, 10, 30),
        )


def load_demo(run: DemoRun) -> None:
    """`panmun load-demo`'s three weeks of the joint liaison office. They come first
    (`demo_order`): the registry's tracing round writes its request list to the South's log
    today, and a log's entries never go back in time."""
    liaison = load_liaison_demo()
    if liaison["entries"]:
        run.say(
            f"Liaison record: {liaison['entries']} signed entries over three weeks "
            "(calls, notices, a meeting arranged, its record), checkpointed and cosigned."
        )
