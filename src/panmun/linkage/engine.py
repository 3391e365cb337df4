"""The linkage engine: Splink 5 over the comparison columns a profile computes.

- `train` fits a model to the lists it is given: the prior from rules only true pairs meet,
  u by random sampling, m by EM (unsupervised) and, where reviewers have labelled pairs (the
  same person or two people), corrected by those labels (`learning.corrected`). The result
  is a `Model`, which can be saved and reused.
- `link` finds the pairs of two lists that are the same person; `dedupe` groups one list into
  clusters of the same person; `link_new` links a new batch against an existing list without
  retraining and without comparing the existing records among themselves. Each takes a saved
  model or trains one on the spot.
- With `explain=True` every pair carries its match-weight waterfall (`explain.Waterfall`).

Records are given as the profile's records (for the Korean profile, `PersonRecord`s) or as a
table the profile already built (`comparison_table`), so a large existing list is featured
once. The backend is chosen in one place, `database_api`.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import logging
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT
from splink.internals.exceptions import EMTrainingException
from splink.internals.m_u_records_to_parameters import (
    append_u_probability_to_comparison_level_trained_probabilities,
)

from .explain import Waterfall, waterfall
from .model import Model, now
from .profiles import KOREAN, MACROS, Profile, Rule

if TYPE_CHECKING:
    from .learning import Label

logger = logging.getLogger(__name__)

# A pair is judged the same person when that is more likely than not. The probability is the
# model's posterior (its prior estimated from the lists themselves), and each record keeps at
# most its most probable partner; where a programme needs more certainty before acting (a
# tracing reply applied to the registry), it proposes only the pairs above its own, higher
# threshold and sends the rest to review.
DEFAULT_THRESHOLD = 0.5
SEED = 1945
U_MAX_PAIRS = 1e6  # Splink's own default; 2e6 changed no F1 and took 0.6 s more on FEBRL4
_SAMPLE_MODULUS = 1_000_000_000  # records are drawn for the u sample by a hash of their id
PRIOR_RECALL = 0.7
# The most candidate pairs the broad blocking rules may add to the profile's own: about what
# two cores score in a quarter of a minute with the Korean profile's comparisons. Lists of
# thousands use every rule; lists of millions only the selective ones. At 20,000 vs 50,000 a
# budget of 20,000,000 scored 10.5 million pairs for the same F1 as 3,000,000 (0.9646 and
# 0.9642) in seven times the time.
PAIR_BUDGET = 3_000_000
EM_MAX_PAIRS = 1e6  # a sample of the blocked pairs is enough to fit m; a million lists are not
M_FLOOR = 1e-3  # the least share of true pairs any comparison level is allowed
# An EM session fits the m values of a dozen comparison levels from the pairs its rule finds:
# a few hundred pairs, most of them true, are enough; fewer (lists that seldom record the
# father, say) and the profile's broader rule for that session is used instead.
EM_MIN_PAIRS = 300
# A joint level's m is the product of sampled u values, and its own u is sampled too; on
# lists that offer fewer pairs than this (a tracing round of five requests and four replies
# is 20 pairs, a fifth of them true) both samples are mostly the true pairs themselves, and
# the "correction" would veto exactly the pairs that agree most. There it is left neutral.
JOINT_MIN_PAIRS = 10_000
# A one-to-one link weighs each pair against its rivals (see `among_rivals`): pairs judged
# less probable than this on their own are not counted as anyone's rival.
RIVAL_FLOOR = 0.01
RIVAL_ROUNDS = 100
RIVAL_TOLERANCE = 1e-4
LEFT, RIGHT = "left_list", "right_list"  # Splink's dataset names (not SQL keywords)
LIST_KEYS = "list_rule_keys"  # the list rules' keys together (see `_list_keys_sql`)
NEW, EXISTING = "new_records", "existing_records"

LinkType: TypeAlias = Literal["link_only", "dedupe_only"]
Records: TypeAlias = Sequence[Any] | pa.Table


@dataclass(frozen=True)
class Pair:
    left_id: str
    right_id: str
    match_probability: float
    explanation: Waterfall | None = None


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    record_id: str


def database_api() -> Any:
    """The Splink backend: DuckDB, embedded and in memory, spilling to the system's temporary
    folder (not the working directory) when a list outgrows memory. Swap it here (Spark,
    PostgreSQL)."""
    spill = Path(tempfile.gettempdir()) / "panmun-duckdb"
    return DuckDBAPI(connect(config={"temp_directory": str(spill)}))


def connect(config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection in memory with the profiles' macros (`profiles.MACROS`), which
    their comparisons call."""
    connection = duckdb.connect(":memory:", config=config or {})
    for macro in MACROS:
        connection.execute(macro)
    return connection


def comparison_table(records: Records, profile: Profile = KOREAN) -> pa.Table:
    """The table of comparison columns for `records` (kept as is if it is one already)."""
    if isinstance(records, pa.Table):
        if not records.schema.equals(profile.schema()):
            raise ValueError(f"the table's columns are not those of the {profile.name} profile")
        return records
    return profile.table(records)


