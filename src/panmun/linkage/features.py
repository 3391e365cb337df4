"""The Korean-aware columns each record is compared on, computed once before linkage so the
comparison engine never sees raw Hangul or runs Python per pair.

- `family_canonical`, `given_canonical`: both sides' spellings in one (the South's) form;
- `family_jamo`, `given_jamo`: ASCII jamo keys, one character per jamo, for edit distances;
- `family_key`, `given_key`: romanization-neutral keys, from Hangul or from `name_latin`;
  `given_initial`: the key of the given name's first syllable (for blocking past a slip in
  the second);
- `birth_year`, `birth_month`, `birth_day` and `birth_dates`: the solar dates a birthday may
  mean (both readings when the calendar is unknown); `birth_date_first` and `birth_date_last`,
  the earliest and latest of them, so that blocking can ask for a shared date with an equality
  (two pairs share a date nearly always through one of these);
- `birthplace_key`: the gazetteer's key of the place as named today; `birthplace_areas`: the
  places and provinces of today it may lie in;
- `father_canonical`, and `father_key` and `father_jamo`: the neutral and jamo keys of the
  father's given name (his surname is the child's, compared already; counting it twice would
  overstate a match).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from panmun.korean.calendars import Calendar, solar_candidates
from panmun.korean.gazetteer import canonical_place_key, place_areas
from panmun.korean.hangul import is_syllable, jamo_key
from panmun.korean.names import latin_name_keys, split_latin_name
from panmun.korean.orthography import south_form
from panmun.korean.romanization import hangul_key, latin_key
from panmun.korean.surnames import split_full_name

from .records import PersonRecord, raw_table

# The columns' types, for the table the engine builds: integers and a list; the rest are text.
INTEGER_COLUMNS = ("birth_year", "birth_month", "birth_day")
LIST_COLUMNS = ("birth_dates", "birthplace_areas")
FEATURE_COLUMNS = (
    "record_id",
    "family_canonical",
    "given_canonical",
    "family_jamo",
    "given_jamo",
    "family_key",
    "given_key",
    "given_initial",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_dates",
    "birth_date_first",
    "birth_date_last",
    "birthplace_key",
    "birthplace_areas",
    "father_canonical",
    "father_key",
    "father_jamo",
)


SCHEMA = pa.schema(
    [
        (
            column,
            pa.int32()
            if column in INTEGER_COLUMNS
            else pa.list_(pa.string())
            if column in LIST_COLUMNS
            else pa.string(),
        )
        for column in FEATURE_COLUMNS
    ]
)

# Names, places and birthdays repeat a great deal in a list of a million people, so each is
# computed once per distinct value.
_KEPT = 1 << 18


def _hangul(text: str) -> bool:
    return any(is_syllable(c) for c in text)


@lru_cache(maxsize=_KEPT)
def _father(name: str) -> tuple[str, str, str]:
    """The father's canonical full name, and the neutral key and jamo key of his given name."""
    if not name:
        return "", "", ""
    if _hangul(name):
        try:
            family, given = split_full_name(name)
        except ValueError:
            return south_form(name), hangul_key(name), jamo_key(south_form(name))
        given = south_form(given)
        return south_form(family) + given, hangul_key(given), jamo_key(given)
    keys = latin_name_keys(name)
    return "", keys[0][1] if keys else "", ""


@lru_cache(maxsize=_KEPT)
def _name(family: str, given: str, latin: str) -> tuple[str | None, ...]:
    """Canonical Hangul, jamo keys and neutral keys of the family and given names, and the
    neutral key of the given name's first syllable."""
    if family and not given and _hangul(family) and len(family) > 1:
        family, given = split_full_name(family)  # a whole name in the surname column
    family_canonical = south_form(family) if _hangul(family) else ""
    given_canonical = south_form(given) if _hangul(given) else ""
    family_key = hangul_key(family_canonical) if family_canonical else ""
    given_key = hangul_key(given_canonical) if given_canonical else ""
    given_initial = hangul_key(given_canonical[0]) if given_canonical else ""
    if latin and not (family_key and given_key):
        readings = split_latin_name(latin)
        if readings:
            family_text, given_text = readings[0]
            family_key = family_key or latin_key(family_text)
            if not given_key:
                given_key = latin_key(given_text)
                syllables = [p for p in re.split(r"[\s\-]+", given_text) if p]
                given_initial = latin_key(syllables[0]) if len(syllables) > 1 else ""
    return (
        family_canonical or None,
        given_canonical or None,
        jamo_key(family_canonical) or None,
        jamo_key(given_canonical) or None,
        family_key or None,
        given_key or None,
        given_initial or None,
    )


