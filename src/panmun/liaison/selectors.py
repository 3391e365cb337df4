"""Reads of the liaison record for pages and the API: threads with their receipt state, search,
the calendar of contact calls, the state of each log. Callers pass querysets from
`liaison.access`, so who may read is decided there."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from panmun.accounts.models import User
from panmun.common.work import SINCE, Task, local_date, waiting

from . import node
from .access import can_write_liaison, contact_calls_for_user, liaison_entries_for_user
from .models import (
    CallName,
    CallState,
    Checkpoint,
    ContactCall,
    Delivery,
    Entry,
    Kind,
    Log,
    PublicKey,
)
from .services.calls import KST
from .services.messages import signs_here

#: Kinds that start or continue a conversation (calls and key rotations have their own pages).
MESSAGE_KINDS = [k for k in Kind.values if k not in (Kind.CONTACT_CALL, Kind.KEY_ROTATION)]


@dataclass(frozen=True)
class Receipt:
    """What is known of an entry's arrival: in the sender's log (sent); covered by a
    checkpoint the other side cosigned (received and cosigned); answered by the other side."""

    sent: bool
    cosigned_at: dt.datetime | None
    cosigned_size: int | None
    answered: bool

    @property
    def state(self) -> str:
        if self.answered:
            return "answered"
        if self.cosigned_at is not None:
            return "cosigned"
        return "sent"


def receipt(entry: Entry) -> Receipt:
    checkpoint = (
        Checkpoint.objects.filter(log_id=entry.log_id, size__gt=entry.index)
        .exclude(cosigned_at=None)
        .order_by("size")
        .first()
    )
    answered = entry.replies.exclude(from_side=entry.from_side).exists()
    return Receipt(
        sent=True,
        cosigned_at=checkpoint.cosigned_at if checkpoint else None,
        cosigned_size=checkpoint.size if checkpoint else None,
        answered=answered,
    )


def receipts(entries: Sequence[Any]) -> dict[int, Receipt]:
    """`receipt` of many entries in two queries (a page of the API or of the list), by id.
    Each of `entries` needs only its `pk`, `log_id` and `index` (an `Entry` or an `EntryRow`)."""
    if not entries:
        return {}
    logs = {e.log_id for e in entries}
    lowest = min(e.index for e in entries)
    cosigned: dict[int, list[tuple[int, dt.datetime | None]]] = defaultdict(list)
    for log_id, size, at in (
        Checkpoint.objects.filter(log_id__in=logs, size__gt=lowest)
        .exclude(cosigned_at=None)
        .order_by("log_id", "size", "pk")
        .values_list("log_id", "size", "cosigned_at")
    ):
        if not cosigned[log_id] or cosigned[log_id][-1][0] != size:
            cosigned[log_id].append((size, at))
    answered = set(
        Entry.objects.filter(in_reply_to_id__in=[e.pk for e in entries])
        .exclude(from_side=F("in_reply_to__from_side"))
        .values_list("in_reply_to_id", flat=True)
    )
    found = {}
    for entry in entries:
        sizes = cosigned.get(entry.log_id, [])
        i = bisect.bisect_right(sizes, entry.index, key=lambda pair: pair[0])
        first = sizes[i] if i < len(sizes) else None
        found[entry.pk] = Receipt(
            sent=True,
            cosigned_at=first[1] if first else None,
            cosigned_size=first[0] if first else None,
            answered=entry.pk in answered,
        )
    return found


@dataclass
class ThreadItem:
    entry: Entry
    depth: int
    receipt: Receipt


@dataclass
class Thread:
    root: Entry
    items: list[ThreadItem] = field(default_factory=list)


def thread_root(entry: Entry) -> Entry:
    seen = {entry.pk}
    while entry.in_reply_to_id is not None and entry.in_reply_to_id not in seen:
        seen.add(entry.in_reply_to_id)
        entry = Entry.objects.select_related("log", "author").get(pk=entry.in_reply_to_id)
    return entry


def thread(entry: Entry) -> Thread:
    """The whole conversation an entry belongs to, depth first in the order sent."""
    root = thread_root(entry)
    result = Thread(root=root)
    stack = [(root, 0)]
    while stack:
        current, depth = stack.pop()
        result.items.append(ThreadItem(current, depth, receipt(current)))
        children = list(current.replies.select_related("log", "author").order_by("sent_at", "id"))
        stack.extend((c, depth + 1) for c in reversed(children))
    return result


@dataclass(frozen=True)
class EntryFilters:
    q: str = ""
    kind: str = ""
    side: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    threads_only: bool = False


def search(entries: QuerySet[Entry], filters: EntryFilters) -> QuerySet[Entry]:
    """Entries matching the filters, newest first; words of `q` must all occur (in any field
    of the body, case-insensitively)."""
    qs = entries.filter(kind__in=MESSAGE_KINDS)
    for word in filters.q.casefold().split():
        qs = qs.filter(Q(search_text__contains=word) | Q(subject__icontains=word))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.side:
        qs = qs.filter(from_side=filters.side)
    if filters.date_from:
        qs = qs.filter(sent_at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=KST))
    if filters.date_to:
        qs = qs.filter(
            sent_at__lt=dt.datetime.combine(
                filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=KST
            )
        )
    if filters.threads_only:
        qs = qs.filter(in_reply_to__isnull=True)
    return qs.order_by("-sent_at", "-id")


@dataclass
class CallDay:
    day: dt.date
    weekday: bool
    calls: dict[str, ContactCall | None]


def call_calendar(calls: QuerySet[ContactCall], year: int, month: int) -> list[list[CallDay]]:
    """Weeks (Monday first) of a month, each day with its opening and closing call if any."""
    first = dt.datetime(year, month, 1, tzinfo=KST)
    last_day = calendar.monthrange(year, month)[1]
    after = first + dt.timedelta(days=last_day)
    by_day: dict[dt.date, dict[str, ContactCall]] = defaultdict(dict)
    for call in calls.filter(scheduled_at__gte=first, scheduled_at__lt=after).order_by(
        "scheduled_at"
    ):
        by_day[call.scheduled_at.astimezone(KST).date()].setdefault(call.call, call)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                CallDay(
                    day=d,
                    weekday=d.weekday() < 5 and d.month == month,
                    calls={c: by_day.get(d, {}).get(c) for c in CallName.values},
                )
                for d in week
            ]
        )
    return weeks


def call_counts(calls: QuerySet[ContactCall], year: int, month: int) -> dict[str, int]:
    first = dt.datetime(year, month, 1, tzinfo=KST)
    after = first + dt.timedelta(days=calendar.monthrange(year, month)[1])
    counts = {"placed": 0, "answered": 0, "unanswered": 0}
    for state in calls.filter(scheduled_at__gte=first, scheduled_at__lt=after).values_list(
        "state", flat=True
    ):
        counts[state] = counts.get(state, 0) + 1
    return counts


@dataclass
class LogStatus:
    log: Log
    latest: Checkpoint | None
    receipt: Checkpoint | None
    delivery: Delivery | None
    keys: list[PublicKey]

    @property
    def waiting(self) -> int:
        acknowledged = self.delivery.acknowledged_size if self.delivery else 0
        return self.log.size - acknowledged if self.log.local else 0


def log_statuses() -> list[LogStatus]:
    logs = node.ensure_logs()
    out = []
    for side in node.SIDES:
        log = logs[side]
        checkpoints = log.checkpoints.order_by("-size")
        out.append(
            LogStatus(
                log=log,
                latest=checkpoints.first(),
                receipt=checkpoints.exclude(cosigned_at=None).first(),
                delivery=Delivery.objects.filter(log=log).first(),
                keys=list(PublicKey.objects.filter(side=side).order_by("purpose", "valid_from")),
            )
        )
    return out


def entry_json(entry: Entry, known: Receipt | None = None) -> dict[str, Any]:
    """An entry for the API: the signed leaf as sent, and the receipt state (`known`, from
    `receipts`, or read now)."""
    return _entry_fields(entry) | {
        "receipt": receipt_json(known if known is not None else receipt(entry))
    }


def _entry_fields(entry: Entry) -> dict[str, Any]:
    """What an entry says, as the API gives it: all of it fixed once the entry is in its log."""
    return {
        "log": entry.log.origin,
        "side": entry.log.side,
        "index": entry.index,
        "kind": entry.kind,
        "sent_at": entry.sent_at,
        "from_side": entry.from_side,
        "to_side": entry.to_side,
        "subject": entry.subject,
        "body": entry.body,
        "in_reply_to": (
            {"log": entry.reply_log, "index": entry.reply_index, "leaf_hash": entry.reply_leaf_hash}
            if entry.reply_log
            else None
        ),
        "key": entry.key_name,
        "leaf": entry.leaf,
        "leaf_hash": entry.leaf_hash,
    }


def receipt_json(r: Receipt) -> dict[str, Any]:
    return {
        "state": r.state,
        "cosigned_at": r.cosigned_at,
        "cosigned_size": r.cosigned_size,
        "answered": r.answered,
    }


@dataclass(frozen=True)
class EntryRow:
    """An entry of a cached search page: its id and place, its fields, and its receipt as the
    API gives it (`receipt_json`)."""

    pk: int
    log_id: int
    index: int
    fields: dict[str, Any]
    receipt: dict[str, Any]


#: How long a page of search results stays cached at most; its key changes with every entry.
ENTRIES_CACHE_SECONDS = 600
#: Larger pages are not cached: the cache is in each process's memory (300 keys by default),
#: and pages of up to 500 whole entries would make it large. The API's page is 50.
ENTRIES_CACHE_MAX_PAGE = 100


def entries_version() -> str:
    """A fingerprint of the entries and their receipts in one query: the highest entry id and
    the logs' sizes (an entry is added to its log and the log's size grows in one
    transaction, and an entry never changes nor goes once written: the logs are append-only,
    signed), and the highest checkpoint id with the number of cosigned checkpoints (a
    receipt changes when a checkpoint is added or cosigned, with no new entry)."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT MAX({quote('id')}), NULL FROM {quote(Entry._meta.db_table)} "  # noqa: S608
        f"UNION ALL SELECT SUM({quote('size')}), COUNT(*) FROM {quote(Log._meta.db_table)} "
        f"UNION ALL SELECT MAX({quote('id')}), COUNT({quote('cosigned_at')}) "
        f"FROM {quote(Checkpoint._meta.db_table)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return "-".join(f"{a}.{b}" for a, b in cursor.fetchall())