def _settings(profile: Profile, link_type: LinkType) -> dict[str, Any]:
    """A fresh, untrained model as Splink's plain dict (what a saved model is made of)."""
    creator = SettingsCreator(
        link_type=link_type,
        unique_id_column_name=profile.id_column,
        comparisons=list[Any](profile.comparisons()),
        blocking_rules_to_generate_predictions=[
            blocking_rule(r, profile.schema()) for r in profile.blocking_rules()
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    settings: dict[str, Any] = creator.get_settings("duckdb").as_dict()  # type: ignore[no-untyped-call]
    return settings


def _linker(tables: list[pa.Table], names: list[str], settings: dict[str, Any]) -> Linker:
    api = database_api()
    frames = [
        api.register(table, dataset_display_name=name)
        for table, name in zip(tables, names, strict=True)
    ]
    # Splink's check of the settings only logs columns it cannot find; the tables are the
    # profile's own (see `comparison_table`), and the check parses every level's SQL again.
    return Linker(
        frames if len(frames) > 1 else frames[0], settings, log_level=None, validate_settings=False
    )


def _rules(rules: list[Rule]) -> list[Any]:
    return [block_on(*rule) for rule in rules]


def _lists(rule: Rule, schema: pa.Schema) -> list[str]:
    """The columns of a rule that hold lists: a pair meets the rule when the two records share
    an element of each (Splink explodes them)."""
    return [c for c in rule if pa.types.is_list(schema.field(c).type)]


def blocking_rule(rule: Rule, schema: pa.Schema) -> Any:
    """Splink's blocking rule for one of a profile's rules (list columns exploded)."""
    lists = _lists(rule, schema)
    return block_on(*rule, arrays_to_explode=lists) if lists else block_on(*rule)


class _EmNotes(logging.Filter):
    """EM's warnings that a session's sample was small or that a level never showed up in
    it are expected here (each session leaves levels out on purpose, and `_smooth_m` floors
    what EM could not learn): they go to Panmun's log at debug level, not to an officer's
    terminal. Errors pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            return True
        logger.debug("splink: %s", record.getMessage().strip())
        return False


for _name in ("splink.internals.em_sampling", "splink.internals.expectation_maximisation"):
    logging.getLogger(_name).addFilter(_EmNotes())


@contextlib.contextmanager
def _splink_notes() -> Iterator[None]:
    """Splink 5 prints its EM sampling notes; they go to the log, not to the caller's stdout."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        yield
    for line in printed.getvalue().splitlines():
        logger.debug("splink: %s", line)


@_splink_notes()
def _fit(
    linker: Linker,
    profile: Profile,
    tables: list[pa.Table],
) -> None:
    training = linker.training
    sizes = [t.num_rows for t in tables]
    # Every pair the lists make: across two lists, or within one.
    universe = sizes[0] * sizes[1] if len(sizes) == 2 else sizes[0] * (sizes[0] - 1) // 2
    training.estimate_probability_two_random_records_match(
        _rules(profile.prior_rules()), recall=PRIOR_RECALL
    )
    if linker._settings_obj._probability_two_random_records_match <= 0:
        # No pair met the rules (a list without duplicates): assume about one match in all,
        # since a prior of 0 would make every pair impossible and EM undefined.
        linker._settings_obj._probability_two_random_records_match = 1 / max(universe, 2)
    _estimate_u(linker, profile, tables)
    _joint_m(linker, profile, neutral=universe < JOINT_MIN_PAIRS)
    link_type = "link_only" if len(tables) == 2 else "dedupe_only"
    for rule in profile.em_rules():
        fallback = profile.em_fallback(rule)
        if fallback is not None and pair_count(rule, tables, link_type) < EM_MIN_PAIRS:
            logger.info("EM on %s: too few pairs, %s instead", rule, fallback)
            rule = fallback
        # A session works on the linker's own model with the comparisons of its blocking
        # rule taken out, and puts them back only when it succeeds; keep a copy to restore.
        before = linker._settings_obj.core_model_settings.copy()  # type: ignore[no-untyped-call]
        try:
            # EM sees every pair with its names' frequencies (Splink's default). On the
            # counts of each pattern of levels alone it took a third less time at 2,000 vs
            # 5,000, and F1 at 100,000 vs 1,000,000 fell from 0.8927 to 0.8808.
            training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule),
                fix_probability_two_random_records_match=False,
                max_pairs=EM_MAX_PAIRS,
            )
        except (ValueError, EMTrainingException) as exc:
            # On a small list, EM can drive a level's m to 0, which Splink 5 refuses, or a
            # session's rule can find no pair at all; the other sessions (or the level's
            # starting value) then stand for it.
            linker._settings_obj.core_model_settings = before
            logger.warning("EM on %s skipped: %s", rule, exc)
    matches = linker._settings_obj._probability_two_random_records_match * universe
    _smooth_m(linker, profile.unordered_levels(), matches=matches)


