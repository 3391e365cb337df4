"""A year's report of the ledger as a file: text (the CLI), CSV, or a PDF in Korean
(`common.pdf.KoreanPDF`). Made from `selectors.YearReport`; who may have it is the caller's."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from panmun.common.pdf import KoreanPDF, clean_text
from panmun.korean.dates import korea_today, korean_date

from .models import Channel, Commodity
from .selectors import YearReport, eok

CHANNEL_KO = {
    Channel.GOVERNMENT: "정부 직접",
    Channel.VIA_NGO: "정부(민간단체 경유)",
    Channel.VIA_INTERNATIONAL: "정부(국제기구 경유)",
    Channel.FOOD_LOAN: "식량차관",
    Channel.NGO_OWN: "민간 자체",
}
COMMODITY_KO = {
    Commodity.RICE: "쌀",
    Commodity.CORN: "옥수수",
    Commodity.FLOUR: "밀가루",
    Commodity.FERTILISER: "비료",
    Commodity.MEDICINE: "의약품",
    Commodity.MILK_POWDER: "분유",
    Commodity.FOOD_OTHER: "기타 식량",
    Commodity.OTHER: "기타",
}
GROUP_KO = {"free": "정부 무상", "loans": "식량차관", "ngo": "민간", "unsplit": "구분 없음"}


def _number(value: Decimal | int | None) -> str:
    return "—" if value is None else f"{value:,}"


def rows(report: YearReport) -> list[tuple[str, str, str]]:
    """(what, KRW 100 million, USD) rows: the year's figure and its source, then the ledger's
    money by channel."""
    out: list[tuple[str, str, str]] = []
    series = report.series
    if series is not None:
        source = "통일부 발표" if series.source == "history" else "원장"
        out.append((f"연간 합계 ({source}: {series.source_name})", _number(series.total), ""))
        for group in ("free", "loans", "ngo"):
            out.append((f"  {GROUP_KO[group]}", _number(series.group(group)), ""))
    for channel, krw in sorted(report.ledger.krw.items()):
        label = CHANNEL_KO.get(channel, channel)  # type: ignore[call-overload]
        out.append((f"원장: {label}", _number(eok(krw)), _number(report.ledger.usd[channel])))
    out.append(
        ("원장 합계", _number(eok(report.ledger.total_krw)), _number(report.ledger.total_usd))
    )
    return out


def goods_rows(report: YearReport) -> list[tuple[str, str, str]]:
    return [
        (COMMODITY_KO.get(t.commodity, t.commodity), f"{t.quantity.normalize():,f} {t.unit}",  # type: ignore[call-overload]
         str(t.shipments))
        for t in [*report.tonnes, *report.other_units]
    ]  # fmt: skip


def year_report_text(report: YearReport) -> str:
    lines = [f"{report.year}년 대북 인도적 지원 보고 (억원, USD)"]
    lines += [f"{a:<50} {b:>14} {c:>18}" for a, b, c in rows(report)]
    lines.append("물자 (수령량, 미수령은 발송량)")
    lines += [f"{a:<20} {b:>20} {c:>6}건" for a, b, c in goods_rows(report)]
    return "\n".join(lines) + "\n"


def year_report_csv(report: YearReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["항목", "억원", "USD"])
    writer.writerows(rows(report))
    writer.writerow([])
    writer.writerow(["물자", "수량", "건수"])
    writer.writerows(goods_rows(report))
    return out.getvalue()


def year_report_pdf(report: YearReport) -> bytes:
    """The year's report, A4 in Korean."""
    title = f"{report.year}년 대북 인도적 지원 보고"
    pdf = KoreanPDF(title, footer_note=title)
    pdf.add_page()
    pdf.heading(
        title,
        [
            "단위: 억원(1억 원), USD",
            "서약(약정)은 합계에 넣지 않으며, 넘겨준 자금은 한 번만 셉니다",
            f"작성 {korean_date(korea_today())}",
        ],
    )
    pdf.grid(
        (110, 35, 45),
        ("항목", "억원", "USD"),
        [tuple(clean_text(c) for c in row) for row in rows(report)],
        line_height=6,
        padding=(1, 2),
        aligns=("L", "R", "R"),
        empty="자료 없음",
    )
    pdf.ln(4)
    pdf.set_font_size(12)
    pdf.cell(0, 8, "물자 (수령된 것은 수령량, 아직이면 발송량)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(10)
    pdf.grid(
        (70, 80, 40),
        ("품목", "수량", "건수"),
        [tuple(clean_text(c) for c in row) for row in goods_rows(report)],
        line_height=6,
        padding=(1, 2),
        aligns=("L", "R", "R"),
        empty="자료 없음",
    )
    return pdf.document()
