"""What a model compares: a profile names its columns, builds the table of comparison columns
from the records, and declares the Splink comparisons, blocking rules and training rules.

- `KoreanProfile` ("korean"): people in the file contract of `records`, compared on the
  Korean-aware columns of `features` (both orthographies in one form, romanization-neutral
  keys, every solar date a birthday may mean, today's place names).
- `GenericProfile` ("generic"): any table of records whose columns are given roles (name,
  date, identifier, text, code, category); for lists that are not Korean, such as FEBRL.

Every comparison is SQL over ASCII or neutral keys computed before linkage, so the backend
never runs Python per pair and never measures raw Hangul byte by byte.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, cast

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl

from .features import SCHEMA, feature_table
from .records import PersonRecord, raw_table

Rule = tuple[str, ...]  # the columns a blocking rule requires to be equal
Role = Literal["name", "date", "identifier", "text", "code", "category"]
ROLES: tuple[Role, ...] = ("name", "date", "identifier", "text", "code", "category")


def null_level(column: str) -> Any:
    return cll.CustomLevel(
        f'"{column}_l" IS NULL OR "{column}_r" IS NULL', label_for_charts="null"
    ).configure(is_null_level=True)


def levels(
    output: str,
    null_column: str,
    near: Sequence[tuple[str, str]],
    *,
    frequency: str | None = None,
    frequencies: Mapping[str, str] | None = None,
) -> cl.CustomComparison:
    """Null, then the `near` levels (SQL, label) from the strongest down, then all others.

    With `frequency`, the first level's weight is adjusted by how common the value of that
    column is (Splink's term-frequency adjustment): two records that share a rare name say
    more than two that share 김영수. `frequencies` does the same for levels by label
    (label → column); each such level must be an equality of that column."""
    adjusted = dict(frequencies or {})
    if frequency is not None:
        adjusted[near[0][1]] = frequency
    built: list[Any] = []
    for sql, label in near:
        level: Any = cll.CustomLevel(sql, label)
        if label in adjusted:
            level = level.configure(
                tf_adjustment_column=adjusted[label],
                tf_adjustment_weight=1.0,
                disable_tf_exact_match_detection=True,
            )
        built.append(level)
    return cl.CustomComparison(
        [null_level(null_column), *built, cll.ElseLevel()],
        output_column_name=output,
    )


# Two keys at most n edits apart, measured only where their letters allow it: n edits leave
# at most n letters one key has and the other lacks, and their bits (`features.letters`) are
# never more. Most pairs of names fail this test of two integers, and the distance is not
# measured (half the given-name comparison's cost per pair). A macro, so that the comparisons'
# SQL stays short for Splink, which parses every level's SQL again in each EM session; the
# engine creates it on every connection it opens (MACROS).
NEAR = "panmun_near"
MACROS = (
    f"CREATE OR REPLACE MACRO {NEAR}(a, b, a_letters, b_letters, n) AS "
    "bit_count(a_letters & ~b_letters) <= n AND bit_count(b_letters & ~a_letters) <= n "
    "AND levenshtein(a, b) <= n",
)


class Profile(ABC):
    """The columns and comparisons of one kind of model."""

    name: ClassVar[str]
    id_column: ClassVar[str] = "record_id"

    def options(self) -> dict[str, Any]:
        """What, beside its name, rebuilds this profile from a saved model."""
        return {}

    @abstractmethod
    def schema(self) -> pa.Schema: ...

    @abstractmethod
    def rows(self, records: Iterable[Any]) -> Iterable[dict[str, Any]]: ...

    def table(self, records: Iterable[Any]) -> pa.Table:
        return pa.Table.from_pylist(list(self.rows(records)), schema=self.schema())

    @abstractmethod
    def comparisons(self) -> list[cl.CustomComparison]: ...

    @abstractmethod
    def blocking_rules(self) -> list[Rule]:
        """The rules that generate the candidate pairs to score."""

    def broad_blocking_rules(self) -> list[Rule]:
        """Rules that find more true pairs where lists are short, used while the pairs they
        generate fit the engine's budget (see `engine.PAIR_BUDGET`)."""
        return []

    @abstractmethod
    def prior_rules(self) -> list[Rule]:
        """Rules that nearly only true pairs meet, to estimate how rare a match is."""

    @abstractmethod
    def em_rules(self) -> list[Rule]:
        """Blocking rules of the EM sessions; together they let every comparison vary."""

    def unordered_levels(self) -> frozenset[tuple[str, str]]:
        """Levels (output column, label) that stand apart from their comparison's order from
        the closest agreement to the farthest (see `engine._smooth_m`)."""
        return frozenset()

    def joint_levels(self) -> dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]]:
        """Levels (comparison, label) that correct the sum of other comparisons' weights
        where those agree together far more often than apart: for each, the levels of other
        comparisons (comparison, labels) whose joint agreement it stands for. Its m is set,
        once u is estimated, to the product over those comparisons of their levels' u."""
        return {}

    def em_fallback(self, rule: Rule) -> Rule | None:
        """A broader rule for an EM session whose own rule finds too few pairs in these
        lists (see `engine.EM_MIN_PAIRS`), or None."""
        return None

    @abstractmethod
    def shown_columns(self) -> dict[str, tuple[str, ...]]:
        """For each comparison, the columns a reviewer reads to see why it scored as it did."""


