"""Every page and every API endpoint, for every persona (and for nobody signed in).

The table below is the access policy in one place; a test fails if a route exists that the table
does not cover, so a new page or endpoint cannot ship without its permission cases.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from panmun.accounts.demo import ORGANISATIONS, PERSONAS
from panmun.accounts.services import api_token_create
from panmun.dialogue.models import Talks
from panmun.reunion.criteria import default_criteria

from .aid_matrix import AID_CASES, AID_NORTH_WRITES, AID_PLACEHOLDERS
from .complex_matrix import COMPLEX_CASES, COMPLEX_NORTH_WRITES, COMPLEX_PLACEHOLDERS
from .factories import (
    EDITORS,
    LIAISON_READERS,
    LIAISON_WRITERS,
    OFFICERS,
    PERSONA_NAMES,
    SUPERVISORS,
    agreement_payload,
    talks_payload,
)
from .matrix import Case, api, page
from .worlds import WriteWatch, matrix_world, personas_now, world_once

ANON = "anonymous"
EVERYONE = [*PERSONA_NAMES, ANON]


ALL = PERSONA_NAMES
# The page forms of the dialogue record, filled in validly (no delegates).
TALKS_FORM = {
    "title_ko": "시험 회담",
    "title_en": "Test talks",
    "level": "working_level",
    "topic": "dialogue",
    "start_date": "2026-11-20",
    "date_precision": "day",
    "delegates-TOTAL_FORMS": "0",
    "delegates-INITIAL_FORMS": "0",
}
AGREEMENT_FORM = {
    "title_ko": "시험 합의서",
    "title_en": "Test agreement",
    "signed_on": "2026-11-21",
    "date_precision": "day",
    "topic": "dialogue",
    "parties": ["south", "north"],
    "provisions_ko": "제1조",
    "provisions_en": "Article 1",
}
REGISTRY_READERS = {"ministry", "redcross_s", "supervisor", "viewer", "admin"}
REGISTRY_EDITORS = REGISTRY_READERS - {"viewer"}
ROUND_READERS = {*REGISTRY_READERS, "redcross_n"}
REPLY_ENTERERS = {*REGISTRY_EDITORS, "redcross_n"}
# Files of personal data (`access.can_export_registry`, `can_export_request_list`).
REGISTRY_EXPORTERS = REGISTRY_EDITORS
LIST_EXPORTERS = {*REGISTRY_EXPORTERS, "redcross_n"}
SELECTORS = {"supervisor", "admin"}
# Exchange approvals (permits.access.can_apply): people of the South's organisations other than
# the ministry, which decides. The world's application is the firm's: the other applicants do
# not learn that it exists (404); whoever may not apply is refused (403).
APPLICANTS = {"redcross_s", "liaison_s", "gic", "firm", "aid", "applicant"}
OTHER_APPLICANTS = dict.fromkeys(APPLICANTS - {"firm"}, 404)
_PERMIT_START = date.today() + timedelta(days=10)
APPLICATION_FORM = {
    "purpose": "평양 방문 협의",
    "kinds": ["visit"],
    "direction": "to_north",
    "destination": "pyongyang",
    "entry_point": "gyeongui",
    "start_date": _PERMIT_START.isoformat(),
    "end_date": (_PERMIT_START + timedelta(days=3)).isoformat(),
}
APPLICATION_BODY = {k: v for k, v in APPLICATION_FORM.items()}
PERSON_BODY = {
    "name_ko": "김철수",
    "sex": "M",
    "birth_date": "1980-02-03",
    "document_kind": "passport",
    "document_number": "M98765432",
    "nationality": "KR",
}
VEHICLE_BODY = {"plate_number": "99다9999", "vehicle_kind": "car"}
GOODS_BODY = {"hs_code": "100630", "description": "쌀", "unit": "kg", "currency": "USD"}
GOODS_LINE_BODY = {**GOODS_BODY, "quantity": "10", "value": "20"}


def prefixed(prefix: str, values: dict[str, str]) -> dict[str, str]:
    """A form's fields named with its prefix (the page's forms each have one)."""
    return {f"{prefix}-{k}": v for k, v in values.items()}


# Exchange approvals: the ministry's officers review (`permits.access.can_review`); a North
# organisation's officers see the visits it invited (`is_north_partner`).
REVIEWERS = {"ministry", "supervisor", "admin"}
NORTH_PARTNERS = {"redcross_n", "liaison_n", "bureau"}
CASES = [
    # pages
    page("web:home", "/", ALL),
    page("web:audit", "/audit/", SUPERVISORS),
    page("web:tokens", "/tokens/", ALL),
    page("web:password", "/password/", ALL),
    page("web:token-revoke", "/tokens/{token}/revoke/", ALL, ok=302, method="POST"),
    page("web:signoffs", "/signoffs/", ALL),
    # Only a supervisor of the asker's side decides; the asker may open the form (and is refused
    # with a message); anyone else does not learn that the request exists.
    page(
        "web:signoff-decide",
        "/signoffs/{signoff}/decide/",
        {"redcross_s", "supervisor", "admin"},
        ok=302,
        denied=404,
        method="POST",
        body={"decision": "approve"},
    ),
    page(
        "web:signoff-withdraw",
        "/signoffs/{signoff}/withdraw/",
        {"redcross_s", "supervisor", "admin"},
        ok=302,
        denied=404,
        method="POST",
    ),
    page("dialogue:timeline", "/dialogue/?topic=families", ALL),
    page("dialogue:talks", "/dialogue/talks/{talks}/", ALL),
    page("dialogue:talks-new", "/dialogue/talks/new/", EDITORS),
    page(
        "dialogue:talks-new", "/dialogue/talks/new/", EDITORS, 302, method="POST", body=TALKS_FORM
    ),
    page("dialogue:talks-edit", "/dialogue/talks/{talks}/edit/", EDITORS),
    page(
        "dialogue:talks-edit",
        "/dialogue/talks/{talks}/edit/",
        EDITORS,
        302,
        method="POST",
        body=TALKS_FORM,
    ),
    page("dialogue:agreement", "/dialogue/agreements/{agreement}/", ALL),
    page("dialogue:agreement-new", "/dialogue/agreements/new/", EDITORS),
    page(
        "dialogue:agreement-new",
        "/dialogue/agreements/new/",
        EDITORS,
        302,
        method="POST",
        body=AGREEMENT_FORM,
    ),
    page(
        "dialogue:agreement-status",
        "/dialogue/agreements/{agreement}/status/",
        SUPERVISORS,
        ok=302,
        method="POST",
        body={"status": "suspended", "effective_on": "2026-11-22"},
    ),
    page("dialogue:event", "/dialogue/events/{event}/", ALL),
    page("jobs:list", "/jobs/", ALL),
    # the separated-families registry: the South's Red Cross and ministry; the North's Red Cross
    # sees only the tracing rounds sent to it
    page("families:registry", "/families/?q=리선권", REGISTRY_READERS),
    page("families:person", "/families/people/{person}/", REGISTRY_READERS),
    page("families:person-card", "/families/people/{person}/card.pdf", REGISTRY_READERS),
    page("families:person-new", "/families/people/new/", REGISTRY_EDITORS),
    page("families:person-edit", "/families/people/{person}/edit/", REGISTRY_EDITORS),
    page("families:relative-new", "/families/people/{person}/relatives/new/", REGISTRY_EDITORS),
    page(
        "families:dna-new",
        "/families/people/{person}/dna/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"sample_id": "S-1", "taken_on": "2020-01-01", "kind": "buccal"},
    ),
    page("families:import", "/families/import/", REGISTRY_EDITORS),
    # GET: the three export buttons; POST: starts the export job and goes to its page. Personal
    # data as files: officers and above, never a viewer.
    page("families:export", "/families/export/", REGISTRY_EXPORTERS),
    page(
        "families:export",
        "/families/export/",
        REGISTRY_EXPORTERS,
        ok=302,
        method="POST",
        body={"format": "csv"},
    ),
    page("families:statistics", "/families/statistics/", REGISTRY_READERS),
    page("families:statistics-csv", "/families/statistics.csv", REGISTRY_READERS),
    page("families:duplicates", "/families/duplicates/", REGISTRY_READERS),
    page(
        "families:duplicates-find",
        "/families/duplicates/find/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
    ),
    page("families:duplicate", "/families/duplicates/{duplicate}/", REGISTRY_READERS),
    page(
        "families:duplicate-decide",
        "/families/duplicates/{duplicate}/decide/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"decision": "keep_apart"},
    ),
    page(
        "families:duplicate-label",
        "/families/duplicates/{duplicate}/label/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"answer": "same"},
    ),
    page(
        "families:duplicates-retrain",
        "/families/duplicates/retrain/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
    ),
    page(
        "families:merge-undo",
        "/families/merges/{merge}/undo/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
    ),
    page("families:rounds", "/families/rounds/", ROUND_READERS),
    page("families:round", "/families/rounds/{round}/", ROUND_READERS),
    page(
        "families:round-send",
        "/families/rounds/{round}/send/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
    ),
    # The request list as a file: exporters of either side's Red Cross; the blank reply form
    # holds request ids only.
    page("families:round-document", "/families/rounds/{round}/document/xlsx/", LIST_EXPORTERS),
    page("families:round-document", "/families/rounds/{round}/document/pdf/", LIST_EXPORTERS),
    page(
        "families:round-document",
        "/families/rounds/{round}/document/reply-template/",
        ROUND_READERS,
    ),
    # No file sent: refused on the form, which comes back (422) on the round's page.
    page(
        "families:round-upload",
        "/families/rounds/{round}/replies/upload/",
        REPLY_ENTERERS,
        ok=422,
        method="POST",
    ),
    page(
        "families:round-reply",
        "/families/rounds/{round}/replies/new/",
        REPLY_ENTERERS,
        ok=302,
        method="POST",
        body={"result": "not_found", "vital_status": "unknown"},
    ),
    page(
        "families:round-apply",
        "/families/rounds/{round}/apply/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
    ),
    # 결재 for applying: asked by the South's registry editors (the world's round still has a
    # link to review, so the request is refused with a message on the round's page).
    page(
        "families:round-apply-request",
        "/families/rounds/{round}/apply/request/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"note": "확인 부탁드립니다"},
    ),
    page(
        "families:reply-review",
        "/families/replies/{reply}/review/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"decision": "reject"},
    ),
    # reunion rounds: South keepers; supervisors run the selection; the North's Red Cross sees
    # rounds once frozen (commitment, bundle), the final list, and gives its own list
    page("reunion:rounds", "/reunion/", ROUND_READERS),
    page("reunion:history", "/reunion/history/", ALL),
    page("reunion:letters", "/reunion/letters/", REGISTRY_READERS),
    page(
        "reunion:letter-advance",
        "/reunion/letters/{letter}/advance/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"on": "2026-02-01"},
    ),
    page("reunion:round", "/reunion/{reunion}/", ROUND_READERS),
    page(
        "reunion:round-criteria",
        "/reunion/{reunion}/criteria/",
        SELECTORS,
        ok=302,
        method="POST",
        body={"criteria": "{}"},
    ),
    # The live pool counts beside the criteria editor (htmx).
    page("reunion:round-criteria-preview", "/reunion/{reunion}/criteria/preview/", SELECTORS),
    # The world's round has its final list: freezing, drawing, fixing are refused with a message.
    page("reunion:round-freeze", "/reunion/{reunion}/freeze/", SELECTORS, ok=302, method="POST"),
    page("reunion:round-draw", "/reunion/{reunion}/draw/", SELECTORS, ok=302, method="POST"),
    # The check sheet: one row at a time (refused at the final list, on the page: 422), many from
    # a spreadsheet (no file: the form comes back), its template to download.
    page(
        "reunion:candidate-check",
        "/reunion/{reunion}/candidates/{candidate}/check/",
        REGISTRY_EDITORS,
        ok=422,
        method="POST",
        body={"willingness": "willing", "health": "fit", "note": ""},
    ),
    page(
        "reunion:checks-import",
        "/reunion/{reunion}/checks/import/",
        REGISTRY_EDITORS,
        ok=422,
        method="POST",
    ),
    page("reunion:checks-template", "/reunion/{reunion}/checks/template.xlsx", REGISTRY_EXPORTERS),
    # Refused at the final list: the form comes back on the page (422).
    page(
        "reunion:round-reserves",
        "/reunion/{reunion}/reserves/",
        SELECTORS,
        ok=422,
        method="POST",
        body={"stratum": "지정", "count": 1},
    ),
    page(
        "reunion:round-inquiry",
        "/reunion/{reunion}/inquiry/",
        REGISTRY_EDITORS,
        ok=422,
        method="POST",
    ),
    page("reunion:round-final", "/reunion/{reunion}/final/", SELECTORS, ok=302, method="POST"),
    page(
        "reunion:round-final-signoff",
        "/reunion/{reunion}/final/signoff/",
        SELECTORS,
        ok=302,
        method="POST",
    ),
    page(
        "reunion:round-revert",
        "/reunion/{reunion}/revert/",
        SELECTORS,
        ok=302,
        method="POST",
        body={"reason": "권한 확인"},
    ),
    page("reunion:round-bundle", "/reunion/{reunion}/bundle.zip", ROUND_READERS),
    page("reunion:round-published", "/reunion/{reunion}/published/pool.csv", ROUND_READERS),
    page("reunion:event", "/reunion/{reunion}/event/", ROUND_READERS),
    page(
        "reunion:event-update",
        "/reunion/{reunion}/event/update/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"venue": "금강산", "companions_limit": 3, "families_per_table": 4},
    ),
    page(
        "reunion:session-add",
        "/reunion/{reunion}/event/sessions/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={
            "day": "2027-03-02",
            "starts": "18:00",
            "ends": "19:00",
            "kind": "other",
            "place": "호텔",
        },
    ),
    page(
        "reunion:session-remove",
        "/reunion/{reunion}/event/sessions/{session}/remove/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"confirm": "yes"},  # as from the confirmation page (without it: that page, 200)
    ),
    page(
        "reunion:places-assign",
        "/reunion/{reunion}/event/places/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
    ),
    page("reunion:event-document", "/reunion/{reunion}/event/participants.pdf", LIST_EXPORTERS),
    page("reunion:event-document", "/reunion/{reunion}/event/cards.pdf", REGISTRY_EXPORTERS),
    page("reunion:event-document", "/reunion/{reunion}/event/programme.pdf", ROUND_READERS),
    page("reunion:video", "/reunion/{video}/video/", REGISTRY_READERS),
    page(
        "reunion:video-schedule",
        "/reunion/{video}/video/schedule/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
    ),
    page(
        "reunion:participant-update",
        "/reunion/families/{participant}/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"needs": ["wheelchair"], "table": "2", "room": "105"},
    ),
    page(
        "reunion:companion-add",
        "/reunion/families/{participant}/companions/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"name": "김동반", "relation": "아들", "number": 1960},
    ),
    page(
        "reunion:north-relative-add",
        "/reunion/families/{participant}/north/",
        REPLY_ENTERERS,
        ok=302,
        method="POST",
        body={"name": "리철수", "relation": "아들", "number": 75},
    ),
    page(
        "reunion:attendance",
        "/reunion/families/{participant}/attendance/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        # Before the first day an absence can be recorded, taking part cannot.
        body={"attended": "no", "absence": "declined"},
    ),
    page(
        "reunion:video-wishes",
        "/reunion/families/{vparticipant}/wishes/",
        REGISTRY_EDITORS,
        ok=302,
        method="POST",
        body={"requested_date": "2027-03-02", "room_choice": ""},
    ),
    # the liaison record (pages): readers see it all; each side's officers sign and answer
    # Exchange approvals: a visit certificate's PDF for its applicant (firm) and the ministry
    # (404 for everyone else: no one learns which numbers exist); the public check of any
    # certificate, for everyone signed in or not.
    page(
        "permits:certificate-pdf",
        "/permits/certificates/{certificate}.pdf",
        {"firm", "ministry", *SUPERVISORS},
        denied=404,
    ),
    page("verify:page", "/verify/", ALL, anon=200),
    page("verify:page", "/verify/?t={certificate_token}", ALL, anon=200),
    page("verify:page", "/verify/", ALL, anon=200, method="POST", body={"token": "PV1.x.y"}),
    page("liaison:threads", "/liaison/?q=통지", LIAISON_READERS),
    page("liaison:compose", "/liaison/new/", LIAISON_WRITERS),
    page("liaison:thread", "/liaison/{lentry}/", LIAISON_READERS),
    page("liaison:thread-pdf", "/liaison/{lentry}/pdf", LIAISON_READERS),
    page("liaison:leaf", "/liaison/{lentry}/leaf.json", LIAISON_READERS),
    page(
        "liaison:answer",
        "/liaison/{lentry}/answer/",
        {"liaison_n"},
        ok=302,
        method="POST",
        body={"{lprefix}-kind": "reply", "{lprefix}-text": "받았습니다."},
    ),
    page(
        "liaison:meeting",
        "/liaison/{lentry}/meeting/",
        LIAISON_WRITERS,
        ok=302,
        method="POST",
        body={"title": "실무접촉", "held_at": "2026-11-20T10:00", "place": "개성"},
    ),
    page("liaison:calls", "/liaison/calls/?month=2026-11", LIAISON_READERS),
    page(
        "liaison:call-answer",
        "/liaison/calls/{lcall}/answer/",
        {"liaison_n"},
        ok=302,
        method="POST",
    ),
    page("liaison:logs", "/liaison/logs/", LIAISON_READERS),
    page("liaison:bundle", "/liaison/logs/{lside}/bundle.zip", LIAISON_READERS),
    page("jobs:detail", "/jobs/{job}/", {"ministry", *SUPERVISORS}, denied=404),
    page("jobs:progress", "/jobs/{job}/progress/", {"ministry", *SUPERVISORS}, denied=404),
    page("jobs:download", "/jobs/{job}/download/", {"ministry", *SUPERVISORS}, denied=404),
    # The world's job succeeded: whoever sees it is refused on the job's page (not failed).
    page(
        "jobs:retry",
        "/jobs/{job}/retry/",
        {"ministry", *SUPERVISORS},
        ok=302,
        denied=404,
        method="POST",
    ),
    # exchange approvals: the applicants' pages
    page("permits:applications", "/permits/", APPLICANTS),
    page("permits:application-new", "/permits/new/", APPLICANTS),
    page(
        "permits:application-new",
        "/permits/new/",
        APPLICANTS,
        ok=302,
        method="POST",
        body=APPLICATION_FORM,
    ),
    page("permits:application", "/permits/{application}/", {"firm"}, others=OTHER_APPLICANTS),
    page(
        "permits:application-edit",
        "/permits/{application}/edit/",
        {"firm"},
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:application-edit",
        "/permits/{application}/edit/",
        {"firm"},
        ok=302,
        method="POST",
        body=APPLICATION_FORM,
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:application-submit",
        "/permits/{application}/submit/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:application-copy",
        "/permits/{application}/copy/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:approval-withdraw",
        "/permits/approvals/{approval}/withdraw/",
        {"firm"},
        ok=302,
        method="POST",
        body={"confirm": "yes"},  # as from the confirmation page (without it: that page, 200)
        others=OTHER_APPLICANTS,
    ),
    # The world's approval is a draft: sending an answer is refused with a message.
    page(
        "permits:approval-resubmit",
        "/permits/approvals/{approval}/resubmit/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    # what the firm's application lists (its people, vehicles, goods), while its approvals are
    # drafts; the applicant's profile (each applicant's own: the firm's records are the firm's)
    page(
        "permits:traveller-add",
        "/permits/{application}/travellers/",
        {"firm"},
        ok=302,
        method="POST",
        body=prefixed("traveller", PERSON_BODY),
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:traveller-remove",
        "/permits/{application}/travellers/{traveller}/remove/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    # No file sent: refused on the form, which comes back (422) on the application's page.
    page(
        "permits:travellers-upload",
        "/permits/{application}/travellers/upload/",
        {"firm"},
        ok=422,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    # No one chosen: refused on the form (422).
    page(
        "permits:travellers-from-profile",
        "/permits/{application}/travellers/from-profile/",
        {"firm"},
        ok=422,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:vehicle-add",
        "/permits/{application}/vehicles/",
        {"firm"},
        ok=302,
        method="POST",
        body=prefixed("vehicle", VEHICLE_BODY),
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:vehicle-remove",
        "/permits/{application}/vehicles/{vehicle}/remove/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:goods-line-add",
        "/permits/approvals/{goods_approval}/goods/",
        {"firm"},
        ok=302,
        method="POST",
        body=prefixed("goods-{goods_approval}", GOODS_LINE_BODY),
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:goods-line-remove",
        "/permits/approvals/{goods_approval}/goods/{goods_line}/remove/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    page("permits:profile", "/permits/profile/", APPLICANTS),
    page(
        "permits:profile-person-add",
        "/permits/profile/people/",
        APPLICANTS,
        ok=302,
        method="POST",
        body=prefixed("person", PERSON_BODY),
    ),
    page(
        "permits:profile-person-remove",
        "/permits/profile/people/{profile_person}/remove/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:profile-vehicle-add",
        "/permits/profile/vehicles/",
        APPLICANTS,
        ok=302,
        method="POST",
        body=prefixed("vehicle", VEHICLE_BODY),
    ),
    page(
        "permits:profile-vehicle-remove",
        "/permits/profile/vehicles/{profile_vehicle}/remove/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    page(
        "permits:profile-goods-add",
        "/permits/profile/goods/",
        APPLICANTS,
        ok=302,
        method="POST",
        body=prefixed("goods", GOODS_BODY),
    ),
    page(
        "permits:profile-goods-remove",
        "/permits/profile/goods/{profile_goods}/remove/",
        {"firm"},
        ok=302,
        method="POST",
        others=OTHER_APPLICANTS,
    ),
    # exchange approvals, the ministry's side: its officers review and decide; a supervisor
    # revokes and records exceptions; a North organisation's officers see the visits it invited.
    page("permits:review-queues", "/permits/review/", REVIEWERS),
    page("permits:review-queue", "/permits/review/queue/{pkind}/", REVIEWERS),
    # A list naming an approval that does not exist: let in, then refused with nothing changed.
    page(
        "permits:review-queue",
        "/permits/review/queue/{pkind}/",
        REVIEWERS,
        ok=422,
        method="POST",
        body={"approvals": ["99999999"], "move": "approve"},
    ),
    page("permits:review-approval", "/permits/review/approvals/{papproval}/", REVIEWERS),
    page(
        "permits:review-move",
        "/permits/review/approvals/{papproval}/approve/",
        REVIEWERS,
        ok=302,
        method="POST",
    ),
    # A revocation asks a supervisor to confirm first (200: the confirmation page).
    page(
        "permits:review-move",
        "/permits/review/approvals/{papproved}/revoke/",
        SUPERVISORS,
        ok=200,
        method="POST",
        body={"revoke-reasons_ko": "조건 위반", "revoke-reasons_en": "Conditions broken"},
    ),
    page(
        "permits:review-assign",
        "/permits/review/approvals/{psubmitted}/assign/",
        REVIEWERS,
        ok=302,
        method="POST",
        body={"officer": ""},
    ),
    # No measure chosen: a supervisor is let in and the form comes back with the problem.
    page(
        "permits:review-exception",
        "/permits/review/approvals/{papproval}/exception/",
        SUPERVISORS,
        ok=422,
        method="POST",
        body={"reason_ko": "사유", "reason_en": "Reason"},
    ),
    page("permits:review-statistics", "/permits/review/statistics/", REVIEWERS),
    page("permits:review-invitations", "/permits/review/invitations/", NORTH_PARTNERS),
    # the API
    api("GET", "/me", ALL),
    api("GET", "/organisations", ALL),
    api("GET", "/tokens", ALL),
    # Tokens are made by a person signed in (the tokens page), never by a token: 401 for all.
    api("POST", "/tokens", (), ok=201, denied=401, body={"name": "script"}),
    api("DELETE", "/tokens/{token}", ALL),
    api("GET", "/audit?action=dialogue.talks.create", SUPERVISORS),
    api("GET", "/dialogue/talks", ALL),
    api("POST", "/dialogue/talks", EDITORS, ok=201, body=talks_payload()),
    api("GET", "/dialogue/talks/{talks}", ALL),
    api("PUT", "/dialogue/talks/{talks}", EDITORS, body=talks_payload()),
    api("GET", "/dialogue/agreements", ALL),
    api("POST", "/dialogue/agreements", EDITORS, ok=201, body=agreement_payload()),
    api("GET", "/dialogue/agreements/{agreement}", ALL),
    api(
        "POST",
        "/dialogue/agreements/{agreement}/status",
        SUPERVISORS,
        ok=201,
        body={"status": "suspended", "effective_on": "2026-11-22"},
    ),
    api("GET", "/dialogue/timeline?level=summit", ALL),
    api("GET", "/families/search?q=Ri%20Son%20Gwon", REGISTRY_READERS),
    api("GET", "/families/persons/{person}", REGISTRY_READERS),
    api(
        "PUT",
        "/families/persons/{person}/name-consent",
        REGISTRY_EDITORS,
        body={"consent": True},
    ),
    api("GET", "/families/rounds", ROUND_READERS),
    api("GET", "/families/rounds/{round}", ROUND_READERS),
    api(
        "POST",
        "/families/rounds/{round}/replies",
        REPLY_ENTERERS,
        ok=201,
        body={"result": "not_found"},
    ),
    api("GET", "/reunion/rounds", ROUND_READERS),
    api(
        "POST",
        "/reunion/rounds",
        SELECTORS,
        ok=201,
        body={
            "kind": "video",
            "number": 77,
            "name": "제77차",
            "starts_on": "2027-05-01",
            "criteria": default_criteria(date(2026, 11, 23), 10),
        },
    ),
    api("GET", "/reunion/rounds/{reunion}", ROUND_READERS),
    api("POST", "/reunion/rounds/{reunion}/freeze", SELECTORS, ok=409, body={}),
    api("POST", "/reunion/rounds/{reunion}/draw", SELECTORS, ok=409),
    api("GET", "/reunion/rounds/{reunion}/bundle", ROUND_READERS),
    api("GET", "/reunion/rounds/{reunion}/candidates", REGISTRY_READERS),
    api("GET", "/reunion/rounds/{reunion}/participants", ROUND_READERS),
    api("GET", "/reunion/letters", REGISTRY_READERS),
    api(
        "POST",
        "/reunion/letters",
        REGISTRY_EDITORS,
        ok=422,
        body={
            "registry_no": "none",
            "direction": "outgoing",
            "addressee": "x",
            "file_ref": "f",
            "sha256": "cd" * 32,
            "duration_seconds": 10,
            "recorded_on": "2026-01-01",
        },
    ),
    api("GET", "/permits/review/queue/{pkind}?state=submitted", REVIEWERS),
    api("GET", "/permits/review/approvals/{papproval}", REVIEWERS),
    api(
        "POST",
        "/permits/review/approvals/{psubmitted}/assign",
        REVIEWERS,
        body={"officer_id": None},
    ),
    api("POST", "/permits/review/approvals/{papproval}/move", REVIEWERS, body={"move": "approve"}),
    # A list naming an approval that does not exist: let in, then refused with nothing changed.
    api(
        "POST",
        "/permits/review/bulk",
        REVIEWERS,
        ok=409,
        body={"move": "approve", "approval_ids": [99999999]},
    ),
    api(
        "POST",
        "/permits/review/approvals/{papproval}/exception",
        SUPERVISORS,
        ok=201,
        body={"measure": "2010-05-24", "reason_ko": "사유", "reason_en": "Reason"},
    ),
    api("GET", "/permits/review/statistics", REVIEWERS),
    api("GET", "/permits/review/invitations", NORTH_PARTNERS),
    # the liaison record: both sides' liaison offices and the ministry read it; each side's
    # liaison officers sign for their side; a node delivers its own side's log only.
    api("GET", "/liaison/entries?q=통지", LIAISON_READERS),
    api("GET", "/liaison/entries/{lentry}", LIAISON_READERS),
    api(
        "POST",
        "/liaison/messages",
        LIAISON_WRITERS,
        ok=201,
        body={"kind": "notice", "body": {"subject": "통지", "text": ""}},
    ),
    api(
        "POST",
        "/liaison/meetings",
        LIAISON_WRITERS,
        ok=201,
        body={"title": "실무접촉", "held_at": "2026-11-20T10:00:00+09:00", "place": "개성"},
    ),
    api("GET", "/liaison/calls", LIAISON_READERS),
    api("POST", "/liaison/calls/{lcall}/answer", {"liaison_n"}),
    api("GET", "/liaison/logs", LIAISON_READERS),
    api("GET", "/liaison/logs/{lside}/bundle", LIAISON_READERS),
    api("GET", "/liaison/keys", LIAISON_READERS),
    api("GET", "/liaison/node/logs/{lside}", LIAISON_READERS),
    api("GET", "/liaison/node/logs/{lside}/entries", LIAISON_READERS),
    # This node writes the South's log itself: the South's officer is let in, then refused.
    api(
        "POST",
        "/liaison/node/logs/{lside}/entries",
        {"liaison_s"},
        ok=409,
        body={"start": 0, "leaves": []},
    ),
    api(
        "POST",
        "/liaison/node/logs/{lside}/checkpoint",
        {"liaison_s"},
        ok=422,
        body={"note": "not a note", "proof": []},
    ),
    api("POST", "/liaison/node/sync", LIAISON_WRITERS),
    # exchange approvals: the applicants' operations (permission before the body is read)
    api("GET", "/permits/applications", APPLICANTS),
    api("POST", "/permits/applications", APPLICANTS, ok=201, body=APPLICATION_BODY),
    api("GET", "/permits/applications/{application}", {"firm"}, others=OTHER_APPLICANTS),
    api(
        "PUT",
        "/permits/applications/{application}",
        {"firm"},
        body={"purpose": "개성 방문", "destination": "gaeseong"},
        others=OTHER_APPLICANTS,
    ),
    api(
        "PATCH",
        "/permits/applications/{application}",
        {"firm"},
        body={"purpose": "개성 방문"},
        others=OTHER_APPLICANTS,
    ),
    api("POST", "/permits/applications/{application}/submit", {"firm"}, others=OTHER_APPLICANTS),
    api(
        "POST",
        "/permits/applications/{application}/copy",
        {"firm"},
        ok=201,
        others=OTHER_APPLICANTS,
    ),
    api("POST", "/permits/approvals/{approval}/withdraw", {"firm"}, others=OTHER_APPLICANTS),
    # The world's approval is a draft: there is nothing to answer yet.
    api(
        "POST",
        "/permits/approvals/{approval}/resubmit",
        {"firm"},
        ok=409,
        others=OTHER_APPLICANTS,
    ),
    api(
        "POST",
        "/permits/applications/{application}/travellers",
        {"firm"},
        ok=201,
        body=PERSON_BODY,
        others=OTHER_APPLICANTS,
    ),
    api(
        "DELETE",
        "/permits/applications/{application}/travellers/{traveller}",
        {"firm"},
        ok=204,
        others=OTHER_APPLICANTS,
    ),
    # A multipart file is read before the application is looked up: without one, every
    # applicant is answered 422.
    api("POST", "/permits/applications/{application}/travellers/import", APPLICANTS, ok=422),
    # No such person in the firm's profile: refused by the service (422).
    api(
        "POST",
        "/permits/applications/{application}/travellers/from-profile",
        {"firm"},
        ok=422,
        body={"people_ids": [999_999_999]},
        others=OTHER_APPLICANTS,
    ),
    api(
        "POST",
        "/permits/applications/{application}/vehicles",
        {"firm"},
        ok=201,
        body=VEHICLE_BODY,
        others=OTHER_APPLICANTS,
    ),
    api(
        "DELETE",
        "/permits/applications/{application}/vehicles/{vehicle}",
        {"firm"},
        ok=204,
        others=OTHER_APPLICANTS,
    ),
    api(
        "POST",
        "/permits/approvals/{goods_approval}/goods-lines",
        {"firm"},
        ok=201,
        body=GOODS_LINE_BODY,
        others=OTHER_APPLICANTS,
    ),
    api(
        "DELETE",
        "/permits/approvals/{goods_approval}/goods-lines/{goods_line}",
        {"firm"},
        ok=204,
        others=OTHER_APPLICANTS,
    ),
    api("GET", "/permits/profile", APPLICANTS),
    api("POST", "/permits/profile/people", APPLICANTS, ok=201, body=PERSON_BODY),
    api(
        "DELETE",
        "/permits/profile/people/{profile_person}",
        {"firm"},
        ok=204,
        others=OTHER_APPLICANTS,
    ),
    api("POST", "/permits/profile/vehicles", APPLICANTS, ok=201, body=VEHICLE_BODY),
    api(
        "DELETE",
        "/permits/profile/vehicles/{profile_vehicle}",
        {"firm"},
        ok=204,
        others=OTHER_APPLICANTS,
    ),
    api("POST", "/permits/profile/goods", APPLICANTS, ok=201, body=GOODS_BODY),
    api(
        "DELETE",
        "/permits/profile/goods/{profile_goods}",
        {"firm"},
        ok=204,
        others=OTHER_APPLICANTS,
    ),
    api("GET", "/jobs", ALL),
    api("POST", "/jobs", OFFICERS, ok=202, body={"kind": "dialogue.export"}),
    api("GET", "/jobs/{job}", {"ministry", *SUPERVISORS}, denied=404),
    api("GET", "/jobs/{job}/file", {"ministry", *SUPERVISORS}, denied=404),
    # The world's job succeeded: whoever sees it is told only a failed job is retried.
    api("POST", "/jobs/{job}/retry", {"ministry", *SUPERVISORS}, ok=409, denied=404),
]
# Pages that are not the application's own (sign-in, admin site, API docs) are covered elsewhere.
# The frame's own pages: everyone may use them, signed in or not.
FRAME = [
    page("web:login", "/login/", ALL, ok=302, anon=200),  # signed in: on to the home page
    page("web:logout", "/logout/", ALL, ok=302, method="POST"),
    page(
        "web:language",
        "/language/",
        ALL,
        ok=302,
        method="POST",
        anon=302,
        body={"language": "en", "next": "/"},
    ),
    page("api-docs", "/api/v1/docs", ALL, anon=200),
    page("api-schema", "/api/v1/openapi.json", ALL, anon=200),
    # The admin site is for administrators (staff) only; others are sent to its sign-in.
    page("admin:index", "/admin/", {"admin"}, denied=302),
]
CASES += FRAME
CASES += AID_CASES
CASES += COMPLEX_CASES


# --- writes by side ---------------------------------------------------------------------------

SIDE_OF_ORG = {o.key: o.side for o in ORGANISATIONS}
SIDE_OF = {p.username: SIDE_OF_ORG[p.org] for p in PERSONAS}
NORTH = frozenset(u for u, side in SIDE_OF.items() if side == "north")
SOUTH = frozenset(u for u, side in SIDE_OF.items() if side == "south")

# Every write the North's personas may make, and why. The `allowed` sets above must agree with
# it exactly (`test_writes_by_side`): a persona group shared by both sides cannot hand the North
# a write of the South's own records unnoticed (as EDITORS once did with `liaison_n`, who could
# retitle the record of talks), and `test_access` then tries that write as the North and checks
# that it is refused and wrote nothing.
NORTH_WRITES: dict[str, tuple[frozenset[str], str]] = {
    **AID_NORTH_WRITES,
    **COMPLEX_NORTH_WRITES,
    "web:token-revoke": (NORTH, "everyone revokes their own tokens"),
    "DELETE /api/v1/tokens/{token}": (NORTH, "everyone revokes their own tokens"),
    "web:logout": (NORTH, "everyone signs out"),
    "web:language": (NORTH, "everyone picks a language"),
    "verify:page": (NORTH, "anyone checks a visit certificate (it writes nothing)"),
    "POST /api/v1/jobs": (NORTH, "an officer exports the shared dialogue record"),
    "families:round-upload": (frozenset({"redcross_n"}), "its Red Cross answers the requests"),
    "families:round-reply": (frozenset({"redcross_n"}), "its Red Cross answers the requests"),
    "POST /api/v1/families/rounds/{round}/replies": (
        frozenset({"redcross_n"}),
        "its Red Cross answers the requests",
    ),
    "reunion:north-relative-add": (
        frozenset({"redcross_n"}),
        "its Red Cross gives the relatives each family will meet",
    ),
    "liaison:answer": (frozenset({"liaison_n"}), "its liaison officers sign for their side"),
    "liaison:meeting": (frozenset({"liaison_n"}), "its liaison officers sign for their side"),
    "liaison:call-answer": (frozenset({"liaison_n"}), "its liaison officers answer calls"),
    "POST /api/v1/liaison/messages": (
        frozenset({"liaison_n"}),
        "its liaison officers sign for their side",
    ),
    "POST /api/v1/liaison/meetings": (
        frozenset({"liaison_n"}),
        "its liaison officers sign for their side",
    ),
    "POST /api/v1/liaison/calls/{lcall}/answer": (
        frozenset({"liaison_n"}),
        "its liaison officers answer calls",
    ),
    "POST /api/v1/liaison/node/sync": (
        frozenset({"liaison_n"}),
        "its liaison officers deliver the logs",
    ),
}


def _write_cases() -> list[Case]:
    return [c for c in CASES if c.method in WRITES]


def test_writes_by_side():
    """Each write lets in exactly the North's personas NORTH_WRITES names (none elsewhere)."""
    wrong = {}
    for case in _write_cases():
        north = case.allowed & NORTH
        declared = NORTH_WRITES.get(case.name, (frozenset(), ""))[0]
        if north != declared:
            wrong[f"{case.method} {case.path}"] = sorted(north)
    assert wrong == {}


