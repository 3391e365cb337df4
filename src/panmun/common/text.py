"""Characters that text from a user or a file may not hold."""

from __future__ import annotations

import re

#: C0 control characters and DEL, but tab and line feed: what a note may not hold, and what a
#: PDF cannot set.
CONTROL_BUT_TAB_AND_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
