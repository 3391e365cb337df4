"""A liaison thread (연락 기록 대화) as a printable PDF, in Korean.

Each entry of the thread is printed in the order of the thread, indented by its depth: a header
line (number, kind, from → to, when), the author and the subject, the body in words (text,
meeting, list items, minutes and outcomes), the leaf hash that identifies the signed entry, and
what is known of its arrival (보냄 / 수신 확인(부서) / 답신 받음). Page numbers at the foot.

Pure Python: no Django, no database. The caller hands in `EntryDoc`s made with `entry_doc`
from the plain fields of each entry (its kind, sides, body as signed, leaf hash and receipt);
`body_lines`, `receipt_text`, `entry_block` and `korean_time` (`panmun.korean.dates`') are
public for the tests. The PDF is a `panmun.common.pdf.KoreanPDF`, like the other documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from panmun.common.pdf import FONT_FAMILY, KoreanPDF, clean_text
from panmun.korean.dates import korean_time

from .entries import parse_time

__all__ = [
    "KIND_KO",
    "LIST_KIND_KO",
    "SIDE_KO",
    "EntryDoc",
    "ThreadDoc",
    "body_lines",
    "entry_block",
    "entry_doc",
    "korean_time",
    "receipt_text",
    "thread_pdf",
    "thread_title",
]

KIND_KO: dict[str, str] = {
    "notice": "통지문",
    "letter": "서한",
    "proposal": "제의",
    "counter_proposal": "수정 제의",
    "acceptance": "수락",
    "reply": "회신",
    "list": "명단",
    "agreement_text": "합의문",
    "contact_call": "연락 통화",
    "meeting_record": "회의 기록",
    "key_rotation": "서명 키 교체",
}
SIDE_KO: dict[str, str] = {"south": "남측", "north": "북측"}
LIST_KIND_KO: dict[str, str] = {
    "delegation": "대표단 명단",
    "tracing": "생사확인 명단",
    "video_letters": "영상편지 명단",
    "aid_receipt": "지원 물자 인수증",
    "other": "기타 명단",
}
CALL_KO: dict[str, str] = {"opening": "개시 통화", "closing": "마감 통화"}
CALL_STATE_KO: dict[str, str] = {"placed": "걸림", "answered": "응답", "unanswered": "무응답"}
RECORD_KO: dict[str, str] = {"talks": "회담 기록", "agreement": "합의서 상태 변경"}
KEY_PURPOSE_KO: dict[str, str] = {"log": "기록 서명", "cosign": "부서"}


# --- the data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryDoc:
    """One entry as printed: everything already in Korean words but the times."""

    ref: str  # "south/0"
    depth: int
    kind: str  # a Korean label: 통지문, 제의 …
    from_side: str  # 남측 / 북측
    to_side: str
    sent_at: datetime  # aware
    author: str
    subject: str
    lines: tuple[str, ...]  # the body in words (body_lines)
    leaf_hash: str  # 64 hexadecimal characters
    receipt: str  # receipt_text


@dataclass(frozen=True)
class ThreadDoc:
    """A thread to print: its entries in thread order."""

    subject: str  # the first entry's subject
    ref: str  # the first entry's "side/index"
    printed_at: datetime
    entries: tuple[EntryDoc, ...]


# --- text ------------------------------------------------------------------------------------


def _clean(text: Any) -> str:
    """Text the PDF can set: NFC, line breaks kept, other control characters gone."""
    return clean_text(text, newlines=True)


def _one_line(text: Any) -> str:
    return " ".join(_clean(text).split())


def _time_text(value: Any) -> str:
    """A UTC time of a body ("2026-11-20T01:00:00Z") in Korea time; as given if it is not one."""
    try:
        return korean_time(parse_time(value))
    except (ValueError, TypeError):
        return _one_line(value)


def _item_text(item: Any) -> str:
    """A list item on one line: its values joined with " · " ("이정민 · 수석대표")."""
    if isinstance(item, Mapping):
        return " · ".join(_one_line(v) for v in item.values() if _one_line(v))
    return _one_line(item)


def _text_lines(text: Any) -> list[str]:
    """A text as its lines, empty lines kept between paragraphs but not at the ends."""
    return _clean(text).strip("\n").split("\n") if _clean(text).strip() else []


def _numbered(items: Sequence[Any]) -> list[str]:
    return [f"{n}. {_item_text(item)}" for n, item in enumerate(items, start=1)]


def _meeting_lines(meeting: Any) -> list[str]:
    if not isinstance(meeting, Mapping):
        return []
    lines = [
        f"회담 일시: {_time_text(meeting.get('starts_at', ''))}",
        f"회담 장소: {_one_line(meeting.get('place', ''))}",
    ]
    agenda = meeting.get("agenda") or []
    if agenda:
        lines.append("의제:")
        lines += [f"  {line}" for line in _numbered(agenda)]
    return lines


def _meeting_record_lines(body: Mapping[str, Any]) -> list[str]:
    attendees = body.get("attendees") or {}
    lines = [
        f"일시: {_time_text(body.get('held_at', ''))}",
        f"장소: {_one_line(body.get('place', '')) or '-'}",
        f"남측 참석: {', '.join(_one_line(n) for n in attendees.get('south') or []) or '-'}",
        f"북측 참석: {', '.join(_one_line(n) for n in attendees.get('north') or []) or '-'}",
    ]
    minutes = _text_lines(body.get("minutes", ""))
    if minutes:
        lines += ["회의 내용:", *minutes]
    outcomes = body.get("outcomes") or []
    if outcomes:
        lines.append("결과:")
        for n, outcome in enumerate(outcomes, start=1):
            outcome = outcome if isinstance(outcome, Mapping) else {"text": outcome}
            line = f"  {n}. {_one_line(outcome.get('text', ''))}"
            record = outcome.get("record")
            if isinstance(record, Mapping):
                what = RECORD_KO.get(str(record.get("kind")), str(record.get("kind", "")))
                line += f" ({what} {_one_line(record.get('ref', ''))})"
            lines.append(line)
    return lines


def body_lines(kind: str, body: Mapping[str, Any]) -> list[str]:
    """The body of an entry in words, line by line, as the PDF prints it under the subject."""
    text = _text_lines(body.get("text", ""))
    if kind == "letter":
        lines = []
        if _one_line(body.get("addressee", "")):
            lines.append(f"수신: {_one_line(body['addressee'])}")
        lines += text
        if _one_line(body.get("signatory", "")):
            lines.append(f"발신: {_one_line(body['signatory'])}")
        return lines
    if kind in ("proposal", "counter_proposal"):
        return text + _meeting_lines(body.get("meeting"))
    if kind == "list":
        list_kind = str(body.get("list_kind", ""))
        items = body.get("items") or []
        lines = [f"명단 종류: {LIST_KIND_KO.get(list_kind, list_kind)} ({len(items)}건)"]
        lines += _numbered(items)
        source = body.get("source")
        if isinstance(source, Mapping):
            lines.append(
                f"출처: {_one_line(source.get('app', ''))} {_one_line(source.get('ref', ''))}"
            )
        return lines
    if kind == "meeting_record":
        return _meeting_record_lines(body)
    if kind == "contact_call":
        call = str(body.get("call", ""))
        state = str(body.get("state", ""))
        lines = [
            f"통화: {CALL_KO.get(call, call)}",
            f"예정 시각: {_time_text(body.get('scheduled_at', ''))}",
            f"상태: {CALL_STATE_KO.get(state, state)}",
        ]
        if isinstance(body.get("waited_seconds"), int):
            lines.append(f"기다린 시간: {body['waited_seconds'] // 60}분")
        return lines
    if kind == "key_rotation":
        key = body.get("new_key") or {}
        purpose = str(key.get("purpose", ""))
        lines = [
            f"새 키: {_one_line(key.get('name', ''))} ({KEY_PURPOSE_KO.get(purpose, purpose)})",
            f"유효 시작: {_time_text(key.get('valid_from', ''))}",
        ]
        if _one_line(body.get("reason", "")):
            lines.append(f"사유: {_one_line(body['reason'])}")
        return lines
    return text  # notice, acceptance, reply, agreement_text


def receipt_text(state: str, cosigned_at: datetime | None) -> str:
    """What is known of an entry's arrival, in words: "보냄"; "수신 확인(부서) 2026년 …";
    "답신 받음", with the cosignature's time where it is known."""
    cosigned = f"수신 확인(부서) {korean_time(cosigned_at)}" if cosigned_at else ""
    if state == "answered":
        return f"답신 받음 · {cosigned}" if cosigned else "답신 받음"
    if state == "cosigned" and cosigned:
        return cosigned
    return "보냄"


