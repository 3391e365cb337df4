"""Writing IATI 2.03 activity files from `document.ActivityFile`.

Elements come in the schema's order (iati-activities-schema.xsd: iati-identifier, reporting-org,
title, description, participating-org, activity-status, activity-date, recipient-country,
sector, humanitarian-scope, transaction, related-activity; in a transaction: transaction-type,
transaction-date, value, description, provider-org, receiver-org, disbursement-channel, sector,
recipient-country or -region, flow-type, finance-type, aid-type, tied-status).

The output is a function of its input only: `generated-datetime` is the file's `generated`
(given by the caller: exporting twice at the same instant gives the same bytes), no
`last-updated-datetime` is written, every narrative carries its own xml:lang (Korean, English,
then the others by language code), amounts and percentages are written without trailing zeros.
Pure: no Django."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from .document import Activity, ActivityFile, HumanitarianScope, Narratives, Org, Transaction

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FIRST_LANGUAGES = ("ko", "en")


def number(value: Decimal) -> str:
    """A decimal as IATI writes it: `1000000`, `12.5` (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def datetime_text(value: dt.datetime) -> str:
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return value.isoformat(timespec="seconds")


def _languages(narratives: Narratives) -> list[str]:
    if not narratives:
        return []
    first = [lang for lang in FIRST_LANGUAGES if narratives.get(lang, "").strip()]
    others = sorted(
        lang for lang, text in narratives.items() if lang not in FIRST_LANGUAGES and text.strip()
    )
    return first + others


def _narratives(parent: etree._Element, narratives: Narratives) -> None:
    for lang in _languages(narratives):
        etree.SubElement(parent, "narrative", {XML_LANG: lang}).text = narratives[lang].strip()


def _attrs(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return {name: value for name, value in pairs if value}


def _org(parent: etree._Element, tag: str, org: Org, *, activity_attr: str = "") -> None:
    pairs = [("ref", org.ref)]
    if tag == "participating-org":
        pairs += [("role", org.role), ("type", org.type), ("activity-id", org.activity_id)]
    elif activity_attr:
        pairs = [(activity_attr, org.activity_id), ("type", org.type), ("ref", org.ref)]
    else:
        pairs += [("type", org.type)]
    _narratives(etree.SubElement(parent, tag, _attrs(pairs)), org.names)


def _coded(parent: etree._Element, tag: str, item: object) -> None:
    if isinstance(item, dict):
        attrs = _attrs(
            [("code", str(item.get("code", ""))), ("vocabulary", str(item.get("vocabulary", "")))]
        )
    else:
        attrs = {"code": str(item)}
    etree.SubElement(parent, tag, attrs)


def _transaction(parent: etree._Element, transaction: Transaction) -> None:
    attrs = _attrs([("ref", transaction.ref)])
    if transaction.humanitarian is not None:
        attrs["humanitarian"] = "1" if transaction.humanitarian else "0"
    element = etree.SubElement(parent, "transaction", attrs)
    etree.SubElement(element, "transaction-type", {"code": transaction.type})
    etree.SubElement(element, "transaction-date", {"iso-date": transaction.date.isoformat()})
    etree.SubElement(
        element,
        "value",
        {"currency": transaction.currency, "value-date": transaction.value_date.isoformat()},
    ).text = number(transaction.value)
    if _languages(transaction.description):
        _narratives(etree.SubElement(element, "description"), transaction.description)
    if transaction.provider is not None:
        _org(element, "provider-org", transaction.provider, activity_attr="provider-activity-id")
    if transaction.receiver is not None:
        _org(element, "receiver-org", transaction.receiver, activity_attr="receiver-activity-id")
    codes = transaction.codes
    if codes.get("disbursement-channel"):
        _coded(element, "disbursement-channel", codes["disbursement-channel"])
    for sector in codes.get("sector") or []:  # type: ignore[attr-defined]
        _coded(element, "sector", sector)
    for tag in ("recipient-country", "recipient-region", "flow-type", "finance-type"):
        if codes.get(tag):
            _coded(element, tag, codes[tag])
    for aid_type in codes.get("aid-type") or []:  # type: ignore[attr-defined]
        _coded(element, "aid-type", aid_type)
    if codes.get("tied-status"):
        _coded(element, "tied-status", codes["tied-status"])


def _scope(parent: etree._Element, scope: HumanitarianScope) -> None:
    attrs = _attrs([("type", scope.type), ("vocabulary", scope.vocabulary), ("code", scope.code)])
    _narratives(etree.SubElement(parent, "humanitarian-scope", attrs), scope.narratives)


def _activity(parent: etree._Element, activity: Activity) -> None:
    attrs = {
        XML_LANG: activity.language or "en",
        "default-currency": activity.default_currency,
    }
    if activity.humanitarian is not None:
        attrs["humanitarian"] = "1" if activity.humanitarian else "0"
    element = etree.SubElement(parent, "iati-activity", attrs)
    etree.SubElement(element, "iati-identifier").text = activity.identifier
    _org(element, "reporting-org", activity.reporting_org)
    _narratives(etree.SubElement(element, "title"), activity.title)
    _narratives(etree.SubElement(element, "description", {"type": "1"}), activity.description)
    for org in activity.participants:
        _org(element, "participating-org", org)
    etree.SubElement(element, "activity-status", {"code": activity.status})
    for kind in sorted(activity.dates):
        etree.SubElement(
            element, "activity-date", {"type": kind, "iso-date": activity.dates[kind].isoformat()}
        )
    if activity.recipient_country:
        etree.SubElement(element, "recipient-country", {"code": activity.recipient_country})
    for sector in activity.sectors:
        attrs = _attrs([("vocabulary", sector.vocabulary), ("code", sector.code)])
        if sector.percentage is not None:
            attrs["percentage"] = number(sector.percentage)
        _narratives(etree.SubElement(element, "sector", attrs), sector.narratives)
    for scope in activity.humanitarian_scopes:
        _scope(element, scope)
    for transaction in activity.transactions:
        _transaction(element, transaction)
    if activity.parent:
        etree.SubElement(element, "related-activity", {"ref": activity.parent, "type": "1"})
    for child in activity.children:
        etree.SubElement(element, "related-activity", {"ref": child, "type": "2"})


def write(document: ActivityFile) -> bytes:
    """The IATI 2.03 activity file of `document`, UTF-8 with its XML declaration."""
    return serialise(build(document))


def serialise(tree: etree._ElementTree) -> bytes:
    data: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def build(document: ActivityFile) -> etree._ElementTree:
    """The file of `document` as an lxml tree (to check before it is serialised)."""
    root = etree.Element(
        "iati-activities",
        {"version": "2.03", "generated-datetime": datetime_text(document.generated)},
    )
    for activity in document.activities:
        _activity(root, activity)
    return etree.ElementTree(root)
