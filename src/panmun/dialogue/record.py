"""Reading a dialogue record document (JSON): validation that names the file, item and field, and
an idempotent load keyed by each item's `key`.

The same code loads the historical record in a data migration (with historical models), and
imports a document through `services.record_import` (with the audit log and a transaction).
The document's shape is that of `data/historical_record.json`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from panmun.common.errors import DomainError
from panmun.common.findings import Finding

HISTORICAL_RECORD = Path(__file__).with_name("data") / "historical_record.json"

LEVELS = ("summit", "high_level", "working_level", "red_cross", "military", "liaison")
TOPICS = ("dialogue", "aid", "families", "complex", "liaison")
PRECISIONS = ("day", "month", "year", "unknown")
STATUSES = ("in_force", "suspended", "superseded", "lapsed")
EVENT_KINDS = ("reunion", "video_reunion", "visit", "aid", "complex", "liaison", "summit", "other")
SIDES = ("south", "north")
SECTIONS = ("talks", "agreements", "events")
MAX_INT = 2_147_483_647  # the largest integer every supported database stores


@dataclass
class Checker:
    """Collects every problem in a document instead of stopping at the first."""

    file: str
    problems: list[Finding] = field(default_factory=list)

    def add(self, row: str, fld: str, *, ko: str, en: str) -> None:
        self.problems.append(
            Finding("dialogue_invalid", ko=ko, en=en, file=self.file, row=row, field=fld)
        )

    def text(
        self,
        item: dict[str, Any],
        row: str,
        name: str,
        *,
        required: bool = False,
        max_length: int | None = None,
    ) -> str:
        value = item.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(
                row,
                name,
                ko="문자열이어야 합니다",
                en="must be a string",
            )
            return ""
        text: str = value.strip()
        if "\x00" in text:
            self.add(
                row,
                name,
                ko="NUL 문자를 쓸 수 없습니다",
                en="must not contain NUL characters",
            )
        if required and not text:
            self.add(
                row,
                name,
                ko="필수 항목입니다",
                en="is required",
            )
        if max_length and len(text) > max_length:
            self.add(
                row,
                name,
                ko=f"{max_length}자를 넘을 수 없습니다",
                en=f"must be at most {max_length} characters",
            )
        return text

    def choice(
        self,
        item: dict[str, Any],
        row: str,
        name: str,
        allowed: Iterable[str],
        default: str | None = None,
    ) -> str:
        value = item.get(name, default)
        allowed = tuple(allowed)
        if value not in allowed:
            self.add(
                row,
                name,
                ko=f"다음 중 하나여야 합니다: {', '.join(allowed)}",
                en=f"must be one of: {', '.join(allowed)}",
            )
            return allowed[0]
        return str(value)

    def date(self, item: dict[str, Any], row: str, name: str, *, required: bool) -> dt.date | None:
        value = item.get(name)
        if value in (None, ""):
            if required:
                self.add(
                    row,
                    name,
                    ko="필수 항목입니다",
                    en="is required",
                )
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(
            row,
            name,
            ko="YYYY-MM-DD 형식의 날짜여야 합니다",
            en="must be a date as YYYY-MM-DD",
        )
        return None


def check_dates(
    c: Checker,
    row: str,
    start: dt.date | None,
    end: dt.date | None,
    precision: str,
    start_name: str = "start_date",
) -> None:
    if start and end and end < start:
        c.add(
            row,
            "end_date",
            ko="종료일이 시작일보다 앞섭니다",
            en="ends before it starts",
        )
    if start and precision == "month" and start.day != 1:
        c.add(
            row,
            start_name,
            ko="월 단위 날짜는 1일로 적습니다",
            en="a month-precision date is the 1st",
        )
    if start and precision == "year" and (start.month, start.day) != (1, 1):
        c.add(
            row,
            start_name,
            ko="연 단위 날짜는 1월 1일로 적습니다",
            en="a year-precision date is 1 January",
        )


def is_object(c: Checker, item: Any, row: str) -> bool:
    """Whether an item of the record is a JSON object (a problem of `row` if not)."""
    if isinstance(item, dict):
        return True
    c.add(row, "", ko="객체여야 합니다", en="must be an object")
    return False


def clean_topic_and_span(c: Checker, item: dict[str, Any], row: str, out: dict[str, Any]) -> None:
    """The topic and the days of talks or an event: a start, perhaps an end, to a precision."""
    out["topic"] = c.choice(item, row, "topic", TOPICS, default="dialogue")
    out["date_precision"] = c.choice(item, row, "date_precision", PRECISIONS[:3], default="day")
    out["start_date"] = c.date(item, row, "start_date", required=True)
    out["end_date"] = c.date(item, row, "end_date", required=False)
    check_dates(c, row, out["start_date"], out["end_date"], out["date_precision"])


def clean_common(c: Checker, item: dict[str, Any], row: str) -> dict[str, Any]:
    key = c.text(item, row, "key", max_length=80)
    if key and not all(ch.isalnum() or ch in "-_" for ch in key):
        c.add(
            row,
            "key",
            ko="영문, 숫자, -, _ 만 쓸 수 있습니다",
            en="may hold only letters, digits, - and _",
        )
    out = {
        "key": key,
        "title_ko": c.text(item, row, "title_ko", required=True, max_length=300),
        "title_en": c.text(item, row, "title_en", required=True, max_length=300),
        "note_ko": c.text(item, row, "note_ko"),
        "note_en": c.text(item, row, "note_en"),
        "source": c.text(item, row, "source", max_length=300),
        "source_quote": c.text(item, row, "source_quote"),
    }
    return out


def clean_talks(c: Checker, item: Any, row: str) -> dict[str, Any]:
    if not is_object(c, item, row):
        return {}
    out = clean_common(c, item, row)
    out["level"] = c.choice(item, row, "level", LEVELS)
    clean_topic_and_span(c, item, row, out)
    for name in ("place_ko", "place_en"):
        out[name] = c.text(item, row, name, max_length=200)
    for name in ("agenda_ko", "agenda_en", "outcome_ko", "outcome_en"):
        out[name] = c.text(item, row, name)
    delegates = item.get("delegates", []) or []
    out["delegates"] = []
    if not isinstance(delegates, list):
        c.add(
            row,
            "delegates",
            ko="목록이어야 합니다",
            en="must be a list",
        )
        delegates = []
    for j, d in enumerate(delegates):
        drow = f"{row}.delegates[{j}]"
        if not isinstance(d, dict):
            c.add(
                drow,
                "",
                ko="객체여야 합니다",
                en="must be an object",
            )
            continue
        out["delegates"].append(
            {
                "side": c.choice(d, drow, "side", SIDES),
                "name_ko": c.text(d, drow, "name_ko", required=True, max_length=100),
                "name_en": c.text(d, drow, "name_en", max_length=100),
                "title_ko": c.text(d, drow, "title_ko", max_length=200),
                "title_en": c.text(d, drow, "title_en", max_length=200),
                "is_head": bool(d.get("is_head", False)),
            }
        )
    agreements = item.get("agreements", []) or []
    if not isinstance(agreements, list) or not all(isinstance(a, str) for a in agreements):
        c.add(
            row,
            "agreements",
            ko="합의서 키의 목록이어야 합니다",
            en="must be a list of agreement keys",
        )
        agreements = []
    out["agreements"] = agreements
    return out


def clean_agreement(c: Checker, item: Any, row: str) -> dict[str, Any]:
    if not is_object(c, item, row):
        return {}
    out = clean_common(c, item, row)
    out["topic"] = c.choice(item, row, "topic", TOPICS, default="dialogue")
    out["status"] = c.choice(item, row, "status", STATUSES, default="in_force")
    out["date_precision"] = c.choice(item, row, "date_precision", PRECISIONS, default="day")
    out["signed_on"] = c.date(item, row, "signed_on", required=out["date_precision"] != "unknown")
    check_dates(c, row, out["signed_on"], None, out["date_precision"], "signed_on")
    parties = item.get("parties", list(SIDES))
    if not isinstance(parties, list) or not parties or any(p not in SIDES for p in parties):
        c.add(
            row,
            "parties",
            ko="south, north 중에서 골라야 합니다",
            en="must list south and/or north",
        )
        parties = list(SIDES)
    out["parties"] = sorted(set(parties))
    provisions = item.get("provisions", []) or []
    out["provisions"] = []
    if not isinstance(provisions, list):
        c.add(
            row,
            "provisions",
            ko="목록이어야 합니다",
            en="must be a list",
        )
        provisions = []
    seen: set[int] = set()
    for j, p in enumerate(provisions):
        prow = f"{row}.provisions[{j}]"
        if not isinstance(p, dict):
            c.add(
                prow,
                "",
                ko="객체여야 합니다",
                en="must be an object",
            )
            continue
        number = p.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_INT:
            c.add(
                prow,
                "number",
                ko="1 이상의 정수여야 합니다(최대 2147483647)",
                en="must be a whole number from 1 to 2147483647",
            )
            continue
        if number in seen:
            c.add(
                prow,
                "number",
                ko="조항 번호가 중복됩니다",
                en="repeats a provision number",
            )
        seen.add(number)
        out["provisions"].append(
            {
                "number": number,
                "text_ko": c.text(p, prow, "text_ko", required=True),
                "text_en": c.text(p, prow, "text_en", required=True),
            }
        )
    return out


def clean_event(c: Checker, item: Any, row: str) -> dict[str, Any]:
    if not is_object(c, item, row):
        return {}
    out = clean_common(c, item, row)
    out["kind"] = c.choice(item, row, "kind", EVENT_KINDS)
    clean_topic_and_span(c, item, row, out)
    out["description_ko"] = c.text(item, row, "description_ko")
    out["description_en"] = c.text(item, row, "description_en")
    return out


@dataclass
class RecordDocument:
    talks: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    events: list[dict[str, Any]]

    @property
    def size(self) -> int:
        return len(self.talks) + len(self.agreements) + len(self.events)


def invalid(c: Checker) -> DomainError:
    n = len(c.problems)
    return DomainError.from_findings(
        c.problems,
        ko=f"{c.file}: {n}개의 오류가 있어 아무것도 저장하지 않았습니다.",
        en=f"{c.file}: {n} problem(s) found; nothing was saved.",
        file=c.file,
    )


def parse(raw: bytes | str, *, filename: str) -> Any:
    try:
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8-sig")
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        not_json = Finding(
            "dialogue_not_json", ko="JSON 구문 오류", en=str(exc), file=filename, row=""
        )
        raise DomainError.from_findings(
            [not_json],
            ko=f"{filename}: UTF-8 JSON 문서로 읽을 수 없습니다 ({exc}).",
            en=f"{filename}: cannot be read as a UTF-8 JSON document ({exc}).",
            file=filename,
        ) from exc


def validate(
    data: Any, *, filename: str, known_agreement_keys: Iterable[str] = ()
) -> RecordDocument:
    """Check a whole document; raise one DomainError listing every problem, or return it clean."""
    c = Checker(filename)
    if not isinstance(data, dict):
        c.add(
            "",
            "",
            ko="최상위는 객체여야 합니다",
            en="the document must be a JSON object",
        )
        raise invalid(c)
    unknown = set(data) - {*SECTIONS, "sources"}
    for name in sorted(unknown):
        c.add(
            "",
            name,
            ko="알 수 없는 항목입니다",
            en="is not a known section",
        )
    sections: dict[str, list[Any]] = {}
    for name in SECTIONS:
        items = data.get(name, [])
        if not isinstance(items, list):
            c.add(
                name,
                "",
                ko="목록이어야 합니다",
                en="must be a list",
            )
            items = []
        sections[name] = items
    doc = RecordDocument(
        talks=[clean_talks(c, it, f"talks[{i}]") for i, it in enumerate(sections["talks"])],
        agreements=[
            clean_agreement(c, it, f"agreements[{i}]")
            for i, it in enumerate(sections["agreements"])
        ],
        events=[clean_event(c, it, f"events[{i}]") for i, it in enumerate(sections["events"])],
    )
    for name, items in (
        ("talks", doc.talks),
        ("agreements", doc.agreements),
        ("events", doc.events),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items):
            key = item.get("key", "")
            if not key:
                c.add(
                    f"{name}[{i}]",
                    "key",
                    ko="문서로 가져올 항목에는 키가 필요합니다",
                    en="is required for items loaded from a document",
                )
            elif key in seen:
                c.add(
                    f"{name}[{i}]",
                    "key",
                    ko=f"키가 중복됩니다: {key}",
                    en=f"repeats the key {key}",
                )
            seen.add(key)
    agreement_keys = {a.get("key") for a in doc.agreements} | set(known_agreement_keys)
    for i, t in enumerate(doc.talks):
        for ref in t.get("agreements", []):
            if ref not in agreement_keys:
                c.add(
                    f"talks[{i}]",
                    "agreements",
                    ko=f"없는 합의서 키입니다: {ref}",
                    en=f"names an unknown agreement: {ref}",
                )
    if c.problems:
        raise invalid(c)
    return doc


GetModel = Callable[[str, str], Any]

# The fields of each kind of item, as stored and as written in a document.
COMMON_FIELDS = (
    "key",
    "title_ko",
    "title_en",
    "topic",
    "date_precision",
    "note_ko",
    "note_en",
    "source",
    "source_quote",
)
TALKS_FIELDS = (
    *COMMON_FIELDS,
    "level",
    "start_date",
    "end_date",
    "place_ko",
    "place_en",
    "agenda_ko",
    "agenda_en",
    "outcome_ko",
    "outcome_en",
)
AGREEMENT_FIELDS = (*COMMON_FIELDS, "signed_on")
EVENT_FIELDS = (
    *COMMON_FIELDS,
    "kind",
    "start_date",
    "end_date",
    "description_ko",
    "description_en",
)
DELEGATE_FIELDS = ("name_ko", "name_en", "title_ko", "title_en", "is_head")


def delegate_as_dict(delegate: Any) -> dict[str, Any]:
    return {"side": delegate.side.code, **{f: getattr(delegate, f) for f in DELEGATE_FIELDS}}


def replace_delegates(talks: Any, delegates: list[dict[str, Any]], get_model: GetModel) -> None:
    """Make `talks`' delegation exactly `delegates`, in their order."""
    sides = {s.code: s for s in get_model("accounts", "Side").objects.all()}
    delegate_model = get_model("dialogue", "Delegate")
    delegate_model.objects.filter(talks=talks).delete()
    delegate_model.objects.bulk_create(
        [
            delegate_model(
                talks=talks,
                side=sides[d["side"]],
                order=n,
                **{f: d.get(f, False if f == "is_head" else "") for f in DELEGATE_FIELDS},
            )
            for n, d in enumerate(delegates)
        ]
    )


