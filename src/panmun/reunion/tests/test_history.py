"""Tests for panmun.reunion.history: the data file and its checks."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from panmun.reunion.history import (
    DATA_PACKAGE,
    DATA_PATH,
    PastRound,
    families_per_year,
    history_sources,
    known_sums,
    load_history,
    parse_history,
    totals,
    unknown_rounds_per_year,
    year_of,
)


def raw_document() -> dict[str, Any]:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_PATH).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def numbered(kind: str) -> list[PastRound]:
    found = [r for r in load_history() if r.kind == kind and r.number is not None]
    return sorted(found, key=lambda r: r.number or 0)


def by_number(kind: str, number: int) -> PastRound:
    return next(r for r in load_history() if r.kind == kind and r.number == number)


# ---- the data ---------------------------------------------------------------------------------


def test_there_are_exactly_21_in_person_rounds_numbered_1_to_21() -> None:
    assert [r.number for r in numbered("in_person")] == list(range(1, 22))


def test_there_are_exactly_7_video_rounds_numbered_1_to_7() -> None:
    assert [r.number for r in numbered("video")] == list(range(1, 8))


def test_the_only_unnumbered_round_is_the_1985_hometown_visits() -> None:
    unnumbered = [r for r in load_history() if r.number is None]
    assert len(unnumbered) == 1
    visits = unnumbered[0]
    assert (visits.kind, visits.starts, visits.ends) == ("in_person", "1985-09-20", "1985-09-23")
    assert (visits.south_families, visits.north_families) == (35, 30)
    assert len(load_history()) == 21 + 7 + 1


def test_the_first_in_person_round_starts_on_15_august_2000() -> None:
    assert by_number("in_person", 1).starts == "2000-08-15"


def test_the_21st_round_starts_in_august_2018_at_geumgangsan() -> None:
    last = by_number("in_person", 21)
    assert last.starts.startswith("2018-08")
    assert "Geumgangsan" in last.venue_en
    assert "금강산" in last.venue_ko


def test_rounds_1_to_3_were_not_at_geumgangsan_and_4_to_21_were() -> None:
    for past in numbered("in_person"):
        at_geumgangsan = "Geumgang" in past.venue_en
        assert at_geumgangsan == (past.number is not None and past.number >= 4), past.number
        if past.number is not None and past.number <= 3:
            assert "Seoul" in past.venue_en and "Pyongyang" in past.venue_en


def test_geumgangsan_is_spelled_one_way() -> None:
    for past in load_history():
        if "Geumgang" in past.venue_en:
            assert "Geumgangsan" in past.venue_en
        assert "Kumgangsan" not in past.venue_en and "Kumkang" not in past.venue_en


@pytest.mark.parametrize("kind", ["in_person", "video"])
def test_dates_increase_with_the_number(kind: str) -> None:
    rounds = numbered(kind)
    for before, after in itertools.pairwise(rounds):
        assert before.starts < after.starts, (before.number, after.number)
        assert before.ends < after.starts, (before.number, after.number)


def test_the_video_rounds_run_from_august_2005_to_november_2007() -> None:
    rounds = numbered("video")
    assert rounds[0].starts == "2005-08-15"
    assert rounds[-1].starts.startswith("2007-11")
    assert all("Geumgang" not in r.venue_en for r in rounds)


def test_every_round_and_every_total_has_a_source() -> None:
    for past in load_history():
        assert past.sources, (past.kind, past.number)
        assert all(s.url.strip() and s.title.strip() for s in past.sources)
    for total in totals():
        assert total.sources, total.key
    assert history_sources()


def test_the_parts_families_add_up_to_the_rounds_families() -> None:
    for past in load_history():
        if not past.parts or any(p.families is None for p in past.parts):
            continue
        for side, families in (("south", past.south_families), ("north", past.north_families)):
            from_parts = sum(p.families or 0 for p in past.parts if p.applicants == side)
            assert from_parts == families, (past.kind, past.number, side)


def test_known_figures_of_some_rounds() -> None:
    twentieth = by_number("in_person", 20)
    assert (twentieth.south_families, twentieth.north_families) == (90, 96)
    assert (twentieth.south_persons, twentieth.north_persons) == (644, 329)
    assert by_number("in_person", 21).south_families == 89
    fourth_video = by_number("video", 4)
    assert (fourth_video.south_persons, fourth_video.north_persons) == (356, 219)
    assert fourth_video.persons == 575
    assert by_number("video", 1).persons == 216
    assert by_number("in_person", 10).families is None


def test_year_of() -> None:
    assert year_of(by_number("in_person", 1)) == 2000
    assert year_of(by_number("video", 7)) == 2007


def test_families_per_year_sums_match_the_data() -> None:
    per_year = families_per_year()
    expected: dict[int, dict[str, int]] = {}
    for past in load_history():
        year = expected.setdefault(year_of(past), {"in_person": 0, "video": 0})
        year[past.kind] += (past.south_families or 0) + (past.north_families or 0)
    assert per_year == expected
    assert list(per_year) == sorted(per_year)
    assert per_year[2000] == {"in_person": 400, "video": 0}
    assert per_year[2005] == {"in_person": 98 + 100 + 100 + 100, "video": 200}
    assert sum(sum(kinds.values()) for kinds in per_year.values()) == sum(
        (r.south_families or 0) + (r.north_families or 0) for r in load_history()
    )


def test_rounds_with_unknown_families_are_listed_per_year() -> None:
    unknown = unknown_rounds_per_year()
    assert {year: [(r.kind, r.number) for r in rounds] for year, rounds in unknown.items()} == {
        2004: [("in_person", 10)]
    }
    assert families_per_year()[2004]["in_person"] == 200  # round 9 only; round 10 counts 0


def test_families_per_year_takes_other_rounds() -> None:
    rounds = [r for r in load_history() if r.kind == "video"]
    assert families_per_year(rounds) == {
        2005: {"in_person": 0, "video": 200},
        2006: {"in_person": 0, "video": 80},
        2007: {"in_person": 0, "video": 278},
    }
    assert unknown_rounds_per_year(rounds) == {}


def test_known_sums_cover_the_rounds_of_a_total() -> None:
    video_to_four = next(t for t in totals() if t.key == "video-2007-03")
    sums = known_sums(video_to_four)
    assert (sums.in_person_families, sums.in_person_persons) == (0, 0)
    assert sums.video_families == 40 + 80 + 80 + 80
    assert sums.video_persons == 216 + 585 + 575
    assert sums.unknown == ("video 2 persons",)
    assert video_to_four.video_families == 279  # the source's figure, one fewer


def test_the_official_totals_are_kept() -> None:
    official = next(t for t in totals() if t.key == "official-2015-10")
    assert (official.in_person_families, official.in_person_persons) == (4185, 19928)
    assert official.video_persons == 3748
    assert official.as_of == "2015-10"


def test_load_history_is_cached_and_equals_parsing_the_file() -> None:
    assert load_history() is load_history()
    assert parse_history(raw_document()) == load_history()


# ---- the checks -------------------------------------------------------------------------------


def round_at(document: dict[str, Any], kind: str, number: int | None) -> dict[str, Any]:
    found: dict[str, Any] = next(
        r for r in document["rounds"] if r["kind"] == kind and r["number"] == number
    )
    return found


def set_field(kind: str, number: int | None, field: str, value: Any) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        round_at(document, kind, number)[field] = value

    return change


def drop_round(kind: str, number: int) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        document["rounds"].remove(round_at(document, kind, number))

    return change


def set_part(number: int, index: int, field: str, value: Any) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        round_at(document, "in_person", number)["parts"][index][field] = value

    return change


def add_field(document: Any) -> None:
    round_at(document, "video", 3)["estimated_families"] = 80


def remove_field(document: Any) -> None:
    del round_at(document, "video", 3)["north_persons"]


def break_total(document: Any) -> None:
    document["totals"][0]["in_person_families"] = -4185


MALFORMED = [
    (set_field("in_person", 4, "kind", "in-person"), "round #", "kind"),
    (set_field("video", 2, "kind", "telephone"), "round #", "kind"),
    (set_field("in_person", 5, "starts", "2002-9-13"), "in_person round 5", "starts"),
    (set_field("in_person", 5, "starts", "13 September 2002"), "in_person round 5", "starts"),
    (set_field("in_person", 5, "ends", "2002-02-30"), "in_person round 5", "ends"),
    (set_field("in_person", 6, "ends", "2003-02-19"), "in_person round 6", "ends"),
    (set_field("video", 4, "ends", "2006-01"), "video round 4", "ends"),
    (set_field("in_person", 7, "south_families", -1), "in_person round 7", "south_families"),
    (set_field("in_person", 7, "north_persons", 3.5), "in_person round 7", "north_persons"),
    (set_field("in_person", 7, "south_persons", "582"), "in_person round 7", "south_persons"),
    (set_field("in_person", 7, "north_families", True), "in_person round 7", "north_families"),
    (set_field("video", 5, "persons_total", -865), "video round 5", "persons_total"),
    (set_field("in_person", 8, "number", 22), "in_person round 22", "number"),
    (set_field("video", 6, "number", 8), "video round 8", "number"),
    (set_field("video", 6, "number", 0), "video round 0", "number"),
    (set_field("in_person", 9, "number", 8), "in_person round 8", "more than once"),
    (set_field("video", 7, "number", None), "video round without a number", "number"),
    (drop_round("in_person", 12), "in_person rounds", "[12]"),
    (drop_round("video", 1), "video rounds", "[1]"),
    (set_field("in_person", 13, "starts", "2005-01-20"), "in_person round", "starts no later"),
    (set_field("in_person", 14, "sources", []), "in_person round 14", "sources"),
    (set_field("in_person", 14, "sources", [{"url": "", "title": "x"}]), "round 14", "url"),
    (set_field("in_person", 15, "venue_en", ""), "in_person round 15", "venue_en"),
    (set_field("in_person", 15, "parts", {}), "in_person round 15", "parts"),
    (set_part(16, 0, "applicants", "both"), "in_person round 16: part 1", "applicants"),
    (set_part(16, 1, "ends", "2007-10-23"), "in_person round 16: part 2", "outside"),
    (set_part(16, 1, "families", -94), "in_person round 16: part 2", "families"),
    (add_field, "video round 3", "estimated_families"),
    (remove_field, "video round 3", "north_persons"),
    (break_total, "total 'official-2015-10'", "in_person_families"),
]


@pytest.mark.parametrize(("change", "where", "field"), MALFORMED)
def test_the_checks_reject_a_malformed_document(
    change: Callable[[Any], None], where: str, field: str
) -> None:
    document = copy.deepcopy(raw_document())
    change(document)
    with pytest.raises(ValueError, match=r"^history\.json: ") as raised:
        parse_history(document)
    assert where in str(raised.value)
    assert field in str(raised.value)


def test_the_checks_reject_what_is_not_a_history_document() -> None:
    with pytest.raises(ValueError, match="document: must be an object"):
        parse_history([])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="missing field"):
        parse_history({"rounds": []})


def test_a_month_only_date_is_accepted() -> None:
    document = copy.deepcopy(raw_document())
    seventh = round_at(document, "video", 7)
    seventh["starts"], seventh["ends"] = "2007-11", "2007-11"
    parsed = next(r for r in parse_history(document) if r.kind == "video" and r.number == 7)
    assert parsed.month_only
    assert year_of(parsed) == 2007
    assert not by_number("video", 7).month_only
