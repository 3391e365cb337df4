"""Test data: the persona groups of the access policy, and valid request bodies to vary."""

from __future__ import annotations

from typing import Any

from panmun.accounts.demo import PERSONAS

PERSONA_NAMES = [p.username for p in PERSONAS]
EDITORS = {"ministry", "liaison_s", "liaison_n", "supervisor", "admin"}
SUPERVISORS = {"supervisor", "admin"}
OFFICERS = set(PERSONA_NAMES) - {"viewer"}


def talks_payload(**changes: Any) -> dict[str, Any]:
    data = {
        "title_ko": "제1차 남북 실무회담(시험)",
        "title_en": "First working-level talks (test)",
        "level": "working_level",
        "topic": "dialogue",
        "start_date": "2026-11-20",
        "end_date": "2026-11-21",
        "date_precision": "day",
        "place_ko": "판문점 평화의 집",
        "place_en": "Peace House, Panmunjeom",
        "delegates": [
            {
                "side": "south",
                "name_ko": "김서연",
                "name_en": "Kim Seo-yeon",
                "title_ko": "수석대표",
                "title_en": "Chief delegate",
                "is_head": True,
            },
            {
                "side": "north",
                "name_ko": "리선권",
                "name_en": "Ri Son Gwon",
                "title_ko": "단장",
                "title_en": "Head",
                "is_head": True,
            },
        ],
        "agreements": [],
    }
    data.update(changes)
    return data


def agreement_payload(**changes: Any) -> dict[str, Any]:
    data = {
        "title_ko": "시험 합의서",
        "title_en": "Test agreement",
        "signed_on": "2026-11-21",
        "date_precision": "day",
        "parties": ["south", "north"],
        "topic": "dialogue",
        "provisions": [{"number": 1, "text_ko": "제1조", "text_en": "Article 1"}],
    }
    data.update(changes)
    return data
