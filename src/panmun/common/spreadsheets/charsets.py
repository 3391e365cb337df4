"""The encodings a CSV file is read in: UTF-8 (with or without BOM) first, then CP949 as Korean
Excel saves it. Apart from `reading` so that what reads text files alone (linkage's records)
need not load the xlsx reader."""

from __future__ import annotations

# What a CSV file may be written in, tried in this order.
ENCODINGS = ("utf-8-sig", "cp949")


def unreadable_line(data: bytes) -> int:
    """The first line (1-based) of a file that neither UTF-8 nor CP949 reads, or 0 where each
    line reads in one of them but the whole file in neither."""
    for number, line in enumerate(data.split(b"\n"), 1):
        for encoding in ("utf-8", "cp949"):
            try:
                line.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return number
    return 0
