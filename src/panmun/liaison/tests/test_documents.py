"""A liaison thread as a PDF, and the Korean lines it is made of: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from panmun.common.pdf import FONT_FAMILY
from panmun.families.tests.pdftext import page_texts

from ..ledger.documents import (
    EntryDoc,
    ThreadDoc,
    body_lines,
    entry_block,
    entry_doc,
    korean_time,
    receipt_text,
    thread_pdf,
    thread_title,
)

KST = timezone(timedelta(hours=9))
SENT = datetime(2026, 11, 20, 1, 15, tzinfo=UTC)  # 10:15 in Korea, a Friday
COSIGNED = datetime(2026, 11, 20, 1, 16, tzinfo=UTC)
HASH = "ab" * 32


def _notice(**changes: object) -> EntryDoc:
    values: dict[str, object] = {
        "side": "south",
        "index": 0,
        "depth": 0,
        "kind": "notice",
        "from_side": "south",
        "to_side": "north",
        "sent_at": SENT,
        "author": "최은정",
        "body": {"subject": "근무 일정 통지", "text": "평일 09:00~17:00 근무합니다."},
        "leaf_hash": HASH,
        "receipt_state": "cosigned",
        "cosigned_at": COSIGNED,
    }
    values.update(changes)
    return entry_doc(**values)  # type: ignore[arg-type]


def _reply(**changes: object) -> EntryDoc:
    """The North's reply to the notice, sent and not yet cosigned."""
    values: dict[str, object] = {
        "side": "north",
        "depth": 1,
        "kind": "reply",
        "from_side": "north",
        "to_side": "south",
        "receipt_state": "sent",
        "cosigned_at": None,
    }
    return _notice(**{**values, **changes})


# --- the words ---------------------------------------------------------------------------------


def test_korean_time_is_korea_time_with_the_weekday() -> None:
    assert korean_time(SENT) == "2026년 11월 20일 (금) 10:15"
    assert korean_time(datetime(2026, 11, 22, 23, 30, tzinfo=KST)) == "2026년 11월 22일 (일) 23:30"
    with pytest.raises(ValueError):
        korean_time(datetime(2026, 11, 20, 10, 15))


def test_receipt_in_words() -> None:
    assert receipt_text("sent", None) == "보냄"
    assert receipt_text("cosigned", COSIGNED) == "수신 확인(부서) 2026년 11월 20일 (금) 10:16"
    assert receipt_text("answered", COSIGNED) == (
        "답신 받음 · 수신 확인(부서) 2026년 11월 20일 (금) 10:16"
    )
    assert receipt_text("answered", None) == "답신 받음"


def test_the_body_of_each_kind_in_words() -> None:
    assert body_lines("notice", {"subject": "s", "text": "첫 줄\n\n셋째 줄\n"}) == [
        "첫 줄",
        "",
        "셋째 줄",
    ]
    assert body_lines("reply", {"text": ""}) == []
    assert body_lines(
        "letter",
        {"subject": "s", "text": "본문", "addressee": "남측 소장", "signatory": "북측 소장"},
    ) == ["수신: 남측 소장", "본문", "발신: 북측 소장"]
    assert body_lines(
        "counter_proposal",
        {
            "subject": "s",
            "text": "하루 늦춥니다.",
            "meeting": {
                "starts_at": "2026-12-02T05:30:00Z",
                "place": "판문점 평화의 집",
                "agenda": ["화상상봉 일정", "설비 반출"],
            },
        },
    ) == [
        "하루 늦춥니다.",
        "회담 일시: 2026년 12월 2일 (수) 14:30",
        "회담 장소: 판문점 평화의 집",
        "의제:",
        "  1. 화상상봉 일정",
        "  2. 설비 반출",
    ]
    assert body_lines("proposal", {"subject": "s", "text": "t", "meeting": None}) == ["t"]
    assert body_lines(
        "list",
        {
            "list_kind": "delegation",
            "title": "대표단",
            "items": [{"name": "이정민", "title": "수석대표"}, {"text": "박지훈"}],
            "source": {"app": "dialogue", "ref": "talks-1"},
        },
    ) == [
        "명단 종류: 대표단 명단 (2건)",
        "1. 이정민 · 수석대표",
        "2. 박지훈",
        "출처: dialogue talks-1",
    ]
    assert body_lines(
        "meeting_record",
        {
            "title": "실무회담",
            "held_at": "2026-12-02T05:30:00Z",
            "place": "",
            "attendees": {"south": ["이정민", "박지훈"], "north": []},
            "minutes": "합의하였다.",
            "outcomes": [
                {"text": "재개 합의", "record": {"kind": "talks", "ref": "talks-2026-1"}},
                {"text": "명단 교환", "record": None},
            ],
        },
    ) == [
        "일시: 2026년 12월 2일 (수) 14:30",
        "장소: -",
        "남측 참석: 이정민, 박지훈",
        "북측 참석: -",
        "회의 내용:",
        "합의하였다.",
        "결과:",
        "  1. 재개 합의 (회담 기록 talks-2026-1)",
        "  2. 명단 교환",
    ]
    assert body_lines(
        "contact_call",
        {
            "call": "closing",
            "scheduled_at": "2026-11-16T08:00:00Z",
            "state": "unanswered",
            "waited_seconds": 1800,
        },
    ) == [
        "통화: 마감 통화",
        "예정 시각: 2026년 11월 16일 (월) 17:00",
        "상태: 무응답",
        "기다린 시간: 30분",
    ]


