"""A person's whole story on one page (issue 15, "what officers expect"): registration, the
relatives sought, tracing and its answers, reunion candidacies and outcomes, letters, notes,
DNA samples, merges, where the status came from; age as 만 나이; a printable family card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings

from panmun.accounts.models import AuditEntry
from panmun.korean.calendars import Calendar, PartialDate, age_range
from panmun.reunion.models import Participant
from panmun.reunion.services import event, video
from panmun.reunion.tests.factories import final_round

from ..models import DnaSample, Person, PersonNote
from ..selectors.story import SOURCES, person_age, story_of
from ..services import registry
from .factories import applicant
from .pdftext import page_texts


def _kinds(text: str) -> list[str]:
    return re.findall(r'<tr class="story-[a-z]+" data-kind="([a-z_.]+)"', text)


@pytest.fixture
def story_world(personas):
    """An applicant taken through a reunion round to its final list, with a letter, a note and
    a DNA sample; the relative sought was answered alive by the other side."""
    officer = personas["redcross_s"]
    reunion_round = final_round(personas)
    participant = Participant.objects.select_related("candidate__applicant").get(
        round=reunion_round
    )
    seeker = participant.candidate.applicant
    video.letter_record(
        actor=officer,
        registry_no=seeker.registry_no,
        direction="outgoing",
        addressee="자녀",
        file_ref="VL-2026-001.mp4",
        sha256="ab" * 32,
        duration_seconds=185,
        language="ko",
        recorded_on=dt.date(2026, 12, 1),
    )
    PersonNote.objects.create(person=seeker, text="면담 완료", author_name="대한적십자사")
    registry.dna_sample_add(
        actor=officer,
        sample=DnaSample(person=seeker, sample_id="DNA-77", taken_on="2016-05-01", kind="buccal"),
    )
    sought = seeker.seeking.get().sought
    return {"round": reunion_round, "seeker": seeker, "sought": sought, "participant": participant}


def test_the_applicant_s_page_tells_the_whole_story(story_world, client_for):
    seeker, reunion_round = story_world["seeker"], story_world["round"]
    text = client_for("redcross_s").get(f"/families/people/{seeker.pk}/").content.decode()
    kinds = _kinds(text)
    for kind in (
        "registry.applicant",
        "relatives.seeks",
        "tracing.request",
        "tracing.answer",
        "reunion.candidate",
        "reunion.participant",
        "letters.letter",
        "notes.note",
        "dna.sample",
    ):
        assert kind in kinds, (kind, kinds)
    story = text[text.index('id="story"') :]
    assert f"{reunion_round.name} 후보" in story  # candidate in which round
    assert "층: 지정" in story and "추첨됨, 층 안 순위 1" in story  # stratum and drawn rank
    assert "의사: 상봉 희망 · 건강: 건강 양호" in story  # willingness and health
    assert "결과: 최종 선정" in story
    assert f"{reunion_round.name} 최종 명단" in story
    assert "생존 확인" in story  # the other side's answer about the relative
    assert "자녀에게 보내는 영상편지" in story and "3분 5초" in story
    assert "면담 완료" in story and "DNA-77" in story
    # oldest first
    dates = [d for d in re.findall(r'<td class="date">([0-9-]+|—)</td>', story) if d != "—"]
    assert dates == sorted(dates)


def test_a_death_before_the_reunion_is_in_the_story(story_world, personas, client_for):
    participant = story_world["participant"]
    event.attendance_record(
        actor=personas["redcross_s"],
        participant=participant,
        attended=False,
        absence="died",
        died_on="2027-02-20",
    )
    seeker = story_world["seeker"]
    text = client_for("redcross_s").get(f"/families/people/{seeker.pk}/").content.decode()
    assert "상봉 전 사망" in text


def test_the_relative_s_page_says_where_the_status_came_from(story_world, client_for):
    sought, seeker = story_world["sought"], story_world["seeker"]
    client = client_for("redcross_s")
    text = client.get(f"/families/people/{sought.pk}/").content.decode()
    kinds = _kinds(text)
    assert {"registry.relative", "relatives.sought_by", "tracing.request", "tracing.answer"} <= set(
        kinds
    )
    assert "status.round" in kinds
    assert seeker.display_name in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/families/people/{sought.pk}/").content.decode()
    assert "Status set to “Alive” by the answer in" in english
    assert "found: alive" in english


def test_families_imports_no_reunion_module():
    """The dependency points one way: reunion registers its story source itself."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.startswith("panmun.reunion") for n in names), path
    assert {"reunion.candidacies", "reunion.letters"} <= set(SOURCES)