@lru_cache(maxsize=_KEPT)
def _dates(year: int, month: int, day: int, calendar: Calendar) -> tuple[str, ...]:
    return tuple(d.isoformat() for d in solar_candidates(year, month, day, calendar))


@lru_cache(maxsize=_KEPT)
def _place(text: str) -> tuple[str | None, list[str] | None]:
    if not text:
        return None, None
    return canonical_place_key(text), place_areas(text) or None


def features(record: PersonRecord) -> dict[str, Any]:
    """One record's comparison columns (None where the record does not say)."""
    row: dict[str, Any] = feature_table(raw_table([record])).to_pylist()[0]
    return row


# --- whole columns -----------------------------------------------------------------------------


def _mapped(
    columns: list[pa.Array], compute: Callable[..., tuple[Any, ...]], types: list[pa.DataType]
) -> list[pa.Array]:
    """`compute` run once per distinct combination of the columns' values, spread to every row."""
    if len(columns) == 1:
        encoded = pc.dictionary_encode(columns[0])
    else:
        joined = pc.binary_join_element_wise(*[pc.cast(c, pa.string()) for c in columns], "\x1f")
        encoded = pc.dictionary_encode(joined)
    values = encoded.dictionary.to_pylist()
    if len(columns) == 1:
        results = [compute(v) for v in values]
    else:
        results = [compute(*v.split("\x1f")) for v in values]
    return [
        pc.take(pa.array([r[i] for r in results], kind), encoded.indices)
        for i, kind in enumerate(types)
    ]


def _dates_of(
    year: str, month: str, day: str, calendar: str
) -> tuple[list[str] | None, str | None, str | None]:
    """The candidate dates, the first and the last of them."""
    if not (year and month and day):
        return None, None, None
    dates = list(_dates(int(year), int(month), int(day), Calendar(calendar)))
    return (dates, dates[0], dates[-1]) if dates else (None, None, None)


def feature_table(raw: pa.Table, schema: pa.Schema | None = None) -> pa.Table:
    """The comparison columns of a whole list read by `records.read_table`: the same values
    `features` gives record by record, each computed once per distinct value."""
    column = {name: raw.column(name).combine_chunks() for name in raw.column_names}
    text, words = pa.string(), pa.list_(pa.string())
    name = _mapped(
        [column["family_name"], column["given_name"], column["name_latin"]],
        _name,
        [text] * 7,
    )
    birth = [column["birth_year"], column["birth_month"], column["birth_day"]]
    dates = _mapped(
        [pc.fill_null(pc.cast(b, pa.string()), "") for b in birth] + [column["birth_calendar"]],
        _dates_of,
        [words, text, text],
    )
    place = _mapped([column["birthplace"]], _place, [text, words])
    father = _mapped([column["father_name"]], _father, [text, text, text])
    sex = pc.if_else(pc.equal(column["sex"], ""), pa.scalar(None, text), column["sex"])
    father_values = [pc.if_else(pc.equal(f, ""), pa.scalar(None, text), f) for f in father]
    out = {
        "record_id": column["record_id"],
        "family_canonical": name[0],
        "given_canonical": name[1],
        "family_jamo": name[2],
        "given_jamo": name[3],
        "family_key": name[4],
        "given_key": name[5],
        "given_initial": name[6],
        "sex": sex,
        "birth_year": column["birth_year"],
        "birth_month": column["birth_month"],
        "birth_day": column["birth_day"],
        "birth_dates": dates[0],
        "birth_date_first": dates[1],
        "birth_date_last": dates[2],
        "birthplace_key": place[0],
        "birthplace_areas": place[1],
        "father_canonical": father_values[0],
        "father_key": father_values[1],
        "father_jamo": father_values[2],
    }
    schema = schema or SCHEMA
    return pa.table([out[n].cast(schema.field(n).type) for n in schema.names], schema=schema)
