"""A job's result on its page: plain values on a line, lists as their first items in words (a
dict as `key: value`), never the stored form."""

from __future__ import annotations

from panmun.jobs.views import RESULT_ITEMS_SHOWN, result_shown


def test_plain_values_and_lists_are_shown_apart():
    plain, lists = result_shown(
        {
            "stored": 3,
            "filename": "gate-2.json",
            "review": [{"key": "M1", "code": "no_approval"}] * (RESULT_ITEMS_SHOWN + 5),
            "refused": ["회사 (3): 사유 / reason"],
            "none": None,
        }
    )
    assert plain == [("stored", "3"), ("filename", "gate-2.json"), ("none", "")]
    review = lists[0]
    assert review[0] == "review" and len(review[1]) == RESULT_ITEMS_SHOWN and review[2] == 5
    assert review[1][0] == "key: M1; code: no_approval"
    assert lists[1] == ("refused", ["회사 (3): 사유 / reason"], 0)


def test_no_result_shows_nothing():
    assert result_shown({}) == ([], [])
    assert result_shown(None) == ([], [])
    assert result_shown("odd") == ([], [])
