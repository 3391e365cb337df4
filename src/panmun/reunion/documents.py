"""The printable documents of an in-person reunion event (이산가족 대면상봉), in Korean, as PDF.

- `participant_list_pdf`: the participant list (참가자 명단), an A4 landscape table, one row per
  separated-family member, with the relatives they will meet, the relatives who go with them, the
  support they need, their table and their room; the header row is repeated on every page.
- `programme_pdf`: the programme (상봉 일정표), A4 portrait, the sessions day by day and the hours
  of meeting in all.
- `family_cards_pdf`: one card per family (가족 카드), one A4 portrait page each, to hand out:
  number, name, table, room, relatives, companions, needs, address and the family's sessions.
- `report_pdf`: the report after the event (상봉 결과 보고): the figures and the attendance list.

The helpers the documents are made of (`korean_date`, `korean_weekday`, `korean_period`,
`hours_minutes`, `relatives_text`, `participant_rows`, `programme_days`, …) are public, for the
tests and for the web pages that show the same things.

Pure Python: no Django, no database; the callers hand in the plain data of the dataclasses below,
with their codes already turned into Korean labels. The PDFs embed Noto Sans KR, found by
`panmun.common.pdf.KoreanPDF`, like the documents of a tracing round; the dates are written
by `panmun.korean.dates`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from panmun.common.pdf import FONT_FAMILY, GREY, KoreanPDF, clean_text, clip
from panmun.korean.dates import korean_date, korean_day, korean_period, korean_weekday

__all__ = [
    "ATTENDANCE_HEADERS",
    "PARTICIPANT_HEADERS",
    "PROGRAMME_HEADERS",
    "AttendanceLine",
    "EventHeader",
    "FamilyCard",
    "ParticipantLine",
    "Relative",
    "ReportFigures",
    "SessionLine",
    "attendance_rows",
    "day_heading",
    "document_title",
    "event_title",
    "family_cards_pdf",
    "figure_rows",
    "hours_minutes",
    "korean_date",
    "korean_period",
    "korean_weekday",
    "participant_facts",
    "participant_list_pdf",
    "participant_rows",
    "programme_days",
    "programme_pdf",
    "relatives_text",
    "report_pdf",
    "session_minutes",
    "session_time",
    "total_minutes",
]


# --- the data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventHeader:
    """What every document says about the event."""

    title: str  # e.g. "제22차 이산가족 대면상봉"
    round_no: int | None
    venue: str
    starts_on: date
    ends_on: date
    side: str  # the side printing the document: "남측" or "북측"


@dataclass(frozen=True)
class SessionLine:
    """One session of the programme."""

    day: date
    starts: time
    ends: time
    kind: str  # a Korean label: 단체상봉, 환영만찬, 개별상봉, 객실중식, 작별상봉 …
    place: str


@dataclass(frozen=True)
class Relative:
    """A relative met, or a relative going with the participant."""

    relation: str  # a Korean label: 아들, 딸, 형제자매 …
    name: str
    age: int | None
    note: str = ""


@dataclass(frozen=True)
class ParticipantLine:
    """One separated-family member taking part, with the people around them."""

    no: int
    registry_no: str
    name: str
    sex: str
    age: int | None
    hometown: str
    relatives: tuple[Relative, ...]  # the relatives they will meet (the North's)
    companions: tuple[Relative, ...]  # the relatives going with them (the South's)
    needs: tuple[str, ...]  # Korean labels: 휠체어, 의료 동행, 사투리 통역 …
    table: str
    room: str


@dataclass(frozen=True)
class FamilyCard:
    """A participant's card: the line, their address and their own sessions."""

    participant: ParticipantLine
    address: str
    sessions: tuple[SessionLine, ...]


@dataclass(frozen=True)
class AttendanceLine:
    """Whether a participant selected came, and why not."""

    no: int
    name: str
    attended: bool
    reason: str  # why not, e.g. "건강 악화", "사망"; "" when attended


@dataclass(frozen=True)
class ReportFigures:
    """The figures of the report, counted by the caller."""

    selected: int  # participants selected
    attended: int
    absent: int
    died: int
    north_families: int
    north_persons: int
    south_persons: int