def test_viewing_the_page_and_the_card_is_audited(story_world, client_for, personas):
    seeker = story_world["seeker"]
    client = client_for("viewer")
    before = AuditEntry.objects.filter(action="families.person.view").count()
    assert client.get(f"/families/people/{seeker.pk}/").status_code == 200
    card = client.get(f"/families/people/{seeker.pk}/card.pdf")
    assert card.status_code == 200 and card["Content-Type"] == "application/pdf"
    seen = AuditEntry.objects.filter(action="families.person.view").order_by("pk")[before:]
    assert [(e.actor, e.object_id) for e in seen] == [(personas["viewer"], str(seeker.pk))] * 2


def test_the_card_is_a_korean_pdf_of_the_record_and_its_story(story_world, client_for):
    seeker, reunion_round = story_world["seeker"], story_world["round"]
    client = client_for("redcross_s")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the card is in Korean all the same
    response = client.get(f"/families/people/{seeker.pk}/card.pdf")
    data = response.content
    assert data.startswith(b"%PDF") and b"NotoSansKR" in data
    text = "\n".join(page_texts(data))
    for words in (
        "이산가족 카드",
        seeker.display_name,
        seeker.registry_no,
        "찾는 가족",
        "만 나이",
        f"{reunion_round.name} 후보",
        "DNA-77",
    ):
        assert words in text, words
    assert "Separated family card" not in text


def test_the_north_and_the_firm_may_not_print_a_card(story_world, client_for):
    seeker = story_world["seeker"]
    for persona in ("redcross_n", "firm"):
        assert client_for(persona).get(f"/families/people/{seeker.pk}/card.pdf").status_code == 403


# --- 만 나이 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "calendar", "expected"),
    [
        (PartialDate(1935, 3, 2), Calendar.SOLAR, (90, 90)),
        # 1935-05-20 lunar is 1935-06-20 solar: not yet 90 on 1 June 2025.
        (PartialDate(1935, 5, 20), Calendar.LUNAR, (89, 89)),
        (PartialDate(1935, 5, 20), Calendar.SOLAR, (90, 90)),
        (PartialDate(1935), Calendar.SOLAR, (89, 90)),  # a year alone: about
        (PartialDate(1935, 5), Calendar.UNKNOWN, (89, 90)),
    ],
)
def test_international_age_from_a_recorded_birth(birth, calendar, expected):
    assert age_range(birth, calendar, dt.date(2025, 6, 1)) == expected


def test_the_page_shows_the_international_age(personas, client_for):
    officer = personas["redcross_s"]
    today = dt.date.today()
    exact = applicant(officer, birth_date=f"{today.year - 90}-01-01", birth_calendar="solar")
    year_only = applicant(officer, birth_date=str(today.year - 85), birth_calendar="")
    client = client_for("redcross_s")
    text = client.get(f"/families/people/{exact.pk}/").content.decode()
    assert "만 90세" in text and 'data-age="90-90"' in text
    about = client.get(f"/families/people/{year_only.pk}/").content.decode()
    assert "약 만 84–85세" in about or "만 85세" in about  # on 31 December it is exact
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/families/people/{year_only.pk}/").content.decode()
    assert "about 84–85 (international age)" in english or "85 (international age)" in english


def test_age_at_death(personas):
    officer = personas["redcross_s"]
    person = applicant(
        officer,
        birth_date="1930-06-01",
        birth_calendar="solar",
        status="deceased",
        death_date="2020-05-31",
    )
    age = person_age(person)
    assert age is not None and age.at_death and (age.youngest, age.oldest) == (89, 89)
    assert person_age(Person(birth_date="", status="alive")) is None


def test_every_item_says_where_it_comes_from(story_world):
    for item in story_of(story_world["seeker"]):
        assert item.source, item