# --- Korean people ---------------------------------------------------------------------

SAME_FATHER_SIBLINGS = "same father, brothers' or sisters' names"
SIBLINGS_M = 0.001
ONE_FAMILY = "surname, birthplace and father all agree"
# Levels that are alternatives to their neighbours, not a step further from agreement: their
# weights are their own, neither capped by the level before nor a cap on the next.
UNORDERED = frozenset(
    {
        ("family", "the other reading"),
        ("family", "same consonants"),
        ("given", "same neutral key, other Hangul"),
        ("given", "the other reading"),
        ("given", "a -자 name changed"),
        ("given", "the same syllables, in another order"),
        ("given", "the same consonants"),
        ("given", "one syllable shared, the other another name"),
        ("birth", "the day or the month differs"),
        ("birth", "same year, other dates"),
        ("birth", "year ± 2, other dates"),
        ("birthplace", "one province of 1945"),
        ("father", SAME_FATHER_SIBLINGS),
    }
)


class KoreanProfile(Profile):
    name = "korean"

    def schema(self) -> pa.Schema:
        return SCHEMA

    def table(self, records: Iterable[PersonRecord]) -> pa.Table:
        return feature_table(raw_table(list(records)))

    def rows(self, records: Iterable[PersonRecord]) -> Iterable[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.table(records).to_pylist()
        return iter(rows)

    def comparisons(self) -> list[cl.CustomComparison]:
        def same(key: str) -> tuple[str, str]:
            return f'"{key}_l" = "{key}_r"', "same neutral key"

        def other_reading(key: str, alt: str) -> tuple[str, str]:
            # A name in Latin letters has two readings (surname first or last): agreeing on
            # the other one is agreeing (its own level: the value's frequency is the first's).
            return f'("{alt}_l" = "{key}_r" OR "{key}_l" = "{alt}_r")', "the other reading"

        def shared(column: str) -> str:
            return f'list_has_any("{column}_l", "{column}_r")'

        # Jamo apart, counting ㄴ, ㄹ and ㅇ at a syllable's start as one (the initial-sound
        # rule and its slips: 량남 / 낭남, 려순 / 러순).
        jamo = (
            'least(levenshtein("given_jamo_l", "given_jamo_r"), '
            'levenshtein("given_soft_jamo_l", "given_soft_jamo_r"))'
        )

        def within(left: str, right: str, n: int) -> str:
            # levenshtein(left of one record, right of the other) <= n; see NEAR.
            return f'{NEAR}("{left}_l", "{right}_r", "{left}_letters_l", "{right}_letters_r", {n})'

        # `jamo <= n` and `key <= n`, the same as a CASE's condition (where NULL is false: a
        # Latin name has no jamo, a Hangul one no other reading).
        def jamo_within(n: int) -> str:
            return (
                f"({within('given_jamo', 'given_jamo', n)} "
                f"OR {within('given_soft_jamo', 'given_soft_jamo', n)})"
            )

        def key_within(n: int) -> str:
            return (
                f"({within('given_key', 'given_key', n)} "
                f"OR {within('given_alt', 'given_key', n)} "
                f"OR {within('given_key', 'given_alt', n)})"
            )

        def years(n: int) -> str:
            return f'abs("birth_year_l" - "birth_year_r") <= {n}'

        full = '("birth_day_l" IS NOT NULL AND "birth_day_r" IS NOT NULL)'
        # False, not NULL, where a side has no Hangul given name: a Latin name is neither
        # brothers' nor not. As a CASE, so that the backend measures the jamo apart only for
        # the few pairs whose names share a syllable in its place (half the cost per pair).
        sibling = (
            'CASE WHEN length("given_canonical_l") = 2 AND length("given_canonical_r") = 2 '
            'AND (left("given_canonical_l", 1) = left("given_canonical_r", 1) '
            'OR right("given_canonical_l", 1) = right("given_canonical_r", 1)) '
            f"THEN coalesce({jamo} >= 2, false) ELSE false END"
        )

        # Born at most a year apart, by any solar year either date may mean.
        near_years = 'list_has_any("birth_year_near_l", "birth_year_near_r")'
        # After 1945 the North had Japanese-style names in -자 (子) changed, most often to -희,
        # -숙, -옥 or -순: 순자 in the South's memory is 순희 today.
        ja_changed = (
            'length("given_canonical_l") = 2 AND length("given_canonical_r") = 2 '
            'AND left("given_canonical_l", 1) = left("given_canonical_r", 1) '
            "AND (right(\"given_canonical_l\", 1) = '자') "
            "<> (right(\"given_canonical_r\", 1) = '자')"
        )

        return [
            levels(
                "family",
                "family_key",
                [
                    same("family_key"),
                    other_reading("family_key", "family_alt"),
                    ('levenshtein("family_jamo_l", "family_jamo_r") <= 1', "jamo ≤ 1"),
                    # Spellings of no standard system differ in their vowels: Choy and 최,
                    # Yum and 렴 (and the surname table's spellings: Rhee, Youm).
                    (shared("family_folds"), "same consonants"),
                ],
                frequency="family_key",
            ),
            levels(
                "given",
                "given_key",
                [
                    ('"given_canonical_l" = "given_canonical_r"', "same in Hangul"),
                    # The neutral key hears ㅓ, ㅗ, ㅜ and ㅡ as one vowel, as Latin letters
                    # write them: between two Hangul names it joins 영근 and 용근, brothers as
                    # often as a slip. Its own level; the key's own is for Latin letters.
                    (
                        '"given_key_l" = "given_key_r" AND "given_canonical_l" IS NOT NULL '
                        'AND "given_canonical_r" IS NOT NULL',
                        "same neutral key, other Hangul",
                    ),
                    same("given_key"),
                    other_reading("given_key", "given_alt"),
                    # One jamo wrong that barely changes the sound (쳘/철, 버/범, 저/자) is
                    # a slip of the pen; brothers' names differ by more (수/호, 철/호).
                    (f"{jamo_within(1)} AND {key_within(1)}", "one slip"),
                    (ja_changed, "a -자 name changed"),
                    # The two syllables remembered in the other order (춘숙 / 숙춘).
                    (shared("given_sets"), "the same syllables, in another order"),
                    # Brothers and sisters: one syllable shared in its place (the generation
                    # syllable, 돌림자), the other another name, not a slip (영수 / 영호, 순자 /
                    # 순희 aside, which the -자 level takes). Its own level, so that a
                    # brother's name never passes for a slip: the three levels after it are
                    # slips that are not brothers' names. It stands apart from the order
                    # (UNORDERED) and is asked here, before them, so that the backend tests
                    # this costly condition once per pair, not once per level (a third of the
                    # scoring time at 100,000 vs 1,000,000).
                    (sibling, "one syllable shared, the other another name"),
                    (f"{jamo_within(1)} OR {key_within(1)}", "jamo or key ≤ 1"),
                    # Only the vowels differ (덕녀 / 덕너 after the initial-sound rule, Latin
                    # spellings of no system).
                    (shared("given_folds"), "the same consonants"),
                    (f"{jamo_within(2)} OR {key_within(2)}", "jamo or key ≤ 2"),
                ],
                frequencies={"same in Hangul": "given_canonical", "same neutral key": "given_key"},
            ),
            levels(
                "birth",
                "birth_year",
                [
                    (shared("birth_dates"), "a shared solar date"),
                    # Two full dates of one year that differ in the day or the month alone: a
                    # slip of the pen (1950-04-04 / 1950-05-04).
                    (
                        f'{full} AND "birth_year_l" = "birth_year_r" AND '
                        '("birth_month_l" = "birth_month_r" OR "birth_day_l" = "birth_day_r")',
                        "the day or the month differs",
                    ),
                    (
                        '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r"',
                        "same year and month",
                    ),
                    # A lunar date late in the year is early in the next solar one: a year
                    # either calendar may mean is the same year. A year from a Korean age is
                    # often one off. Where both sides give a full date and the dates still
                    # differ, the same year or one apart is weaker: brothers and sisters are
                    # born a year or two apart, and a full date is rarely a year wrong.
                    (f"NOT {full} AND ({years(0)} OR {shared('birth_years')})", "same year"),
                    (f"NOT {full} AND {years(1)}", "year ± 1"),
                    (f"{years(0)} OR {shared('birth_years')}", "same year, other dates"),
                    (f"NOT {full} AND {years(2)}", "year ± 2"),
                    (years(2), "year ± 2, other dates"),
                    (years(5), "year ± 5"),
                ],
            ),
            cl.CustomComparison(
                [
                    cll.CustomLevel(
                        '("birthplace_key_l" IS NULL AND "birthplace_areas_l" IS NULL '
                        'AND "provinces_1945_l" IS NULL) '
                        'OR ("birthplace_key_r" IS NULL AND "birthplace_areas_r" IS NULL '
                        'AND "provinces_1945_r" IS NULL)',
                        label_for_charts="null",
                    ).configure(is_null_level=True),
                    cll.CustomLevel(*same("birthplace_key")),
                    cll.CustomLevel(
                        shared("birthplace_areas"),
                        "one province, or one place inside the other",
                    ),
                    # A province of 1945 alone (경기도) and a place of today that lay in it
                    # (황해북도 개성시 개풍구역): weak evidence, not a contradiction.
                    cll.CustomLevel(shared("provinces_1945"), "one province of 1945"),
                    cll.ElseLevel(),
                ],
                output_column_name="birthplace",
            ),
            # The father's name is the strongest sign of one family, not of one person: two
            # children of one father whose given names look like brothers' and sisters' (one
            # syllable shared, the other another name) share him too. That pair is its own
            # level, learnt apart from "same father" (a sum of independent weights would count
            # the family twice and merge brothers).
            cl.CustomComparison(
                [
                    null_level("father_key"),
                    # Not learnt by EM: EM on a list of whole families takes a family for a
                    # match and gives this level half of its matches. For one person, names
                    # that look like a brother's or a sister's with the father agreeing are
                    # about as rare as the given-name level of that kind (m ≈ 0.002) times the
                    # father agreeing.
                    # A -자 name changed (명자 remembered in the South, 명순 in the North) is
                    # the same woman, her father still her father, where the years agree
                    # within one or one side has none; born two years or more apart, it is
                    # two sisters (순자 and 순희), as any other pair of sisters' names.
                    cll.CustomLevel(
                        f'"father_key_l" = "father_key_r" AND {sibling} '
                        f"AND NOT ({ja_changed} AND coalesce({near_years}, true))",
                        SAME_FATHER_SIBLINGS,
                    ).configure(m_probability=SIBLINGS_M, fix_m_probability=True),
                    cll.CustomLevel(*same("father_key")).configure(
                        tf_adjustment_column="father_key",
                        tf_adjustment_weight=1.0,
                        disable_tf_exact_match_detection=True,
                    ),
                    cll.CustomLevel(
                        'levenshtein("father_jamo_l", "father_jamo_r") <= 1 '
                        'AND levenshtein("father_key_l", "father_key_r") <= 1',
                        "one slip",
                    ),
                    cll.CustomLevel('levenshtein("father_key_l", "father_key_r") <= 1', "key ≤ 1"),
                    cll.ElseLevel(),
                ],
                output_column_name="father",
            ),
            levels("sex", "sex", [('"sex_l" = "sex_r"', "same")]),
            # One family, counted once: a surname, a birthplace and a father that all agree
            # are one fact (a family) far more often than three independent coincidences, so
            # the sum of the three weights overstates it. This comparison takes the excess
            # back: its u is how often random pairs agree on all three (sampled), its m the
            # product of the three levels' u (fixed; see `joint_levels`), so that its weight
            # is log2(product of the u / joint u) and the pair's total is as if the three had
            # been weighed together. Brothers and sisters, and a person against them, are
            # scored as one family and then by what tells its members apart.
            cl.CustomComparison(
                [
                    cll.CustomLevel(
                        '"family_key_l" IS NULL OR "family_key_r" IS NULL '
                        'OR "birthplace_key_l" IS NULL OR "birthplace_key_r" IS NULL '
                        'OR "father_key_l" IS NULL OR "father_key_r" IS NULL',
                        label_for_charts="null",
                    ).configure(is_null_level=True),
                    cll.CustomLevel(
                        '"family_key_l" = "family_key_r" '
                        'AND "birthplace_key_l" = "birthplace_key_r" '
                        'AND "father_key_l" = "father_key_r"',
                        ONE_FAMILY,
                    ).configure(m_probability=0.5, fix_m_probability=True),
                    cll.ElseLevel().configure(m_probability=0.5, fix_m_probability=True),
                ],
                output_column_name="one_family",
            ),
        ]

    def blocking_rules(self) -> list[Rule]:
        # Every rule asks for two agreements beside the surname: in a list of a million, a
        # name alone (순자 is one woman in twenty of that generation) or a surname and a year
        # make blocks of hundreds of millions of pairs that no score could decide anyway.
        return [
            ("family_key", "given_key", "birth_year"),
            ("family_key", "given_key", "birthplace_key"),
            ("given_key", "birth_year", "birthplace_key"),  # a slip in the surname
            ("family_key", "father_key", "birth_year"),
            ("family_key", "father_key", "birthplace_key"),
            ("family_key", "birth_year", "birthplace_key"),  # a slip in the given name
            # A slip in the given name, with no place on one side: the surname and a date
            # (the first or the last solar reading; see features).
            ("family_key", "birth_date_first"),
            ("family_key", "birth_date_last"),
            ("given_key", "birth_date_first"),  # a slip in the surname
            # Lists of keys (see features), one shared element each: the surname and the
            # given name's syllables as a set, for every reading of a Latin name (either
            # order), exact or with the vowels folded (Choy Cha Kum / 최차금), with the
            # father's name, or his name with a year at most one apart.
            ("name_folds", "father_key"),
            ("given_sets", "father_key", "birth_year_near"),  # a surname misread
        ]

    def broad_blocking_rules(self) -> list[Rule]:
        # A name with the year or the place wrong or missing, a slip in the given name with
        # no place, a surname and a place: fine for lists of thousands, not of millions.
        return [
            # A slip in the given name's second syllable with the year wrong or missing: the
            # surname, the first syllable and the father, or the place and the sex. At
            # 100,000 vs 1,000,000 they make 2.6 and 4.4 million pairs (a third of all the
            # candidates) for 50 of 72,000 pairs found; on lists of thousands they cost
            # nothing, and there the budget takes them first.
            ("family_key", "father_key", "given_initial"),
            ("family_key", "given_initial", "birthplace_key", "sex"),
            ("family_key", "given_key"),
            ("family_key", "given_initial", "birth_year"),
            ("family_key", "birthplace_key"),
            ("given_key", "birth_year"),
            ("family_key", "father_key"),
            # A name in any reading or spelling with a year at most one apart (a lunar date,
            # a Korean age) or a province of 1945: 12 to 22 million pairs each at 100,000 vs
            # 1,000,000, so within the budget only.
            ("name_keys", "birth_year_near"),
            ("name_folds", "birth_year_near"),
            ("name_keys", "provinces_1945"),
            # A name in any reading or spelling with nothing else shared (the date missing,
            # the place another), and a surname with a province of 1945 and a year ± 1.
            ("name_keys",),
            ("name_folds",),
            ("name_folds", "provinces_1945"),
            ("family_folds", "provinces_1945", "birth_year_near"),
            # A slip in one syllable of the given name, the other syllable and the surname
            # kept (in any reading), with a year ± 1 (허저덕 / 허정덕) or none (강춘홍 / 강춘호).
            ("family_folds", "given_syllables", "birth_year_near"),
            ("family_folds", "given_syllables"),
        ]

    def prior_rules(self) -> list[Rule]:
        # A name and a birth year alone are shared by namesakes in a long list; a name with a
        # birth year and a place, or with the father's name, nearly only by the same person.
        return [
            ("family_key", "given_key", "birth_year", "birthplace_key"),
            ("family_key", "given_key", "father_key"),
        ]

    def em_rules(self) -> list[Rule]:
        # Never the father without the given name: within one father's children, brothers
        # and sisters outnumber true pairs, and EM would learn that a different given name is
        # how a match looks. The full name and the father: brothers and sisters are left out
        # (their given names differ), and so are most namesakes (their fathers differ), so
        # the birth date and the place are learnt from true pairs; a name alone, in one list
        # of a generation's namesakes, let EM take "same name, any year" for a match. Lists
        # that seldom record the father (the registry's applicants) fall back on the name
        # alone (`em_fallback`).
        # One surname and one full date: brothers and sisters are left out (none shares a
        # birthday), so the given name's slips and renamings are learnt from true pairs. (The
        # year in the rule tells Splink that the birth comparison is not to be learnt there.)
        return [
            ("family_key", "given_key", "father_key"),
            ("family_key", "birth_date_first", "birth_year"),
            ("birth_year", "birthplace_key"),
        ]

    def unordered_levels(self) -> frozenset[tuple[str, str]]:
        return UNORDERED

    def joint_levels(self) -> dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]]:
        return {
            ("one_family", ONE_FAMILY): [
                ("family", ("same neutral key",)),
                ("birthplace", ("same neutral key",)),
                ("father", (SAME_FATHER_SIBLINGS, "same neutral key")),
            ]
        }

    def em_fallback(self, rule: Rule) -> Rule | None:
        if rule == ("family_key", "given_key", "father_key"):
            return ("family_key", "given_key")
        return None

    def shown_columns(self) -> dict[str, tuple[str, ...]]:
        return {
            "family": ("family_key", "family_jamo"),
            "given": ("given_key", "given_jamo", "given_sets"),
            "birth": ("birth_dates", "birth_year", "birth_month", "birth_years"),
            "birthplace": ("birthplace_key", "birthplace_areas", "provinces_1945"),
            "father": ("father_key", "father_jamo"),
            "sex": ("sex",),
            "one_family": ("family_key", "birthplace_key", "father_key"),
        }


