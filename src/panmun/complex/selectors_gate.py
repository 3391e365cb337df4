"""Reads of the gate: who is inside now (the live headcount, by firm, people with the vehicle
they came in, residents apart from short stays) and the events of a day. Every read goes
through `access.presence_for_user` / `can_read_gate`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from panmun.accounts.access import require
from panmun.accounts.models import User

from .access import can_read_gate, presence_for_user
from .models import Firm
from .models.crossings import GateEvent, GateFlag, Presence, Subject


@dataclass
class FirmCount:
    """The people and vehicles of one firm inside (`firm_id` None: no firm known)."""

    firm_id: int | None
    name_ko: str = ""
    name_en: str = ""
    residents: int = 0
    short_stays: int = 0
    vehicles: int = 0

    @property
    def people(self) -> int:
        return self.residents + self.short_stays


@dataclass
class Headcount:
    at: dt.datetime
    firms: list[FirmCount] = field(default_factory=list)

    @property
    def residents(self) -> int:
        return sum(f.residents for f in self.firms)

    @property
    def short_stays(self) -> int:
        return sum(f.short_stays for f in self.firms)

    @property
    def people(self) -> int:
        return self.residents + self.short_stays

    @property
    def vehicles(self) -> int:
        return sum(f.vehicles for f in self.firms)


def headcount(user: User) -> Headcount:
    """Who is inside now, counted by firm: one aggregate query and the firms' names."""
    rows = (
        presence_for_user(user)
        .values("firm_id", "subject", "resident")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_firm: dict[int | None, FirmCount] = {}
    for row in rows:
        count = by_firm.setdefault(row["firm_id"], FirmCount(row["firm_id"]))
        if row["subject"] == Subject.VEHICLE:
            count.vehicles += row["n"]
        elif row["resident"]:
            count.residents += row["n"]
        else:
            count.short_stays += row["n"]
    names = Firm.objects.filter(pk__in=[k for k in by_firm if k is not None]).values_list(
        "pk", "name_ko", "name_en"
    )
    for pk, name_ko, name_en in names:
        by_firm[pk].name_ko, by_firm[pk].name_en = name_ko, name_en
    firms = sorted(by_firm.values(), key=lambda f: (f.firm_id is None, f.name_ko, f.firm_id or 0))
    return Headcount(at=timezone.now(), firms=firms)


def inside(user: User, *, subject: str = "", firm_id: int | None = None) -> QuerySet[Presence]:
    """The people and vehicles inside now that `user` sees, by firm and name."""
    rows = presence_for_user(user).select_related("firm")
    if subject:
        rows = rows.filter(subject=subject)
    if firm_id is not None:
        rows = rows.filter(firm_id=firm_id)
    return rows.order_by("firm__name_ko", "subject", "name", "key")


def events_of_day(
    user: User, day: dt.date, *, outcome: str = "", direction: str = "", key: str = ""
) -> QuerySet[GateEvent]:
    """The gate's events of `day`, in occurrence order (the gate's readers)."""
    require(can_read_gate(user))
    rows = GateEvent.objects.filter(day=day).select_related("officer", "firm")
    if outcome:
        rows = rows.filter(outcome=outcome)
    if direction:
        rows = rows.filter(direction=direction)
    if key:
        rows = rows.filter(key=key)
    return rows.order_by("occurred_at", "id")


def flags_for(user: User, *, active: bool = True) -> QuerySet[GateFlag]:
    """The gate's flags (active ones, or every one), newest first."""
    require(can_read_gate(user))
    rows = GateFlag.objects.select_related("raised_by", "lifted_by")
    if active:
        rows = rows.filter(lifted_at__isnull=True)
    return rows.order_by("-raised_at", "-id")
