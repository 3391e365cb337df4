"""Stock Splink 5 on the raw columns of the file contract: what a careful user of Splink gets
without Panmun's Korean features. The comparisons are Splink's own library comparisons for
names, dates and places, on the columns as written (Hangul in two orthographies, lunar and
solar dates, old and new place names); training follows Splink's recommended sequence (prior
from a deterministic rule, u by random sampling, m by EM on two blocking rules).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from panmun.linkage.records import COLUMNS as CONTRACT_COLUMNS

COLUMNS = CONTRACT_COLUMNS  # the file contract of panmun link
THRESHOLD = 0.9


def _table(rows: Sequence[dict[str, str]]) -> pa.Table:
    return pa.Table.from_pylist(
        [{c: (row.get(c) or None) for c in COLUMNS} for row in rows],
        schema=pa.schema([(c, pa.string()) for c in COLUMNS]),
    )


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("family_name"),
            cl.NameComparison("given_name"),
            cl.JaroWinklerAtThresholds("name_latin", [0.9, 0.8]),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("birthplace", [2]),
            cl.NameComparison("father_name"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family_name", "given_name"),
            block_on("given_name", "birth_date"),
            block_on("family_name", "birth_date"),
            block_on("father_name"),
            block_on("name_latin"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def link(
    left: Sequence[dict[str, str]], right: Sequence[dict[str, str]], threshold: float = THRESHOLD
) -> list[tuple[str, str, float]]:
    """All pairs at or above the threshold: (left id, right id, match probability)."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    api = DuckDBAPI(":memory:")
    frames = [
        api.register(_table(left), dataset_display_name="left_list"),
        api.register(_table(right), dataset_display_name="right_list"),
    ]
    linker = Linker(frames, settings(), log_level=None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("family_name", "given_name", "birth_date")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1945)
    for rule in (block_on("family_name", "given_name"), block_on("birth_date")):
        training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    pairs: list[tuple[str, str, float]] = []
    for row in predictions.as_record_list():
        ids: dict[Any, str] = {
            row["source_dataset_l"]: str(row["record_id_l"]),
            row["source_dataset_r"]: str(row["record_id_r"]),
        }
        pairs.append((ids["left_list"], ids["right_list"], float(row["match_probability"])))
    return pairs