# --- any list, by column roles -----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    role: Role

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"{self.role!r} is not one of {', '.join(ROLES)}")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.name) or self.name == "record_id":
            raise ValueError(f"{self.name!r} cannot be a column name here")


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).lower()


def _normal_date(text: str) -> str | None:
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) != 8:
        return digits or None
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def _edits(n: str, k: int) -> str:
    """Damerau-Levenshtein distance ≤ k, after the cheap test it implies (Levenshtein ≤ 2k:
    a transposition is a deletion and an insertion); the slow function then runs on few pairs."""
    return (
        f'levenshtein("{n}_l", "{n}_r") <= {2 * k} AND damerau_levenshtein("{n}_l", "{n}_r") <= {k}'
    )


def normal_value(role: Role, value: object) -> str | None:
    """The comparable form of a value: lower-case ASCII, spaces squeezed; dates YYYY-MM-DD."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.lower() in ("nan", "none", "null"):
        return None
    if role == "date":
        return _normal_date(text)
    if role in ("identifier", "code"):
        compact = re.sub(r"[\s\-./]", "", _ascii(text))
        return compact or None
    return " ".join(_ascii(text).split()) or None


class GenericProfile(Profile):
    """Records as mappings of column → value, with an id column and roles for the others."""

    name = "generic"

    def __init__(self, columns: Sequence[Column]) -> None:
        if not columns:
            raise ValueError("a generic profile needs at least one column")
        names = [c.name for c in columns]
        if len(set(names)) != len(names):
            raise ValueError("a column is named twice")
        self.columns = tuple(columns)

    def options(self) -> dict[str, Any]:
        return {"columns": [{"name": c.name, "role": c.role} for c in self.columns]}

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> GenericProfile:
        return cls([Column(str(c["name"]), cast(Role, c["role"])) for c in options["columns"]])

    def _of(self, *roles: Role) -> list[str]:
        return [c.name for c in self.columns if c.role in roles]

    def schema(self) -> pa.Schema:
        return pa.schema(
            [(self.id_column, pa.string())] + [(c.name, pa.string()) for c in self.columns]
        )

    def rows(self, records: Iterable[Mapping[str, Any]]) -> Iterable[dict[str, Any]]:
        for record in records:
            row: dict[str, Any] = {self.id_column: str(record[self.id_column])}
            for c in self.columns:
                row[c.name] = normal_value(c.role, record.get(c.name))
            yield row

    def _comparison(self, c: Column) -> cl.CustomComparison:
        n = c.name
        exact = (f'"{n}_l" = "{n}_r"', "exact")
        if c.role == "name":
            near = [
                (f'jaro_winkler_similarity("{n}_l", "{n}_r") >= {t}', f"Jaro-Winkler ≥ {t}")
                for t in (0.92, 0.8)
            ]
        elif c.role == "text":
            near = [
                (f'jaro_winkler_similarity("{n}_l", "{n}_r") >= {t}', f"Jaro-Winkler ≥ {t}")
                for t in (0.9, 0.7)
            ]
        elif c.role == "date":
            near = [
                (_edits(n, 1), "one typo"),
                (f'substr("{n}_l", 1, 4) = substr("{n}_r", 1, 4)', "same year"),
            ]
        elif c.role == "identifier":
            near = [(_edits(n, k), f"≤ {k} edits") for k in (1, 2)]
        elif c.role == "code":
            near = [(_edits(n, 1), "one typo")]
        else:
            near = []
        return levels(n, n, [exact, *near])

    def comparisons(self) -> list[cl.CustomComparison]:
        return [self._comparison(c) for c in self.columns]

    def blocking_rules(self) -> list[Rule]:
        keys = self._of("name", "date", "code", "category")
        rules: list[Rule] = [(n,) for n in self._of("identifier")]
        rules += [(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
        return rules or [(self.columns[0].name,)]

    def prior_rules(self) -> list[Rule]:
        strong = self._of("name", "date", "identifier")
        return [tuple(strong)] if strong else [tuple(c.name for c in self.columns)]

    def em_rules(self) -> list[Rule]:
        names, dates, ids = self._of("name"), self._of("date"), self._of("identifier")
        rules: list[Rule] = []
        if names:
            rules.append(tuple(names))
        if dates or ids:
            rules.append(tuple(dates + ids[:1]) if dates else (ids[0],))
        return rules or [(self.columns[0].name,)]

    def shown_columns(self) -> dict[str, tuple[str, ...]]:
        return {c.name: (c.name,) for c in self.columns}


KOREAN = KoreanProfile()


def profile_from(name: str, options: Mapping[str, Any]) -> Profile:
    """The profile a saved model names."""
    if name == KoreanProfile.name:
        return KOREAN
    if name == GenericProfile.name:
        return GenericProfile.from_options(options)
    raise ValueError(f"unknown profile {name!r}")