def apply(
    doc: RecordDocument,
    get_model: GetModel,
    progress: Any = None,
    changed: list[str] | None = None,
) -> dict[str, int]:
    """Create or update every item by its key. Runs inside the caller's transaction.
    `changed`, if given, receives one "created talks/KEY" or "updated event/KEY" line per item."""
    sides = {s.code: s for s in get_model("accounts", "Side").objects.all()}
    agreement_model = get_model("dialogue", "Agreement")
    provision_model = get_model("dialogue", "Provision")
    change_model = get_model("dialogue", "AgreementStatusChange")
    counts = {"created": 0, "updated": 0}

    def upsert(model_name: str, item: dict[str, Any], fields: Iterable[str]) -> Any:
        model = get_model("dialogue", model_name)
        values = {f: item[f] for f in fields if f != "key"}
        obj, created = model.objects.update_or_create(key=item["key"], defaults=values)
        verb = "created" if created else "updated"
        counts[verb] += 1
        if changed is not None:
            changed.append(f"{verb} {model_name.lower()}/{item['key']}")
        if progress is not None:
            progress.advance()
        return obj

    for a in doc.agreements:
        obj = upsert("Agreement", a, (*AGREEMENT_FIELDS, "status"))
        obj.parties.set([sides[p] for p in a["parties"]])
        provision_model.objects.filter(agreement=obj).delete()
        provision_model.objects.bulk_create(
            [provision_model(agreement=obj, **p) for p in a["provisions"]]
        )
        last = change_model.objects.filter(agreement=obj).order_by("-recorded_at", "-id").first()
        if last is None or last.status != a["status"]:
            change_model.objects.create(
                agreement=obj,
                status=a["status"],
                source=a["source"],
                effective_on=a["signed_on"] if last is None else None,
            )
    for t in doc.talks:
        obj = upsert("Talks", t, TALKS_FIELDS)
        replace_delegates(obj, t["delegates"], get_model)
        obj.agreements.set(agreement_model.objects.filter(key__in=t["agreements"]))
    for e in doc.events:
        upsert("Event", e, EVENT_FIELDS)
    return counts


