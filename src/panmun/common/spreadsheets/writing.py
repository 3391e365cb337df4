"""Writing a spreadsheet: a header and rows of text cells, as CSV or as an xlsx workbook, written
row by row to a file (memory does not grow with the rows).

CSV is UTF-8 with a BOM (so that Korean Excel reads it as UTF-8), and a cell a spreadsheet would
run as a formula gets a quote before it (`common.csvcells`), which `reading` takes away. The xlsx
workbook has one sheet, every cell an inline string, at most `XLSX_MAX_ROWS` rows (past it
`XlsxTooLarge`), each text cut to `XLSX_MAX_TEXT` UTF-16 units as Excel holds; what is written
reads back (`reading`) as the texts given.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO

import xlsxwriter  # type: ignore[import-untyped]

from panmun.common import csvcells

from .reading import column_letter

# Excel's limits: rows in a sheet, and UTF-16 units in a cell (xlsxwriter cuts longer text).
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_TEXT = 32_767


def write_csv_to(out: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """CSV, UTF-8 with a BOM (so that Korean Excel reads it as UTF-8), written to `out` row by
    row: the header, then `rows`. A cell a spreadsheet would run as a formula gets a quote
    before it (`csvcells`), which reading takes away."""
    out.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csvcells.text_writer(text)
        writer.writerow(header)
        writer.writerows(rows)
        text.flush()
    finally:
        text.detach()  # `out` stays open: it is the caller's


# The xlsx file is the one xlsxwriter writes in its constant-memory mode (every cell an inline
# string), but the rows of the sheet are made here: through xlsxwriter's own `write_string` they
# cost some 16 µs a cell, over a minute for the demo's registry (4.6 million cells), where this
# takes a few seconds. xlsxwriter makes the rest of the package (content types, relationships,
# workbook, styles, theme, properties) and the header row; the rows are written to a temporary
# file first, as xlsxwriter does, since the sheet's <dimension> (its last row, which readers use
# to size it) comes before them. A test holds the rows to what xlsxwriter writes, cell for cell.
_XLSX_SHEET = "xl/worksheets/sheet1.xml"
# What makes a text need more than the plain <c><is><t>text</t></is></c>: XML's special
# characters, control characters and Unicode's two non-characters (OOXML writes both as _xHHHH_),
# text like those escapes ("_x" found, the rest is for `_xlsx_cell`), white space at either end.
_XLSX_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XLSX_ESCAPED = re.compile(r"_(?=x[0-9a-fA-F]{4}_)")
_XLSX_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_XLSX_COMPRESSION = 6  # zlib's default, as xlsxwriter's: level 1 saves a third of the time,
# but the file is a quarter larger


def _utf16_cut(text: str, limit: int) -> str:
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def _xlsx_cell(reference: str, text: str) -> str:
    """A text cell as xlsxwriter's constant-memory mode writes it, save two things, where
    xlsxwriter's output does not read back as the text it was given: text such as "<r>…</r>" is
    escaped like any other (xlsxwriter writes it unescaped, as rich text), and in escape-like
    strings that overlap ("_x005F_x0041_") each one is escaped (xlsxwriter skips the second)."""
    if len(text) > XLSX_MAX_TEXT // 2:
        text = _utf16_cut(text, XLSX_MAX_TEXT)
    text = _XLSX_ESCAPED.sub("_x005F_", text)
    text = _XLSX_CONTROL.sub(lambda found: f"_x{ord(found.group()):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{reference}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _xlsx_row(letters: Sequence[str], number: int, cells: Sequence[str]) -> str:
    row = str(number)
    parts = [f'<row r="{row}">']
    special = _XLSX_SPECIAL.search
    for letter, text in zip(letters, cells, strict=False):
        if not text:
            continue
        if (
            special(text)
            or "_x" in text
            or text[0].isspace()
            or text[-1].isspace()
            or len(text) > XLSX_MAX_TEXT // 2
        ):
            parts.append(_xlsx_cell(letter + row, text))
        else:
            parts.append(f'<c r="{letter}{row}" t="inlineStr"><is><t>{text}</t></is></c>')
    if len(parts) == 1:
        return ""  # a row with nothing in it is left out, as xlsxwriter does
    parts.append("</row>")
    return "".join(parts)


def _xlsx_package(header: Sequence[str], sheet_name: str) -> bytes:
    """The workbook xlsxwriter writes with the header row alone (every part but the rows)."""

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet(sheet_name)
    for column, name in enumerate(header):
        sheet.write_string(0, column, name)
    book.close()
    return out.getvalue()


class XlsxTooLarge(ValueError):
    """More rows than an Excel sheet holds."""


def write_xlsx_to(
    out: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    sheet_name: str = "Sheet1",
    compressing: Callable[[int], None] | None = None,
    compressed: Callable[[int], None] | None = None,
) -> int:
    """An xlsx workbook of one sheet (`sheet_name`), every cell text, written to `out` (a
    seekable binary file): the header, then `rows`, a cell for each of the header's columns
    (past them a row's cells are left out). Returns the number of rows after the header.
    `compressing(total)` and `compressed(done)` follow the last step, when the sheet is
    compressed into the file, in MiB. XlsxTooLarge past Excel's last row."""
    letters = tuple(column_letter(index) for index in range(len(header)))
    last = 1
    with tempfile.TemporaryFile() as sheet_rows:
        pending: list[str] = []
        for number, cells in enumerate(rows, 2):
            if number > XLSX_MAX_ROWS:
                raise XlsxTooLarge(f"an Excel sheet holds at most {XLSX_MAX_ROWS:,} rows")
            row = _xlsx_row(letters, number, cells)
            if row:
                pending.append(row)
                last = number
            if len(pending) >= 1000:
                sheet_rows.write("".join(pending).encode("utf-8"))
                pending.clear()
        sheet_rows.write("".join(pending).encode("utf-8"))
        size = sheet_rows.tell()
        sheet_rows.seek(0)
        reference = f"A1:{letters[-1]}{last}"
        with (
            zipfile.ZipFile(io.BytesIO(_xlsx_package(header, sheet_name))) as package,
            zipfile.ZipFile(
                out, "w", zipfile.ZIP_DEFLATED, compresslevel=_XLSX_COMPRESSION
            ) as target,
        ):
            for info in package.infolist():
                data = package.read(info)
                if info.filename != _XLSX_SHEET:
                    target.writestr(info, data)
                    continue
                head, end, tail = data.partition(b"</sheetData>")
                head = re.sub(
                    rb'<dimension ref="[^"]*"/>',
                    f'<dimension ref="{reference}"/>'.encode(),
                    head,
                    count=1,
                )
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.file_size = len(head) + size + len(end) + len(tail)  # zip64 if it must
                if compressing:
                    compressing(-(-size // (1 << 20)))
                with target.open(entry, "w") as sheet:
                    sheet.write(head)
                    while chunk := sheet_rows.read(1 << 20):
                        sheet.write(chunk)
                        if compressed:
                            compressed(1)
                    sheet.write(end + tail)
    return last - 1
