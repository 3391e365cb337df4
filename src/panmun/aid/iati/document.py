"""IATI 2.03 activity files as plain data: what Panmun writes and what it reads back, the same
dataclasses both ways (the writer takes them, the reader returns them). Only the elements the
aid ledger keeps are here; a reader ignores the others (budgets, results, locations, ...).

Narratives are `{language: text}` dicts, every language kept. Pure: no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

Narratives = dict[str, str]


@dataclass
class Org:
    """A reporting, participating, provider or receiver organisation."""

    ref: str = ""
    type: str = ""
    names: Narratives = field(default_factory=dict)
    role: str = ""  # participating-org only (OrganisationRole)
    activity_id: str = ""  # participating-org/@activity-id, provider-/receiver-activity-id


@dataclass
class Sector:
    vocabulary: str = "1"
    code: str = ""
    percentage: Decimal | None = None
    narratives: Narratives = field(default_factory=dict)


@dataclass
class HumanitarianScope:
    type: str = ""
    vocabulary: str = ""
    code: str = ""
    narratives: Narratives = field(default_factory=dict)


@dataclass
class Transaction:
    type: str
    date: dt.date
    value: Decimal
    currency: str  # the value's own, or the activity's default, resolved
    value_date: dt.date
    ref: str = ""
    humanitarian: bool | None = None
    description: Narratives = field(default_factory=dict)
    provider: Org | None = None
    receiver: Org | None = None
    #: The transaction's own codes: disbursement-channel, sector ([{vocabulary, code}]),
    #: recipient-country, recipient-region ({vocabulary, code}), flow-type, finance-type,
    #: aid-type ([{vocabulary, code}]), tied-status.
    codes: dict[str, object] = field(default_factory=dict)


@dataclass
class Activity:
    identifier: str
    reporting_org: Org
    default_currency: str = "KRW"
    language: str = "en"  # the activity's xml:lang
    humanitarian: bool | None = None
    title: Narratives = field(default_factory=dict)
    description: Narratives = field(default_factory=dict)
    participants: list[Org] = field(default_factory=list)
    status: str = "1"
    #: ActivityDateType 1 planned start, 2 actual start, 3 planned end, 4 actual end.
    dates: dict[str, dt.date] = field(default_factory=dict)
    recipient_country: str = ""
    sectors: list[Sector] = field(default_factory=list)
    humanitarian_scopes: list[HumanitarianScope] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    parent: str = ""  # related-activity type 1
    children: list[str] = field(default_factory=list)  # related-activity type 2
    #: Where the reader found it (1-based line of iati-activity), for naming problems.
    line: int | None = None


@dataclass
class ActivityFile:
    generated: dt.datetime
    activities: list[Activity] = field(default_factory=list)