def test_every_write_is_tried_by_both_sides():
    """`test_access` runs every case for every persona: each side has personas of its own, so
    every write is tried by the South and by the North (allowed or refused)."""
    assert NORTH and SOUTH and set(EVERYONE) >= NORTH | SOUTH
    assert {"redcross_n", "liaison_n"} <= NORTH
    named = {c.name for c in _write_cases()}
    assert set(NORTH_WRITES) <= named  # no stale entry


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The world of the matrix, built once for this file (about 1,500 tests) in an outer
    transaction that is rolled back when the file ends; each test runs in a savepoint inside it,
    so what one test changes (a round frozen, a token revoked) is undone before the next."""
    with world_once(django_db_blocker, matrix_world) as ids:
        yield ids


@pytest.fixture
def personas(db, matrix):
    """The demo personas, loaded with the world: fresh objects for each test."""
    return personas_now()


@pytest.fixture
def world(matrix):
    """One record of each kind (tests/worlds.py `matrix_world`): the historical record's talks,
    agreement and event, a finished export job started by `ministry`, the families world, a 결재
    request, both reunion rounds and the liaison world."""
    return dict(matrix)


def _expected(case: Case, who: str) -> int:
    if who == ANON:
        return case.anon
    return case.ok if who in case.allowed else dict(case.others).get(who, case.denied)


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _refused(case: Case, who: str, expected: int, response: Any) -> bool:
    """Whether this answer refuses the write: an error status (401, 403, 404, and the domain's
    own 409 or 422 for an allowed user), the `denied` answer of a user outside `allowed`, or the
    sign-in page for nobody signed in."""
    if case.method not in WRITES:
        return False
    if expected >= 400:
        return True
    if who == ANON:
        return expected == 302 and response["Location"].startswith("/login/")
    return who not in case.allowed


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_access(
    case: Case, who: str, world, personas, client_for, django_capture_on_commit_callbacks
):
    ids = dict(world)
    if "{token}" in case.path:
        # Each user acts on a token of their own; other people's tokens are tested below.
        owner = personas[who] if who != ANON else personas["ministry"]
        ids["token"] = api_token_create(actor=owner, name="own")[0].pk
    path = case.path.format(**ids)
    body = case.body
    if isinstance(body, dict) and not case.api:  # form field names may hold an entry's prefix
        body = {k.format(**ids): v for k, v in body.items()}
    if case.api:
        path = f"/api/v1{path}"
    if case.api:
        headers = {}
        client = client_for(None)
        if who != ANON:
            _t, raw = api_token_create(actor=personas[who], name="matrix")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        kwargs: dict[str, Any] = dict(headers)
        if case.body is not None:
            kwargs.update(data=case.body, content_type="application/json")
        with WriteWatch() as watch, django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, case.method.lower())(path, **kwargs)
        expected = _expected(case, who)
        assert response.status_code == expected, response.content[:500]
        if expected >= 400:
            body = response.json()
            assert set(body) == {"code", "message", "details"}
            if who == ANON or who not in case.allowed:
                assert body["code"] in {"not_authenticated", "permission_denied", "not_found"}
    else:
        client = client_for(None if who == ANON else who)
        with WriteWatch() as watch, django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, case.method.lower())(path, data=body or {})
        expected = _expected(case, who)
        assert response.status_code == expected, response.content[:300]
        if (
            who == ANON
            and expected == 302
            and case.name.startswith(("web:home", "dialogue", "jobs"))
        ):
            assert response["Location"].startswith("/login/")
    # A refused write writes nothing: no audit entry, no row added or removed anywhere. Someone
    # outside `allowed` (or nobody signed in) is refused before anything is tried: not even a
    # statement that changes a row in place (a retitled record of talks keeps the count of
    # rows). An allowed user's write refused by the domain (409, 422) may have tried and rolled
    # back: its statements are not counted.
    if _refused(case, who, expected, response):
        written = watch.written()
        if who in case.allowed:
            written.pop("statements", None)
        assert written == {}, f"{who} was refused {case.name} yet it wrote"


def _page_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    apps = {
        "web",
        "dialogue",
        "jobs",
        "families",
        "reunion",
        "liaison",
        "permits",
        "aid",
        "complex",
    }
    return {n for n in names if n.split(":")[0] in apps}


def test_every_page_is_in_the_matrix():
    covered = {c.name for c in CASES if not c.api}
    assert _page_names() - covered == set()


def test_every_api_operation_is_in_the_matrix(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        f"{m.upper()} {p.replace('{', '').replace('}', '')}"
        for p, ops in schema["paths"].items()
        for m in ops
    }
    covered = set()
    for c in CASES:
        if c.api:
            path = "/api/v1" + c.path.split("?")[0]
            for placeholder, name in (
                ("{talks}", "talks_id"),
                ("{agreement}", "agreement_id"),
                ("{job}", "job_id"),
                ("{token}", "token_id"),
                ("{person}", "person_id"),
                ("{round}", "round_id"),
                ("{reunion}", "round_id"),
                ("{lentry}", "side/index"),
                ("{lcall}", "call_id"),
                ("{lside}", "side"),
                ("{application}", "application_id"),
                ("{approval}", "approval_id"),
                ("{goods_approval}", "approval_id"),
                ("{traveller}", "traveller_id"),
                ("{vehicle}", "vehicle_id"),
                ("{goods_line}", "line_id"),
                ("{profile_person}", "person_id"),
                ("{profile_vehicle}", "vehicle_id"),
                ("{profile_goods}", "goods_id"),
                ("{pkind}", "kind"),
                ("{papproval}", "approval_id"),
                ("{psubmitted}", "approval_id"),
                ("{papproved}", "approval_id"),
                *AID_PLACEHOLDERS.items(),
                *COMPLEX_PLACEHOLDERS.items(),
            ):
                path = path.replace(placeholder, name)
            covered.add(f"{c.method} {path}")
    assert operations - covered == set()


def test_a_user_cannot_revoke_someone_elses_token(personas, api_for):
    other, _raw = api_token_create(actor=personas["ministry"], name="mine")
    response = api_for("viewer").call("DELETE", f"/tokens/{other.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    other.refresh_from_db()
    assert other.revoked_at is None


def test_north_red_cross_sees_the_record_but_cannot_write_it(personas, api_for):
    north = api_for("redcross_n")
    assert north.get("/dialogue/talks").status_code == 200
    before = Talks.objects.count()
    response = north.post("/dialogue/talks", talks_payload())
    assert response.status_code == 403
    assert Talks.objects.count() == before


def test_the_write_watch_sees_a_write_and_ignores_sessions(personas, client_for):
    """The check of refused writes above would pass on a watch that sees nothing: it sees."""
    watch = WriteWatch()
    client_for("viewer")  # signing in writes a session: bookkeeping, not counted
    assert watch.written() == {}
    api_token_create(actor=personas["viewer"], name="seen")
    assert watch.written() == {
        "audit": ["accounts.token.create"],
        "rows": {
            "accounts.ApiToken": (
                watch.counts["accounts.ApiToken"],
                watch.counts["accounts.ApiToken"] + 1,
            ),
            "accounts.AuditEntry": (
                watch.counts["accounts.AuditEntry"],
                watch.counts["accounts.AuditEntry"] + 1,
            ),
        },
    }
