"""The engine's shortcuts for speed give what the long way gives (issue 22's time target)."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from panmun.linkage import engine
from panmun.linkage.features import LETTER_BITS, letters
from panmun.linkage.profiles import KOREAN, NEAR
from panmun.linkage.records import parse

from .test_engine import generate

# ASCII jamo keys and Latin keys, with letters that share a bit (`ord % LETTER_BITS`).
ALPHABET = "akgnrdmbsjc" + "".join(chr(ord(c) + LETTER_BITS) for c in "!#$%") + "!#$%"


def _key(rng: random.Random) -> str | None:
    if rng.random() < 0.05:
        return None
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 8)))


def _meets(rule: tuple[str, ...]) -> str:
    """SQL: the pair (l, r) meets the blocking rule (a list column shares an element)."""
    lists = engine._lists(rule, KOREAN.schema())
    return (
        "coalesce("
        + " AND ".join(
            f'list_has_any(l."{c}", r."{c}")' if c in lists else f'l."{c}" = r."{c}"' for c in rule
        )
        + ", false)"
    )


def _two_lists(seed: int) -> list[pa.Table]:
    south_text, north_text, _ = generate(n=80, seed=seed)
    return [
        engine.comparison_table(parse(south_text, "south.csv")),
        engine.comparison_table(parse(north_text, "north.csv")),
    ]


def test_letters_share_bits_and_say_nothing_for_no_key():
    assert letters(None) == (None,)
    assert letters("") == (0,)
    assert letters("ab") == ((1 << (ord("a") % LETTER_BITS)) | (1 << (ord("b") % LETTER_BITS)),)
    assert letters("a") == letters(chr(ord("a") + LETTER_BITS))  # a shared bit
    (bits,) = letters("".join(chr(c) for c in range(32, 127)))
    assert bits is not None and 0 < bits < 1 << 63  # a positive 64-bit integer


def test_near_agrees_with_the_edit_distance_wherever_it_is_asked():
    """The letters' test only ever spares measuring pairs the distance would refuse."""
    rng = random.Random(1945)
    pairs = [(_key(rng), _key(rng)) for _ in range(4000)]
    # Near misses: one or two edits of the same key.
    for _ in range(2000):
        a = _key(rng) or "abc"
        b = list(a)
        for _ in range(rng.randrange(1, 3)):
            where = rng.randrange(len(b) + 1)
            b[where:where] = [rng.choice(ALPHABET)]
            if b and rng.random() < 0.5:
                del b[rng.randrange(len(b))]
        pairs.append((a, "".join(b)))
    connection = engine.connect()
    connection.execute("CREATE TABLE pairs (a VARCHAR, b VARCHAR, la BIGINT, lb BIGINT)")
    connection.executemany(
        "INSERT INTO pairs VALUES (?, ?, ?, ?)",
        [(a, b, *letters(a), *letters(b)) for a, b in pairs],
    )
    for n in range(4):
        ((differ, asked, near),) = connection.execute(
            f"SELECT count(*) FILTER (coalesce({NEAR}(a, b, la, lb, {n}), false) "
            f"<> coalesce(levenshtein(a, b) <= {n}, false)), count(*), "
            f"count(*) FILTER (coalesce(levenshtein(a, b) <= {n}, false)) FROM pairs"
        ).fetchall()
        assert differ == 0, n
        assert asked == len(pairs) and near > 0  # the test saw both answers


def test_every_level_adjusted_by_frequency_is_the_equality_of_its_column():
    """So Splink may take the level's own u as the base of its frequency adjustment
    (`disable_tf_exact_match_detection`) instead of searching every level for it."""
    settings = engine._settings(KOREAN, "link_only")
    adjusted = [
        level
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    ]
    assert adjusted
    for level in adjusted:
        column = level["tf_adjustment_column"]
        assert level["sql_condition"] == f'"{column}_l" = "{column}_r"', level
        assert level["disable_tf_exact_match_detection"] is True