def _estimate_u(linker: Linker, profile: Profile, tables: list[pa.Table]) -> None:
    """The u of every comparison level: how often two records drawn at random fall in it,
    counted on a sample of about U_MAX_PAIRS pairs (Splink's random sampling, in one pass).

    Splink's `estimate_u_using_random_sampling` counts one comparison at a time, each over ten
    chunks of its sample and each chunk a new cross join, on one core (the sample is too small
    for DuckDB to share out): with the Korean profile's seven comparisons that was most of the
    time a list of thousands took to train (2.1–3.1 s at 2,000 vs 5,000). Here every
    comparison is counted in one pass, the pairs shared out among the cores by a hash of the
    right record's id (0.6–0.8 s on two cores). The sample is the same kind: records drawn by
    a hash of their id and SEED, so that the cross join makes about U_MAX_PAIRS pairs (for one
    list, the pairs within the sample); the u values are written where Splink writes its own,
    as trained values, a level no sampled pair showed marked as not observed."""
    comparisons = linker._settings_obj.comparisons
    columns = tables[0].column_names
    identifier = f'"{profile.id_column}"'
    if len(tables) == 2:
        share = min(1.0, (U_MAX_PAIRS / max(tables[0].num_rows * tables[1].num_rows, 1)) ** 0.5)
        right, condition = "sample1", "true"
    else:
        wanted = 0.5 * ((8 * U_MAX_PAIRS + 1) ** 0.5 + 1)  # rows whose pairs are U_MAX_PAIRS
        share = min(1.0, wanted / max(tables[0].num_rows, 1))
        right, condition = "sample0", f"l.{identifier} < r.{identifier}"
    bound = round(share * _SAMPLE_MODULUS)
    both = ", ".join(
        [f'l."{c}" AS "{c}_l"' for c in columns] + [f'r."{c}" AS "{c}_r"' for c in columns]
    )
    gammas = ", ".join(c._case_statement for c in comparisons)
    histograms = ", ".join(f"histogram({c._gamma_column_name})" for c in comparisons)
    counts: list[Counter[int]] = [Counter() for _ in comparisons]
    with _counting(tables) as connection:
        for number in range(len(tables)):
            # Tables of the database, not of the connection: every cursor sees them.
            connection.execute(
                f"CREATE TABLE sample{number} AS SELECT * FROM t{number} "  # noqa: S608
                f"WHERE hash({identifier} || '_{SEED}') % {_SAMPLE_MODULUS} < {bound}"
            )
        ((threads,),) = connection.execute("SELECT current_setting('threads')").fetchall()
        parts = max(1, int(threads))

        def count(part: int) -> tuple[Any, ...] | None:
            cursor = connection.cursor()  # one per thread; closed with its answer
            try:
                return cursor.execute(
                    f"SELECT {histograms} FROM (SELECT {gammas} FROM "  # noqa: S608
                    f"(SELECT {both} FROM sample0 l JOIN {right} r ON {condition} "
                    f"AND hash(r.{identifier}) % {parts} = {part}))"
                ).fetchone()
            finally:
                cursor.close()

        with ThreadPoolExecutor(parts) as pool:
            for row in pool.map(count, range(parts)):
                for tally, histogram in zip(counts, row or (), strict=False):
                    tally.update(histogram or {})
    for comparison, count_of in zip(comparisons, counts, strict=True):
        total = sum(n for value, n in count_of.items() if value != -1)
        found: dict[int, Any] = {}
        for level in comparison._comparison_levels_excluding_null:
            n = count_of.get(level.comparison_vector_value, 0)
            found[level.comparison_vector_value] = {
                "u_probability": n / total if n else LEVEL_NOT_OBSERVED_TEXT
            }
        lookup = {comparison.output_column_name: found}
        for level in comparison._comparison_levels_excluding_null:
            append_u_probability_to_comparison_level_trained_probabilities(
                level, lookup, comparison.output_column_name, "estimate u by random sampling"
            )
    linker._populate_m_u_from_trained_values()  # type: ignore[no-untyped-call]


def _joint_m(linker: Linker, profile: Profile, *, neutral: bool = False) -> None:
    """The m of each of the profile's joint levels: the product of the u of the levels it
    stands for (see `Profile.joint_levels`), so that its weight takes back what summing them
    as independent overstated. The comparison's other level gets the rest.

    `neutral` (lists too small to sample u from, see JOINT_MIN_PAIRS) sets every level's m to
    its u instead: the comparison then weighs nothing either way."""
    comparisons = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    for (name, label), parts in profile.joint_levels().items():
        if neutral:
            levels = [lv for lv in comparisons[name].comparison_levels if not lv.is_null_level]
            sampled = [float(lv.u_probability or 0.0) for lv in levels]
            if not all(u > 0 for u in sampled):  # a level no sampled pair showed
                sampled = [1.0] * len(levels)
            for level, u in zip(levels, sampled, strict=True):
                level.m_probability = level.u_probability = u / sum(sampled)
            continue
        product = 1.0
        for part, labels in parts:
            us = [
                lv.u_probability
                for lv in comparisons[part].comparison_levels
                if lv.label_for_charts in labels
            ]
            product *= sum(float(u) for u in us if u is not None)
        levels = [lv for lv in comparisons[name].comparison_levels if not lv.is_null_level]
        for level in levels:
            share = product if level.label_for_charts == label else 1 - product
            level.m_probability = max(share, 1e-12)


