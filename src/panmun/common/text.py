"""Characters that text from a user or a file may not hold."""

from __future__ import annotations

import re

#: C0 control characters and DEL, but tab and line feed: what a note may not hold, and what a
#: PDF cannot set.
CONTROL_BUT_TAB_AND_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

#: A problem with a value typed or read: (field, Korean, English).
TextProblem = tuple[str, str, str]


def text_problem(
    name: str, value: str, limit: int, *, required: bool = False, tabs: bool = True
) -> TextProblem | None:
    """What is wrong with a text field's value, if anything: empty when required, longer than
    `limit`, or holding a control character (line feeds are allowed; tabs when `tabs`)."""
    if required and not value.strip():
        return (name, "적어 주십시오.", "Required.")
    if len(value) > limit:
        return (name, f"{limit:,}자 이내로 적어 주십시오.", f"At most {limit:,} characters.")
    checked = value.replace("\t", "") if tabs else value.replace("\t", "\x01")
    if CONTROL_BUT_TAB_AND_NEWLINE.search(checked):
        return (name, "쓸 수 없는 제어 문자가 있습니다.", "Contains control characters.")
    return None