@pytest.mark.parametrize("link_type", ["link_only", "dedupe_only"])
def test_u_in_one_pass_is_splinks_u_where_both_count_every_pair(link_type: str):
    """On lists small enough for both to take every pair, the one-pass count and Splink's
    chunked one give the same u for every level."""
    south_text, north_text, _ = generate(n=40, seed=3)
    records = [parse(south_text, "south.csv")]
    names = [engine.LEFT]
    if link_type == "link_only":
        records.append(parse(north_text, "north.csv"))
        names.append(engine.RIGHT)
    tables = [engine.comparison_table(r) for r in records]
    pairs = (
        tables[0].num_rows * tables[1].num_rows
        if link_type == "link_only"
        else tables[0].num_rows * (tables[0].num_rows - 1) // 2
    )
    assert pairs < engine.U_MAX_PAIRS  # both samples are every pair

    ours = engine._linker(tables, names, engine._settings(KOREAN, link_type))  # type: ignore[arg-type]
    engine._estimate_u(ours, KOREAN, tables)
    splinks = engine._linker(tables, names, engine._settings(KOREAN, link_type))  # type: ignore[arg-type]
    splinks.training.estimate_u_using_random_sampling(max_pairs=1e9, num_chunks=1)

    def u(linker: object) -> dict[tuple[str, str], float | None]:
        return {
            (c.output_column_name, level.label_for_charts): level.u_probability
            for c in linker._settings_obj.comparisons  # type: ignore[attr-defined]
            for level in c._comparison_levels_excluding_null
        }

    mine, theirs = u(ours), u(splinks)
    assert mine.keys() == theirs.keys()
    for key, value in theirs.items():
        assert mine[key] == pytest.approx(value, rel=1e-9), key


def test_the_list_rules_keys_meet_exactly_where_one_of_the_list_rules_does():
    """Splink explodes one list of keys for all the list rules; two records share a key
    exactly when they meet one of those rules."""
    tables = _two_lists(5)
    schema = KOREAN.schema()
    rules = [
        rule
        for rule in [*KOREAN.blocking_rules(), *KOREAN.broad_blocking_rules()]
        if engine._lists(rule, schema)
    ]
    assert len(rules) > 5
    keyed = [engine._with_list_keys(table, rules, schema) for table in tables]
    connection = engine.connect()
    connection.register("l", keyed[0])
    connection.register("r", keyed[1])

    def pairs(condition: str) -> set[tuple[str, str]]:
        rows = connection.execute(
            f"SELECT l.record_id, r.record_id FROM l, r WHERE coalesce({condition}, false)"
        ).fetchall()
        return {(a, b) for a, b in rows}

    separate = pairs(" OR ".join(_meets(rule) for rule in rules))
    merged = pairs(f'list_has_any(l."{engine.LIST_KEYS}", r."{engine.LIST_KEYS}")')
    assert merged == separate
    assert len(separate) > 100
    for rule in rules:  # no rule loses a pair to the others
        assert pairs(_meets(rule)) <= merged


def test_a_rule_on_more_columns_than_another_is_left_to_the_other():
    rules = [
        ("family_key", "given_key", "birth_year"),
        ("family_key", "given_key"),
        ("family_folds", "given_syllables", "birth_year_near"),
        ("family_folds", "given_syllables"),
        ("given_key", "family_key"),  # the same columns again
        ("given_key", "birth_year"),
    ]
    assert engine._covering(rules) == [
        ("family_key", "given_key"),
        ("family_folds", "given_syllables"),
        ("given_key", "birth_year"),
    ]


def test_the_rules_left_out_as_covered_find_no_pair_the_others_miss():
    tables = _two_lists(11)
    rules = [*KOREAN.blocking_rules(), *KOREAN.broad_blocking_rules()]
    kept = engine._covering(rules)
    assert len(kept) < len(rules)
    connection = engine.connect()
    connection.register("l", tables[0])
    connection.register("r", tables[1])

    def met(chosen: list[tuple[str, ...]]) -> set[tuple[str, str]]:
        condition = " OR ".join(_meets(rule) for rule in chosen)
        rows = connection.execute(
            f"SELECT l.record_id, r.record_id FROM l, r WHERE {condition}"
        ).fetchall()
        return {(a, b) for a, b in rows}

    everything = met(rules)
    assert met(kept) == everything and len(everything) > 100
