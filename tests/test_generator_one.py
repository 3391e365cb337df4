"""Generator one (benchmarks/korean_data.py) has the kinds of pairs of issue 22, in a round of
2,000 sought against 5,000 returned: given names remembered backwards, romanized names in no
standard system with the surname last, birthplaces given only by a province of 1945 that is
not today's, full lunar dates against a year alone, initial-sound-rule names with a vowel slip
and no date on one side."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from panmun.korean.hangul import jamo_distance
from panmun.korean.orthography import south_form

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import korean_data

SOUGHT, RETURNED, SEED = 2000, 5000, 1
NEW_PHENOMENA = (
    "s_given_swapped",
    "s_latin_nonstandard",
    "s_latin_nonstandard_surname_last",
    "s_latin_surname_nonstandard",
    "s_place_old_province",
    "s_place_province_only_now_elsewhere",
    "r_date_year_off",
    "pair_lunar_date_vs_year_only",
    "pair_lunar_date_vs_year_off",
    "s_initial_rule_no_date",
    "s_initial_rule_vowel_slip",
    "s_initial_rule_no_date_sought",
    "s_initial_rule_no_date_returned",
    "r_date_blank_initial_rule",
)
Pairs = list[tuple[dict[str, str], dict[str, str]]]


@pytest.fixture(scope="module")
def pairs() -> Pairs:
    data = korean_data.generate(SOUGHT, RETURNED, seed=SEED)
    sought = {r["record_id"]: r for r in data.sought}
    returned = {r["record_id"]: r for r in data.returned}
    return [(sought[a], returned[b]) for a, b in data.truth]


def test_each_new_phenomenon_is_counted_at_a_few_percent() -> None:
    counts = korean_data.phenomena(SOUGHT, RETURNED, SEED)
    for key in NEW_PHENOMENA:
        assert counts[key] > 0, key
    for key in ("s_given_swapped", "s_latin_nonstandard", "s_place_old_province"):
        assert counts[key] <= 0.06 * SOUGHT, key
    assert counts["s_initial_rule_no_date"] <= 0.06 * SOUGHT
    assert counts["pair_lunar_date_vs_year_only"] <= 0.06 * counts["s_found"]
    assert korean_data.phenomena(SOUGHT, RETURNED, SEED) == counts  # deterministic
    lines = korean_data.stats_lines(counts)
    assert any(line.startswith("s_given_swapped ") and "% of sought" in line for line in lines)


def test_given_names_remembered_backwards(pairs: Pairs) -> None:
    swapped = [
        (s, r)
        for s, r in pairs
        if len(s["given_name"]) == 2
        and s["given_name"] != south_form(r["given_name"])
        and s["given_name"] == south_form(r["given_name"])[::-1]
    ]
    assert swapped  # 숙춘 / 춘숙


def test_romanized_names_in_no_system_with_the_surname_last(pairs: Pairs) -> None:
    odd = {
        spelling
        for spellings in korean_data.NONSTANDARD_SURNAMES.values()
        for spelling in spellings
    }
    latin_only = [s["name_latin"] for s, _ in pairs if s["name_latin"] and not s["family_name"]]
    assert any(name.split()[-1] in odd and len(name.split()) >= 3 for name in latin_only)
    assert any(name.split()[0] in odd for name in latin_only)
    assert any(" " not in name.split(maxsplit=1)[-1] and "-" not in name for name in latin_only)


def test_nonstandard_spellings_follow_the_variants() -> None:
    spellings = {korean_data.nonstandard_given("차금", random.Random(n)) for n in range(300)}
    assert {"Cha Kum", "Ja-gum", "Chakoom"} <= spellings
    assert not {"Cha-geum", "Cha-gum", "Chageum", "Cha Gum"} & spellings  # never RR or MR
    spellings = {korean_data.nonstandard_given("실여", random.Random(n)) for n in range(300)}
    assert {"Shil-yoh", "Sil Yu", "Shilyo"} & spellings


def test_a_province_of_1945_only_is_the_province_the_place_was_in(pairs: Pairs) -> None:
    """A sought birthplace that is a bare province of 1945, against a returned one naming the
    province of today: the pair is one of the gazetteer's (1945 province, today's province)."""
    t = korean_data.tables()
    allowed = {
        (origin.province_then, after.province_now or after.name_north)
        for origin in t.origins.items
        for after in t.successors[origin.id]
    }
    provinces_1945 = {p for p, _ in allowed}
    provinces_now = {now for _, now in allowed}
    checked = moved = 0
    for s, r in pairs:
        place = r["birthplace"].split()
        if s["birthplace"] in provinces_1945 and place and place[0] in provinces_now:
            checked += 1
            assert (s["birthplace"], place[0]) in allowed, (s["birthplace"], r["birthplace"])
            moved += s["birthplace"] != place[0]
    assert checked > 50 and moved > 20
    assert any(s["birthplace"] == "경기도" for s, _ in pairs)  # 개성, 개풍, 장단 of 1945


def test_a_full_lunar_date_against_a_year_alone(pairs: Pairs) -> None:
    found = [
        (s, r)
        for s, r in pairs
        if s["birth_calendar"] == "lunar"
        and len(s["birth_date"]) == 10
        and len(r["birth_date"]) == 4
        and s["birth_date"][:4] != r["birth_date"]
    ]
    assert found


def test_initial_rule_names_with_a_vowel_slip_and_no_date_on_one_side(pairs: Pairs) -> None:
    found = [
        (s, r)
        for s, r in pairs
        if r["given_name"]
        and s["given_name"]
        and korean_data.initial_rule_name(r["given_name"])
        and s["given_name"] != south_form(r["given_name"])
        and jamo_distance(s["given_name"], south_form(r["given_name"])) == 1
        and not (s["birth_date"] and r["birth_date"])
    ]
    assert found  # 란옥 / 넌옥, 덕녀 / 덕너, with no date on one side