def _subject(body: Mapping[str, Any]) -> str:
    for name in ("subject", "title"):
        if isinstance(body.get(name), str) and body[name].strip():
            return _one_line(body[name])
    return ""


def entry_doc(
    *,
    side: str,
    index: int,
    depth: int,
    kind: str,
    from_side: str,
    to_side: str,
    sent_at: datetime,
    author: str,
    body: Mapping[str, Any],
    leaf_hash: str,
    receipt_state: str,
    cosigned_at: datetime | None,
) -> EntryDoc:
    """An entry's plain fields turned into what the PDF prints."""
    return EntryDoc(
        ref=f"{side}/{index}",
        depth=depth,
        kind=KIND_KO.get(kind, kind),
        from_side=SIDE_KO.get(from_side, from_side),
        to_side=SIDE_KO.get(to_side, to_side),
        sent_at=sent_at,
        author=_one_line(author),
        subject=_subject(body),
        lines=tuple(body_lines(kind, body)),
        leaf_hash=leaf_hash,
        receipt=receipt_text(receipt_state, cosigned_at),
    )


def entry_block(number: int, entry: EntryDoc) -> list[str]:
    """The lines printed for one entry: the header, the author and subject, the body, the leaf
    hash and the receipt."""
    lines = [
        f"[{number}] {entry.kind} · {entry.from_side} → {entry.to_side} · "
        f"{korean_time(entry.sent_at)}",
        f"기록 {entry.ref} · 작성 {entry.author or '-'}",
    ]
    if entry.subject:
        lines.append(f"제목: {entry.subject}")
    lines += entry.lines
    lines.append(f"잎 해시: {entry.leaf_hash}")
    lines.append(f"수신 상태: {entry.receipt}")
    return lines


