"""The linkage engine: Splink 5 over the precomputed Korean features (see `features`).

`link` finds the pairs of records in two lists that are the same person; `dedupe` groups the
records of one list into clusters of the same person. Both train an unsupervised model on the
data they are given (u by random sampling, m by EM on two blocking rules) and score with it.
The backend is chosen in one place, `database_api`; Splink compares only the ASCII and neutral
keys that `features` computes, never raw Hangul.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from .features import FEATURE_COLUMNS, INTEGER_COLUMNS, LIST_COLUMNS, features
from .records import PersonRecord

logger = logging.getLogger(__name__)
LinkType = Literal["link_only", "dedupe_only"]

DEFAULT_THRESHOLD = 0.9
SEED = 1945
U_MAX_PAIRS = 2e6
EM_BLOCKING_RULES = (("family_key", "given_key"), ("father_key",))
LEFT, RIGHT = "left_list", "right_list"  # Splink's dataset names (not SQL keywords)

SCHEMA = pa.schema(
    [
        (
            name,
            pa.int32()
            if name in INTEGER_COLUMNS
            else pa.list_(pa.string())
            if name in LIST_COLUMNS
            else pa.string(),
        )
        for name in FEATURE_COLUMNS
    ]
)


@dataclass(frozen=True)
class Pair:
    left_id: str
    right_id: str
    match_probability: float


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    record_id: str


def database_api() -> Any:
    """The Splink backend: DuckDB, embedded and in memory. Swap it here (Spark, PostgreSQL)."""
    return DuckDBAPI(":memory:")


def _table(records: Sequence[PersonRecord]) -> pa.Table:
    rows = [features(r) for r in records]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def _null(column: str) -> Any:
    return cll.CustomLevel(
        f'"{column}_l" IS NULL OR "{column}_r" IS NULL', label_for_charts="null"
    ).configure(is_null_level=True)


def _key_comparison(output: str, key: str, near: list[tuple[str, str]]) -> cl.CustomComparison:
    """Null, the same neutral key, then the `near` levels (SQL, label) in order, then else."""
    return cl.CustomComparison(
        [
            _null(key),
            cll.CustomLevel(f'"{key}_l" = "{key}_r"', "same neutral key"),
            *(cll.CustomLevel(sql, label) for sql, label in near),
            cll.ElseLevel(),
        ],
        output_column_name=output,
    )


def _family() -> cl.CustomComparison:
    return _key_comparison(
        "family", "family_key", [('levenshtein("family_jamo_l", "family_jamo_r") <= 1', "jamo ≤ 1")]
    )


def _given() -> cl.CustomComparison:
    def near(n: int) -> tuple[str, str]:
        return (
            f'levenshtein("given_jamo_l", "given_jamo_r") <= {n} '
            f'OR levenshtein("given_key_l", "given_key_r") <= {n}',
            f"jamo or key ≤ {n}",
        )

    return _key_comparison("given", "given_key", [near(1), near(2)])


def _birth() -> cl.CustomComparison:
    def years(n: int) -> str:
        return f'abs("birth_year_l" - "birth_year_r") <= {n}'

    return cl.CustomComparison(
        [
            _null("birth_year"),
            cll.CustomLevel(
                'list_has_any("birth_dates_l", "birth_dates_r")', "a shared solar date"
            ),
            cll.CustomLevel(
                '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r"',
                "same year and month",
            ),
            cll.CustomLevel(years(0), "same year"),
            cll.CustomLevel(years(1), "year ± 1"),
            cll.CustomLevel(years(2), "year ± 2"),
            cll.ElseLevel(),
        ],
        output_column_name="birth",
    )


def _father() -> cl.CustomComparison:
    return _key_comparison(
        "father", "father_key", [('levenshtein("father_key_l", "father_key_r") <= 2', "key ≤ 2")]
    )


def settings(link_type: LinkType) -> SettingsCreator:
    """The model: its comparisons and the blocking rules that generate candidate pairs."""
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="record_id",
        comparisons=[
            _family(),
            _given(),
            _birth(),
            cl.ExactMatch("birthplace_key"),
            _father(),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family_key", "given_key"),
            block_on("given_key", "birth_year"),
            block_on("family_key", "birth_year"),
            block_on("father_key"),
            block_on("birthplace_key", "birth_year"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _train(linker: Linker) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("family_key", "given_key", "birth_year")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
    for rule in EM_BLOCKING_RULES:
        try:
            training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), fix_probability_two_random_records_match=True
            )
        except ValueError as exc:
            # On a small list, EM can drive a level's m to 0, which Splink 5 refuses; the
            # other session (or the level's starting value) then stands for it.
            logger.warning("EM on %s skipped: %s", rule, exc)


def _linker(tables: list[pa.Table], names: list[str], link_type: LinkType) -> Linker:
    api = database_api()
    frames = [
        api.register(table, dataset_display_name=name)
        for table, name in zip(tables, names, strict=True)
    ]
    linker = Linker(frames if len(frames) > 1 else frames[0], settings(link_type), log_level=None)
    _train(linker)
    return linker


def one_to_one(pairs: list[Pair]) -> list[Pair]:
    """Greedy by probability: keep a pair only if neither record already has a partner."""
    used_left: set[str] = set()
    used_right: set[str] = set()
    kept: list[Pair] = []
    for pair in sorted(pairs, key=lambda p: (-p.match_probability, p.left_id, p.right_id)):
        if pair.left_id in used_left or pair.right_id in used_right:
            continue
        used_left.add(pair.left_id)
        used_right.add(pair.right_id)
        kept.append(pair)
    return kept


def link(
    left_records: Sequence[PersonRecord],
    right_records: Sequence[PersonRecord],
    *,
    threshold: float | None = None,
    many: bool = False,
) -> list[Pair]:
    """The pairs (left, right) judged to be the same person, most probable first."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if not left_records or not right_records:
        return []
    linker = _linker([_table(left_records), _table(right_records)], [LEFT, RIGHT], "link_only")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    pairs: list[Pair] = []
    for row in predictions.as_record_list():
        ids = {
            row["source_dataset_l"]: str(row["record_id_l"]),
            row["source_dataset_r"]: str(row["record_id_r"]),
        }
        pairs.append(Pair(ids[LEFT], ids[RIGHT], float(row["match_probability"])))
    pairs.sort(key=lambda p: (-p.match_probability, p.left_id, p.right_id))
    return pairs if many else one_to_one(pairs)


def dedupe(records: Sequence[PersonRecord], *, threshold: float | None = None) -> list[Cluster]:
    """Every record with the id of its cluster (the same person), in input order."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if len(records) < 2:
        return [Cluster(r.record_id, r.record_id) for r in records]
    linker = _linker([_table(records)], ["records"], "dedupe_only")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    cluster_of = {
        str(row["record_id"]): str(row["cluster_id"]) for row in clusters.as_record_list()
    }
    return [Cluster(cluster_of.get(r.record_id, r.record_id), r.record_id) for r in records]
