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
) -> cl.CustomComparison:
    """Null, then the `near` levels (SQL, label) from the strongest down, then all others.

    With `frequency`, the first level's weight is adjusted by how common the value of that
    column is (Splink's term-frequency adjustment): two records that share a rare name say
    more than two that share 김영수."""
    first: Any
    first, *rest = (cll.CustomLevel(sql, label) for sql, label in near)
    if frequency is not None:
        first = first.configure(tf_adjustment_column=frequency, tf_adjustment_weight=1.0)
    return cl.CustomComparison(
        [null_level(null_column), first, *rest, cll.ElseLevel()],
        output_column_name=output,
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

    def em_fallback(self, rule: Rule) -> Rule | None:
        """A broader rule for an EM session whose own rule finds too few pairs in these
        lists (see `engine.EM_MIN_PAIRS`), or None."""
        return None

    @abstractmethod
    def shown_columns(self) -> dict[str, tuple[str, ...]]:
        """For each comparison, the columns a reviewer reads to see why it scored as it did."""


# --- Korean people ---------------------------------------------------------------------


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

        jamo = 'levenshtein("given_jamo_l", "given_jamo_r")'
        key = 'levenshtein("given_key_l", "given_key_r")'

        def years(n: int) -> str:
            return f'abs("birth_year_l" - "birth_year_r") <= {n}'

        return [
            levels(
                "family",
                "family_key",
                [
                    same("family_key"),
                    ('levenshtein("family_jamo_l", "family_jamo_r") <= 1', "jamo ≤ 1"),
                ],
                frequency="family_key",
            ),
            levels(
                "given",
                "given_key",
                [
                    same("given_key"),
                    # One jamo wrong that barely changes the sound (쳘/철, 버/범, 저/자) is
                    # a slip of the pen; brothers' names differ by more (수/호, 철/호).
                    (f"{jamo} <= 1 AND {key} <= 1", "one slip"),
                    # After 1945 the North had Japanese-style names in -자 (子) changed, most
                    # often to -희, -숙, -옥 or -순: 순자 in the South's memory is 순희 today.
                    (
                        'length("given_canonical_l") = 2 AND length("given_canonical_r") = 2 '
                        'AND left("given_canonical_l", 1) = left("given_canonical_r", 1) '
                        "AND (right(\"given_canonical_l\", 1) = '자') "
                        "<> (right(\"given_canonical_r\", 1) = '자')",
                        "a -자 name changed",
                    ),
                    (f"{jamo} <= 1 OR {key} <= 1", "jamo or key ≤ 1"),
                    (f"{jamo} <= 2 OR {key} <= 2", "jamo or key ≤ 2"),
                ],
                frequency="given_key",
            ),
            levels(
                "birth",
                "birth_year",
                [
                    ('list_has_any("birth_dates_l", "birth_dates_r")', "a shared solar date"),
                    (
                        '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r"',
                        "same year and month",
                    ),
                    (years(0), "same year"),
                    (years(1), "year ± 1"),
                    (years(2), "year ± 2"),
                    (years(5), "year ± 5"),
                ],
            ),
            cl.CustomComparison(
                [
                    cll.CustomLevel(
                        '("birthplace_key_l" IS NULL AND "birthplace_areas_l" IS NULL) '
                        'OR ("birthplace_key_r" IS NULL AND "birthplace_areas_r" IS NULL)',
                        label_for_charts="null",
                    ).configure(is_null_level=True),
                    cll.CustomLevel(*same("birthplace_key")),
                    cll.CustomLevel(
                        'list_has_any("birthplace_areas_l", "birthplace_areas_r")',
                        "one province, or one place inside the other",
                    ),
                    cll.ElseLevel(),
                ],
                output_column_name="birthplace",
            ),
            levels(
                "father",
                "father_key",
                [
                    same("father_key"),
                    (
                        'levenshtein("father_jamo_l", "father_jamo_r") <= 1 '
                        'AND levenshtein("father_key_l", "father_key_r") <= 1',
                        "one slip",
                    ),
                    ('levenshtein("father_key_l", "father_key_r") <= 1', "key ≤ 1"),
                ],
                frequency="father_key",
            ),
            levels("sex", "sex", [('"sex_l" = "sex_r"', "same")]),
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
            ("family_key", "father_key", "given_initial"),
            ("family_key", "birth_year", "birthplace_key"),  # a slip in the given name
            ("family_key", "given_initial", "birthplace_key", "sex"),
            # A slip in the given name, with no place on one side: the surname and a date
            # (the first or the last solar reading; see features).
            ("family_key", "birth_date_first"),
            ("family_key", "birth_date_last"),
            ("given_key", "birth_date_first"),  # a slip in the surname
        ]

    def broad_blocking_rules(self) -> list[Rule]:
        # A name with the year or the place wrong or missing, a slip in the given name with
        # no place, a surname and a place: fine for lists of thousands, not of millions.
        return [
            ("family_key", "given_key"),
            ("family_key", "given_initial", "birth_year"),
            ("family_key", "birthplace_key"),
            ("given_key", "birth_year"),
            ("family_key", "father_key"),
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

    def em_fallback(self, rule: Rule) -> Rule | None:
        if rule == ("family_key", "given_key", "father_key"):
            return ("family_key", "given_key")
        return None

    def shown_columns(self) -> dict[str, tuple[str, ...]]:
        return {
            "family": ("family_key", "family_jamo"),
            "given": ("given_key", "given_jamo"),
            "birth": ("birth_dates", "birth_year", "birth_month"),
            "birthplace": ("birthplace_key", "birthplace_areas"),
            "father": ("father_key", "father_jamo"),
            "sex": ("sex",),
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
