"""Panmun's printed documents, one kind of page: `KoreanPDF`, A4 in Korean with Noto Sans KR.

Every PDF Panmun makes (a tracing round's request list, a family card, a reunion's lists,
programme, cards and report, a liaison thread) is an A4 page with the bundled Hangul font
embedded, a title, tables with a grey header row repeated on every page and "n / N" at the
foot. `KoreanPDF` holds that; `clean_text` makes any text settable (NFC, no control
characters). The dates are written by `panmun.korean.dates`.

The font is Noto Sans KR (SIL Open Font License 1.1), shipped inside the PyPI package
``pylopdf-fonts-ko``; `font_path` finds it. Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.fonts import FontFace

from panmun.korean.hangul import nfc

from .text import CONTROL_BUT_TAB_AND_NEWLINE

__all__ = [
    "ELLIPSIS",
    "FONT_FAMILY",
    "FONT_FILE",
    "FONT_PACKAGE",
    "GREY",
    "HEADINGS",
    "KoreanPDF",
    "clean_text",
    "clip",
    "font_path",
]

FONT_PACKAGE = "pylopdf_fonts_ko"
FONT_FILE = "NotoSansKR-Regular.otf"
FONT_FAMILY = "NotoSansKR"

GREY = 224  # the fill of header rows and labels
HEADINGS = FontFace(emphasis="", fill_color=(GREY, GREY, GREY))
ELLIPSIS = "…"


def font_path() -> Path:
    """The bundled Noto Sans KR font (OTF), inside the installed ``pylopdf-fonts-ko`` package."""
    path = Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"{FONT_FILE} is missing from the {FONT_PACKAGE} package")
    return path


def clean_text(text: object, *, newlines: bool = False) -> str:
    """Text the PDF can set: NFC, tabs as spaces, no control characters. Line breaks ("\\r\\n",
    "\\n", a lone "\\r") become spaces, or with ``newlines=True`` "\\n"."""
    brk = "\n" if newlines else " "
    flat = str(text).replace("\r\n", brk).replace("\r", brk).replace("\n", brk).replace("\t", " ")
    return CONTROL_BUT_TAB_AND_NEWLINE.sub("", nfc(flat))


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, the last one an ellipsis where the text was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


class KoreanPDF(FPDF):
    """An A4 document in Korean: Noto Sans KR embedded (10 pt to start with), margins all round,
    the title in the file's properties, "n / N" at the foot — after `footer_note` and " · "
    where there is one — `footer_at` mm above the bottom edge (the margin unless said)."""

    def __init__(
        self,
        title: str,
        *,
        landscape: bool = False,
        margin: float = 10,
        footer_at: float | None = None,
        footer_note: str = "",
    ) -> None:
        super().__init__(orientation="landscape" if landscape else "portrait", format="A4")
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(auto=True, margin=margin + 5)
        self.add_font(FONT_FAMILY, fname=font_path())
        self.set_font(FONT_FAMILY, size=10)
        self.set_title(title)
        self.set_creator("panmun")
        self.set_lang("ko")
        self.footer_at = margin if footer_at is None else footer_at
        self.footer_note = footer_note

    def footer(self) -> None:
        self.set_y(-self.footer_at)
        self.set_font(FONT_FAMILY, size=8)
        self.set_text_color(90)
        page = f"{self.page_no()} / {{nb}}"
        self.cell(0, 5, f"{self.footer_note} · {page}" if self.footer_note else page, align="C")
        self.set_text_color(0)

    def heading(self, title: str, facts: Sequence[str] = ()) -> None:
        """The title (16 pt), and the facts under it on one (wrapped) line (9 pt)."""
        self.set_font(FONT_FAMILY, size=16)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        if facts:
            self.set_font(FONT_FAMILY, size=9)
            self.multi_cell(0, 6, " · ".join(facts), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def grid(
        self,
        widths: Sequence[float],
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        line_height: float,
        padding: tuple[float, float],
        aligns: Sequence[str] | None = None,
        header_align: str = "CENTER",
        empty: str = "",
    ) -> None:
        """A table at the left margin in the current font, `widths` in mm, under a grey header
        row repeated on every page; each row's cells aligned by `aligns` (left where none), and
        `empty` across one row when there are no rows. The texts are set as given."""
        with self.table(
            col_widths=tuple(widths),
            width=sum(widths),
            align="LEFT",
            text_align="LEFT",
            v_align="MIDDLE",
            line_height=line_height,
            headings_style=HEADINGS,
            repeat_headings=1,
            padding=padding,
        ) as table:
            row = table.row()
            for text in headers:
                row.cell(text, align=header_align)
            written = 0
            for cells in rows:
                row = table.row()
                for n, text in enumerate(cells):
                    row.cell(text, align=aligns[n] if aligns else "L")
                written += 1
            if not written and empty:
                table.row().cell(empty, colspan=len(headers), align="CENTER")

    def fit(self, text: str, width: float) -> str:
        """The text cut with "…" so that it fits one line of a cell of that width."""
        room = width - 2 * self.c_margin
        if self.get_string_width(text) <= room:
            return text
        low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
        while low < high:
            mid = (low + high + 1) // 2
            if self.get_string_width(text[:mid].rstrip() + ELLIPSIS) <= room:
                low = mid
            else:
                high = mid - 1
        return text[:low].rstrip() + ELLIPSIS if low else ""

    def wrapped(self, text: str, width: float, max_lines: int) -> list[str]:
        """The text broken into at most `max_lines` lines of a cell of that width."""
        result = self.multi_cell(width, 5, text, dry_run=True, output=MethodReturnValue.LINES)
        assert isinstance(result, list)  # what output=LINES returns
        lines = [str(line) for line in result] or [""]
        if len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], self.fit(" ".join(lines[max_lines - 1 :]), width)]
        return lines

    def document(self) -> bytes:
        """The finished file."""
        return bytes(self.output())
