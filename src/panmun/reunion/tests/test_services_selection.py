"""A reunion round's selection, from the criteria to the final list, through the real services."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.families.models import TracingRequest
from panmun.families.services import tracing
from panmun.families.tests.factories import applicant, relative, round_apply_approved

from .. import lottery
from ..criteria import default_criteria
from ..models import Candidate, Outcome, Participant, ReunionRound, Stage, StageChange
from ..services import selection
from .factories import fix_final_approved

SEED = "00" * 31 + "2a"
TODAY = dt.date(2026, 11, 23)


def criteria(places_90: int = 1, places_rest: int = 1, per_place: int = 2) -> dict:
    document = default_criteria(TODAY, 2)
    document["strata"][0]["places"] = places_90
    document["strata"][1]["places"] = places_rest
    document["candidates_per_place"] = per_place
    return document


@pytest.fixture
def registry(personas):
    """Four applicants aged 90 and over and six younger, each seeking one relative; one more
    whose only relative is known dead (never eligible) and one deceased applicant."""
    officer = personas["redcross_s"]
    people = []
    for n in range(10):
        born = 1930 + n if n < 4 else 1945 + n
        seeker = applicant(officer, given_name=f"신청{n}", birth_date=str(born))
        relative(officer, seeker, relation="child" if n % 2 else "sibling", given_name=f"가족{n}")
        people.append(seeker)
    lost = applicant(officer, given_name="사망가족")
    relative(officer, lost, given_name="고인", status="deceased")
    dead = applicant(officer, given_name="고인신청", status="deceased")
    relative(officer, dead, given_name="가족x")
    return people


def make_round(personas, **kw) -> ReunionRound:
    return selection.round_create(
        actor=personas["supervisor"],
        kind="in_person",
        number=kw.pop("number", 22),
        name=kw.pop("name", "제22차"),
        starts_on=dt.date(2027, 3, 1),
        criteria=kw.pop("criteria", criteria()),
    )


def test_only_a_supervisor_sets_criteria_and_freezes(personas, registry):
    with pytest.raises(DomainError) as err:
        selection.round_create(
            actor=personas["redcross_s"],
            kind="in_person",
            number=1,
            name="x",
            starts_on=TODAY,
            criteria=criteria(),
        )
    assert err.value.code == "permission_denied"
    assert not ReunionRound.objects.exists()
    reunion_round = make_round(personas)
    with pytest.raises(DomainError) as err:
        selection.pool_freeze(actor=personas["redcross_s"], reunion_round=reunion_round)
    assert err.value.code == "permission_denied"
    assert not Candidate.objects.exists()


def test_bad_criteria_name_every_field(personas):
    bad = criteria()
    bad["strata"][0]["places"] = -1
    bad["relation_weights"]["cousin"] = 2
    bad["age_weights"][0]["weight"] = 0
    with pytest.raises(DomainError) as err:
        make_round(personas, criteria=bad)
    fields = {e["field"] for e in err.value.details["errors"]}
    assert fields == {"strata[0].places", "relation_weights.cousin", "age_weights[0].weight"}
    assert not ReunionRound.objects.exists()


def test_the_pool_holds_eligible_applicants_with_strata_and_weights(personas, registry):
    reunion_round = make_round(personas)
    draw = selection.pool_freeze(
        actor=personas["supervisor"], reunion_round=reunion_round, seed_hex=SEED
    )
    assert draw.pool_size == 10
    assert draw.pool_sha256 == lottery.sha256_hex(draw.pool_csv.encode())
    assert draw.seed_sha256 == lottery.sha256_hex(bytes.fromhex(SEED))
    by_applicant = {c.applicant_id: c for c in Candidate.objects.filter(round=reunion_round)}
    assert set(by_applicant) == {p.pk for p in registry}
    oldest = by_applicant[registry[0].pk]  # born 1930, 96 in 2026, seeks a sibling
    assert (oldest.stratum, oldest.age, oldest.weight) == ("90세 이상", 96, 19.0 * 3)
    young = by_applicant[registry[5].pk]  # born 1950, 76, seeks a child
    assert (young.stratum, young.weight) == ("그 외", 5.0 * 6)
    # The pool file names no one: draw ids only.
    assert "신청" not in draw.pool_csv and registry[0].registry_no not in draw.pool_csv
    reunion_round.refresh_from_db()
    assert reunion_round.stage == Stage.FROZEN
    with pytest.raises(DomainError) as err:
        selection.bundle_of(draw)
    assert err.value.code == "invalid_transition"


def test_the_draw_ranks_as_the_published_result_and_the_bundle_verifies(personas, registry):
    reunion_round = make_round(personas)
    selection.pool_freeze(actor=personas["supervisor"], reunion_round=reunion_round, seed_hex=SEED)
    draw = selection.draw_run(actor=personas["supervisor"], reunion_round=reunion_round)
    rows = list(csv.DictReader(io.StringIO(draw.result_csv)))
    assert len(rows) == draw.pool_size == 10
    drawn = dict(
        Candidate.objects.filter(round=reunion_round, drawn=True).values_list("draw_id", "rank")
    )
    assert {r["draw_id"]: int(r["rank"]) for r in rows if r["selected"] == "1"} == drawn
    assert len(drawn) == 4  # two strata, one place each, two candidates per place
    # The others wait in result.csv, without a rank on their record until called.
    assert not Candidate.objects.filter(round=reunion_round, drawn=False, rank__isnull=False)
    report = lottery.verify_bundle(
        selection.bundle_of(draw).to_zip(),
        expect_pool_sha256=draw.pool_sha256,
        expect_seed_sha256=draw.seed_sha256,
    )
    assert report.ok, report.findings
    assert AuditEntry.objects.filter(action="reunion.draw.run").count() == 1


def _check_all(personas, reunion_round, declined=()):
    checks = {
        c.pk: selection.Check(
            willingness="declined" if c.applicant_id in declined else "willing", health="fit"
        )
        for c in Candidate.objects.filter(round=reunion_round, drawn=True)
    }
    return selection.candidates_check(
        actor=personas["redcross_s"], reunion_round=reunion_round, checks=checks
    )


def _answer(personas, tracing_round, deceased=()):
    officer = personas["redcross_s"]
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    for request in TracingRequest.objects.filter(round=tracing_round).select_related("seeking"):
        dead = request.seeking.applicant_id in deceased
        tracing.reply_enter(
            actor=personas["redcross_n"],
            tracing_round=tracing_round,
            values={
                "request_id": request.request_id,
                "result": "found",
                "vital_status": "deceased" if dead else "alive",
            },
        )
    # Applied as the programme does it: the officer asks, the ministry's supervisor approves.
    round_apply_approved(
        officer=officer, approver=personas["supervisor"], tracing_round=tracing_round
    )


def test_a_round_from_the_draw_to_the_final_list(personas, registry):
    supervisor = personas["supervisor"]
    reunion_round = make_round(personas)
    selection.pool_freeze(actor=supervisor, reunion_round=reunion_round, seed_hex=SEED)
    selection.draw_run(actor=supervisor, reunion_round=reunion_round)
    drawn = list(
        Candidate.objects.filter(round=reunion_round, drawn=True).order_by("stratum", "rank")
    )
    first_90, second_90 = [c for c in drawn if c.stratum == "90세 이상"]
    first_rest, second_rest = [c for c in drawn if c.stratum == "그 외"]
    # The first of the 90+ stratum declines; the first of the rest's relative has died.
    assert _check_all(personas, reunion_round, declined={first_90.applicant_id}) == 4
    reunion_round.refresh_from_db()
    assert reunion_round.stage == Stage.CHECKING
    tracing_round = selection.inquiry_start(
        actor=personas["redcross_s"], reunion_round=reunion_round
    )
    asked = set(tracing_round.requests.values_list("seeking__applicant_id", flat=True))
    assert asked == {second_90.applicant_id, first_rest.applicant_id, second_rest.applicant_id}
    with pytest.raises(DomainError) as err:
        selection.final_fix(actor=supervisor, reunion_round=reunion_round)
    assert err.value.code == "invalid_transition"  # the answers are not in yet
    _answer(personas, tracing_round, deceased={first_rest.applicant_id})
    counts = fix_final_approved(personas, reunion_round)
    outcomes = {
        c.pk: (c.outcome, c.outcome_reason) for c in Candidate.objects.filter(round=reunion_round)
    }
    assert outcomes[first_90.pk] == (Outcome.OUT, "declined")
    assert outcomes[second_90.pk] == (Outcome.FINAL, "")
    assert outcomes[first_rest.pk] == (Outcome.OUT, "relatives_deceased")
    assert outcomes[second_rest.pk] == (Outcome.FINAL, "")
    assert counts["final"] == 2 and counts["not_drawn"] == 6
    participants = Participant.objects.filter(round=reunion_round)
    assert {p.candidate_id for p in participants} == {second_90.pk, second_rest.pk}
    assert all(p.table == "1" and p.room for p in participants)
    reunion_round.refresh_from_db()
    assert reunion_round.stage == Stage.FINAL
    assert [c.to_stage for c in StageChange.objects.filter(round=reunion_round)] == [
        "frozen",
        "drawn",
        "checking",
        "tracing",
        "final",
    ]


def test_stepping_back_needs_a_supervisor_and_a_reason_and_undoes_the_stage(personas, registry):
    supervisor = personas["supervisor"]
    reunion_round = make_round(personas)
    selection.pool_freeze(actor=supervisor, reunion_round=reunion_round, seed_hex=SEED)
    draw = selection.draw_run(actor=supervisor, reunion_round=reunion_round)
    first_result = draw.result_csv
    _check_all(personas, reunion_round)
    tracing_round = selection.inquiry_start(
        actor=personas["redcross_s"], reunion_round=reunion_round
    )
    with pytest.raises(DomainError) as err:
        selection.stage_revert(
            actor=personas["redcross_s"], reunion_round=reunion_round, reason="잘못 보냄"
        )
    assert err.value.code == "permission_denied"
    with pytest.raises(DomainError) as err:
        selection.stage_revert(actor=supervisor, reunion_round=reunion_round, reason="")
    assert err.value.details["field"] == "reason"
    reunion_round.refresh_from_db()
    assert reunion_round.stage == Stage.TRACING
    # tracing → checking: the unsent tracing round goes with it.
    assert (
        selection.stage_revert(
            actor=supervisor, reunion_round=reunion_round, reason="명단 재검토 필요"
        )
        == "checking"
    )
    assert not type(tracing_round).objects.filter(pk=tracing_round.pk).exists()
    # checking → drawn clears the checks; drawn → frozen clears the ranks; the same seed
    # then draws the same result again.
    selection.stage_revert(actor=supervisor, reunion_round=reunion_round, reason="확인 다시 하기")
    assert not Candidate.objects.filter(round=reunion_round).exclude(willingness="pending").exists()
    selection.stage_revert(actor=supervisor, reunion_round=reunion_round, reason="추첨 다시 하기")
    assert not Candidate.objects.filter(round=reunion_round, rank__isnull=False).exists()
    again = selection.draw_run(actor=supervisor, reunion_round=reunion_round)
    assert again.result_csv == first_result
    entry = AuditEntry.objects.filter(action="reunion.stage.revert").order_by("pk").first()
    assert entry.changes["reason"] == "명단 재검토 필요"
    assert StageChange.objects.filter(round=reunion_round, reason="추첨 다시 하기").exists()


def test_exclusions_leave_out_those_who_declined_before(personas, registry):
    supervisor = personas["supervisor"]
    earlier = make_round(personas, number=21, name="제21차", criteria=criteria(5, 5, 1))
    selection.pool_freeze(actor=supervisor, reunion_round=earlier, seed_hex=SEED)
    selection.draw_run(actor=supervisor, reunion_round=earlier)
    _check_all(personas, earlier, declined={registry[0].pk})
    later = make_round(personas)
    members, counts = selection.pool_members(later)
    assert registry[0].pk not in {m.applicant_id for m in members}
    assert counts["declined_before"] == 1
    document = criteria()
    document["exclusions"] = []
    selection.criteria_set(actor=supervisor, reunion_round=later, criteria=document)
    later.refresh_from_db()
    members, _ = selection.pool_members(later)
    assert registry[0].pk in {m.applicant_id for m in members}


def test_checks_refuse_bad_values_and_change_nothing(personas, registry):
    supervisor = personas["supervisor"]
    reunion_round = make_round(personas)
    selection.pool_freeze(actor=supervisor, reunion_round=reunion_round, seed_hex=SEED)
    selection.draw_run(actor=supervisor, reunion_round=reunion_round)
    drawn = Candidate.objects.filter(round=reunion_round, drawn=True).first()
    not_drawn = Candidate.objects.filter(round=reunion_round, drawn=False).first()
    with pytest.raises(DomainError) as err:
        selection.candidates_check(
            actor=personas["redcross_s"],
            reunion_round=reunion_round,
            checks={
                drawn.pk: selection.Check("willing", "fit"),
                not_drawn.pk: selection.Check("maybe", "fit"),
            },
        )
    fields = {e["field"] for e in err.value.details["errors"]}
    assert fields == {f"willingness-{not_drawn.pk}", "candidates"}
    drawn.refresh_from_db()
    assert drawn.willingness == "pending"
    reunion_round.refresh_from_db()
    assert reunion_round.stage == Stage.DRAWN


def test_a_seed_from_a_public_drawing_and_no_second_freeze(personas, registry):
    reunion_round = make_round(personas)
    draw = selection.pool_freeze(
        actor=personas["supervisor"],
        reunion_round=reunion_round,
        seed_text="로또 1234회 3 7 12 25 33 41",
    )
    assert draw.seed_source == "public"
    assert bytes.fromhex(draw.seed_hex) == lottery.seed_from_public_text(
        "로또 1234회 3 7 12 25 33 41"
    )
    with pytest.raises(DomainError) as err:
        selection.pool_freeze(actor=personas["supervisor"], reunion_round=reunion_round)
    assert err.value.code == "invalid_transition"
    assert Candidate.objects.filter(round=reunion_round).count() == draw.pool_size


def test_reserves_are_called_in_the_order_of_the_draw(personas, registry):
    supervisor = personas["supervisor"]
    reunion_round = make_round(personas)
    selection.pool_freeze(actor=supervisor, reunion_round=reunion_round, seed_hex=SEED)
    draw = selection.draw_run(actor=supervisor, reunion_round=reunion_round)
    order = [
        (r["draw_id"], int(r["rank"]))
        for r in csv.DictReader(io.StringIO(draw.result_csv))
        if r["stratum"] == "그 외"
    ]
    assert (
        selection.reserves_call(
            actor=supervisor, reunion_round=reunion_round, stratum="그 외", count=2
        )
        == 2
    )
    called = Candidate.objects.filter(round=reunion_round, stratum="그 외", drawn=True)
    assert sorted(called.values_list("draw_id", "rank"), key=lambda x: x[1]) == order[:4]
    with pytest.raises(DomainError) as err:
        selection.reserves_call(
            actor=personas["redcross_s"], reunion_round=reunion_round, stratum="그 외", count=1
        )
    assert err.value.code == "permission_denied"
    assert called.count() == 4
