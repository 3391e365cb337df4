"""Reading a spreadsheet: the cells of a .csv or .xlsx file, row by row as the file is read.

A CSV file is read in UTF-8 (with or without BOM) or CP949 as Korean Excel saves it; one in
neither is refused with the line where it goes wrong. An xlsx file is read from its first sheet
by `SheetReader`, which streams the sheet's XML with expat: memory does not grow with the file
(a registry of a million rows is read in flat memory, docs/benchmarks.md). A cell is read as
text: an Excel date as YYYY-MM-DD, 1950 or 1950.0 as "1950".

`rows_of` gives the rows as they are read (what the registry's checker walks), `read_table` all
of them as a list; what makes a file unreadable is a `Finding`, and `read_table` refuses with a
`SpreadsheetError`. The findings keep the codes the registry import gave them first
("registry_…"): clients of the API know them by these.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from functools import lru_cache
from typing import IO, Any
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden  # type: ignore[import-untyped]
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.datetime import from_excel, from_ISO8601  # type: ignore[import-untyped]

from panmun.common import csvcells
from panmun.common.findings import Finding, FindingsError

from .charsets import ENCODINGS, unreadable_line

CHUNK = 1 << 20  # bytes read at a time from a file
SHOWN_PROBLEMS = 20


class SpreadsheetError(FindingsError):
    """A spreadsheet file that cannot be read, with every problem found in it."""

    shown = SHOWN_PROBLEMS


def whole_file(code: str, file: str, *, ko: str, en: str) -> Finding:
    """A problem of a whole file (its row is 0)."""
    return Finding(code, ko=ko, en=en, file=file, row=0)


def too_many_rows(file: str, limit: int) -> Finding:
    """The problem of a file with more data rows than `limit`."""
    ko = f"자료 행이 {limit:,}개를 넘습니다 (한 파일에 최대 {limit:,}행): 파일을 나누십시오"
    en = f"the file has more than {limit:,} data rows (at most {limit:,} in one file): split it"
    return whole_file("registry_too_many_rows", file, ko=ko, en=en)


def _encoding_of(source: IO[bytes]) -> tuple[str | None, int]:
    """The encoding a CSV file reads in, UTF-8 first, then CP949 (None: neither), and its
    number of lines; read a chunk at a time."""
    for encoding in ENCODINGS:
        source.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            while chunk := source.read(CHUNK):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    return None, 0


def _encoding_problems(data: bytes, file: str, problems: list[Finding]) -> None:
    """Where a file neither UTF-8 nor CP949 reads goes wrong (the file is read whole: it is
    refused anyway)."""
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        problems.append(  # not reached: what the chunks could not read, the whole cannot either
            whole_file(
                "registry_bad_encoding",
                file,
                ko="UTF-8도 CP949(EUC-KR)도 아닙니다",
                en="neither UTF-8 nor CP949",
            )
        )
        return
    line = unreadable_line(data)
    ko, en = "", "the file is neither UTF-8 nor CP949 (EUC-KR)"
    if line:
        ko = f" ({line}번째 줄)"
        en = f"bytes that are neither UTF-8 nor CP949 (EUC-KR) (line {line} of the file)"
    problems.append(
        Finding(
            "registry_bad_encoding",
            ko="UTF-8도 CP949(EUC-KR)도 아닌 바이트가 있습니다" + ko,
            en=en,
            file=file,
            row=_record_of_line(data, line),
        )
    )


def _csv_rows(
    source: IO[bytes], file: str, problems: list[Finding]
) -> tuple[Iterator[list[str]], int]:
    """The rows of a CSV file as they are read (memory stays flat, whatever the file's size),
    and about how many there are (its lines)."""
    source.seek(0)
    if source.read(4) == b"PK\x03\x04":
        problems.append(
            whole_file(
                "registry_xlsx_as_csv",
                file,
                ko="CSV가 아니라 xlsx(엑셀) 파일로 보입니다: 확장자를 .xlsx로 하십시오",
                en="this looks like an xlsx (Excel) file, not CSV: name it .xlsx",
            )
        )
        return iter(()), 0
    encoding, lines = _encoding_of(source)
    if encoding is None:
        source.seek(0)
        _encoding_problems(source.read(), file, problems)
        return iter(()), 0
    source.seek(0)

    def rows() -> Iterator[list[str]]:
        text = io.TextIOWrapper(source, encoding=encoding, newline="")
        read = 0
        try:
            reader = csv.reader(text)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    problems.append(
                        Finding(
                            "registry_csv_malformed",
                            ko=f"CSV 형식이 잘못되었습니다: {error}",
                            en=f"the CSV is malformed: {error}",
                            file=file,
                            row=read + 1,
                        )
                    )
                    return
                read += 1
                yield csvcells.restore_row(row)
        finally:
            if not source.closed:
                text.detach()  # the file stays open: it is the caller's

    return rows(), lines


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=1 << 10)
def _column_of_letters(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_number(reference: str) -> int:
    """The 1-based column of a cell reference: "A7" → 1, "AB12" → 28."""
    return _column_of_letters(reference.rstrip("0123456789"))


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Za-z]*[0-9]*:?[A-Za-z]*([0-9]+)\"")


class SheetReader:
    """The values of a worksheet's cells, row by row, as openpyxl's read-only `iter_rows(
    values_only=True)` gives them (the same types, shared strings, date styles and epoch, taken
    from openpyxl's workbook), but parsed with expat's callbacks: openpyxl builds an element per
    XML node with defusedxml's pure-Python parser, some 20 µs a cell, minutes for a registry.
    As defusedxml does, a sheet with a DTD (where entity bombs live) is refused."""

    CHUNK = 1 << 20

    def __init__(self, sheet: Any) -> None:
        book = sheet.parent
        self.open_source: Callable[[], Any] = lambda: book._archive.open(sheet._worksheet_path)
        self.strings: Sequence[object] = sheet._shared_strings
        self.date_styles: set[int] = set(book._date_formats)
        self.timedelta_styles: set[int] = set(book._timedelta_formats)
        self.epoch: datetime = book.epoch
        self.done: list[list[object]] = []
        self.row_number = 0
        self.cells: dict[int, object] = {}
        self.column = 0
        self.cell_type = "n"
        self.style = 0
        self.parts: list[str] = []
        self.collect = False
        self.in_inline = False
        self.in_phonetic = False

    @classmethod
    def of(cls, sheet: Any) -> SheetReader | None:
        """A reader for an openpyxl read-only sheet, or None where openpyxl's insides are not
        as expected (another version): its own reading is then used."""
        try:
            return cls(sheet)
        except (AttributeError, TypeError):
            return None

    def last_row(self) -> int:
        """The last row as the sheet's <dimension> says (0 if it does not), read from its start:
        openpyxl's `max_row` parses the whole sheet to find it where it comes late or not at all."""
        with self.open_source() as source:
            found = _DIMENSION.search(source.read(1 << 16))
        return int(found.group(1)) if found else 0

    def rows(self) -> Iterator[list[object]]:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        with self.open_source() as source:
            while chunk := source.read(self.CHUNK):
                parser.Parse(chunk, False)
                yield from self.done
                self.done.clear()
        parser.Parse(b"", True)
        yield from self.done
        self.done.clear()

    def refuse_dtd(self, *args: object) -> None:
        raise _DtdRefused("the worksheet has a DTD, which xlsx files never need")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            reference = attrs.get("r")
            self.column = column_number(reference) if reference else self.column + 1
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style else 0
            self.parts = []
        elif local == "v":
            self.collect = not self.in_inline
        elif local == "t":
            self.collect = self.in_inline and not self.in_phonetic
        elif local == "is":
            self.in_inline = True
        elif local == "rPh":
            self.in_phonetic = True
        elif local == "row":
            number = attrs.get("r")
            row = int(number) if number else self.row_number + 1
            while self.row_number + 1 < row:  # rows with nothing in them are left out
                self.done.append([])
                self.row_number += 1
            self.row_number = row
            self.cells = {}
            self.column = 0

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local in ("v", "t"):
            self.collect = False
        elif local == "c":
            value = self.value()
            if value is not None:
                self.cells[self.column] = value
        elif local == "is":
            self.in_inline = False
        elif local == "rPh":
            self.in_phonetic = False
        elif local == "row":
            row: list[object] = [None] * max(self.cells, default=0)
            for column, value in self.cells.items():
                row[column - 1] = value
            self.done.append(row)

    def text(self, data: str) -> None:
        if self.collect:
            self.parts.append(data)

    def value(self) -> object:
        text = "".join(self.parts)
        kind = self.cell_type
        if kind == "inlineStr":
            return ooxml_text(text)
        if not text:
            return None
        if kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if self.style in self.date_styles:
                try:
                    return from_excel(
                        number, self.epoch, timedelta=self.style in self.timedelta_styles
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text) and "e" (an error such as #N/A)


def _cell_text(value: object) -> str:
    """An xlsx cell as text: an Excel date as YYYY-MM-DD, 1950 or 1950.0 as "1950"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _record_of_line(data: bytes, line: int) -> int:
    """The spreadsheet row that holds a line of a CSV file (a quoted value may span lines)."""
    if line <= 1:
        return line
    before = b"\n".join(data.split(b"\n", line - 1)[: line - 1]) + b"\n"
    text = before.decode("utf-8", "replace")
    records = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    inside_quotes = text.count('"') % 2 == 1  # the line goes on a value begun before it
    return records if inside_quotes else records + 1


class _DtdRefused(ValueError):
    """A part of an xlsx file with a DTD, which Excel never writes (entity bombs live there)."""


def _has_dtd(error: BaseException | None) -> bool:
    """Whether an error, or one it was raised from (openpyxl wraps defusedxml's), is a DTD
    refused."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _DtdRefused | DTDForbidden | EntitiesForbidden):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


class _RootReached(Exception):
    """The prolog of an XML part is over: its root element has begun."""


#: How much of a part's prolog is read for a DTD: a DTD comes before the root element, and an
#: Excel part's prolog is one line; a prolog longer than this is refused as if it held one.
PROLOG_BYTES = 64 * 1024


def _refuse_dtds(source: IO[bytes]) -> None:
    """Raise `_DtdRefused` if any XML part of the xlsx file (a zip) declares a DTD. Checked here,
    before openpyxl reads the workbook, because openpyxl parses the workbook's own parts with
    lxml where lxml is installed (which ignores a DTD quietly) and with defusedxml only where it
    is not: the refusal must not depend on which libraries are installed. Only each part's
    prolog is read, up to its root element."""
    source.seek(0)
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        source.seek(0)
        return  # not a zip: openpyxl says so in its own words
    with archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            parser = expat.ParserCreate()

            def refuse(*args: object, name: str = info.filename) -> None:
                raise _DtdRefused(f"{name} has a DTD")

            def root(*args: object) -> None:
                raise _RootReached

            parser.StartDoctypeDeclHandler = refuse
            parser.EntityDeclHandler = refuse
            parser.StartElementHandler = root
            read = 0
            with archive.open(info) as part:
                try:
                    while chunk := part.read(4096):
                        read += len(chunk)
                        parser.Parse(chunk, False)
                        if read >= PROLOG_BYTES:
                            raise _DtdRefused(f"{info.filename}: no root element in its prolog")
                except (_RootReached, expat.ExpatError):
                    continue  # the root began (or the part is broken: openpyxl will say)
    source.seek(0)


def _not_xlsx(file: str, error: BaseException) -> Finding:
    if _has_dtd(error):
        return whole_file(
            "registry_xlsx_dtd",
            file,
            ko="xlsx(엑셀) 파일 안에 DTD(문서 형식 선언)가 있어 읽지 않았습니다:"
            " 엑셀로 저장한 파일에는 DTD가 없습니다. 엑셀에서 다시 저장하십시오",
            en="the xlsx (Excel) file holds a DTD (a document type declaration), which files"
            " saved by Excel never have, and was not read: save it again from Excel",
        )
    return whole_file(
        "registry_xlsx_invalid",
        file,
        ko=f"올바른 xlsx(엑셀) 파일이 아닙니다: {error}",
        en=f"not a valid xlsx (Excel) file: {error}",
    )


def _xlsx_rows(
    source: IO[bytes], file: str, problems: list[Finding]
) -> tuple[Iterator[list[str]], int]:
    try:
        _refuse_dtds(source)
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # a damaged file fails in many ways: zip, XML, openpyxl's own
        problems.append(_not_xlsx(file, error))
        return iter(()), 0
    if not book.worksheets:
        book.close()
        problems.append(
            whole_file(
                "registry_xlsx_no_sheet",
                file,
                ko="통합 문서에 워크시트가 없습니다",
                en="the workbook has no worksheet",
            )
        )
        return iter(()), 0
    sheet = book.worksheets[0]
    fast = SheetReader.of(sheet)
    try:
        last = sheet.max_row if fast is None else fast.last_row()
    except Exception as error:  # the sheet is missing or damaged
        book.close()
        problems.append(_not_xlsx(file, error))
        return iter(()), 0
    total = max((last or 1) - 1, 0)
    sheet.reset_dimensions()  # some writers record wrong dimensions: read every row there is

    def rows() -> Iterator[list[str]]:
        try:
            values: Iterable[Sequence[object]] = (
                sheet.iter_rows(values_only=True) if fast is None else fast.rows()
            )
            for row in values:
                yield [_cell_text(value) for value in row]
        except Exception as error:  # a damaged sheet inside a sound zip
            problems.append(_not_xlsx(file, error))
        finally:
            book.close()

    return rows(), total


def _blank(source: IO[bytes]) -> bool:
    """Whether a file holds nothing but white space (and a BOM)."""
    source.seek(0)
    first = True
    while chunk := source.read(CHUNK):
        if first and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8) :]
        first = False
        if chunk.strip():
            return False
    return True


Source = bytes | IO[bytes]


def _opened(source: Source) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def rows_of(
    data: Source, filename: str, problems: list[Finding]
) -> tuple[Iterable[Sequence[str]], int]:
    """The cells of a .csv or .xlsx file, by the file name's extension (bytes, or a binary file
    that can seek), row by row as they are read, and about how many data rows there are.
    File-level problems (extension, empty, encoding, a damaged workbook) go to `problems`."""
    source = _opened(data)
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if extension not in ("csv", "xlsx"):
        problems.append(
            whole_file(
                "registry_file_type",
                filename,
                ko="파일은 .csv 또는 .xlsx 파일이어야 합니다",
                en="the file must be a .csv or .xlsx file",
            )
        )
        return [], 0
    if _blank(source):
        problems.append(
            whole_file(
                "registry_file_empty",
                filename,
                ko="파일이 비어 있습니다",
                en="the file is empty",
            )
        )
        return [], 0
    if extension == "csv":
        rows, lines = _csv_rows(source, filename, problems)
        return rows, max(lines - 1, 0)
    source.seek(0)
    return _xlsx_rows(source, filename, problems)


def read_table(data: Source, *, filename: str, max_rows: int | None = None) -> list[list[str]]:
    """Every row of a .csv (UTF-8 or CP949) or .xlsx file (bytes, or a binary file) as cell
    texts, the header first; SpreadsheetError names what makes the file unreadable, or a file
    of more than `max_rows` rows after the header. Other lists (a tracing round's reply, a
    reunion's check sheet) read their files with this, and check their own columns."""
    problems: list[Finding] = []
    rows, _total = rows_of(data, filename, problems)
    table: list[list[str]] = []
    for row in rows:
        if max_rows is not None and len(table) > max_rows:
            problems.append(too_many_rows(filename, max_rows))
            break
        table.append(list(row))
    if problems:
        raise SpreadsheetError(problems)
    return table


_XLSX_UNESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")


def ooxml_text(text: str) -> str:
    """A string of an xlsx file with its _xHHHH_ escapes undone (how OOXML writes control
    characters, and "_x005F_" for a literal "_" before one), as Excel reads it."""
    if "_x" not in text:
        return text
    return _XLSX_UNESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text)
