"""Roster files for the tests: an xlsx (or CSV) file of a header and rows, as the labour agency
sends them."""

from __future__ import annotations

import io
from collections.abc import Sequence

from panmun.common.spreadsheets.writing import write_csv_to, write_xlsx_to

#: The North's header.
NORTH_HEADER = ("로동자번호", "성명", "성별", "출생년도", "직종", "채용날자", "퇴직날자")


def xlsx(rows: Sequence[Sequence[str]], header: Sequence[str] = NORTH_HEADER) -> bytes:
    out = io.BytesIO()
    write_xlsx_to(out, header, rows)
    return out.getvalue()


def csv(rows: Sequence[Sequence[str]], header: Sequence[str] = NORTH_HEADER) -> bytes:
    out = io.BytesIO()
    write_csv_to(out, header, rows)
    return out.getvalue()


GOOD = [
    ["1001", "리영철", "남", "1975", "재봉공", "2010-03-02", ""],
    ["1002", "림순희", "녀", "1988", "재봉공", "2012-05-01", ""],
    ["1003", "로은정", "녀", "1990", "검사공", "2014-09-15", "2015-06-30"],
]
#: A bad row (empty name, unknown sex), a duplicate number and an impossible date.
BAD = [
    ["1001", "리영철", "남", "1975", "재봉공", "2010-03-02", ""],
    ["1002", "", "x", "1988", "재봉공", "2012-05-01", ""],
    ["1001", "김철", "남", "1980", "", "2011-01-01", ""],
    ["1004", "박순옥", "녀", "1985", "", "2015-02-30", ""],
]