def thread_title(doc: ThreadDoc) -> str:
    """ "남북 연락 기록: 근무 일정 통지"; without a subject, the first entry's reference."""
    return f"남북 연락 기록: {_one_line(doc.subject) or doc.ref}"


# --- the PDF ---------------------------------------------------------------------------------

_MARGIN = 15
_INDENT = 6.0  # mm per level of depth
_MAX_INDENT_LEVELS = 5
_LINE = 5.5


def _line_at(
    pdf: KoreanPDF, indent: float, text: str, *, size: float = 10, grey: bool = False
) -> None:
    """A paragraph at an indent, wrapped to the page."""
    pdf.set_font(FONT_FAMILY, size=size)
    if grey:
        pdf.set_text_color(90)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, _LINE, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)


def thread_pdf(doc: ThreadDoc) -> bytes:
    """The thread as an A4 portrait PDF: the title and the facts under it, then each entry
    (`entry_block`) indented by its depth, a rule between entries."""
    title = thread_title(doc)
    pdf = KoreanPDF(title, margin=_MARGIN)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    _line_at(
        pdf,
        0,
        f"첫 기록 {doc.ref} · {len(doc.entries)}건 · "
        f"출력 {korean_time(doc.printed_at)} (한국 시간)",
        size=9,
        grey=True,
    )
    pdf.ln(3)
    for number, entry in enumerate(doc.entries, start=1):
        indent = min(entry.depth, _MAX_INDENT_LEVELS) * _INDENT
        if pdf.will_page_break(4 * _LINE):  # the header, the author and two lines together
            pdf.add_page()
        pdf.set_draw_color(180)
        pdf.line(pdf.l_margin + indent, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1.5)
        block = entry_block(number, entry)
        _line_at(pdf, indent, block[0], size=11)
        _line_at(pdf, indent, block[1], size=9, grey=True)
        for line in block[2:-2]:
            _line_at(pdf, indent, line or " ")
        _line_at(pdf, indent, block[-2], size=8, grey=True)
        _line_at(pdf, indent, block[-1], size=9)
        pdf.ln(3)
    if not doc.entries:
        _line_at(pdf, 0, "기록 없음", size=11)
    return pdf.document()