def search_page(
    entries: QuerySet[Entry],
    filters: EntryFilters,
    *,
    offset: int,
    limit: int,
    reader: str | None,
) -> list[EntryRow]:
    """A page of `search` with each entry's receipt, cached per version of the logs and their
    checkpoints (`entries_version`), filters, page and `reader` (the asking side: part of the
    key so that a rule that one day shows each side different entries cannot serve one
    side's page to the other). `entries` comes from `liaison.access`, which has already
    decided that the user may read."""

    def read() -> list[EntryRow]:
        found = list(search(entries, filters)[offset : offset + limit])
        known = receipts(found)  # two queries for the page, not two per entry
        return [
            EntryRow(e.pk, e.log_id, e.index, _entry_fields(e), receipt_json(known[e.pk]))
            for e in found
        ]

    if limit > ENTRIES_CACHE_MAX_PAGE:
        return read()
    what = repr((filters, offset, limit, reader))
    key = f"liaison.entries:{entries_version()}:{hashlib.sha256(what.encode()).hexdigest()}"
    rows: list[EntryRow] | None = cache.get(key)
    if rows is None:
        rows = read()
        cache.set(key, rows, ENTRIES_CACHE_SECONDS)
    return rows


# --- the home page's work queue ------------------------------------------------------------


def work_queue(user: User) -> list[Task]:
    """The home page's work for `user` (`common.work`): the other side's messages this side has
    not answered, and its calls still ringing. For those who write the record."""
    if not can_write_liaison(user) or not signs_here(user):
        return []
    side = user.side_code or ""
    answered = Entry.objects.filter(in_reply_to=OuterRef("pk"), from_side=side)
    other = "north" if side == "south" else "south"
    tasks = waiting(
        "liaison-answer",
        _("Notices and proposals of the other side not yet answered"),
        liaison_entries_for_user(user)
        .filter(kind__in=[Kind.NOTICE, Kind.LETTER, Kind.PROPOSAL, Kind.COUNTER_PROPOSAL])
        .exclude(from_side=side)
        .filter(~Exists(answered)),
        "sent_at",
        reverse("liaison:threads") + f"?side={other}",
    )
    calls = (
        contact_calls_for_user(user)
        .order_by()
        .filter(state=CallState.PLACED)
        .exclude(calling_side=side)
        .aggregate(n=Count("pk"), oldest=Min("scheduled_at"))
    )
    if calls["n"]:
        oldest = local_date(calls["oldest"])
        month = f"?month={oldest:%Y-%m}" if oldest else ""
        tasks.append(
            Task(
                "liaison-calls",
                str(_("Contact calls waiting for your side's answer")),
                calls["n"],
                reverse("liaison:calls") + month,
                oldest,
                SINCE,
            )
        )
    return tasks
