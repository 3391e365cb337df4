"""The pages call the same services: a form post records talks with its audit entry."""

from panmun.accounts.models import AuditEntry
from panmun.dialogue.models import Agreement, Talks


def test_talks_form_creates_talks(personas, client_for):
    client = client_for("liaison_s")
    response = client.post(
        "/dialogue/talks/new/",
        {
            "title_ko": "연락사무소 실무협의",
            "title_en": "Liaison working consultation",
            "level": "liaison",
            "topic": "liaison",
            "start_date": "2026-11-20",
            "date_precision": "day",
            "delegates-TOTAL_FORMS": "2",
            "delegates-INITIAL_FORMS": "0",
            "delegates-MIN_NUM_FORMS": "0",
            "delegates-MAX_NUM_FORMS": "60",
            "delegates-0-side": "south",
            "delegates-0-name_ko": "최은정",
            "delegates-0-is_head": "on",
            "delegates-1-side": "north",
            "delegates-1-name_ko": "",
        },
    )
    talks = Talks.objects.get(title_ko="연락사무소 실무협의")
    assert response.status_code == 302 and response["Location"] == f"/dialogue/talks/{talks.pk}/"
    assert [d.name_ko for d in talks.delegates.all()] == ["최은정"]
    assert AuditEntry.objects.filter(
        action="dialogue.talks.create", object_id=str(talks.pk)
    ).exists()


def test_talks_form_shows_errors_and_writes_nothing(personas, client_for):
    before = Talks.objects.count()
    response = client_for("ministry").post(
        "/dialogue/talks/new/",
        {
            "title_ko": "",
            "title_en": "x",
            "level": "summit",
            "topic": "dialogue",
            "start_date": "2026-11-20",
            "end_date": "2026-11-01",
            "date_precision": "day",
            "delegates-TOTAL_FORMS": "0",
            "delegates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert Talks.objects.count() == before
    assert "errorlist" in response.content.decode()


def test_agreement_form_pairs_provisions(personas, client_for):
    client = client_for("ministry")
    response = client.post(
        "/dialogue/agreements/new/",
        {
            "title_ko": "새 합의서",
            "title_en": "New agreement",
            "signed_on": "2026-11-20",
            "date_precision": "day",
            "topic": "aid",
            "parties": ["south", "north"],
            "provisions_ko": "첫째 조항\n둘째 조항",
            "provisions_en": "First\nSecond",
        },
    )
    agreement = Agreement.objects.get(title_ko="새 합의서")
    assert response.status_code == 302
    assert list(agreement.provisions.values_list("number", "text_en")) == [
        (1, "First"),
        (2, "Second"),
    ]


def test_agreement_status_form(personas, client_for):
    agreement = Agreement.objects.get(key="gaeseong-stay")
    client = client_for("supervisor")
    client.post(
        f"/dialogue/agreements/{agreement.pk}/status/",
        {"status": "suspended", "note_en": "Complex closed"},
    )
    agreement.refresh_from_db()
    assert agreement.status == "suspended"
    page = client.get(f"/dialogue/agreements/{agreement.pk}/")
    assert "Complex closed" in page.content.decode() or "효력 정지" in page.content.decode()


def test_a_refused_status_change_keeps_what_was_typed(personas, client_for):
    """Issue 15: a wrong date redirected to the page with the message alone; the note typed
    was lost. Now the page comes back with the form as typed and the field named."""
    from panmun.accounts.models import AuditEntry

    agreement = Agreement.objects.get(key="gaeseong-stay")
    before = (agreement.status, agreement.status_changes.count(), AuditEntry.objects.count())
    response = client_for("supervisor").post(
        f"/dialogue/agreements/{agreement.pk}/status/",
        {"status": "suspended", "effective_on": "1934-13-45", "note_ko": "개성공단 전면 중단"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="1934-13-45"' in page
    assert "개성공단 전면 중단" in page
    assert "errorlist" in page
    agreement.refresh_from_db()
    assert (
        agreement.status,
        agreement.status_changes.count(),
        AuditEntry.objects.count(),
    ) == before


def test_timeline_partial_for_htmx(personas, client_for):
    response = client_for("viewer").get("/dialogue/?topic=families", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="timeline"' in html and "<svg" in html


def test_bad_filter_shows_an_error_page(personas, client_for):
    response = client_for("viewer").get("/dialogue/?year_from=abc")
    assert response.status_code == 422
    assert "year_from" in response.content.decode()


def test_bad_filter_under_htmx_returns_the_message_alone(personas, client_for):
    response = client_for("viewer").get(
        "/dialogue/?year_from=2010&year_to=2000", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in html and 'role="alert"' in html
