"""Test data: the persona groups of the access policy, and valid request bodies to vary."""

from __future__ import annotations

from typing import Any

from panmun.accounts.demo import PERSONAS

PERSONA_NAMES = [p.username for p in PERSONAS]
# Who writes the dialogue record: the South's ministry and its side of the liaison office
# (`dialogue.access.can_edit_dialogue`).
EDITORS = {"ministry", "liaison_s", "supervisor", "admin"}
SUPERVISORS = {"supervisor", "admin"}
OFFICERS = set(PERSONA_NAMES) - {"viewer"}


def talks_payload(**changes: Any) -> dict[str, Any]:
    data = {
        "title_ko": "제1차 남북 실무회담(시험)",
        "title_en": "First working-level talks (test)",
        "level": "working_level",
        "topic": "dialogue",
        "start_date": "2026-11-20",
        "end_date": "2026-11-21",
        "date_precision": "day",
        "place_ko": "판문점 평화의 집",
        "place_en": "Peace House, Panmunjeom",
        "delegates": [
            {
                "side": "south",
                "name_ko": "김서연",
                "name_en": "Kim Seo-yeon",
                "title_ko": "수석대표",
                "title_en": "Chief delegate",
                "is_head": True,
            },
            {
                "side": "north",
                "name_ko": "리선권",
                "name_en": "Ri Son Gwon",
                "title_ko": "단장",
                "title_en": "Head",
                "is_head": True,
            },
        ],
        "agreements": [],
    }
    data.update(changes)
    return data


def agreement_payload(**changes: Any) -> dict[str, Any]:
    data = {
        "title_ko": "시험 합의서",
        "title_en": "Test agreement",
        "signed_on": "2026-11-21",
        "date_precision": "day",
        "parties": ["south", "north"],
        "topic": "dialogue",
        "provisions": [{"number": 1, "text_ko": "제1조", "text_en": "Article 1"}],
    }
    data.update(changes)
    return data


def families_world(officer: Any) -> dict[str, int]:
    """A person with a relative sought, a merge undone, an open duplicate pair, and a round sent
    to the other side with one reply waiting for review."""
    from panmun.families.models import DuplicateCandidate, LinkState, TracingReply
    from panmun.families.services import duplicates, tracing
    from panmun.families.tests.factories import applicant, relative

    seeker = applicant(officer, family_name="김", given_name="순자")
    relative(officer, seeker)
    twin = applicant(officer, family_name="김", given_name="순자", phone="010-0000-0000")
    other = applicant(officer, family_name="박", given_name="영수")
    merged = DuplicateCandidate.objects.create(first=seeker, second=other, probability=0.6)
    merge = duplicates.duplicate_merge(actor=officer, candidate=merged, keep=seeker)
    duplicates.merge_undo(actor=officer, merge=merge)
    candidate = DuplicateCandidate.objects.create(first=seeker, second=twin, probability=0.9)
    tracing_round = tracing.round_create(actor=officer, name="제1차", target_size=1)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    reply = TracingReply.objects.create(
        round=tracing_round,
        row=2,
        result="found",
        vital_status="alive",
        family_name="리",
        given_name="선권",
        request=tracing_round.requests.get(),
        match_probability=0.4,
        link_state=LinkState.REVIEW,
    )
    tracing_round.status = "replied"
    tracing_round.save()
    return {
        "person": seeker.pk,
        "duplicate": candidate.pk,
        "merge": merge.pk,
        "round": tracing_round.pk,
        "reply": reply.pk,
    }


