"""The demo's 审议/上报 and 工会经费 data: built through the services, consistent with the rules it shows."""

from io import StringIO

from django.core.management import call_command
from django.test import TransactionTestCase

from lvze.audit.selectors import first_chain_break
from lvze.duties.models import Status
from lvze.lib.periods import Period
from lvze.orgs.models import Organization
from lvze.upward.approval_selectors import union_ledger
from lvze.upward.consolidated import consolidated, figure_items
from lvze.upward.models import (
    ApprovalRequest,
    ApprovalState,
    Review,
    ReviewState,
    Submission,
    SubmissionState,
)


class DemoTests(TransactionTestCase):
    def test_the_demo_walks_documents_up_and_money_through_every_level(self):
        from datetime import date

        today = date(2023, 7, 20)
        call_command("demo", "--today", today.isoformat(), stdout=StringIO())
        states = set(Review.objects.values_list("state", flat=True))
        self.assertEqual(states, {ReviewState.ADOPTED, ReviewState.RETURNED})
        self.assertEqual(
            set(Submission.objects.values_list("state", flat=True)), {SubmissionState.RECEIVED, SubmissionState.RETURNED}
        )
        returned = Submission.objects.get(state=SubmissionState.RETURNED)
        self.assertEqual((returned.from_unit.code, returned.period), ("XQ", "2023H1"))
        self.assertTrue(returned.comments)
        # Received submissions completed their items as of the submission: one late, the rest on time.
        received = Submission.objects.filter(state=SubmissionState.RECEIVED).select_related("work_item")
        late = [s for s in received if s.work_item.done_on > s.work_item.due_date]
        self.assertEqual([(s.from_unit.code, s.period) for s in late], [("XQ", "2022H1")])
        self.assertTrue(all(s.work_item.status == Status.DONE for s in received))
        self.assertTrue(any(s.decided_at.date() > s.work_item.due_date for s in received if s not in late))
        # Every adopted round is linked to a 党委会 of its unit.
        for review in Review.objects.filter(state=ReviewState.ADOPTED).select_related("meeting", "draft"):
            self.assertEqual((review.meeting.organization_id, review.meeting.kind), (review.draft.unit_id, "committee_meeting"))

        sj = Organization.objects.get(code="SJ")
        view = consolidated(sj, Period.parse("2023H1"), today)
        qj = next(r for r in view.rows if r.org.code == "QJ")
        self.assertEqual(qj.submissions["received"], figure_items(sj, "QJ", Period.parse("2023H1"), today, "submission:received").count())

        requests = ApprovalRequest.objects.all()
        self.assertEqual({r.state for r in requests}, set(ApprovalState.values))
        self.assertEqual({r.current_step for r in requests.filter(state=ApprovalState.PENDING)}, {0, 1})
        ledger = union_ledger(Organization.objects.get(code="QJ"), 2023, today)
        self.assertGreater(ledger.closing, 0)
        self.assertEqual(ledger.missing_remits, [])
        self.assertIsNone(first_chain_break())
