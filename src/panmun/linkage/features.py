"""The Korean-aware columns each record is compared on, computed once before linkage so the
comparison engine never sees raw Hangul or runs Python per pair.

- `family_canonical`, `given_canonical`: both sides' spellings in one (the South's) form;
- `family_jamo`, `given_jamo`: ASCII jamo keys, one character per jamo, for edit distances;
  `given_soft_jamo` the same with ㄴ, ㄹ and ㅇ at a syllable's start as one (`soft_jamo`);
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
  overstate a match). A father written by his given name alone (재현 for 김재현) keeps all of
  it.

What a record may mean besides its first reading, so that blocking never loses a pair to it
and the comparisons can grade it (issue 22):
- `family_alt`, `given_alt`: the keys of the other reading of a name written only in Latin
  letters (`Sil Ok Yum` is 염실옥 read surname last, `Choy Cha Kum` is 최차금 read surname first;
  whichever the surname table prefers comes first, the other here);
- `given_sets`: the given name's syllables as a set (춘숙 and 숙춘 agree), for every reading;
  `given_syllables`: each syllable's key (a slip in one syllable leaves the other);
- `family_folds`, `given_folds`: the keys with every vowel run folded to one letter (`Choy`
  and 최, `Yum` and 렴, 덕녀 and 덕너 agree), since spellings of no standard system differ
  mostly in vowels; the surname also through the surname table's spellings;
- `name_keys`, `name_folds`: the surname and the given name's syllable set together, exact and
  folded, for each reading: the blocking keys of a name;
- `birth_years`: every solar year the birthday may mean (a lunar date late in the year is
  the next solar year); `birth_year_near`: each of those years and the next, so that two
  records share one exactly when their years are at most one apart (Korean age);
- `provinces_1945`: the provinces of 1945 the birthplace lay in, whichever period the record
  names it by (경기도 and 황해북도 개성시 개풍구역 agree; 자강도 희천시 was in 평안북도).

And for speed alone: `given_jamo_letters`, `given_soft_jamo_letters`, `given_key_letters` and
`given_alt_letters`, the letters of those keys as bits of one integer (`letters`), so that an
edit distance is measured only for pairs whose letters allow it (see
`profiles.KoreanProfile.comparisons`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from panmun.korean.calendars import Calendar, solar_candidates
from panmun.korean.gazetteer import canonical_place_key, place_areas, provinces_1945
from panmun.korean.hangul import LEADS, compose, decompose, is_syllable, jamo_key, nfc
from panmun.korean.names import latin_name_keys, split_latin_name
from panmun.korean.orthography import south_form
from panmun.korean.romanization import hangul_key, latin_key
from panmun.korean.surnames import by_latin, split_full_name

from .records import PersonRecord, raw_table

# The columns' types, for the table the engine builds: integers and a list; the rest are text.
INTEGER_COLUMNS = ("birth_year", "birth_month", "birth_day")
LIST_COLUMNS = (
    "birth_dates",
    "birthplace_areas",
    "given_sets",
    "given_syllables",
    "family_folds",
    "given_folds",
    "name_keys",
    "name_folds",
    "birth_years",
    "birth_year_near",
    "provinces_1945",
)
INTEGER_LIST_COLUMNS = ("birth_years",)
# The keys whose letters are also kept as bits (`letters`), as 64-bit integer columns
# `<key>_letters`.
LETTERED = ("given_jamo", "given_soft_jamo", "given_key", "given_alt")
LETTER_COLUMNS = tuple(f"{key}_letters" for key in LETTERED)
FEATURE_COLUMNS = (
    "record_id",
    "family_canonical",
    "given_canonical",
    "family_jamo",
    "given_jamo",
    "given_soft_jamo",
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
    "family_alt",
    "given_alt",
    "given_sets",
    "given_syllables",
    "family_folds",
    "given_folds",
    "name_keys",
    "name_folds",
    "birth_years",
    "birth_year_near",
    "provinces_1945",
    *LETTER_COLUMNS,
)
# The bits of a letter set: 63, so that the set is a positive 64-bit integer.
LETTER_BITS = 63


SCHEMA = pa.schema(
    [
        (
            column,
            pa.int32()
            if column in INTEGER_COLUMNS
            else pa.int64()
            if column in LETTER_COLUMNS
            else pa.list_(pa.int32())
            if column in INTEGER_LIST_COLUMNS
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
def _father(name: str, child_family: str = "") -> tuple[str, str, str]:
    """The father's canonical full name, and the neutral key and jamo key of his given name.

    A father is often written by his given name alone (재현 for 김재현: his surname is the
    child's). A Hangul name of one or two syllables that does not begin with the child's
    surname is taken for that: all of it is his given name, not 재 + 현."""
    if not name:
        return "", "", ""
    if _hangul(name):
        name = nfc(name).strip()
        child = nfc(child_family).strip()
        surname = south_form(child) if _hangul(child) and len(child) <= 2 else ""
        if surname and " " not in name and len(name) <= 2 and south_form(name[:1]) != surname:
            given = south_form(name)
            return surname + given, hangul_key(given), jamo_key(given)
        try:
            family, given = split_full_name(name)
        except ValueError:
            return south_form(name), hangul_key(name), jamo_key(south_form(name))
        given = south_form(given)
        return south_form(family) + given, hangul_key(given), jamo_key(given)
    keys = latin_name_keys(name)
    return "", keys[0][1] if keys else "", ""


_VOWEL_RUN = re.compile(r"[AEIOUWY]+")
_LATIN_PARTS = re.compile(r"[\s\-.,·]+")


_SOFT_LEADS = {LEADS.index(c) for c in "ㄴㄹ"}
_SILENT_LEAD = LEADS.index("ㅇ")


def soft_jamo(text: str) -> str:
    """The jamo key with ㄴ, ㄹ and ㅇ at the start of a syllable as one: the initial-sound
    rule writes 량 as 양 in the South, and a memory of it as 낭 or 냥; 려순 is remembered as
    러순. Two names one jamo apart on this key differ by a slip, not by a syllable."""
    out = []
    for char in text:
        if is_syllable(char):
            s = decompose(char)
            lead = _SILENT_LEAD if s.lead in _SOFT_LEADS else s.lead
            char = compose(lead, s.vowel, s.tail)
        out.append(char)
    return jamo_key("".join(out))


def fold(key: str) -> str:
    """A neutral key with every vowel run folded to one letter: spellings of no standard system
    differ mostly in their vowels (Choy and 최, Yum and 렴, Kum and 금), as do slips of the pen
    (덕녀 and 덕너)."""
    return _VOWEL_RUN.sub("V", key)


@dataclass(frozen=True)
class Reading:
    """One way of reading a name: the surname's keys (its own, and those of the Hangul
    surnames its Latin spelling stands for), the given name's key and its syllables' keys."""

    family: tuple[str, ...]
    given: str
    syllables: tuple[str, ...]
    # A Latin given name written as one word, cut into two syllables where it may be cut
    # (Hwanyoung: Hwan-young or Hwa-nyoung): one reading for each cut.
    cut: bool = False

    @property
    def syllable_set(self) -> str:
        """The given name's syllables in an order of their own: 춘숙 and 숙춘 agree. A Latin
        given name written as one word (Silok) cannot be cut into syllables: its key."""
        return ".".join(sorted(self.syllables)) if len(self.syllables) > 1 else self.given

    @property
    def folded_sets(self) -> tuple[str, ...]:
        whole = fold(self.given)
        if len(self.syllables) > 1:
            return (".".join(sorted(fold(k) for k in self.syllables)), whole)
        return (whole,)


def _hangul_reading(family: str, given: str) -> Reading:
    return Reading(
        (hangul_key(family),) if family else (),
        hangul_key(given) if given else "",
        tuple(hangul_key(c) for c in given if is_syllable(c)),
    )


def _latin_family(text: str) -> tuple[str, ...]:
    """The keys of a surname in Latin letters: those of the Hangul surnames the surname table
    knows it as (Rhee → 이, Youm → 염, Jei → 제), first, since the first is the one compared,
    then its own (a spelling the table does not know is still compared by its own key)."""
    keys = [hangul_key(s.south) for s in by_latin(text)] + [latin_key(text)]
    return tuple(dict.fromkeys(k for k in keys if k))


def _latin_readings(latin: str) -> list[Reading]:
    """Every reading of a name in Latin letters: surname first and surname last, whichever
    the surname table prefers first (it cannot know `Yum` or `Choy`; nobody writes a rule for
    every spelling)."""
    readings = list(split_latin_name(latin))
    tokens = [t for t in latin.split() if t]
    if len(tokens) > 1 and "," not in latin:
        for other in ((tokens[0], " ".join(tokens[1:])), (tokens[-1], " ".join(tokens[:-1]))):
            if other not in readings:
                readings.append(other)
    out = []
    cuts = []
    for family_text, given_text in readings:
        parts = [p for p in _LATIN_PARTS.split(given_text) if p]
        syllables = tuple(latin_key(p) for p in parts) if len(parts) > 1 else ()
        family_keys = _latin_family(family_text)
        given_key = latin_key(given_text)
        out.append(Reading(family_keys, given_key, syllables))
        if len(parts) == 1:
            cuts += [
                Reading(family_keys, given_key, cut, cut=True) for cut in two_syllables(given_key)
            ]
    return out + cuts


# A syllable's vowel in a neutral key: a glide (W, Y) and the vowels after it.
_NUCLEUS = re.compile(r"[WY]?[AEIOU]+|[WY]")
_CODAS = frozenset({"", "K", "N", "T", "L", "M", "P", "NG"})


def two_syllables(key: str) -> list[tuple[str, str]]:
    """The ways a neutral key of two syllables written as one word may be cut in two: in the
    consonants between the two vowels, leaving the first syllable an ending the key knows
    (none, K, N, T, L, M, P, NG) and the second at most one consonant before its vowel
    (HWANYONG: HWA NYONG, HWAN YONG; KWANGKI: KWANG KI). Keys of one syllable or of more
    than two give none."""
    nuclei = list(_NUCLEUS.finditer(key))
    if len(nuclei) != 2:
        return []
    first, second = nuclei
    between = key[first.end() : second.start()]
    return [
        (key[: first.end() + k], key[first.end() + k :])
        for k in range(len(between) + 1)
        if between[:k] in _CODAS and len(between) - k <= 1
    ]


@lru_cache(maxsize=_KEPT)
def _name(family: str, given: str, latin: str) -> tuple[Any, ...]:
    """Canonical Hangul, jamo keys and neutral keys of the family and given names, the
    neutral key of the given name's first syllable, and what the name may mean besides (the
    other reading of a Latin name, the syllables as a set, the folded keys, the blocking
    keys; see the module's docstring)."""
    if family and not given and _hangul(family) and len(family) > 1:
        family, given = split_full_name(family)  # a whole name in the surname column
    family_canonical = south_form(family) if _hangul(family) else ""
    given_canonical = south_form(given) if _hangul(given) else ""
    readings: list[Reading] = []
    if family_canonical or given_canonical:
        readings.append(_hangul_reading(family_canonical, given_canonical))
    latin_readings = _latin_readings(latin) if latin else []
    family_key = hangul_key(family_canonical) if family_canonical else ""
    given_key = hangul_key(given_canonical) if given_canonical else ""
    given_initial = hangul_key(given_canonical[0]) if given_canonical else ""
    family_alt = given_alt = ""
    if latin_readings and not (family_key and given_key):
        first = latin_readings[0]
        family_key = family_key or (first.family[0] if first.family else "")
        if not given_key:
            given_key = first.given
            given_initial = first.syllables[0] if first.syllables else ""
        uncut = [r for r in latin_readings if not r.cut]
        if len(uncut) > 1 and not (family_canonical or given_canonical):
            second = uncut[1]
            family_alt = second.family[0] if second.family else ""
            given_alt = second.given
        readings += latin_readings
    given_sets = {r.syllable_set for r in readings if r.syllable_set}
    whole = [r for r in readings if not r.cut]
    given_syllables = {k for r in whole for k in r.syllables} or {r.given for r in whole if r.given}
    given_syllables |= {k for r in readings if r.cut for k in r.syllables}
    family_folds = {fold(k) for r in readings for k in r.family}
    given_folds = {f for r in readings for f in r.folded_sets if f}
    # The syllables as a set, and the whole given name (a Latin given name written as one
    # word, Yonglyon, cannot be cut into syllables).
    name_keys = {
        f"{k}:{g}" for r in readings for k in r.family for g in {r.syllable_set, r.given} if g
    }
    name_folds = {f"{fold(k)}:{f}" for r in readings for k in r.family for f in r.folded_sets if f}

    def listed(values: set[str]) -> list[str] | None:
        return sorted(values) or None

    return (
        family_canonical or None,
        given_canonical or None,
        jamo_key(family_canonical) or None,
        jamo_key(given_canonical) or None,
        soft_jamo(given_canonical) or None,
        family_key or None,
        given_key or None,
        given_initial or None,
        family_alt or None,
        given_alt or None,
        listed(given_sets),
        listed(given_syllables),
        listed(family_folds),
        listed(given_folds),
        listed(name_keys),
        listed(name_folds),
    )