def load_historical_record(get_model: GetModel) -> dict[str, int]:
    raw = HISTORICAL_RECORD.read_bytes()
    doc = validate(parse(raw, filename=HISTORICAL_RECORD.name), filename=HISTORICAL_RECORD.name)
    return apply(doc, get_model)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def dump(get_model: GetModel, progress: Any = None) -> dict[str, Any]:
    """The whole record as a document that `validate` and `apply` read back unchanged."""
    talks = list(
        get_model("dialogue", "Talks").objects.prefetch_related("delegates__side", "agreements")
    )
    agreements = list(
        get_model("dialogue", "Agreement").objects.prefetch_related("parties", "provisions")
    )
    events = list(get_model("dialogue", "Event").objects.all())
    if progress is not None:
        progress.start(len(talks) + len(agreements) + len(events), stage="export")

    def fields(obj: Any, names: Iterable[str]) -> dict[str, Any]:
        if progress is not None:
            progress.advance()
        return {f: _plain(getattr(obj, f)) for f in names}

    return {
        "talks": [
            {
                **fields(t, TALKS_FIELDS),
                "delegates": [delegate_as_dict(d) for d in t.delegates.all()],
                "agreements": sorted(a.key for a in t.agreements.all() if a.key),
            }
            for t in talks
        ],
        "agreements": [
            {
                **fields(a, AGREEMENT_FIELDS),
                "status": a.status,
                "parties": sorted(s.code for s in a.parties.all()),
                "provisions": [
                    {"number": p.number, "text_ko": p.text_ko, "text_en": p.text_en}
                    for p in a.provisions.all()
                ],
            }
            for a in agreements
        ],
        "events": [fields(e, EVENT_FIELDS) for e in events],
    }