# --- text ------------------------------------------------------------------------------------

_SEX_KO = {"M": "남", "F": "여", "X": "기타"}


def hours_minutes(total_minutes: int) -> str:
    """660 → "11시간 0분"; 95 → "1시간 35분"."""
    if total_minutes < 0:
        raise ValueError(f"a negative duration: {total_minutes} minutes")
    return f"{total_minutes // 60}시간 {total_minutes % 60}분"


def _text(text: str) -> str:
    """Text the PDF can set: NFC, no control characters, line breaks and tabs as spaces."""
    return clean_text(text)


def _age(age: int | None) -> str:
    return "" if age is None else str(age)


def _sex(sex: str) -> str:
    return _SEX_KO.get(sex.strip(), _text(sex))


def relatives_text(relatives: Iterable[Relative]) -> str:
    """The relatives on one line: "아들 김철수 (72), 딸 김영희 (68)"; an unknown age is left out
    ("조카 김민수"), a note goes in the brackets after the age ("딸 김영희 (68, 휠체어)")."""
    parts = []
    for relative in relatives:
        who = " ".join(p for p in (_text(relative.relation), _text(relative.name)) if p)
        extras = [p for p in (_age(relative.age), _text(relative.note)) if p]
        parts.append(f"{who} ({', '.join(extras)})" if extras else who)
    return ", ".join(p for p in parts if p)


def event_title(header: EventHeader) -> str:
    """The event's title; "제N차 " is put in front where the round number is known and the title
    does not say it already."""
    title = _text(header.title)
    if header.round_no is not None and f"제{header.round_no}차" not in title.replace(" ", ""):
        title = f"제{header.round_no}차 {title}".strip()
    return title


def document_title(header: EventHeader, document: str) -> str:
    """ "제22차 이산가족 대면상봉 참가자 명단 (남측)"."""
    side = _text(header.side)
    title = f"{event_title(header)} {document}".strip()
    return f"{title} ({side})" if side else title


# --- the sessions ----------------------------------------------------------------------------


