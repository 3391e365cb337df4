"""Reading IATI 2.03 activity files into `document.ActivityFile`, with IATI's rules beyond the
schema checked on the way.

`read(data, file=..., schema_folder=..., codelists=...)`, in this order, stopping at the first
step that finds a problem (each step's problems all named):
1. the file parsed safely (`xmlsafe.parse`: size bound, no DOCTYPE, well-formed);
2. valid against the official schema, `iati-activities/@version` 2.03, at most
   `max_activities` activities;
3. IATI's rules: every code the ledger keeps on its codelist (a withdrawn code is accepted
   from another publisher where the activity's `last-updated-datetime`, the file's
   `generated-datetime` or the transaction's date falls before its withdrawal; never in
   Panmun's own files, `writing=True`), sector percentages adding up to 100 per vocabulary
   (one sector alone may leave it out), at most one sector per vocabulary in a transaction
   (2.03 gives a transaction's sectors no percentage), a currency for every value (its own or
   the activity's default), dates in order (planned start ≤ planned end, actual start ≤ actual
   end), identifiers unique in the file.

Every problem is a `Finding` with the file, `line N` and the element as an XPath-like path that
names the activity by its identifier. Narratives without xml:lang take the activity's language
(or the file's, else English). Pure: no Django."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from panmun.common.findings import Finding

from . import xmlsafe
from .codelists import Codelist
from .document import (
    Activity,
    ActivityFile,
    HumanitarianScope,
    Narratives,
    Org,
    Sector,
    Transaction,
)
from .xmlsafe import IatiFileError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The most activities one file may hold (the ledger's whole history is a few thousand).
MAX_ACTIVITIES = 50_000
HUNDRED = Decimal(100)


class _Reader:
    def __init__(
        self,
        tree: etree._ElementTree,
        *,
        file: str,
        codelists: Mapping[str, Codelist],
        writing: bool,
    ) -> None:
        self.tree = tree
        self.file = file
        self.codelists = codelists
        self.writing = writing
        self.problems: list[Finding] = []
        self.identifier = ""

    # -- naming problems -------------------------------------------------------------------
    def path(self, element: etree._Element, attribute: str = "") -> str:
        path = self.tree.getpath(element)
        ident = self.identifier
        prefix = "/iati-activities/iati-activity"
        if path.startswith(prefix) and ident:
            rest = path[len(prefix) :]
            if rest.startswith("["):
                rest = rest[rest.index("]") + 1 :]
            path = f"iati-activity[iati-identifier='{ident}']{rest}"
        return f"{path}/@{attribute}" if attribute else path

    def problem(
        self, code: str, element: etree._Element, *, ko: str, en: str, attribute: str = ""
    ) -> None:
        self.problems.append(
            Finding(
                code,
                ko=ko,
                en=en,
                file=self.file,
                row=f"line {element.sourceline}" if element.sourceline else None,
                field=self.path(element, attribute),
            )
        )

    # -- values ----------------------------------------------------------------------------
    def code(
        self,
        element: etree._Element,
        attribute: str,
        codelist: str,
        on: dt.date | None,
        *,
        required: bool = True,
    ) -> str:
        value = (element.get(attribute) or "").strip()
        if not value:
            if required:
                self.problem(
                    "iati_code_missing",
                    element,
                    ko=f"{codelist} 코드가 없습니다.",
                    en=f"A {codelist} code is missing.",
                    attribute=attribute,
                )
            return ""
        found = self.codelists.get(codelist)
        if found is None:
            return value
        if value in found.codes and found.codes[value].active:
            return value  # the common case, without naming the place
        problem = found.problem(
            value,
            writing=self.writing,
            on=on,
            file=self.file,
            row=f"line {element.sourceline}",
            field=self.path(element, attribute),
        )
        if problem is not None:
            self.problems.append(problem)
        return value

    def date(self, element: etree._Element, attribute: str) -> dt.date | None:
        text = (element.get(attribute) or "").strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.problem(
                "iati_date",
                element,
                ko=f"날짜가 아닙니다: {text[:40]!r}",
                en=f"Not a date: {text[:40]!r}",
                attribute=attribute,
            )
            return None

    def decimal(
        self, element: etree._Element, text: str | None, attribute: str = ""
    ) -> Decimal | None:
        try:
            value = Decimal((text or "").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.problem(
                "iati_number",
                element,
                ko=f"숫자가 아닙니다: {(text or '')[:40]!r}",
                en=f"Not a number: {(text or '')[:40]!r}",
                attribute=attribute,
            )
            return None
        return value

    @staticmethod
    def narratives(element: etree._Element | None, language: str) -> Narratives:
        found: Narratives = {}
        if element is None:
            return found
        for narrative in element.iterfind("narrative"):
            lang = (narrative.get(XML_LANG) or language).strip().lower()
            text = (narrative.text or "").strip()
            if text and lang not in found:
                found[lang] = text
        return found

    def org(self, element: etree._Element, language: str, on: dt.date | None) -> Org:
        return Org(
            ref=(element.get("ref") or "").strip(),
            type=self.code(element, "type", "OrganisationType", on, required=False),
            names=self.narratives(element, language),
        )

    # -- the activity ----------------------------------------------------------------------
    def activity(
        self, element: etree._Element, language: str, generated: dt.date | None
    ) -> Activity:
        self.identifier = (element.findtext("iati-identifier") or "").strip()
        language = (element.get(XML_LANG) or language).strip().lower()
        updated = element.get("last-updated-datetime")
        on = generated
        if updated:
            try:
                on = dt.datetime.fromisoformat(updated.strip()).date()
            except ValueError:
                on = generated
        humanitarian = element.get("humanitarian")
        default_currency = self.code(element, "default-currency", "Currency", on, required=False)
        reporting = element.find("reporting-org")
        activity = Activity(
            identifier=self.identifier,
            reporting_org=self.org(reporting, language, on) if reporting is not None else Org(),
            default_currency=default_currency,
            language=language,
            humanitarian=None if humanitarian is None else humanitarian in ("1", "true"),
            title=self.narratives(element.find("title"), language),
            line=element.sourceline,
        )
        descriptions = element.findall("description")
        general = [d for d in descriptions if d.get("type") in (None, "1")]
        if general or descriptions:
            activity.description = self.narratives((general or descriptions)[0], language)
        for participant in element.iterfind("participating-org"):
            org = self.org(participant, language, on)
            org.role = self.code(participant, "role", "OrganisationRole", on)
            org.activity_id = (participant.get("activity-id") or "").strip()
            activity.participants.append(org)
        status = element.find("activity-status")
        if status is not None:
            activity.status = self.code(status, "code", "ActivityStatus", on)
        for date in element.iterfind("activity-date"):
            kind = self.code(date, "type", "ActivityDateType", on)
            value = self.date(date, "iso-date")
            if kind and value and kind not in activity.dates:
                activity.dates[kind] = value
        self.dates_in_order(element, activity.dates)
        country = element.find("recipient-country")
        if country is not None:
            activity.recipient_country = self.code(country, "code", "Country", on)
        activity.sectors = self.sectors(element, language, on)
        for scope in element.iterfind("humanitarian-scope"):
            activity.humanitarian_scopes.append(
                HumanitarianScope(
                    type=self.code(scope, "type", "HumanitarianScopeType", on),
                    vocabulary=self.code(scope, "vocabulary", "HumanitarianScopeVocabulary", on),
                    code=(scope.get("code") or "").strip(),
                    narratives=self.narratives(scope, language),
                )
            )
        for transaction in element.iterfind("transaction"):
            found = self.transaction(transaction, language, default_currency)
            if found is not None:
                activity.transactions.append(found)
        for related in element.iterfind("related-activity"):
            kind = self.code(related, "type", "RelatedActivityType", on)
            ref = (related.get("ref") or "").strip()
            if kind == "1" and ref and not activity.parent:
                activity.parent = ref
            elif kind == "2" and ref:
                activity.children.append(ref)
        return activity

    def dates_in_order(self, element: etree._Element, dates: dict[str, dt.date]) -> None:
        for start, end, ko, en in (
            ("1", "3", "계획", "planned"),
            ("2", "4", "실제", "actual"),
        ):
            if start in dates and end in dates and dates[end] < dates[start]:
                self.problem(
                    "iati_dates_order",
                    element,
                    ko=f"{ko} 종료일({dates[end]})이 {ko} 시작일({dates[start]})보다 앞섭니다.",
                    en=f"The {en} end ({dates[end]}) is before the {en} start ({dates[start]}).",
                )

    def sectors(self, element: etree._Element, language: str, on: dt.date | None) -> list[Sector]:
        sectors: list[Sector] = []
        by_vocabulary: dict[str, list[tuple[etree._Element, Sector]]] = defaultdict(list)
        for item in element.iterfind("sector"):
            vocabulary = (item.get("vocabulary") or "1").strip()
            if item.get("vocabulary"):
                self.code(item, "vocabulary", "SectorVocabulary", on)
            listed = {"1": "Sector", "2": "SectorCategory"}.get(vocabulary)
            code = (
                self.code(item, "code", listed, on) if listed else (item.get("code") or "").strip()
            )
            percentage = None
            if item.get("percentage") is not None:
                percentage = self.decimal(item, item.get("percentage"), "percentage")
                if percentage is not None and not Decimal(0) <= percentage <= HUNDRED:
                    self.problem(
                        "iati_sector_percentage_range",
                        item,
                        ko=f"분야 비율은 0에서 100 사이여야 합니다: {percentage}",
                        en=f"A sector percentage is between 0 and 100: {percentage}",
                        attribute="percentage",
                    )
            sector = Sector(vocabulary, code, percentage, self.narratives(item, language))
            if any(s.code == code for _, s in by_vocabulary[vocabulary]):
                self.problem(
                    "iati_sector_twice",
                    item,
                    ko=f"같은 분야가 두 번 있습니다: {vocabulary}:{code}",
                    en=f"The same sector twice: {vocabulary}:{code}",
                )
            by_vocabulary[vocabulary].append((item, sector))
            sectors.append(sector)
        for vocabulary, items in by_vocabulary.items():
            shares = [s.percentage for _, s in items]
            if len(items) == 1 and shares[0] is None:
                continue
            if any(share is None for share in shares):
                self.problem(
                    "iati_sector_percentage_missing",
                    items[0][0],
                    ko=f"분류체계 {vocabulary}의 분야가 여럿이면 모두 비율이 있어야 합니다.",
                    en=f"Several sectors of vocabulary {vocabulary}: each needs a percentage.",
                    attribute="percentage",
                )
                continue
            total = sum((share for share in shares if share is not None), Decimal(0))
            if total != HUNDRED:
                self.problem(
                    "iati_sector_percentages",
                    items[0][0],
                    ko=f"분류체계 {vocabulary}의 분야 비율 합계가 100이 아닙니다: {total}",
                    en=f"The sector percentages of vocabulary {vocabulary} add up to {total}, "
                    "not 100.",
                    attribute="percentage",
                )
        return sectors

    def transaction(
        self, element: etree._Element, language: str, default_currency: str
    ) -> Transaction | None:
        children: dict[str, list[etree._Element]] = defaultdict(list)
        for child in element:
            children[str(child.tag)].append(child)
        kinds, dates, values = (
            children.get("transaction-type"),
            children.get("transaction-date"),
            children.get("value"),
        )
        if not kinds or not dates or not values:
            return None  # the schema has named it
        date = self.date(dates[0], "iso-date")
        kind = self.code(kinds[0], "code", "TransactionType", date)
        value_element = values[0]
        value = self.decimal(value_element, value_element.text)
        value_date = self.date(value_element, "value-date")
        currency = default_currency
        if value_element.get("currency"):
            currency = self.code(value_element, "currency", "Currency", date)
        if not currency:
            self.problem(
                "iati_currency_missing",
                value_element,
                ko="금액의 통화가 없습니다 (value/@currency도 default-currency도 없음).",
                en="The value has no currency (neither value/@currency nor default-currency).",
                attribute="currency",
            )
        humanitarian = element.get("humanitarian")
        codes: dict[str, object] = {}
        for tag, codelist in (
            ("disbursement-channel", "DisbursementChannel"),
            ("recipient-country", "Country"),
            ("flow-type", "FlowType"),
            ("finance-type", "FinanceType"),
            ("tied-status", "TiedStatus"),
        ):
            if tag in children:
                codes[tag] = self.code(children[tag][0], "code", codelist, date)
        if "recipient-region" in children:
            region = children["recipient-region"][0]
            codes["recipient-region"] = {
                "code": (region.get("code") or "").strip(),
                "vocabulary": (region.get("vocabulary") or "").strip(),
            }
        if "sector" in children:
            codes["sector"] = self.transaction_sectors(children["sector"], date)
        if "aid-type" in children:
            aid_types = []
            for item in children["aid-type"]:
                vocabulary = (item.get("vocabulary") or "").strip()
                code = (
                    self.code(item, "code", "AidType", date)
                    if vocabulary in ("", "1")
                    else item.get("code", "")
                )
                aid_types.append({"code": code, "vocabulary": vocabulary})
            codes["aid-type"] = aid_types
        if date is None or value is None or value_date is None or not kind:
            return None
        description = children.get("description")
        transaction = Transaction(
            type=kind,
            date=date,
            value=value,
            currency=currency,
            value_date=value_date,
            ref=(element.get("ref") or "").strip(),
            humanitarian=None if humanitarian is None else humanitarian in ("1", "true"),
            description=self.narratives(description[0], language) if description else {},
            codes=codes,
        )
        for tag, attribute in (
            ("provider-org", "provider-activity-id"),
            ("receiver-org", "receiver-activity-id"),
        ):
            if tag in children:
                org = self.org(children[tag][0], language, date)
                org.activity_id = (children[tag][0].get(attribute) or "").strip()
                if tag == "provider-org":
                    transaction.provider = org
                else:
                    transaction.receiver = org
        return transaction

    def transaction_sectors(
        self, items: list[etree._Element], date: dt.date | None
    ) -> list[dict[str, str]]:
        sectors = []
        vocabularies: set[str] = set()
        for item in items:
            vocabulary = (item.get("vocabulary") or "").strip()
            listed = {"": "Sector", "1": "Sector", "2": "SectorCategory"}.get(vocabulary)
            code = self.code(item, "code", listed, date) if listed else item.get("code", "")
            if (vocabulary or "1") in vocabularies:
                self.problem(
                    "iati_transaction_sectors",
                    item,
                    ko="거래 하나에는 분류체계마다 분야가 하나만 있어야 합니다 (비율 100).",
                    en="A transaction has at most one sector per vocabulary (its 100 percent).",
                )
            vocabularies.add(vocabulary or "1")
            sectors.append({"code": code, "vocabulary": vocabulary})
        return sectors


def _file_problem(file: str, code: str, ko: str, en: str, line: int | None = None) -> IatiFileError:
    return IatiFileError(
        [Finding(code, ko=ko, en=en, file=file, row=f"line {line}" if line else None)]
    )


def read(
    data: bytes,
    *,
    file: str,
    schema_folder: Path,
    codelists: Mapping[str, Codelist],
    writing: bool = False,
    max_bytes: int = xmlsafe.MAX_FILE_BYTES,
    max_activities: int = MAX_ACTIVITIES,
) -> ActivityFile:
    """The activities of an IATI 2.03 file, or IatiFileError with every problem found (see the
    module's docstring). `writing`: Panmun's own output, where withdrawn codes are refused."""
    tree = xmlsafe.parse(data, file=file, max_bytes=max_bytes)
    return check(
        tree,
        file=file,
        schema_folder=schema_folder,
        codelists=codelists,
        writing=writing,
        max_activities=max_activities,
    )


def check(
    tree: etree._ElementTree,
    *,
    file: str,
    schema_folder: Path,
    codelists: Mapping[str, Codelist],
    writing: bool = False,
    max_activities: int = MAX_ACTIVITIES,
) -> ActivityFile:
    """`read`'s steps after parsing, on a tree already parsed, or built in memory by the writer
    (whose elements have no line numbers: its problems are named by element alone)."""
    root = tree.getroot()
    if root.tag == "iati-activities" and root.get("version") != "2.03":
        raise _file_problem(
            file,
            "iati_version",
            f"IATI 2.03 파일이 아닙니다 (version={root.get('version')!r}).",
            f"Not an IATI 2.03 file (version={root.get('version')!r}).",
            root.sourceline,
        )
    problems = xmlsafe.validate(tree, folder=schema_folder, file=file)
    if problems:
        raise IatiFileError(problems)
    count = len(root.findall("iati-activity"))
    if count > max_activities:
        raise _file_problem(
            file,
            "iati_too_many_activities",
            f"사업이 너무 많습니다: {count:,}개 (최대 {max_activities:,}개)",
            f"Too many activities: {count:,} (at most {max_activities:,})",
        )
    generated_text = (root.get("generated-datetime") or "").strip()
    try:
        generated = dt.datetime.fromisoformat(generated_text)
    except ValueError:
        generated = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    reader = _Reader(tree, file=file, codelists=codelists, writing=writing)
    document = ActivityFile(generated=generated)
    language = (root.get(XML_LANG) or "en").strip().lower()
    seen: dict[str, int] = {}
    for element in root.iterfind("iati-activity"):
        activity = reader.activity(element, language, generated.date() if generated_text else None)
        if activity.identifier in seen:
            first = seen[activity.identifier]
            reader.problem(
                "iati_identifier_twice",
                element,
                ko=f"같은 식별자의 사업이 이미 있습니다 (line {first}).",
                en=f"An activity with this identifier came before (line {first}).",
            )
        seen.setdefault(activity.identifier, element.sourceline or 0)
        document.activities.append(activity)
    if reader.problems:
        raise IatiFileError(reader.problems)
    return document
