from __future__ import annotations

from ..demo import load_permits_demo
from ..models import Application, ApprovalState


def test_the_demo_files_its_applications_once(personas):
    assert load_permits_demo()["applications"] == 5
    assert load_permits_demo()["applications"] == 0
    states = [ap.state for a in Application.objects.all() for ap in a.approvals.all()]
    assert len(states) == 9
    for state in ("refused", "approved", "approved_with_conditions", "submitted", "draft"):
        assert ApprovalState(state) in states


def test_the_home_page_tells_an_applicant_what_waits_for_them(personas):
    from ..selectors import work_queue

    load_permits_demo()
    keys = {task.key for task in work_queue(personas["applicant"])}
    assert keys == {"permits-drafts"}
    assert {t.key for t in work_queue(personas["ministry"])} == {"permits-review-unassigned"}
    assert work_queue(personas["viewer"]) == []