def test_text_is_made_printable() -> None:
    decomposed = "\u1100\u1175\u11b7"  # 김 in conjoining jamo
    assert body_lines("reply", {"text": f"{decomposed}\x00\x07 님\r\n둘째\t줄"}) == [
        "김 님",
        "둘째 줄",
    ]
    # a time that is not one is printed as given
    assert body_lines(
        "proposal", {"text": "", "meeting": {"starts_at": "곧", "place": "p", "agenda": []}}
    ) == ["회담 일시: 곧", "회담 장소: p"]


def test_an_entry_block() -> None:
    entry = _notice()
    assert entry.kind == "통지문" and entry.from_side == "남측" and entry.to_side == "북측"
    assert entry_block(1, entry) == [
        "[1] 통지문 · 남측 → 북측 · 2026년 11월 20일 (금) 10:15",
        "기록 south/0 · 작성 최은정",
        "제목: 근무 일정 통지",
        "평일 09:00~17:00 근무합니다.",
        f"잎 해시: {HASH}",
        "수신 상태: 수신 확인(부서) 2026년 11월 20일 (금) 10:16",
    ]
    reply = _reply(index=3, author="", body={"text": "받았습니다."})
    assert entry_block(2, reply) == [
        "[2] 회신 · 북측 → 남측 · 2026년 11월 20일 (금) 10:15",
        "기록 north/3 · 작성 -",
        "받았습니다.",
        f"잎 해시: {HASH}",
        "수신 상태: 보냄",
    ]


def test_the_title() -> None:
    doc = ThreadDoc("근무 일정 통지", "south/0", SENT, ())
    assert thread_title(doc) == "남북 연락 기록: 근무 일정 통지"
    assert thread_title(ThreadDoc("", "north/2", SENT, ())) == "남북 연락 기록: north/2"


# --- the PDF -----------------------------------------------------------------------------------


def test_a_thread_pdf_in_korean() -> None:
    reply = _reply(index=0, author="림광혁", body={"text": "통지를 받았습니다."})
    notice = _notice(receipt_state="answered")
    doc = ThreadDoc("근무 일정 통지", "south/0", SENT, (notice, reply))
    pdf = thread_pdf(doc)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert FONT_FAMILY.encode() in pdf
    (page,) = page_texts(pdf)
    lines = page.splitlines()
    assert lines[0] == "남북 연락 기록: 근무 일정 통지"
    assert lines[1] == "첫 기록 south/0 · 2건 · 출력 2026년 11월 20일 (금) 10:15 (한국 시간)"
    assert lines[2:8] == entry_block(1, notice)
    assert lines[8:13] == entry_block(2, reply)
    assert lines[-1] == "1 / 1"
    assert "답신 받음 · 수신 확인(부서)" in page


def test_a_long_thread_runs_over_pages_numbered_at_the_foot() -> None:
    long_text = "\n".join(
        f"{n}번째 줄: 개성 남북공동연락사무소의 근무 일정과 출입 인원." for n in range(40)
    )
    entries = tuple(
        _notice(index=n, depth=n, body={"subject": f"통지 {n}", "text": long_text})
        for n in range(6)
    )
    pages = page_texts(thread_pdf(ThreadDoc("통지 0", "south/0", SENT, entries)))
    assert len(pages) >= 6
    assert [p.splitlines()[-1] for p in pages] == [
        f"{n} / {len(pages)}" for n in range(1, len(pages) + 1)
    ]
    every = "\n".join(pages)
    for n in range(6):
        assert f"제목: 통지 {n}" in every
        assert f"[{n + 1}] 통지문 · 남측 → 북측" in every


def test_an_empty_thread_still_prints() -> None:
    (page,) = page_texts(thread_pdf(ThreadDoc("", "south/9", SENT, ())))
    assert page.splitlines() == [
        "남북 연락 기록: south/9",
        "첫 기록 south/9 · 0건 · 출력 2026년 11월 20일 (금) 10:15 (한국 시간)",
        "기록 없음",
        "1 / 1",
    ]
