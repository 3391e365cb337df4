"""The printable documents of a reunion event (PDF) and their helpers: no database."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from datetime import date, time

import pytest

from panmun.common.pdf import FONT_FAMILY
from panmun.families.tests.pdftext import page_texts
from panmun.reunion.documents import (
    PARTICIPANT_HEADERS,
    AttendanceLine,
    EventHeader,
    FamilyCard,
    ParticipantLine,
    Relative,
    ReportFigures,
    SessionLine,
    attendance_rows,
    day_heading,
    document_title,
    event_title,
    family_cards_pdf,
    figure_rows,
    hours_minutes,
    korean_date,
    korean_period,
    korean_weekday,
    participant_facts,
    participant_list_pdf,
    participant_rows,
    programme_days,
    programme_pdf,
    relatives_text,
    report_pdf,
    session_minutes,
    session_time,
    total_minutes,
)

HEADER = EventHeader(
    title="제22차 이산가족 대면상봉",
    round_no=22,
    venue="금강산 이산가족면회소",
    starts_on=date(2026, 11, 23),
    ends_on=date(2026, 11, 25),
    side="남측",
)

D1, D2, D3 = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)

# Seven sessions, twelve hours: 2 + 2 on the first day, 2 + 1 + 2 on the second, 2 + 1 on the last.
SESSIONS = (
    SessionLine(D2, time(12), time(13), "객실중식", "외금강호텔 객실"),
    SessionLine(D1, time(15), time(17), "단체상봉", "이산가족면회소 1층 대연회장"),
    SessionLine(D1, time(19), time(21), "환영만찬", "이산가족면회소 2층 연회장"),
    SessionLine(D2, time(10), time(12), "개별상봉", "외금강호텔 객실"),
    SessionLine(D2, time(15), time(17), "단체상봉", "이산가족면회소 1층 대연회장"),
    SessionLine(D3, time(10), time(12), "작별상봉", "이산가족면회소 1층 대연회장"),
    SessionLine(D3, time(12), time(13), "작별오찬", "이산가족면회소 1층 대연회장"),
)


def _participant(no: int = 1, **changes: object) -> ParticipantLine:
    values: dict[str, object] = {
        "no": no,
        "registry_no": f"R22-{no:04d}",
        "name": "김영수",
        "sex": "남",
        "age": 92,
        "hometown": "황해도 연백",
        "relatives": (Relative("아들", "김철수", 72), Relative("딸", "김영희", 68)),
        "companions": (Relative("딸", "김순자", 60),),
        "needs": ("휠체어", "의료 동행"),
        "table": "12",
        "room": "1203",
    }
    values.update(changes)
    return ParticipantLine(**values)  # type: ignore[arg-type]


def _card(no: int = 1, **changes: object) -> FamilyCard:
    return FamilyCard(
        participant=_participant(no, **changes),
        address="서울특별시 중구 남산동 32, 대한적십자사 아파트 101동 1203호",
        sessions=SESSIONS,
    )


# --- reading the PDFs ------------------------------------------------------------------------


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def _is_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert FONT_FAMILY.encode() in pdf
    assert b"/FontFile3" in pdf  # the CFF outlines are in the file, not referred to


# --- the helpers -----------------------------------------------------------------------------


def test_korean_date_and_weekday() -> None:
    assert korean_date(date(2026, 11, 23)) == "2026년 11월 23일"
    assert korean_date(date(2018, 8, 5)) == "2018년 8월 5일"
    weekdays = [korean_weekday(date(2026, 11, 23 + i)) for i in range(7)]
    assert weekdays == ["월", "화", "수", "목", "금", "토", "일"]


def test_korean_period() -> None:
    assert korean_period(D1, D3) == "2026년 11월 23일 ~ 11월 25일 (2박 3일)"
    assert korean_period(D1, D1) == "2026년 11월 23일 (당일)"
    assert (
        korean_period(date(2026, 12, 31), date(2027, 1, 2))
        == "2026년 12월 31일 ~ 2027년 1월 2일 (2박 3일)"
    )
    with pytest.raises(ValueError):
        korean_period(D3, D1)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (660, "11시간 0분"),
        (720, "12시간 0분"),
        (95, "1시간 35분"),
        (0, "0시간 0분"),
        (59, "0시간 59분"),
    ],
)
def test_hours_minutes(minutes: int, text: str) -> None:
    assert hours_minutes(minutes) == text


def test_hours_minutes_refuses_a_negative_duration() -> None:
    with pytest.raises(ValueError):
        hours_minutes(-1)


def test_relatives_text() -> None:
    relatives = (Relative("아들", "김철수", 72), Relative("딸", "김영희", 68))
    assert relatives_text(relatives) == "아들 김철수 (72), 딸 김영희 (68)"
    assert relatives_text([Relative("조카", "김민수", None)]) == "조카 김민수"
    assert relatives_text([Relative("딸", "김영희", 68, "휠체어")]) == "딸 김영희 (68, 휠체어)"
    deceased = Relative("형제자매", "김영호", None, "사망")
    assert relatives_text([deceased]) == "형제자매 김영호 (사망)"
    assert relatives_text([]) == ""
    # NFC, and the line breaks of a pasted name gone
    decomposed = "\u1100\u1175\u11b7\u110e\u1165\u11af\u1109\u116e"  # 김철수 in conjoining jamo
    assert relatives_text([Relative("아들\n", decomposed, 72)]) == "아들 김철수 (72)"


def test_titles() -> None:
    assert event_title(HEADER) == "제22차 이산가족 대면상봉"
    untitled = EventHeader("이산가족 대면상봉", 21, "금강산", D1, D3, "북측")
    assert event_title(untitled) == "제21차 이산가족 대면상봉"
    assert event_title(EventHeader("특별 상봉", None, "", D1, D1, "")) == "특별 상봉"
    assert document_title(HEADER, "참가자 명단") == "제22차 이산가족 대면상봉 참가자 명단 (남측)"


def test_sessions_times_and_total() -> None:
    assert session_time(SESSIONS[1]) == "15:00–17:00"
    assert session_minutes(SESSIONS[0]) == 60
    assert session_minutes(SessionLine(D1, time(9, 30), time(11, 15), "개별상봉", "")) == 105
    assert total_minutes(SESSIONS) == 12 * 60
    assert hours_minutes(total_minutes(SESSIONS)) == "12시간 0분"
    with pytest.raises(ValueError):
        session_minutes(SessionLine(D1, time(11), time(9), "개별상봉", ""))


def test_programme_days_are_in_order_with_korean_headings() -> None:
    days = programme_days(HEADER, SESSIONS)
    assert [heading for heading, _ in days] == [
        "1일차 11월 23일 (월)",
        "2일차 11월 24일 (화)",
        "3일차 11월 25일 (수)",
    ]
    assert days[1][1] == [
        ("10:00–12:00", "개별상봉", "외금강호텔 객실"),
        ("12:00–13:00", "객실중식", "외금강호텔 객실"),
        ("15:00–17:00", "단체상봉", "이산가족면회소 1층 대연회장"),
    ]
    assert day_heading(D1, date(2026, 11, 22)) == "11월 22일 (일)"
    assert programme_days(HEADER, []) == []


def test_participant_rows_and_facts() -> None:
    lines = [
        _participant(1),
        _participant(
            2,
            name="이순자",
            sex="F",
            age=None,
            relatives=(Relative("형제자매", "리영남", 85),),
            companions=(),
            needs=(),
        ),
    ]
    assert participant_rows(lines) == [
        (
            "1",
            "R22-0001",
            "김영수",
            "남",
            "92",
            "황해도 연백",
            "아들 김철수 (72), 딸 김영희 (68)",
            "딸 김순자 (60)",
            "휠체어, 의료 동행",
            "12",
            "1203",
        ),
        (
            "2",
            "R22-0002",
            "이순자",
            "여",
            "",
            "황해도 연백",
            "형제자매 리영남 (85)",
            "",
            "",
            "12",
            "1203",
        ),
    ]
    assert participant_facts(HEADER, lines) == [
        "장소 금강산 이산가족면회소",
        "기간 2026년 11월 23일 ~ 11월 25일 (2박 3일)",
        "참가 2가족 3명 (이산가족 2명, 동반 가족 1명)",
    ]


def test_figure_and_attendance_rows() -> None:
    figures = ReportFigures(100, 95, 5, 2, 95, 185, 170)
    assert figure_rows(figures) == [
        ("상봉 대상자 (선정)", "100명"),
        ("참석", "95명 (95.0%)"),
        ("불참", "5명 (5.0%)"),
        ("사망", "2명"),
        ("북측 가족", "95가족 185명"),
        ("남측 인원", "170명"),
        ("상봉 인원 합계 (남북)", "355명"),
    ]
    assert figure_rows(ReportFigures(0, 0, 0, 0, 0, 0, 0))[1] == ("참석", "0명")
    assert attendance_rows(
        [AttendanceLine(1, "김영수", True, ""), AttendanceLine(2, "이순자", False, "사망")]
    ) == [("1", "김영수", "참석", ""), ("2", "이순자", "불참", "사망")]


def test_the_data_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        HEADER.title = "다른 행사"  # type: ignore[misc]


# --- the participant list --------------------------------------------------------------------


def test_participant_list_pdf() -> None:
    pdf = participant_list_pdf(HEADER, [_participant(1), _participant(2, name="이순자")])
    _is_pdf(pdf)
    assert _page_count(pdf) == 1
    [text] = page_texts(pdf)
    assert "제22차 이산가족 대면상봉 참가자 명단 (남측)" in text
    assert "2026년 11월 23일 ~ 11월 25일 (2박 3일)" in text
    assert "참가 2가족 4명 (이산가족 2명, 동반 가족 2명)" in text
    for heading in PARTICIPANT_HEADERS:
        assert heading in text.splitlines()
    assert "이순자" in text.splitlines()
    assert "1 / 1" in text


def test_participant_list_pdf_of_150_lines_repeats_its_header_row() -> None:
    lines = [_participant(i) for i in range(1, 151)]
    pdf = participant_list_pdf(HEADER, lines)
    _is_pdf(pdf)
    pages = page_texts(pdf)
    # About 29 one-line rows fit a landscape page: 150 rows take 6 pages, or more where
    # some rows take two lines; never one page per row.
    assert 5 <= len(pages) <= 12
    assert _page_count(pdf) == len(pages)
    for n, text in enumerate(pages, 1):
        rows = text.splitlines()
        assert "등록번호" in rows and "만날 가족" in rows and "객실" in rows, f"page {n}"
        assert f"{n} / {len(pages)}" in rows
    registry = [r for text in pages for r in text.splitlines() if r.startswith("R22-")]
    assert registry == [f"R22-{i:04d}" for i in range(1, 151)]  # every row once, in order


def test_participant_list_pdf_cuts_what_would_not_fit() -> None:
    many = tuple(Relative("형제자매", f"김영{i}", 80) for i in range(60))
    lines = [
        _participant(1, name="김" * 500, hometown="평안북도 " * 100, relatives=many),
        _participant(2, registry_no="X" * 300),
    ]
    pdf = participant_list_pdf(HEADER, lines)
    _is_pdf(pdf)
    text = "\n".join(page_texts(pdf))
    assert _page_count(pdf) == 1
    assert "…" in text
    assert "김" * 500 not in text.replace("\n", "")
    assert "R22-0002" not in text and "X" * 300 not in text.replace("\n", "")


def test_participant_list_pdf_with_no_lines() -> None:
    pdf = participant_list_pdf(HEADER, [])
    _is_pdf(pdf)
    assert _page_count(pdf) == 1
    [text] = page_texts(pdf)
    assert "해당 참가자 없음" in text
    assert "참가 0가족 0명 (이산가족 0명, 동반 가족 0명)" in text


# --- the programme ---------------------------------------------------------------------------


def test_programme_pdf() -> None:
    pdf = programme_pdf(HEADER, SESSIONS)
    _is_pdf(pdf)
    assert _page_count(pdf) == 1
    [text] = page_texts(pdf)
    rows = text.splitlines()
    assert "제22차 이산가족 대면상봉 상봉 일정표 (남측)" in rows
    for heading in ("1일차 11월 23일 (월)", "2일차 11월 24일 (화)", "3일차 11월 25일 (수)"):
        assert heading in rows
    assert rows.index("1일차 11월 23일 (월)") < rows.index("15:00–17:00")
    assert rows.index("10:00–12:00") < rows.index("12:00–13:00")
    assert "상봉 시간 합계 12시간 0분" in rows


def test_programme_pdf_of_the_2018_reunion_totals_eleven_hours() -> None:
    sessions = [
        SessionLine(D1, time(15), time(17), "단체상봉", "면회소"),
        SessionLine(D1, time(19), time(21), "환영만찬", "면회소"),
        SessionLine(D2, time(10), time(12), "개별상봉", "호텔"),
        SessionLine(D2, time(12), time(13), "객실중식", "호텔"),
        SessionLine(D2, time(15), time(17), "단체상봉", "면회소"),
        SessionLine(D3, time(10), time(12), "작별상봉", "면회소"),
    ]
    assert "상봉 시간 합계 11시간 0분" in page_texts(programme_pdf(HEADER, sessions))[0]


def test_programme_pdf_with_no_sessions_and_with_many() -> None:
    empty = programme_pdf(HEADER, [])
    _is_pdf(empty)
    assert _page_count(empty) == 1
    assert "상봉 시간 합계 0시간 0분" in page_texts(empty)[0]

    days = [date(2026, 11, 23 + d) for d in range(6)]
    sessions = [
        SessionLine(day, time(8 + h), time(9 + h), "개별상봉", "장소 " * 40)
        for day in days
        for h in range(10)
    ]
    pdf = programme_pdf(HEADER, sessions)
    pages = page_texts(pdf)
    assert 2 <= len(pages) <= 10
    assert f"상봉 시간 합계 {hours_minutes(60 * 60)}" in pages[-1]


# --- the family cards ------------------------------------------------------------------------


def test_family_cards_pdf_one_page_a_card() -> None:
    cards = [_card(1), _card(2, name="이순자"), _card(3, name="박정호")]
    pdf = family_cards_pdf(HEADER, cards)
    _is_pdf(pdf)
    pages = page_texts(pdf)
    assert len(pages) == _page_count(pdf) == 3
    for page, name in zip(pages, ("김영수", "이순자", "박정호"), strict=True):
        rows = page.splitlines()
        assert name in rows
        assert "테이블 12" in rows and "객실 1203" in rows
        assert "만날 가족 (2명)" in rows and "김철수" in rows
        assert "동반 가족 (1명)" in rows and "김순자" in rows
        assert "휠체어, 의료 동행" in rows
        assert "상봉 일정 (7회, 12시간 0분)" in rows
        assert "11월 23일 (월)" in rows
    assert "2" in pages[1].splitlines()  # the number, in its box


def test_family_card_that_is_far_too_long_still_takes_one_page() -> None:
    card = FamilyCard(
        participant=_participant(
            1234,
            name="김" * 300,
            relatives=tuple(Relative("형제자매", f"김영{i}", 80, "비고 " * 50) for i in range(40)),
            companions=tuple(Relative("손자", f"김민{i}", 30) for i in range(15)),
            needs=("휠체어", "의료 동행", "사투리 통역") * 30,
        ),
        address="서울특별시 중구 남산동 " * 80,
        sessions=SESSIONS * 4,
    )
    pdf = family_cards_pdf(HEADER, [card, _card(2)])
    pages = page_texts(pdf)
    assert len(pages) == _page_count(pdf) == 2
    rows = pages[0].splitlines()
    assert "1234" in rows
    assert "만날 가족 (40명)" in rows
    assert any(re.fullmatch(r"외 \d+명", r) for r in rows)
    assert any(re.fullmatch(r"외 \d+건", r) for r in rows)
    assert any(r.startswith("김김") and r.endswith("…") for r in rows)
    assert "1 / 2" in rows


def test_family_card_with_nothing_to_list() -> None:
    card = FamilyCard(_participant(5, relatives=(), companions=(), needs=()), "", ())
    pdf = family_cards_pdf(HEADER, [card])
    [text] = page_texts(pdf)
    rows = text.splitlines()
    assert rows.count("없음") == 4  # relatives, companions, needs and sessions
    assert "상봉 일정 (0회, 0시간 0분)" in rows


def test_family_cards_pdf_with_no_cards() -> None:
    pdf = family_cards_pdf(HEADER, [])
    _is_pdf(pdf)
    assert _page_count(pdf) == 1
    assert "해당 가족 없음" in page_texts(pdf)[0].splitlines()


# --- the report ------------------------------------------------------------------------------


def test_report_pdf() -> None:
    figures = ReportFigures(100, 95, 5, 2, 95, 185, 170)
    attendance = [
        AttendanceLine(1, "김영수", True, ""),
        AttendanceLine(2, "이순자", False, "사망"),
        AttendanceLine(3, "박정호", False, "건강 악화"),
    ]
    pdf = report_pdf(HEADER, figures, attendance)
    _is_pdf(pdf)
    assert _page_count(pdf) == 1
    rows = page_texts(pdf)[0].splitlines()
    assert "제22차 이산가족 대면상봉 상봉 결과 보고 (남측)" in rows
    assert "95명 (95.0%)" in rows and "95가족 185명" in rows
    assert "2. 참석 현황 (3명)" in rows
    assert rows.count("참석") >= 2 and rows.count("불참") == 3  # 불참 is also a figure
    assert "사망" in rows and "건강 악화" in rows


def test_report_pdf_of_many_lines_and_of_none() -> None:
    figures = ReportFigures(300, 290, 10, 3, 290, 600, 500)
    attendance = [AttendanceLine(i, f"참가자{i}", i % 30 != 0, "") for i in range(1, 301)]
    pages = page_texts(report_pdf(HEADER, figures, attendance))
    assert 4 <= len(pages) <= 12
    assert all("참석 여부" in page.splitlines() for page in pages)

    empty = report_pdf(HEADER, ReportFigures(0, 0, 0, 0, 0, 0, 0), [])
    _is_pdf(empty)
    assert _page_count(empty) == 1
    assert "명단 없음" in page_texts(empty)[0].splitlines()