def session_minutes(session: SessionLine) -> int:
    """How long a session lasts, in minutes. A session ending before it starts is refused: the
    sessions of a reunion do not run past midnight, and such a line is a typing error."""
    start = datetime.combine(session.day, session.starts)
    end = datetime.combine(session.day, session.ends)
    if end < start:
        raise ValueError(f"a session ends ({session.ends}) before it starts ({session.starts})")
    return int((end - start).total_seconds() // 60)


def total_minutes(sessions: Iterable[SessionLine]) -> int:
    """The minutes of all the sessions together."""
    return sum(session_minutes(s) for s in sessions)


def session_time(session: SessionLine) -> str:
    """ "09:00–11:00"."""
    return f"{session.starts:%H:%M}–{session.ends:%H:%M}"


def day_heading(starts_on: date, day: date) -> str:
    """ "1일차 11월 23일 (월)", counted from the first day of the event; a day before the event
    has no ordinal: "11월 22일 (일)"."""
    text = korean_day(day)
    n = (day - starts_on).days + 1
    return f"{n}일차 {text}" if n >= 1 else text


def _sorted_sessions(sessions: Iterable[SessionLine]) -> list[SessionLine]:
    return sorted(sessions, key=lambda s: (s.day, s.starts, s.ends))


PROGRAMME_HEADERS: tuple[str, ...] = ("시간", "행사", "장소")


def programme_days(
    header: EventHeader, sessions: Iterable[SessionLine]
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The programme day by day, in time order: (day heading, rows of PROGRAMME_HEADERS)."""
    days: dict[date, list[tuple[str, str, str]]] = {}
    for s in _sorted_sessions(sessions):
        days.setdefault(s.day, []).append((session_time(s), _text(s.kind), _text(s.place)))
    return [(day_heading(header.starts_on, day), rows) for day, rows in days.items()]


# --- the participant list --------------------------------------------------------------------

PARTICIPANT_HEADERS: tuple[str, ...] = (
    "번호",
    "등록번호",
    "성명",
    "성별",
    "나이",
    "고향",
    "만날 가족",
    "동반 가족",
    "필요 지원",
    "테이블",
    "객실",
)

# Per column of PARTICIPANT_HEADERS: width in mm on A4 landscape with 10 mm margins (277 mm), the
# most characters shown (the rest cut with "…", so that no row outgrows a page), the alignment.
_LIST_WIDTHS = (10, 20, 19, 9, 9, 30, 70, 56, 26, 14, 14)
_LIST_LIMITS = (8, 30, 40, 6, 4, 80, 300, 240, 100, 20, 20)
_LIST_ALIGN = ("C", "L", "L", "C", "C", "L", "L", "L", "L", "C", "C")


def participant_rows(lines: Iterable[ParticipantLine]) -> list[tuple[str, ...]]:
    """The rows of the participant list, in the order of PARTICIPANT_HEADERS, uncut."""
    return [
        (
            str(line.no),
            _text(line.registry_no),
            _text(line.name),
            _sex(line.sex),
            _age(line.age),
            _text(line.hometown),
            relatives_text(line.relatives),
            relatives_text(line.companions),
            ", ".join(t for t in (_text(n) for n in line.needs) if t),
            _text(line.table),
            _text(line.room),
        )
        for line in lines
    ]


def participant_facts(header: EventHeader, lines: Sequence[ParticipantLine]) -> list[str]:
    """The facts above the list: place, dates, and families and persons taking part (each
    participant and the relatives going with them)."""
    companions = sum(len(line.companions) for line in lines)
    return [
        f"장소 {_text(header.venue)}",
        f"기간 {korean_period(header.starts_on, header.ends_on)}",
        f"참가 {len(lines):,}가족 {len(lines) + companions:,}명 "
        f"(이산가족 {len(lines):,}명, 동반 가족 {companions:,}명)",
    ]


# --- the PDF ---------------------------------------------------------------------------------

_MARGIN = 10
_CARD_MARGIN = 15


def participant_list_pdf(header: EventHeader, lines: Sequence[ParticipantLine]) -> bytes:
    """The participant list (참가자 명단) as an A4 landscape PDF: the title, the facts (place,
    dates, families and persons), and one row per participant under a header row repeated on
    every page. Over-long cells are cut with "…"."""
    title = document_title(header, "참가자 명단")
    pdf = KoreanPDF(title, landscape=True, margin=_MARGIN)
    pdf.add_page()
    pdf.heading(title, participant_facts(header, lines))
    pdf.set_font(FONT_FAMILY, size=8)
    _clipped_table(
        pdf,
        widths=_LIST_WIDTHS,
        headers=PARTICIPANT_HEADERS,
        rows=participant_rows(lines),
        limits=_LIST_LIMITS,
        aligns=_LIST_ALIGN,
        line_height=5,
        padding=(0.5, 1),
        empty="해당 참가자 없음",
    )
    return pdf.document()


def _clipped_table(
    pdf: KoreanPDF,
    *,
    widths: Sequence[float],
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    limits: Sequence[int],
    aligns: Sequence[str] | None,
    line_height: float,
    padding: tuple[float, float],
    empty: str = "",
) -> None:
    """A table with its header row repeated on every page, each cell cut at its column's limit
    (so no row can outgrow a page); `empty` in one row when there are no rows."""
    pdf.grid(
        widths,
        headers,
        ([clip(text, limit) for text, limit in zip(cells, limits, strict=True)] for cells in rows),
        line_height=line_height,
        padding=padding,
        aligns=aligns,
        empty=empty,
    )


# --- the programme ---------------------------------------------------------------------------

_PROGRAMME_WIDTHS = (32, 58, 100)  # 190 mm: A4 portrait with 10 mm margins
_PROGRAMME_LIMITS = (20, 60, 200)


def programme_pdf(header: EventHeader, sessions: Sequence[SessionLine]) -> bytes:
    """The programme (상봉 일정표) as an A4 portrait PDF: per day a heading ("1일차 11월 23일
    (월)") and the sessions in time order (시간, 행사, 장소); at the bottom the hours of all the
    sessions together ("상봉 시간 합계 11시간 0분")."""
    title = document_title(header, "상봉 일정표")
    pdf = KoreanPDF(title, margin=_MARGIN)
    pdf.add_page()
    pdf.heading(
        title,
        [
            f"장소 {_text(header.venue)}",
            f"기간 {korean_period(header.starts_on, header.ends_on)}",
        ],
    )
    days = programme_days(header, sessions)
    if not days:
        pdf.set_font(FONT_FAMILY, size=11)
        pdf.cell(0, 8, "일정 없음", new_x="LMARGIN", new_y="NEXT")
    for heading, rows in days:
        if pdf.will_page_break(8 + 2 * 7):  # the heading, the header row and one session
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, size=12)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, size=10)
        _clipped_table(
            pdf,
            widths=_PROGRAMME_WIDTHS,
            headers=PROGRAMME_HEADERS,
            rows=rows,
            limits=_PROGRAMME_LIMITS,
            aligns=None,
            line_height=6,
            padding=(0.5, 1.5),
        )
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.multi_cell(
        0,
        8,
        f"상봉 시간 합계 {hours_minutes(total_minutes(sessions))}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return pdf.document()


# --- the family cards ------------------------------------------------------------------------

_ROW = 6.0  # one line of a card's tables, in mm
_SECTION = 7.0  # a section's heading
_GAP = 3.0
_NO_WIDTH = 34.0
_RELATIVE_WIDTHS = (30.0, 46.0, 18.0, 86.0)  # 180 mm: A4 portrait with 15 mm margins
_RELATIVE_HEADERS = ("관계", "성명", "나이", "비고")
_RELATIVE_ALIGN = ("L", "L", "C", "L")
_SESSION_WIDTHS = (34.0, 30.0, 42.0, 74.0)
_SESSION_HEADERS = ("날짜", "시간", "행사", "장소")
_SESSION_ALIGN = ("L", "C", "L", "L")


def _share(counts: Sequence[int], budget: int) -> list[int]:
    """How many of each list's items a card can show in `budget` table rows, where a list that is
    cut takes one row more for "외 n명" and an empty list one row for "없음": the longest list
    gives up a row until all fit."""
    shown = list(counts)

    def rows(i: int) -> int:
        return max(shown[i], 1) + (1 if shown[i] < counts[i] else 0)

    while sum(rows(i) for i in range(len(shown))) > budget and any(shown):
        longest = max(range(len(shown)), key=lambda i: shown[i])
        shown[longest] -= 1
    return shown


def _card_table(
    pdf: KoreanPDF,
    widths: Sequence[float],
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    shown: int,
    unit: str,
    aligns: Sequence[str],
) -> None:
    """A card's table: single-line cells, each cut to its width; "외 n명" where rows were left
    out, "없음" where there are none."""
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.set_fill_color(GREY)
    for width, text in zip(widths, headers, strict=True):
        pdf.cell(width, _ROW, text, border=1, align="C", fill=True)
    pdf.ln(_ROW)
    for cells in rows[:shown]:
        for width, text, align in zip(widths, cells, aligns, strict=True):
            pdf.cell(width, _ROW, pdf.fit(text, width), border=1, align=align)
        pdf.ln(_ROW)
    if len(rows) > shown or not rows:
        text = f"외 {len(rows) - shown}{unit}" if rows else "없음"
        pdf.cell(sum(widths), _ROW, text, border=1, align="C")
        pdf.ln(_ROW)


def _relative_rows(relatives: Sequence[Relative]) -> list[tuple[str, str, str, str]]:
    return [(_text(r.relation), _text(r.name), _age(r.age), _text(r.note)) for r in relatives]


def _card_session_rows(sessions: Sequence[SessionLine]) -> list[tuple[str, str, str, str]]:
    return [
        (
            korean_day(s.day),
            session_time(s),
            _text(s.kind),
            _text(s.place),
        )
        for s in _sorted_sessions(sessions)
    ]


def _section(pdf: KoreanPDF, text: str) -> None:
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.cell(0, _SECTION, pdf.fit(text, pdf.epw), new_x="LMARGIN", new_y="NEXT")


def _family_card(pdf: KoreanPDF, header: EventHeader, card: FamilyCard) -> None:
    """One card on one page: every part has a bounded height and the tables share what is left,
    so that a card never runs onto a second page."""
    p = card.participant
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.set_text_color(90)
    pdf.cell(0, 6, pdf.fit(document_title(header, "가족 카드"), pdf.epw))
    pdf.set_text_color(0)
    pdf.ln(8)

    top = pdf.get_y()
    size = 26.0
    pdf.set_font(FONT_FAMILY, size=size)
    number = str(p.no)
    while size > 10 and pdf.get_string_width(number) > _NO_WIDTH - 4:
        size -= 2
        pdf.set_font(FONT_FAMILY, size=size)
    pdf.cell(_NO_WIDTH, 20, number, border=1, align="C")
    pdf.set_x(pdf.l_margin + _NO_WIDTH + 4)
    pdf.set_font(FONT_FAMILY, size=24)
    name_width = pdf.epw - _NO_WIDTH - 4
    pdf.cell(name_width, 20, pdf.fit(_text(p.name), name_width))
    pdf.set_xy(pdf.l_margin, top + 22)

    facts = [
        f"등록번호 {_text(p.registry_no)}" if p.registry_no.strip() else "",
        _sex(p.sex),
        f"{p.age}세" if p.age is not None else "",
        f"고향 {_text(p.hometown)}" if p.hometown.strip() else "",
    ]
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.cell(0, 7, pdf.fit(" · ".join(f for f in facts if f), pdf.epw))
    pdf.ln(9)

    pdf.set_font(FONT_FAMILY, size=16)
    half = (pdf.epw - 4) / 2
    pdf.set_fill_color(GREY)
    pdf.cell(half, 12, pdf.fit(f"테이블 {_text(p.table)}", half), border=1, align="C", fill=True)
    pdf.set_x(pdf.l_margin + half + 4)
    pdf.cell(half, 12, pdf.fit(f"객실 {_text(p.room)}", half), border=1, align="C", fill=True)
    pdf.ln(12 + _GAP + 1)

    needs = ", ".join(t for t in (_text(n) for n in p.needs) if t) or "없음"
    pdf.set_font(FONT_FAMILY, size=11)
    need_lines = pdf.wrapped(needs, pdf.epw, 2)
    address_lines = pdf.wrapped(_text(card.address) or "-", pdf.epw, 2)

    relatives = _relative_rows(p.relatives)
    companions = _relative_rows(p.companions)
    sessions = _card_session_rows(card.sessions)
    below = 2 * (_SECTION + _GAP) + (len(need_lines) + len(address_lines)) * _ROW
    tables = 3 * (_SECTION + _ROW + _GAP)  # each table's heading and header row
    budget = int((pdf.page_break_trigger - pdf.get_y() - below - tables) // _ROW)
    shown = _share([len(relatives), len(companions), len(sessions)], budget)

    _section(pdf, f"만날 가족 ({len(relatives)}명)")
    _card_table(
        pdf, _RELATIVE_WIDTHS, _RELATIVE_HEADERS, relatives, shown[0], "명", _RELATIVE_ALIGN
    )
    pdf.ln(_GAP)
    _section(pdf, f"동반 가족 ({len(companions)}명)")
    _card_table(
        pdf, _RELATIVE_WIDTHS, _RELATIVE_HEADERS, companions, shown[1], "명", _RELATIVE_ALIGN
    )
    pdf.ln(_GAP)

    for name, lines in (("필요 지원", need_lines), ("주소", address_lines)):
        _section(pdf, name)
        pdf.set_font(FONT_FAMILY, size=11)
        for line in lines:
            pdf.cell(0, _ROW, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(_GAP)

    minutes = hours_minutes(total_minutes(card.sessions))
    _section(pdf, f"상봉 일정 ({len(sessions)}회, {minutes})")
    _card_table(pdf, _SESSION_WIDTHS, _SESSION_HEADERS, sessions, shown[2], "건", _SESSION_ALIGN)


def family_cards_pdf(header: EventHeader, cards: Sequence[FamilyCard]) -> bytes:
    """The family cards (가족 카드), one A4 portrait page each: the number and the name in large
    type, table and room, the relatives to meet, the relatives going along, the support needed,
    the address and the family's sessions. Long texts are cut with "…" and long lists end with
    "외 n명", so that a card always fits its page. No cards: one page saying "해당 가족 없음"."""
    title = document_title(header, "가족 카드")
    pdf = KoreanPDF(title, margin=_CARD_MARGIN, footer_at=_MARGIN)
    if not cards:
        pdf.add_page()
        pdf.heading(title, [f"기간 {korean_period(header.starts_on, header.ends_on)}"])
        pdf.set_font(FONT_FAMILY, size=14)
        pdf.cell(0, 12, "해당 가족 없음", new_x="LMARGIN", new_y="NEXT")
    for card in cards:
        _family_card(pdf, header, card)
    return pdf.document()


# --- the report ------------------------------------------------------------------------------

ATTENDANCE_HEADERS: tuple[str, ...] = ("번호", "성명", "참석 여부", "사유")
_ATTENDANCE_WIDTHS = (16, 50, 24, 100)  # 190 mm: A4 portrait with 10 mm margins
_ATTENDANCE_LIMITS = (8, 60, 10, 200)
_ATTENDANCE_ALIGN = ("C", "L", "C", "L")


def _rate(part: int, whole: int) -> str:
    return f" ({part / whole:.1%})" if whole > 0 else ""


def figure_rows(figures: ReportFigures) -> list[tuple[str, str]]:
    """The figures of the report as (항목, 인원) rows."""
    f = figures
    return [
        ("상봉 대상자 (선정)", f"{f.selected:,}명"),
        ("참석", f"{f.attended:,}명{_rate(f.attended, f.selected)}"),
        ("불참", f"{f.absent:,}명{_rate(f.absent, f.selected)}"),
        ("사망", f"{f.died:,}명"),
        ("북측 가족", f"{f.north_families:,}가족 {f.north_persons:,}명"),
        ("남측 인원", f"{f.south_persons:,}명"),
        ("상봉 인원 합계 (남북)", f"{f.north_persons + f.south_persons:,}명"),
    ]


def attendance_rows(attendance: Iterable[AttendanceLine]) -> list[tuple[str, str, str, str]]:
    """The attendance list as rows of ATTENDANCE_HEADERS: 참석 or 불참, and the reason."""
    return [
        (str(a.no), _text(a.name), "참석" if a.attended else "불참", _text(a.reason))
        for a in attendance
    ]


def report_pdf(
    header: EventHeader, figures: ReportFigures, attendance: Sequence[AttendanceLine]
) -> bytes:
    """The report after the event (상봉 결과 보고) as an A4 portrait PDF: the figures, then the
    attendance list (번호, 성명, 참석/불참, 사유) under a header row repeated on every page."""
    title = document_title(header, "상봉 결과 보고")
    pdf = KoreanPDF(title, margin=_MARGIN)
    pdf.add_page()
    pdf.heading(
        title,
        [
            f"장소 {_text(header.venue)}",
            f"기간 {korean_period(header.starts_on, header.ends_on)}",
        ],
    )
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.cell(0, 8, "1. 상봉 결과", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.grid(
        (70, 60),
        ("항목", "인원"),
        figure_rows(figures),
        line_height=6,
        padding=(0.5, 1.5),
        aligns=("L", "R"),
    )

    pdf.ln(4)
    if pdf.will_page_break(8 + 2 * 6):
        pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.cell(0, 8, f"2. 참석 현황 ({len(attendance):,}명)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=9)
    _clipped_table(
        pdf,
        widths=_ATTENDANCE_WIDTHS,
        headers=ATTENDANCE_HEADERS,
        rows=attendance_rows(attendance),
        limits=_ATTENDANCE_LIMITS,
        aligns=_ATTENDANCE_ALIGN,
        line_height=5,
        padding=(0.5, 1.5),
        empty="명단 없음",
    )
    return pdf.document()