def _smooth_m(linker: Linker, unordered: frozenset[tuple[str, str]], *, matches: float) -> None:
    """Two things EM on a finite list gets wrong, put right.

    No level is impossible for a true pair: EM can drive a level's m to (almost) 0, so that
    one wrong sex or one slip in a surname would veto a match whatever else agrees. Every m
    is raised to at least M_FLOOR. On a list with few true pairs (`matches`, the model's
    estimate; a tracing round of five), every level but the last, plain disagreement, is
    then raised to what Laplace's rule of succession gives a level none of them showed,
    1 / (levels × (matches + 1)): four true pairs that happen not to show "same year, no
    date" are no evidence that a true pair never does. On lists of hundreds of true pairs
    this is below M_FLOOR and changes nothing.

    A comparison's levels run from the closest agreement to the farthest, and a farther one is
    never better evidence of a match than a nearer one: namesakes that EM half-believes can
    make "born 11 years apart" weigh less against a match than "born 5 years apart". Each
    level's Bayes factor (m/u) is capped at the one before it. Then the m values are
    renormalised (which moves every factor alike and keeps the order).

    A level the profile names in `unordered` (a comparison's (output column, label)) stands
    apart from that order: it is neither capped nor a cap for the next."""
    for comparison in linker._settings_obj.comparisons:
        levels = [lv for lv in comparison.comparison_levels if not lv.is_null_level]
        ms = [lv.m_probability for lv in levels]
        us = [lv.u_probability for lv in levels]
        if any(m is None for m in ms) or all(lv._fix_m_probability for lv in levels):
            continue  # not trained, or fixed (see `_joint_m`)
        smoothed = [max(float(m), M_FLOOR) for m in ms if m is not None]
        apart = [(comparison.output_column_name, lv.label_for_charts) in unordered for lv in levels]
        if all(u is not None and u > 0 for u in us):
            previous = None
            for k in range(len(smoothed)):
                if apart[k]:
                    continue
                if previous is not None:
                    factor = smoothed[previous] / float(us[previous])  # type: ignore[arg-type]
                    smoothed[k] = min(smoothed[k], factor * float(us[k]))  # type: ignore[arg-type]
                previous = k
        # After the cap, so that it cannot lift the last level, a plain disagreement: that
        # true pairs seldom disagree outright is what every list teaches, however few its
        # true pairs.
        floor = 1 / (len(levels) * (matches + 1))
        if floor > M_FLOOR:
            last = len(levels) - 1
            smoothed = [max(m, floor) if k < last else m for k, m in enumerate(smoothed)]
        total = sum(smoothed)
        for level, m in zip(levels, smoothed, strict=True):
            level.m_probability = m / total