def reunion_world(personas: dict[str, Any], *, with_video: bool = False) -> dict[str, int]:
    """An in-person round (and, if asked, a video round) at its final list with one family, a
    session of the in-person programme and a video letter."""
    import datetime as dt

    from panmun.reunion.services import video
    from panmun.reunion.tests.factories import final_round

    officer = personas["redcross_s"]
    in_person = final_round(personas, kind="in_person", number=90)
    ids: dict[str, int] = {}
    if with_video:
        by_video = final_round(personas, kind="video", number=91)
        ids = {"video": by_video.pk, "vparticipant": by_video.participants.get().pk}
    participant = in_person.participants.get()
    letter = video.letter_record(
        actor=officer,
        registry_no=participant.candidate.applicant.registry_no,
        direction="outgoing",
        addressee="북측 아들",
        file_ref="vl/2026/00001.mp4",
        sha256="ab" * 32,
        duration_seconds=300,
        language="ko",
        recorded_on=dt.date(2026, 1, 5),
    )
    return {
        **ids,
        "reunion": in_person.pk,
        "participant": participant.pk,
        "candidate": participant.candidate_id,
        "session": in_person.event.sessions.first().pk,
        "letter": letter.pk,
    }


LIAISON_READERS = {"ministry", "liaison_s", "liaison_n", "supervisor", "viewer", "admin"}
LIAISON_WRITERS = {"liaison_s", "liaison_n"}


def liaison_world(personas: dict[str, Any]) -> dict[str, Any]:
    """A South notice (checkpointed and cosigned by the North) and a South call waiting."""
    import datetime as dt

    from panmun.liaison.services import calls, messages

    entry = messages.message_send(
        actor=personas["liaison_s"], kind="notice", body={"subject": "통지", "text": "본문"}
    )
    call = calls.call_place(
        side="south",
        call="opening",
        scheduled_at=dt.datetime(2026, 11, 16, 9, tzinfo=calls.KST),
    )
    return {
        "lentry": f"south/{entry.index}",
        "lprefix": f"south-{entry.index}",  # the answer form's field prefix
        "lcall": call.pk,
        "lside": "south",
    }


def signoff_world(officer: Any) -> int:
    """A step asked for approval (결재) by `officer`, waiting for a supervisor."""
    from panmun.accounts.signoffs import signoff_request

    return signoff_request(
        actor=officer,
        action="families.round.apply",
        obj=officer,
        summary={"lines": [{"ko": "시험", "en": "test"}]},
    ).pk


def permits_world(personas: dict[str, Any]) -> dict[str, int]:
    """The firm's application for a visit, goods and a vehicle, complete but not yet submitted,
    and the firm's profile keeping a person, a vehicle and goods."""
    from panmun.permits.policy import measures_load
    from panmun.permits.services import lines
    from panmun.permits.tests.factories import complete_application

    measures_load()  # where a transactional test before flushed the migration's rows
    firm = personas["firm"]
    application = complete_application(firm, ["visit", "goods", "vehicle"])
    goods = application.approvals.get(kind="goods")
    person = lines.profile_person_add(
        actor=firm,
        values={
            "name_ko": "정민호",
            "sex": "M",
            "birth_date": "1975-03-01",
            "document_kind": "passport",
            "document_number": "M22223333",
            "nationality": "KR",
        },
    )
    vehicle = lines.profile_vehicle_add(
        actor=firm, values={"plate_number": "11가1111", "vehicle_kind": "car"}
    )
    usual = lines.profile_goods_add(
        actor=firm, values={"hs_code": "100630", "description": "쌀", "unit": "kg"}
    )
    return {
        "application": application.pk,
        "approval": application.approvals.get(kind="visit").pk,
        "traveller": application.travellers.get().pk,
        "vehicle": application.vehicles.get().pk,
        "goods_approval": goods.pk,
        "goods_line": goods.goods_lines.get().pk,
        "profile_person": person.pk,
        "profile_vehicle": vehicle.pk,
        "profile_goods": usual.pk,
    }


def certificate_world(personas: dict[str, Any]) -> dict[str, str]:
    """A visit approval of `firm`'s in force, and its first certificate: its number and token."""
    from panmun.permits.tests.visits import approved_visit

    _visit, certificates = approved_visit(personas)
    return {"certificate": certificates[0].number, "certificate_token": certificates[0].token}
