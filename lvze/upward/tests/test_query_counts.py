"""List pages read what they show in a fixed number of queries, however many rows there are."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.upward import approvals
from lvze.upward.tests.base import UpwardTestCase
from lvze.upward.tests.test_approvals import ApprovalTestCase


def queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


class SubmissionListTests(UpwardTestCase):
    added = 0

    def add_rounds(self, n: int) -> None:
        for _ in range(n):
            SubmissionListTests.added += 1
            i = SubmissionListTests.added
            for unit, user in (("QJ", "party_admin"), ("XQ", "xq_admin")):
                self.submit(self.adopt(self.make_draft(unit=unit, user=user, period=f"{2010 + i}H1")))

    def test_index_and_inbox(self):
        self.add_rounds(2)
        self.login("city_admin")
        inbox = queries(self.client, reverse("upward:inbox"))
        self.login("party_admin")
        index = queries(self.client, reverse("upward:index"))
        out = queries(self.client, reverse("upward:inbox"), {"box": "out"})
        self.add_rounds(3)
        self.login("city_admin")
        self.assertEqual(queries(self.client, reverse("upward:inbox")), inbox)
        self.login("party_admin")
        self.assertEqual(queries(self.client, reverse("upward:index")), index)
        self.assertEqual(queries(self.client, reverse("upward:inbox"), {"box": "out"}), out)


class ApprovalListTests(ApprovalTestCase):
    def add_entries(self, n: int) -> None:
        for i in range(n):
            entry = approvals.union_entry_create(
                actor=self.users["staff"], unit=self.orgs["QJ"], organization=self.orgs["QJBGS"], kind="income",
                occurred_on=date(2023, 1 + i, 10), category="行政拨缴", summary=f"{i}", amount="100",
            )
            approvals.approval_approve(actor=self.users["office_head"], request=entry.approval)

    def test_approval_list_and_union_ledger(self):
        self.add_entries(2)
        self.login("city_admin")
        listing = queries(self.client, reverse("upward:approval-list"), {"tab": "all"})
        ledger = queries(self.client, reverse("upward:union-ledger"), {"org": "QJ", "year": "2023"})
        self.login("leader")
        waiting = queries(self.client, reverse("upward:approval-list"))
        self.add_entries(4)
        self.login("city_admin")
        self.assertEqual(queries(self.client, reverse("upward:approval-list"), {"tab": "all"}), listing)
        self.assertEqual(queries(self.client, reverse("upward:union-ledger"), {"org": "QJ", "year": "2023"}), ledger)
        self.login("leader")
        self.assertEqual(queries(self.client, reverse("upward:approval-list")), waiting)
