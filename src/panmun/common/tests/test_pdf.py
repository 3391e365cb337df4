"""KoreanPDF: the one kind of page every Panmun document is printed on."""

from __future__ import annotations

import ast
from pathlib import Path

from panmun.common import pdf as common_pdf
from panmun.common.pdf import FONT_FAMILY, KoreanPDF, clean_text, clip, font_path
from panmun.families.tests.pdftext import page_texts


def test_clean_text_drops_control_characters_and_flattens_line_breaks() -> None:
    assert clean_text("김\x01철수\t님") == "김철수 님"
    assert clean_text("첫째\r\n둘째\n셋째\r넷째") == "첫째 둘째 셋째 넷째"
    assert clean_text("첫째\r\n둘째\r셋째\x7f", newlines=True) == "첫째\n둘째\n셋째"
    # Conjoining jamo are composed (NFC): ᄀ + ᅡ is 가.
    assert clean_text("\u1100\u1161") == "가"
    assert clean_text(12) == "12"


def test_clip_cuts_with_an_ellipsis() -> None:
    assert clip("가나다", 3) == "가나다"
    assert clip("가나 다라", 4) == "가나…"
    assert clip("가나다라", 3) == "가나…"


def test_a_korean_pdf_with_a_heading_a_grid_and_numbered_pages() -> None:
    pdf = KoreanPDF("시험 문서", landscape=True, footer_note="출력 2026-11-20")
    pdf.add_page()
    pdf.heading("시험 문서", ["장소 판문점", "기간 1일"])
    pdf.set_font(FONT_FAMILY, size=9)
    rows = [[str(n), f"이름 {n}"] for n in range(1, 41)]
    pdf.grid((20, 60), ("번호", "성명"), rows, line_height=5, padding=(0.5, 1))
    data = pdf.document()
    assert data.startswith(b"%PDF")
    assert FONT_FAMILY.encode() in data
    pages = page_texts(data)
    assert len(pages) == 2
    assert pages[0].startswith("시험 문서\n장소 판문점 · 기간 1일\n번호\n성명\n1\n이름 1")
    assert pages[1].startswith("번호\n성명\n")  # the header row again on the next page
    assert "이름 40" in pages[1]
    assert pages[0].rstrip().endswith("출력 2026-11-20 · 1 / 2")
    assert pages[1].rstrip().endswith("출력 2026-11-20 · 2 / 2")


def test_an_empty_grid_says_so_and_a_plain_footer_is_the_page_number() -> None:
    pdf = KoreanPDF("빈 문서")
    pdf.add_page()
    pdf.grid((30, 30), ("가", "나"), [], line_height=5, padding=(0.5, 1), empty="없음")
    (page,) = page_texts(pdf.document())
    assert page.split() == ["가", "나", "없음", "1", "/", "1"]


def test_fit_and_wrapped_keep_a_text_within_its_cell() -> None:
    pdf = KoreanPDF("맞춤")
    pdf.add_page()
    long = "가나다라마바사아자차카타파하" * 5
    cut = pdf.fit(long, 30)
    assert cut.endswith("…")
    assert pdf.get_string_width(cut) <= 30 - 2 * pdf.c_margin
    assert pdf.fit("가", 30) == "가"
    lines = pdf.wrapped(long, 40, 2)
    assert len(lines) == 2
    assert lines[1].endswith("…")


def test_the_font_is_the_bundled_noto_sans_kr() -> None:
    assert font_path().name == "NotoSansKR-Regular.otf"
    assert font_path().is_file()


def test_common_pdf_imports_no_domain_app() -> None:
    tree = ast.parse(Path(common_pdf.__file__).read_text(encoding="utf-8"))
    modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    panmun = [m for m in modules if m.startswith("panmun")]
    assert panmun
    assert all(m.startswith(("panmun.common", "panmun.korean")) for m in panmun), panmun
