"""Reads of the liaison record: a page's receipts read together (issue 16's load target: the
entries list read two queries per entry) say exactly what each entry's own receipt says."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..demo import load_liaison_demo
from ..models import Entry
from ..selectors import receipt, receipts


def test_receipts_of_a_page_are_each_entrys_receipt(personas):
    load_liaison_demo()
    entries = list(Entry.objects.select_related("log").order_by("pk"))
    states = {receipt(e).state for e in entries}
    assert states >= {"answered", "cosigned"}  # the demo has both, so the test means something
    with CaptureQueriesContext(connection) as queries:
        together = receipts(entries)
    assert len(queries) == 2
    assert together == {e.pk: receipt(e) for e in entries}
    assert receipts([]) == {}


def test_the_entries_list_reads_a_fixed_number_of_queries(personas, api_for):
    load_liaison_demo()
    api = api_for("liaison_s")
    # The token's first use records it (at most once a minute): not part of what is counted.
    assert api.get("/liaison/entries?limit=1").status_code == 200
    with CaptureQueriesContext(connection) as few:
        five = api.get("/liaison/entries?limit=5")
    with CaptureQueriesContext(connection) as many:
        fifty = api.get("/liaison/entries?limit=50")
    assert five.status_code == fifty.status_code == 200
    assert len(five.json()) == 5 and len(fifty.json()) > 5
    assert len(many) == len(few)