def letters(text: str | None) -> tuple[int | None]:
    """The letters of a key as a set of bits: bit `ord(letter) % LETTER_BITS` for each. Two
    letters may share a bit; the set then says less, never something false: a letter one key
    has and the other lacks sets a bit the other lacks unless another of its letters shares
    it, so the bits one key has and the other lacks are never more than such letters. None
    for no key (the comparisons' NULL)."""
    if text is None:
        return (None,)
    bits = 0
    for letter in text:
        bits |= 1 << (ord(letter) % LETTER_BITS)
    return (bits,)


@lru_cache(maxsize=_KEPT)
def _dates(year: int, month: int, day: int, calendar: Calendar) -> tuple[str, ...]:
    return tuple(d.isoformat() for d in solar_candidates(year, month, day, calendar))


@lru_cache(maxsize=_KEPT)
def _place(text: str) -> tuple[str | None, list[str] | None, list[str] | None]:
    if not text:
        return None, None, None
    return canonical_place_key(text), place_areas(text) or None, provinces_1945(text) or None


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
) -> tuple[list[str] | None, str | None, str | None, list[int] | None, list[str] | None]:
    """The candidate dates, the first and the last of them, the solar years the birthday may
    mean, and those years with the next one each (for blocking on a year ± 1)."""
    full = bool(year and month and day)
    dates = list(_dates(int(year), int(month), int(day), Calendar(calendar))) if full else []
    years = sorted({int(year), *(int(d[:4]) for d in dates)}) if year else []
    near = sorted({str(y + k) for y in years for k in (0, 1)}) or None
    if not dates:
        return None, None, None, years or None, near
    return dates, dates[0], dates[-1], years, near


