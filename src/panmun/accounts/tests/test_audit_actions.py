"""Every action code the code base writes to the audit log has words in Korean and English, so
no page (the audit log, the home page, 결재) ever shows a raw code like
`liaison.acceptance.send`. A new code cannot ship without its words: this test reads the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from panmun.accounts.audit import ACTIONS, ADMIN_VERBS, action_label

SRC = Path(__file__).resolve().parents[2]  # src/panmun
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+){2,}$")


def _expansions() -> dict[str, list[str]]:
    """The f-string action codes, with every value they can take."""
    from panmun.complex.models import StayStep
    from panmun.liaison.models import Kind

    return {
        "liaison.{}.send": [f"liaison.{k}.send" for k in Kind.values],
        # A stay's registration, extension or residence (complex.services.stay).
        "complex.stay.{}": [f"complex.stay.{step}" for step in StayStep.values],
        # admin.<model>.<verb>: action_label reads the verb (ADMIN_VERBS).
        "admin.{}.{}": [f"admin.x.{verb}" for verb in ADMIN_VERBS],
        "admin.{}.relations": ["admin.x.relations"],
        "admin.{}.delete": ["admin.x.delete"],
    }


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(
        v.value if isinstance(v, ast.Constant) else "{}"
        for v in node.values
        if isinstance(v, ast.Constant | ast.FormattedValue)
    )


def _is_audit_record(call: ast.Call) -> bool:
    f = call.func
    return (isinstance(f, ast.Attribute) and f.attr == "record" and
            isinstance(f.value, ast.Name) and f.value.id == "audit")  # fmt: skip


def recorded_codes() -> tuple[set[str], set[str], list[str]]:
    """(codes, f-string patterns, audit.record calls whose action could not be read)."""
    codes: set[str] = set()
    patterns: set[str] = set()
    unread: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg != "action":
                    continue
                found = False
                for sub in ast.walk(kw.value):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        if CODE.match(sub.value):
                            codes.add(sub.value)
                            found = True
                    elif isinstance(sub, ast.JoinedStr):
                        patterns.add(_pattern(sub))
                        found = True
                if _is_audit_record(node) and not found and not _passed_through(kw.value):
                    unread.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return codes, patterns, unread


def _passed_through(value: ast.expr) -> bool:
    """`action=action`: a parameter handed on (the caller's literal is found where it is)."""
    return isinstance(value, ast.Name)


def test_the_scan_finds_the_codes():
    codes, patterns, _unread = recorded_codes()
    assert {"dialogue.talks.create", "accounts.signoff.refuse", "families.person.create"} <= codes
    assert "liaison.{}.send" in patterns


def test_every_recorded_action_code_has_korean_and_english_words():
    codes, patterns, unread = recorded_codes()
    expansions = _expansions()
    unknown_patterns = patterns - set(expansions)
    assert not unknown_patterns, (
        "an f-string action code: list what it can be in _expansions()",
        unknown_patterns,
    )
    for pattern in patterns:
        codes.update(expansions[pattern])
    missing = sorted(c for c in codes if action_label(c, "ko") == c or action_label(c, "en") == c)
    assert missing == [], "add these to panmun.accounts.audit.ACTIONS"
    assert unread == []


@pytest.mark.parametrize("code", sorted(ACTIONS))
def test_each_label_is_a_pair_of_words(code):
    ko, en = ACTIONS[code]
    assert re.search(r"[\uac00-\ud7a3]", ko), code
    assert en and en[0].isupper() and not re.search(r"[\uac00-\ud7a3]", en), code


def test_pages_show_the_words_not_the_code(client_for, personas):
    from django.db import transaction

    from panmun.accounts import audit

    with transaction.atomic():
        audit.record(actor=personas["liaison_n"], action="liaison.acceptance.send",
                     object_type="liaison.entry", object_id="1")  # fmt: skip
    page = client_for("supervisor").get("/audit/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page.split("<main")[1])  # what is read, not attributes
    assert "liaison.acceptance.send" not in text
    assert "수락 발송" in text
    assert "liaison.entry" not in text and "연락 기록" in text