def train(
    left: Records,
    right: Records | None = None,
    *,
    profile: Profile = KOREAN,
    labels: Sequence[tuple[str, str] | Label] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> Model:
    """A model fitted to two lists to link (or one list to deduplicate, when `right` is None).

    `labels` are reviewers' decisions: `learning.Label`s (the same person or two people), or
    bare pairs (left id, right id) confirmed to be the same person. EM does not see them (it
    stays unsupervised, so cross-validation can reuse it); they correct its model afterwards
    (`learning.corrected`: a penalised logistic regression with the EM weight as its offset,
    written back into the m values, the prior and the frequency weights).
    """
    tables = [comparison_table(left, profile)]
    if right is not None:
        tables.append(comparison_table(right, profile))
    link_type: LinkType = "link_only" if right is not None else "dedupe_only"
    names = [LEFT, RIGHT] if right is not None else [LEFT]
    linker = _linker(tables, names, _settings(profile, link_type))
    _fit(linker, profile, tables)
    model = Model(
        profile=profile,
        splink=linker.misc.save_model_to_json(),
        threshold=threshold,
        training={
            "method": "em",
            "records": [t.num_rows for t in tables],
            "labelled_pairs": 0,
            "splink_seed": SEED,
        },
        created_at=now(),
    )
    if not labels:
        return model
    from .learning import corrected  # noqa: PLC0415 (learning builds on this module)

    return corrected(model, tables[0], tables[1] if len(tables) == 2 else None, labels)


def pair_count(
    rule: Rule,
    tables: list[pa.Table],
    link_type: str,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> int:
    """How many candidate pairs one blocking rule generates, counted from its keys (for one
    list, or a batch against a list, every pair within: an upper bound). The column names
    come from the profile, never from input, so building SQL from them is safe.

    `connection`, where given, has `tables` registered as t0 (and t1): counting many rules
    on one connection saves opening one per rule (17 ms each)."""
    if connection is None:
        with _counting(tables) as own:
            return pair_count(rule, tables, link_type, own)
    keys = ", ".join(f'"{c}"' for c in rule)
    present = " AND ".join(f'"{c}" IS NOT NULL' for c in rule)
    counts = []
    for number in range(len(tables)):
        source = f"t{number}"
        for column in _lists(rule, tables[0].schema):
            # One row per element: a pair that shares two elements is counted twice (a bound).
            others = "".join(f', "{c}"' for c in rule if c != column)
            source = f'(SELECT unnest("{column}") AS "{column}"{others} FROM {source})'  # noqa: S608
        counts.append(f"SELECT {keys}, count(*) AS n FROM {source} WHERE {present} GROUP BY ALL")  # noqa: S608
    if link_type == "link_only" and len(tables) == 2:
        sql = f"SELECT sum(a.n * b.n) FROM ({counts[0]}) a JOIN ({counts[1]}) b USING ({keys})"  # noqa: S608
    else:
        union = " UNION ALL ".join(counts)
        sql = f"SELECT sum(n * (n - 1) / 2) FROM (SELECT {keys}, sum(n) AS n FROM ({union}) GROUP BY ALL)"  # noqa: S608, E501
    row = connection.execute(sql).fetchone()
    return int(row[0] or 0) if row else 0


@contextlib.contextmanager
def _counting(tables: list[pa.Table]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with `tables` registered as t0 (and t1), for `pair_count`."""
    connection = connect()
    try:
        for number, table in enumerate(tables):
            connection.register(f"t{number}", table)
        yield connection
    finally:
        connection.close()


def blocking_rules(profile: Profile, tables: list[pa.Table], link_type: str) -> list[Rule]:
    """The profile's rules, and of its broad rules those that fit PAIR_BUDGET, smallest first."""
    rules = list(profile.blocking_rules())
    if not profile.broad_blocking_rules():
        return rules  # nothing to choose, nothing to count
    with _counting(tables) as connection:
        spent = sum(pair_count(r, tables, link_type, connection) for r in rules)
        broad = sorted(
            (pair_count(r, tables, link_type, connection), r)
            for r in profile.broad_blocking_rules()
        )
    for count, rule in broad:
        if spent + count > PAIR_BUDGET:
            logger.info("blocking rule %s left out: %s pairs over the budget", rule, count)
            continue
        spent += count
        rules.append(rule)
    return rules


def _scoring(
    model: Model, link_type: str, explain: bool, tables: list[pa.Table]
) -> tuple[dict[str, Any], list[pa.Table]]:
    """The model's settings with the blocking rules chosen for these tables, and the tables
    to score (with the list rules' keys, `LIST_KEYS`, where list rules were chosen)."""
    settings = copy.deepcopy(model.splink)
    if settings["link_type"] != link_type:
        raise ValueError(
            f"the model was trained to {model.link_type.replace('_only', '')}, "
            f"not to {link_type.replace('_only', '')}"
        )
    settings["retain_intermediate_calculation_columns"] = explain
    settings["retain_matching_columns"] = explain
    schema = model.profile.schema()
    rules = _covering(blocking_rules(model.profile, tables, link_type))
    listed = [rule for rule in rules if _lists(rule, schema)]
    chosen = [block_on(*rule) for rule in rules if not _lists(rule, schema)]
    if listed:
        chosen.append(block_on(LIST_KEYS, arrays_to_explode=[LIST_KEYS]))
        tables = [_with_list_keys(table, listed, schema) for table in tables]
    settings["blocking_rules_to_generate_predictions"] = [
        rule.get_blocking_rule("duckdb").as_dict()  # type: ignore[no-untyped-call]
        for rule in chosen
    ]
    return settings, tables


def _covering(rules: list[Rule]) -> list[Rule]:
    """The rules that find pairs no other of `rules` finds: a rule on every column of another
    and more finds only pairs that the other finds (a list column included: sharing an
    element of each of more lists is sharing one of each of fewer). At 2,000 vs 5,000 every
    broad rule fits the budget and 14 of the 27 rules are covered so, 6 of the 11 list rules
    among them: 9 list keys a record instead of 26, the same candidate pairs."""
    kept = []
    for number, rule in enumerate(rules):
        columns = set(rule)
        if not any(
            set(other) < columns or (set(other) == columns and earlier < number)
            for earlier, other in enumerate(rules)
        ):
            kept.append(rule)
    return kept


def _list_keys_sql(rules: list[Rule], schema: pa.Schema) -> str:
    """The SQL of one record's keys under every rule of `rules`, each a list rule: for each
    rule, each combination of one element of each of its lists with its other columns'
    values, as text led by the rule's number. Two records meet one of the rules exactly when
    they share one of these keys (a different number never matches), so that Splink explodes
    one list where it exploded one per rule: a dozen rules cost 1.3 s at 2,000 vs 5,000,
    most of it Splink's own work per rule. The columns come from the profile, never from
    input, so building SQL from them is safe."""
    parts = []
    for number, rule in enumerate(rules):
        lists = _lists(rule, schema)
        element = {column: f"x{k}" for k, column in enumerate(lists)}
        pieces = [f"'{number}'"] + [
            element.get(column, f'CAST("{column}" AS VARCHAR)') for column in rule
        ]
        keys = f"[concat_ws(chr(31), {', '.join(pieces)})]"
        for column in reversed(lists):
            x = element[column]
            keys = (
                f'flatten(list_transform(list_filter("{column}", lambda {x}: {x} IS NOT NULL), '
                f"lambda {x}: {keys}))"
            )
        present = " AND ".join(f'"{c}" IS NOT NULL' for c in rule if c not in element) or "true"
        parts.append(f"coalesce(CASE WHEN {present} THEN {keys} END, []::VARCHAR[])")
    return f"list_distinct(flatten([{', '.join(parts)}]))"


def _with_list_keys(table: pa.Table, rules: list[Rule], schema: pa.Schema) -> pa.Table:
    with _counting([table]) as connection:
        sql = f"SELECT {_list_keys_sql(rules, schema)} AS k FROM t0"  # noqa: S608
        keys = connection.sql(sql).to_arrow_table().column("k")
    return table.append_column(LIST_KEYS, keys.cast(pa.list_(pa.string())))


def _strongest_first(pair: Pair) -> tuple[float, str, str]:
    """The order pairs are given in and chosen in: most probable first, then by ids."""
    return (-pair.match_probability, pair.left_id, pair.right_id)


def _pairs(
    model: Model, rows: list[dict[str, Any]], explain: bool, left_dataset: str, left_ids: set[str]
) -> list[Pair]:
    """Pairs oriented (left, right): by source dataset where rows have one, else by id."""
    id_column = model.profile.id_column
    pairs = []
    for row in rows:
        left, right = str(row[f"{id_column}_l"]), str(row[f"{id_column}_r"])
        if "source_dataset_l" in row:
            flip = row["source_dataset_l"] != left_dataset
        else:
            flip = left not in left_ids and right in left_ids
        if flip:
            left, right = right, left
        explanation = waterfall(model, row) if explain else None
        pairs.append(Pair(left, right, float(row["match_probability"]), explanation))
    pairs.sort(key=_strongest_first)
    return pairs


def _frequency_columns(settings: dict[str, Any]) -> list[str]:
    """The columns whose value frequencies adjust a level's weight."""
    columns = {
        str(level["tf_adjustment_column"])
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }
    return sorted(columns)


def among_rivals(scored: pa.Table, n_left: int, n_right: int, prior: float) -> pa.Table:
    """Each pair's probability once the other candidates of both its records are weighed.

    `scored` holds `left_id`, `right_id` and `match_probability`, each pair judged on its own
    (the model's odds: its prior times the Bayes factors). A record of the left list has at
    most one partner in the right list and the other way round, and some records have none;
    the probability that the right record is the left one's partner, and not another
    candidate or nobody, is approximated by scaling the odds of every pair by a factor per
    left record and one per right record until each record's chances (its candidates and
    "nobody") add up to one on both sides (Sinkhorn's iterations). The number of records
    that have a partner starts from the model's prior (`prior` × n_left × n_right) and is
    re-estimated from the result on each round (with a uniform prior on the share, which
    matters only for lists of a handful of records). A lone pair with fair evidence rises
    (nobody else could be the one); two brothers who both resemble the person sought share
    the chances and fall.

    Returns the same pairs with `match_probability` replaced. Pairs below RIVAL_FLOOR should
    be left out of `scored`: they change nobody's chances and cost time."""
    if scored.num_rows == 0:
        return scored
    # In one order whatever order the blocking rules found the pairs in, so that the sums
    # below (added in array order), and so the result, never change with it.
    table = scored.select(["left_id", "right_id", "match_probability"])
    table = table.take(
        pc.sort_indices(table, [("left_id", "ascending"), ("right_id", "ascending")])
    )
    left = pc.dictionary_encode(table["left_id"].combine_chunks())
    right = pc.dictionary_encode(table["right_id"].combine_chunks())
    li = np.asarray(left.indices, dtype=np.int64)
    ri = np.asarray(right.indices, dtype=np.int64)
    p = np.minimum(np.asarray(table["match_probability"], dtype=np.float64), 1 - 1e-12)
    w = p / (1 - p)
    a = np.ones(len(left.dictionary))
    b = np.ones(len(right.dictionary))
    left_share = right_share = 0.0
    matches = prior * n_left * n_right
    rounds = 0
    for rounds in range(1, RIVAL_ROUNDS + 1):  # noqa: B007 (the count is logged)
        # Laplace's rule of succession: a share estimated from five records is not 4/5.
        new_left = (matches + 1) / (n_left + 2)
        new_right = (matches + 1) / (n_right + 2)
        if (
            abs(new_left - left_share) < RIVAL_TOLERANCE
            and abs(new_right - right_share) < RIVAL_TOLERANCE
        ):
            break
        left_share, right_share = new_left, new_right
        a = 1 / ((1 - left_share) + np.bincount(li, weights=w * b[ri], minlength=len(a)))
        b = 1 / ((1 - right_share) + np.bincount(ri, weights=w * a[li], minlength=len(b)))
        matches = float(np.sum(w * a[li] * b[ri]))
    logger.info("%s pairs weighed against their rivals in %s rounds", scored.num_rows, rounds)
    return pa.table(
        {
            "left_id": table["left_id"],
            "right_id": table["right_id"],
            "match_probability": pa.array(w * a[li] * b[ri], pa.float64()),
        }
    )


def one_to_one(pairs: list[Pair]) -> list[Pair]:
    """Greedy by probability: keep a pair only if neither record already has a partner."""
    used_left: set[str] = set()
    used_right: set[str] = set()
    kept: list[Pair] = []
    for pair in sorted(pairs, key=_strongest_first):
        if pair.left_id in used_left or pair.right_id in used_right:
            continue
        used_left.add(pair.left_id)
        used_right.add(pair.right_id)
        kept.append(pair)
    return kept


def link(
    left: Records,
    right: Records,
    *,
    model: Model | None = None,
    profile: Profile = KOREAN,
    threshold: float | None = None,
    many: bool = False,
    explain: bool = False,
    labels: Sequence[tuple[str, str] | Label] = (),
) -> list[Pair]:
    """The pairs (left, right) judged to be the same, most probable first.

    By default each record keeps at most one partner, and a pair's probability is weighed
    against the other candidates of both its records (`among_rivals`); with `many`, every
    pair at the threshold is returned, each judged on its own. Without `model`, one is
    trained on these two lists (with `labels` if given).
    """
    if len(left) == 0 or len(right) == 0:
        return []
    profile = model.profile if model is not None else profile
    tables = [comparison_table(left, profile), comparison_table(right, profile)]
    if model is None:
        model = train(tables[0], tables[1], profile=profile, labels=labels)
    threshold = model.threshold if threshold is None else threshold
    settings, scored = _scoring(model, "link_only", explain, tables)
    linker = _linker(scored, [LEFT, RIGHT], settings)
    if many:
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        return _pairs(model, predictions.as_record_list(), explain, LEFT, set())
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, RIVAL_FLOOR))
    pairs = _judged_among_rivals(
        model, predictions, explain, LEFT, threshold, tables[0].num_rows, tables[1].num_rows
    )
    return one_to_one(pairs)


def _judged_among_rivals(
    model: Model,
    predictions: Any,
    explain: bool,
    left_dataset: str,
    threshold: float,
    n_left: int,
    n_right: int,
) -> list[Pair]:
    """The pairs of a one-to-one link at or above the threshold once weighed against their
    rivals (`among_rivals`), from Splink's predictions of every pair over RIVAL_FLOOR."""
    id_column = model.profile.id_column
    table = predictions.as_pyarrow_table()
    ids_l = pc.cast(table[f"{id_column}_l"], pa.string())
    ids_r = pc.cast(table[f"{id_column}_r"], pa.string())
    as_given = pc.equal(table["source_dataset_l"], left_dataset)
    scored = pa.table(
        {
            "left_id": pc.if_else(as_given, ids_l, ids_r),
            "right_id": pc.if_else(as_given, ids_r, ids_l),
            "match_probability": table["match_probability"],
        }
    )
    prior = float(model.splink["probability_two_random_records_match"])
    judged = among_rivals(scored, n_left, n_right, prior).filter(
        pc.field("match_probability") >= threshold
    )
    probability = {
        (left, right): p
        for left, right, p in zip(
            judged["left_id"].to_pylist(),
            judged["right_id"].to_pylist(),
            judged["match_probability"].to_pylist(),
            strict=True,
        )
    }
    if not explain:
        pairs = [Pair(left, right, p) for (left, right), p in probability.items()]
        return sorted(pairs, key=_strongest_first)
    pairs = []
    for pair in _pairs(model, predictions.as_record_list(), explain, left_dataset, set()):
        weighed = probability.get((pair.left_id, pair.right_id))
        if weighed is None:
            continue
        explanation = pair.explanation and dataclasses.replace(
            pair.explanation, among_rivals=weighed
        )
        pairs.append(dataclasses.replace(pair, match_probability=weighed, explanation=explanation))
    return sorted(pairs, key=_strongest_first)


def dedupe(
    records: Records,
    *,
    model: Model | None = None,
    profile: Profile = KOREAN,
    threshold: float | None = None,
    labels: Sequence[tuple[str, str] | Label] = (),
) -> list[Cluster]:
    """Every record with the id of its cluster (the same person), in input order."""
    profile = model.profile if model is not None else profile
    table = comparison_table(records, profile)
    ids = [str(i) for i in table.column(profile.id_column).to_pylist()]
    if len(ids) < 2:
        return [Cluster(i, i) for i in ids]
    if model is None:
        model = train(table, profile=profile, labels=labels)
    threshold = model.threshold if threshold is None else threshold
    settings, scored = _scoring(model, "dedupe_only", False, [table])
    linker = _linker(scored, [LEFT], settings)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    cluster_of = {
        str(row[profile.id_column]): str(row["cluster_id"]) for row in clusters.as_record_list()
    }
    return [Cluster(cluster_of.get(i, i), i) for i in ids]


def dedupe_pairs(
    records: Records,
    *,
    model: Model | None = None,
    profile: Profile = KOREAN,
    threshold: float | None = None,
    explain: bool = False,
    labels: Sequence[tuple[str, str] | Label] = (),
) -> list[Pair]:
    """The pairs within one list judged to be the same person, most probable first: every
    pair at or above the threshold (not clustered), for a reviewer to decide one by one."""
    profile = model.profile if model is not None else profile
    table = comparison_table(records, profile)
    if table.num_rows < 2:
        return []
    if model is None:
        model = train(table, profile=profile, labels=labels)
    threshold = model.threshold if threshold is None else threshold
    settings, scored = _scoring(model, "dedupe_only", explain, [table])
    linker = _linker(scored, [LEFT], settings)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    return _pairs(model, predictions.as_record_list(), explain, LEFT, set())


def link_new(
    new: Records,
    existing: Records,
    *,
    model: Model,
    threshold: float | None = None,
    many: bool = True,
    explain: bool = False,
) -> list[Pair]:
    """Incremental linkage: the pairs (new id, existing id) judged the same, most probable first.

    The model is not retrained and the existing records are not compared among themselves,
    so a batch costs what it finds, not the size of the registry squared. With a dedupe
    model the new records are also compared among themselves (pairs of two new ids).
    """
    profile = model.profile
    new_table, existing_table = comparison_table(new, profile), comparison_table(existing, profile)
    if new_table.num_rows == 0 or (existing_table.num_rows == 0 and model.link_type == "link_only"):
        return []
    threshold = model.threshold if threshold is None else threshold
    settings, (new_table, existing_table) = _scoring(
        model, model.link_type, explain, [new_table, existing_table]
    )
    api = database_api()
    new_frame = api.register(new_table, dataset_display_name=NEW)
    existing_frame = api.register(existing_table, dataset_display_name=EXISTING)
    # A dedupe model takes one input table; the frames to compare are given to the calls.
    inputs = [new_frame, existing_frame] if model.link_type == "link_only" else existing_frame
    linker = Linker(inputs, settings, log_level=None, validate_settings=False)
    for column in _frequency_columns(settings):
        linker.table_management.compute_tf_table(column)
    if model.link_type == "link_only" and not many:
        between = linker.inference.predict_between(
            new_frame,
            existing_frame,
            threshold_match_probability=min(threshold, RIVAL_FLOOR),
            warning_mode="never",
        )
        pairs = _judged_among_rivals(
            model, between, explain, NEW, threshold, new_table.num_rows, existing_table.num_rows
        )
        return one_to_one(pairs)
    rows = []
    if existing_table.num_rows:
        between = linker.inference.predict_between(
            new_frame, existing_frame, threshold_match_probability=threshold, warning_mode="never"
        )
        rows += between.as_record_list()
    if model.link_type == "dedupe_only" and new_table.num_rows > 1:
        within = linker.inference.predict_within(
            new_frame, threshold_match_probability=threshold, warning_mode="never"
        )
        rows += within.as_record_list()
    new_ids = {str(i) for i in new_table.column(profile.id_column).to_pylist()}
    pairs = _pairs(model, rows, explain, NEW, new_ids)
    return pairs if many else one_to_one(pairs)


def compared(left: Any, right: Any, profile: Profile = KOREAN) -> dict[str, str]:
    """How two records compare: for each of the profile's comparisons, the label of the level
    the pair falls in (the first whose condition holds), without a model. For tests, and to
    show a reviewer what the engine sees."""
    tables = [comparison_table([left], profile), comparison_table([right], profile)]
    connection = connect()
    connection.register("l", tables[0])
    connection.register("r", tables[1])
    names = tables[0].column_names
    columns = ", ".join(
        [f'l."{n}" AS "{n}_l"' for n in names] + [f'r."{n}" AS "{n}_r"' for n in names]
    )
    connection.execute(f"CREATE TABLE pair AS SELECT {columns} FROM l, r")  # noqa: S608
    out: dict[str, str] = {}
    for comparison in profile.comparisons():
        settings = comparison.get_comparison("duckdb").as_dict()  # type: ignore[no-untyped-call]
        for level in settings["comparison_levels"]:
            if level["sql_condition"].strip().upper() == "ELSE":
                out[settings["output_column_name"]] = str(level["label_for_charts"])
                break
            ((holds,),) = connection.execute(
                f"SELECT coalesce(({level['sql_condition']}), false) FROM pair"  # noqa: S608
            ).fetchall()
            if holds:
                out[settings["output_column_name"]] = str(level["label_for_charts"])
                break
    connection.close()
    return out


def rules_met(left: Any, right: Any, profile: Profile = KOREAN) -> list[Rule]:
    """The blocking rules (the profile's own, then its broad ones) under which two records
    would be compared: none, and no model could ever link them."""
    tables = [comparison_table([left], profile), comparison_table([right], profile)]
    rules = [*profile.blocking_rules(), *profile.broad_blocking_rules()]
    with _counting(tables) as connection:
        return [rule for rule in rules if pair_count(rule, tables, "link_only", connection) > 0]
