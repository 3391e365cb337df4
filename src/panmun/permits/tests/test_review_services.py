"""The ministry's writes (issue 18): assignment, taking up, decisions on a list (all or nothing),
the expiry sweep; and the reads that feed the review: the queue's pages, a person's earlier
decisions, the other side's view, the work queue, the statistics."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_fsm_log.models import StateLog

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.notices.models import Notice

from .. import selectors, statistics
from ..models import Approval, ApprovalState, PolicyMeasure
from ..services.applications import policy_exception_grant
from ..services.moves import approval_transition
from ..services.review import (
    BULK_LIMIT,
    approval_assign,
    approval_decide,
    approvals_decide_bulk,
    approvals_expire,
)
from .factories import complete_application
from .review_factories import north_organisation, one, submitted

S = ApprovalState


def _snapshot(ids):
    return list(Approval.objects.filter(pk__in=ids).order_by("pk").values())


# --- assignment ---------------------------------------------------------------------------------


def test_an_officer_assigns_an_approval_to_another_officer(personas):
    approval = one(submitted(personas))
    done = approval_assign(
        actor=personas["ministry"], approval=approval, officer=personas["supervisor"]
    )
    assert done.assigned_to == personas["supervisor"]
    entry = AuditEntry.objects.filter(action="permits.approval.assign").get()
    assert entry.actor == personas["ministry"]
    assert entry.changes["assigned_to"] == [None, personas["supervisor"].pk]
    approval_assign(actor=personas["ministry"], approval=approval, officer=None)
    assert Approval.objects.get(pk=approval.pk).assigned_to is None


@pytest.mark.parametrize("officer", ["firm", "viewer", "redcross_s", "redcross_n"])
def test_assigning_to_someone_who_does_not_review_is_refused(personas, officer):
    approval = one(submitted(personas))
    with pytest.raises(DomainError) as info:
        approval_assign(actor=personas["ministry"], approval=approval, officer=personas[officer])
    assert info.value.code == ErrorCode.INVALID_INPUT
    assert info.value.details["errors"][0]["field"] == "officer"
    assert Approval.objects.get(pk=approval.pk).assigned_to is None
    assert not AuditEntry.objects.filter(action="permits.approval.assign").exists()


@pytest.mark.parametrize("actor", ["firm", "viewer", "redcross_n", "aid"])
def test_only_ministry_officers_assign(personas, actor):
    approval = one(submitted(personas))
    with pytest.raises(DomainError) as info:
        approval_assign(actor=personas[actor], approval=approval, officer=personas["ministry"])
    assert info.value.code == ErrorCode.PERMISSION_DENIED


def test_a_decided_approval_is_not_assigned(personas):
    approval = one(submitted(personas, state="approved"))
    with pytest.raises(DomainError) as info:
        approval_assign(actor=personas["ministry"], approval=approval, officer=personas["ministry"])
    assert info.value.code == ErrorCode.INVALID_TRANSITION


def test_taking_up_assigns_to_the_officer_unless_someone_has_it(personas):
    approval = one(submitted(personas))
    done = approval_decide(actor=personas["ministry"], approval=approval, move="start_review")
    assert (done.state, done.assigned_to) == (S.UNDER_REVIEW, personas["ministry"])
    other = one(submitted(personas))
    approval_assign(actor=personas["ministry"], approval=other, officer=personas["supervisor"])
    done = approval_decide(actor=personas["ministry"], approval=other, move="start_review")
    assert done.assigned_to == personas["supervisor"]


def test_an_applicants_move_is_not_a_review_move(personas):
    approval = one(submitted(personas, state="info_requested"))
    with pytest.raises(DomainError) as info:
        approval_decide(actor=personas["ministry"], approval=approval, move="resubmit")
    assert info.value.code == ErrorCode.INVALID_INPUT


# --- decisions on a list ------------------------------------------------------------------------


def test_a_list_is_approved_at_once(personas):
    ids = [one(submitted(personas, state="under_review")).pk for _ in range(3)]
    notices = Notice.objects.count()
    moved = approvals_decide_bulk(actor=personas["ministry"], approval_ids=ids, move="approve")
    assert Notice.objects.count() > notices  # each approval's people are told
    assert [a.pk for a in moved] == ids
    assert set(Approval.objects.filter(pk__in=ids).values_list("state", flat=True)) == {S.APPROVED}


def test_a_list_is_refused_with_one_reason_for_all(personas):
    ids = [one(submitted(personas, state="under_review")).pk for _ in range(2)]
    approvals_decide_bulk(
        actor=personas["ministry"], approval_ids=ids, move="refuse", ko="서류 미비", en="Papers"
    )
    assert set(Approval.objects.filter(pk__in=ids).values_list("reasons_en", flat=True)) == {
        "Papers"
    }


def test_a_list_with_one_bad_approval_changes_nothing_and_names_it(personas):
    good = [one(submitted(personas, state="under_review")).pk for _ in range(2)]
    bad = one(submitted(personas))  # submitted, not under review: cannot be approved
    ids = [good[0], bad.pk, good[1]]
    before = _snapshot(ids)
    logs, audits, notices = (
        StateLog.objects.count(),
        AuditEntry.objects.count(),
        Notice.objects.count(),
    )
    with pytest.raises(DomainError) as info:
        approvals_decide_bulk(actor=personas["ministry"], approval_ids=ids, move="approve")
    assert info.value.code == ErrorCode.INVALID_TRANSITION
    errors = info.value.details["errors"]
    assert [e["row"] for e in errors] == [2]
    assert bad.application.reference in errors[0]["reason_en"]
    assert _snapshot(ids) == before
    assert (StateLog.objects.count(), AuditEntry.objects.count()) == (logs, audits)
    assert Notice.objects.count() == notices  # the first approval's notices were undone too


def test_a_list_with_an_unknown_approval_changes_nothing(personas):
    good = one(submitted(personas, state="under_review")).pk
    with pytest.raises(DomainError) as info:
        approvals_decide_bulk(
            actor=personas["ministry"], approval_ids=[good, 99_999_999], move="approve"
        )
    assert info.value.details["errors"][0]["row"] == 2
    assert Approval.objects.get(pk=good).state == S.UNDER_REVIEW


@pytest.mark.parametrize(("ko", "en"), [("", ""), ("사유", ""), ("", "x")])
def test_a_refusal_of_a_list_needs_its_reasons(personas, ko, en):
    ids = [one(submitted(personas, state="under_review")).pk]
    with pytest.raises(DomainError) as info:
        approvals_decide_bulk(
            actor=personas["ministry"], approval_ids=ids, move="refuse", ko=ko, en=en
        )
    assert info.value.code == ErrorCode.INVALID_INPUT
    assert {e["field"] for e in info.value.details["errors"]} <= {"reasons_ko", "reasons_en"}
    assert Approval.objects.get(pk=ids[0]).state == S.UNDER_REVIEW


def test_a_list_is_bounded_and_not_empty(personas):
    for ids in ([], list(range(1, BULK_LIMIT + 2))):
        with pytest.raises(DomainError) as info:
            approvals_decide_bulk(actor=personas["ministry"], approval_ids=ids, move="approve")
        assert info.value.code == ErrorCode.INVALID_INPUT


@pytest.mark.parametrize("move", ["revoke", "withdraw", "request_info"])
def test_only_some_moves_are_for_lists(personas, move):
    ids = [one(submitted(personas, state="approved")).pk]
    with pytest.raises(DomainError) as info:
        approvals_decide_bulk(
            actor=personas["supervisor"], approval_ids=ids, move=move, ko="x", en="x"
        )
    assert info.value.code == ErrorCode.INVALID_INPUT


@pytest.mark.parametrize("actor", ["firm", "viewer", "redcross_n"])
def test_only_officers_decide_lists(personas, actor):
    ids = [one(submitted(personas, state="under_review")).pk]
    with pytest.raises(DomainError) as info:
        approvals_decide_bulk(actor=personas[actor], approval_ids=ids, move="approve")
    assert info.value.code == ErrorCode.PERMISSION_DENIED
    assert Approval.objects.get(pk=ids[0]).state == S.UNDER_REVIEW


# --- the expiry sweep ---------------------------------------------------------------------------


def test_the_sweep_expires_approvals_whose_period_has_passed(personas):
    approved = one(submitted(personas, state="approved"))
    end = approved.application.end_date
    refused = one(submitted(personas, state="refused"))
    assert approvals_expire(today=end) == []  # the last day is still in force
    done = approvals_expire(today=end + dt.timedelta(days=1))
    assert [a.pk for a in done] == [approved.pk]
    assert Approval.objects.get(pk=approved.pk).state == S.EXPIRED
    assert Approval.objects.get(pk=refused.pk).state == S.REFUSED
    log = StateLog.objects.order_by("-pk").first()
    assert log is not None and (log.transition, log.by_id) == ("expire", None)
    assert approvals_expire(today=end + dt.timedelta(days=1)) == []


# --- the queue ------------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_in_keyset_pages(personas):
    apps = [submitted(personas) for _ in range(5)]
    ids = [one(a).pk for a in apps]
    approval_decide(actor=personas["ministry"], approval=one(apps[1]), move="start_review")
    seen = []
    after = ""
    while True:
        page = selectors.queue(personas["ministry"], "visit", after=after, per_page=2)
        seen += [r.approval.pk for r in page.rows]
        assert page.total == 5 and not page.capped
        if not page.next_cursor:
            break
        after = page.next_cursor
    order = list(
        Approval.objects.filter(pk__in=ids)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
    )
    assert seen == order


def test_the_queue_filters_by_state_and_officer(personas):
    mine = one(submitted(personas))
    approval_decide(actor=personas["ministry"], approval=mine, move="start_review")
    other = one(submitted(personas))
    one(submitted(personas, state="approved"))  # decided: in no queue
    one(submitted(personas, ["goods"]), "goods")  # another kind's queue
    user = personas["ministry"]

    def pks(**kw):
        return [r.approval.pk for r in selectors.queue(user, "visit", **kw).rows]

    assert pks() == [mine.pk, other.pk]
    assert pks(assigned="mine") == [mine.pk]
    assert pks(assigned="unassigned") == [other.pk]
    assert pks(state="submitted") == [other.pk]
    assert pks(state="under_review") == [mine.pk]
    assert [r.approval.kind for r in selectors.queue(user, "goods").rows] == ["goods"]


def test_the_queue_refuses_bad_filters_and_non_officers(personas):
    for kw in ({"state": "approved"}, {"assigned": "yours"}, {"after": "garbage"}):
        with pytest.raises(DomainError) as info:
            selectors.queue(personas["ministry"], "visit", **kw)
        assert info.value.code == ErrorCode.INVALID_INPUT
    with pytest.raises(DomainError):
        selectors.queue(personas["ministry"], "teleport")
    for who in ("firm", "viewer", "redcross_n"):
        with pytest.raises(DomainError) as info:
            selectors.queue(personas[who], "visit")
        assert info.value.code == ErrorCode.PERMISSION_DENIED


def test_the_queue_count_is_capped(personas, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(3):
        submitted(personas)
    page = selectors.queue(personas["ministry"], "visit", per_page=1)
    assert (page.total, page.capped) == (2, True)


# --- the review's reads ---------------------------------------------------------------------------


def test_the_review_shows_each_persons_earlier_decisions(personas):
    refused = one(submitted(personas, state="refused"))  # names M12345678
    other_person = submitted(personas, state="approved")  # the same number, M12345678
    current = one(submitted(personas, people=2))
    review = selectors.review_of(personas["ministry"], current)
    first, second = review.travellers
    earlier = {e.approval.pk: e.approval.state for e in first.earlier}
    assert earlier == {refused.pk: S.REFUSED, one(other_person).pk: S.APPROVED}
    assert second.earlier == []  # M12345679 was named nowhere else
    assert "start_review" in review.moves and "approve" not in review.moves


def test_the_review_names_the_goods_headings(personas):
    approval = one(submitted(personas, ["goods"]), "goods")
    review = selectors.review_of(personas["ministry"], approval)
    assert review.goods[0].line.hs_code == "100630"
    assert review.goods[0].hs_description.startswith("Cereals; rice")
    assert selectors.hs_description("000001") == ""


def test_the_review_shows_the_policy_in_force_and_the_exceptions(personas):
    with time_machine.travel(dt.datetime(2015, 1, 2, 9, tzinfo=dt.UTC), tick=False):
        application = complete_application(
            personas["firm"], ["project"], start=dt.date(2015, 1, 12)
        )
        approval = one(application, "project")
        review = selectors.review_of(personas["ministry"], approval)
        assert "2010-05-24" in {m.code for m in review.measures}
        assert [b.measure.code for b in review.breaches] == ["2010-05-24"]
        policy_exception_grant(
            actor=personas["supervisor"],
            application=application,
            measure=PolicyMeasure.objects.get(code="2010-05-24"),
            reason_ko="남북 합의 이행",
            reason_en="Carrying out an agreement",
        )
        approval_transition(actor=personas["firm"], approval=approval, move="submit")
    review = selectors.review_of(personas["ministry"], approval)
    assert review.breaches == []
    assert [x.measure.code for x in review.exceptions] == ["2010-05-24"]
    assert review.can_except is False
    assert selectors.review_of(personas["supervisor"], approval).can_except is True


def test_the_north_sees_names_dates_and_purpose_of_its_invitations_only(personas):
    north = north_organisation()
    invited = one(submitted(personas, ["visit", "goods"], north_organisation_id=north.pk))
    submitted(personas)  # not invited by it
    seen = selectors.invitations(personas["redcross_n"])
    assert [i.id for i in seen] == [invited.pk]
    assert seen[0].names == ["정민호 (JUNG MINHO)"]
    assert set(vars(seen[0])) == {
        "id",
        "state",
        "state_label",
        "start_date",
        "end_date",
        "purpose",
        "names",
    }
    for who in ("liaison_s", "ministry", "firm"):
        with pytest.raises(DomainError):
            selectors.invitations(personas[who])


def test_the_work_queue_lines_of_an_officer(personas):
    mine = one(submitted(personas))
    approval_decide(actor=personas["ministry"], approval=mine, move="start_review")
    submitted(personas)
    submitted(personas)
    lines = {t.key: t.count for t in selectors.work_queue(personas["ministry"])}
    assert lines == {"permits-review-mine": 1, "permits-review-unassigned": 2}
    assert selectors.work_queue(personas["firm"]) == []
    assert selectors.work_queue(personas["viewer"]) == []


def test_the_statistics_count_the_log_per_kind_and_month(personas):
    submitted(personas, state="approved", people=3)
    submitted(personas, state="refused")
    submitted(personas, ["goods"])
    year = timezone.localdate().year
    rows = statistics.per_month(personas["ministry"], year)
    by_kind = {r.kind: (r.applications, r.approvals, r.refusals) for r in rows}
    assert by_kind == {"visit": (2, 1, 1), "goods": (1, 0, 0)}
    visitors = statistics.visitors_per_year(personas["ministry"])
    start = one(submitted(personas)).application.start_date
    assert visitors == {start.year: 3}
    payload = statistics.statistics_payload(personas["ministry"], year)
    assert payload["official_series"] is None
    with pytest.raises(DomainError):
        statistics.per_month(personas["firm"], year)


def test_the_sweep_from_the_shell(personas):
    approved = one(submitted(personas, state="approved"))
    later = approved.application.end_date + dt.timedelta(days=1)
    out = io.StringIO()
    with time_machine.travel(dt.datetime.combine(later, dt.time(12), tzinfo=dt.UTC)):
        call_command("permits", "expire", stdout=out)
    assert "1" in out.getvalue()
    assert Approval.objects.get(pk=approved.pk).state == S.EXPIRED