def feature_table(raw: pa.Table, schema: pa.Schema | None = None) -> pa.Table:
    """The comparison columns of a whole list read by `records.read_table`: the same values
    `features` gives record by record, each computed once per distinct value."""
    column = {name: raw.column(name).combine_chunks() for name in raw.column_names}
    text, words = pa.string(), pa.list_(pa.string())
    name = _mapped(
        [column["family_name"], column["given_name"], column["name_latin"]],
        _name,
        [text] * 10 + [words] * 6,
    )
    birth = [column["birth_year"], column["birth_month"], column["birth_day"]]
    dates = _mapped(
        [pc.fill_null(pc.cast(b, pa.string()), "") for b in birth] + [column["birth_calendar"]],
        _dates_of,
        [words, text, text, pa.list_(pa.int32()), words],
    )
    place = _mapped([column["birthplace"]], _place, [text, words, words])
    father = _mapped([column["father_name"], column["family_name"]], _father, [text, text, text])
    sex = pc.if_else(pc.equal(column["sex"], ""), pa.scalar(None, text), column["sex"])
    father_values = [pc.if_else(pc.equal(f, ""), pa.scalar(None, text), f) for f in father]
    out = {
        "record_id": column["record_id"],
        "family_canonical": name[0],
        "given_canonical": name[1],
        "family_jamo": name[2],
        "given_jamo": name[3],
        "given_soft_jamo": name[4],
        "family_key": name[5],
        "given_key": name[6],
        "given_initial": name[7],
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
        "family_alt": name[8],
        "given_alt": name[9],
        "given_sets": name[10],
        "given_syllables": name[11],
        "family_folds": name[12],
        "given_folds": name[13],
        "name_keys": name[14],
        "name_folds": name[15],
        "birth_years": dates[3],
        "birth_year_near": dates[4],
        "provinces_1945": place[2],
    }
    for key in LETTERED:
        out[f"{key}_letters"] = _mapped([out[key]], letters, [pa.int64()])[0]
    schema = schema or SCHEMA
    return pa.table([out[n].cast(schema.field(n).type) for n in schema.names], schema=schema)
