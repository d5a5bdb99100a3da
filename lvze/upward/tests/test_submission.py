"""上报: adopted versions go to the nearest higher 党委, are received or returned there, and complete the
unit's required item as of the submission."""

from datetime import date

from django.core.exceptions import ValidationError

from lvze.audit.models import AuditEvent
from lvze.duties.models import Source, Status, Timeliness, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.lib.periods import Period
from lvze.reminders.models import Notification
from lvze.upward import services
from lvze.upward.generation import submissions_generate
from lvze.upward.models import SubmissionState
from lvze.upward.selectors import can_receive, incoming_for_user, outgoing_for_user, submissions_for_user
from lvze.upward.tests.base import UpwardTestCase, at


class SubmissionTests(UpwardTestCase):
    def setUp(self):
        self.draft = self.make_draft()
        self.city = self.users["city_admin"]

    def test_only_an_adopted_round_is_submitted_to_the_parent_unit(self):
        review = services.review_submit(actor=self.users["party_admin"], draft=self.draft)
        with self.assertRaisesMessage(ValidationError, "审议通过"):
            services.submission_create(actor=self.users["party_admin"], review=review)
        services.review_adopt(actor=self.users["party_admin"], review=review, meeting=self.meeting)
        submission = services.submission_create(actor=self.users["party_admin"], review=review, note="请审阅")
        self.assertEqual((submission.from_unit.code, submission.to_unit.code), ("QJ", "SJ"))
        self.assertEqual((submission.kind, submission.period, submission.state), ("quality", "2023H1", SubmissionState.SUBMITTED))
        self.assertEqual(submission.version, review.version)
        self.assertEqual(submission.note, "请审阅")
        self.assertTrue(AuditEvent.objects.filter(action="submission.create", object_id=str(submission.pk)).exists())
        # The higher level's 党务管理员 is told.
        self.assertTrue(Notification.objects.filter(user=self.city, url=f"/upward/submissions/{submission.pk}/").exists())
        with self.assertRaisesMessage(ValidationError, "不能重复上报"):
            services.submission_create(actor=self.users["party_admin"], review=review)

    def test_a_top_unit_has_nowhere_to_submit(self):
        draft = self.make_draft(unit="SJ", user="city_admin")
        review = services.review_submit(actor=self.city, draft=draft)
        meeting = self.committee_meeting("SJ", date(2023, 7, 3), "市局党委会")
        services.review_adopt(actor=self.city, review=review, meeting=meeting)
        with self.assertRaisesMessage(ValidationError, "没有上级党委"):
            services.submission_create(actor=self.city, review=review)

    def test_a_draft_without_a_period_needs_one_to_be_submitted(self):
        draft = self.make_draft(period="")
        review = self.adopt(draft)
        with self.assertRaisesMessage(ValidationError, "所报期间"):
            services.submission_create(actor=self.users["party_admin"], review=review)
        submission = services.submission_create(actor=self.users["party_admin"], review=review, period="2023H1")
        self.assertEqual(submission.period, "2023H1")

    def test_receive_and_return_tell_the_submitting_unit(self):
        submission = self.submit(self.adopt(self.draft))
        services.submission_receive(actor=self.city, submission=submission, comments="收到")
        submission.refresh_from_db()
        self.assertEqual((submission.state, submission.decided_by), (SubmissionState.RECEIVED, self.city))
        self.assertTrue(Notification.objects.filter(user=self.users["party_admin"], title__startswith="示范市税务局党委已接收").exists())
        with self.assertRaisesMessage(ValidationError, "已被处理"):
            services.submission_return(actor=self.city, submission=submission, comments="退回")

        other = self.submit(self.adopt(self.make_draft(unit="XQ", user="xq_admin")))
        with self.assertRaisesMessage(ValidationError, "写明意见"):
            services.submission_return(actor=self.city, submission=other, comments="")
        services.submission_return(actor=self.city, submission=other, comments="请按模板补充第二部分")
        other.refresh_from_db()
        self.assertEqual((other.state, other.comments), (SubmissionState.RETURNED, "请按模板补充第二部分"))
        note = Notification.objects.get(user=self.users["xq_admin"], title__contains="退回")
        self.assertEqual(note.body, "请按模板补充第二部分")

    def test_a_returned_submission_is_revised_reviewed_and_submitted_again(self):
        first = self.submit(self.adopt(self.draft))
        services.submission_return(actor=self.city, submission=first, comments="补充数据")
        self.save_edit(self.draft, "补充了数据")
        review = services.review_submit(actor=self.users["party_admin"], draft=self.draft)
        services.review_adopt(actor=self.users["party_admin"], review=review, meeting=self.meeting, at=at(date(2023, 7, 20)))
        second = services.submission_create(actor=self.users["party_admin"], review=review)
        self.assertEqual(second.version.number, 2)
        with self.assertRaisesMessage(ValidationError, "更新一轮"):
            services.submission_create(actor=self.users["party_admin"], review=first.review)

    def test_scope_sibling_units_never_see_each_other_and_the_higher_level_sees_both(self):
        qj = self.submit(self.adopt(self.draft))
        xq = self.submit(self.adopt(self.make_draft(unit="XQ", user="xq_admin")))
        self.assertEqual(set(submissions_for_user(self.users["xq_admin"])), {xq})
        self.assertEqual(set(submissions_for_user(self.users["party_admin"])), {qj})
        self.assertEqual(set(incoming_for_user(self.city)), {qj, xq})
        self.assertEqual(set(incoming_for_user(self.users["party_admin"])), set())
        self.assertEqual(set(outgoing_for_user(self.users["party_admin"])), {qj})
        for username in ("secretary", "staff", "member", "sysadmin", "auditor"):
            self.assertEqual(list(submissions_for_user(self.users[username])), [], username)
        self.assertTrue(can_receive(self.city, qj))
        self.assertFalse(can_receive(self.users["party_admin"], qj))  # a unit never receives its own report
        self.assertFalse(can_receive(self.users["xq_admin"], qj))
        self.assertFalse(can_receive(self.users["leader"], qj))


class SubmissionTimelinessTests(UpwardTestCase):
    """The required item is done as of the submission: a reviewer's delay never makes a unit late."""

    def setUp(self):
        self.require_h1_quality()
        submissions_generate(actor=None, period=Period.parse("2023H1"))
        self.item = WorkItem.objects.get(key=f"submission:{self.orgs['QJ'].pk}:quality:2023H1")
        self.city = self.users["city_admin"]

    def timeliness(self, as_of: date) -> str:
        return with_timeliness(WorkItem.objects.filter(pk=self.item.pk), as_of).get().timeliness

    def test_submitted_before_the_due_date_and_received_after_it_is_on_time(self):
        self.assertEqual(self.item.due_date, date(2023, 7, 10))
        submission = self.submit(self.adopt(self.make_draft()), day=date(2023, 7, 8))
        self.item.refresh_from_db()
        self.assertEqual(submission.work_item, self.item)
        self.assertEqual((self.item.status, self.item.submitted_at), (Status.SUBMITTED, at(date(2023, 7, 8))))
        # Awaiting receipt is still open: overdue once the due date has passed.
        self.assertEqual(self.timeliness(date(2023, 7, 15)), Timeliness.OVERDUE)
        services.submission_receive(actor=self.city, submission=submission, at=at(date(2023, 7, 20)))
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.done_on), (Status.DONE, date(2023, 7, 8)))
        self.assertEqual(self.timeliness(date(2023, 7, 31)), Timeliness.ON_TIME)

    def test_submitted_after_the_due_date_is_late(self):
        submission = self.submit(self.adopt(self.make_draft(), day=date(2023, 7, 3)), day=date(2023, 7, 12))
        services.submission_receive(actor=self.city, submission=submission, at=at(date(2023, 7, 12), 15))
        self.item.refresh_from_db()
        self.assertEqual(self.item.done_on, date(2023, 7, 12))
        self.assertEqual(self.timeliness(date(2023, 7, 31)), Timeliness.LATE)

    def test_a_return_reopens_the_item_and_the_accepted_resubmission_dates_it(self):
        draft = self.make_draft()
        first = self.submit(self.adopt(draft), day=date(2023, 7, 8))
        services.submission_return(actor=self.city, submission=first, comments="补充", at=at(date(2023, 7, 9)))
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, Status.RETURNED)
        self.save_edit(draft, "补充后")
        review = services.review_submit(actor=self.users["party_admin"], draft=draft, at=at(date(2023, 7, 11)))
        services.review_adopt(actor=self.users["party_admin"], review=review, meeting=self.meeting, at=at(date(2023, 7, 11)))
        second = services.submission_create(actor=self.users["party_admin"], review=review, at=at(date(2023, 7, 13)))
        self.assertEqual(second.work_item, self.item)
        services.submission_receive(actor=self.city, submission=second, at=at(date(2023, 7, 14)))
        self.item.refresh_from_db()
        self.assertEqual(self.item.done_on, date(2023, 7, 13))
        self.assertEqual(self.timeliness(date(2023, 7, 31)), Timeliness.LATE)

    def test_a_submission_before_generation_creates_its_item(self):
        WorkItem.objects.filter(source=Source.SUBMISSION).delete()
        submission = self.submit(self.adopt(self.make_draft(unit="XQ", user="xq_admin")))
        self.assertIsNotNone(submission.work_item)
        self.assertEqual(submission.work_item.key, f"submission:{self.orgs['XQ'].pk}:quality:2023H1")
        self.assertEqual(submission.work_item.status, Status.SUBMITTED)

    def test_the_ledger_cannot_complete_a_required_submission_by_hand(self):
        from lvze.duties.selectors import handleable_q, reviewable_q

        for username in ("party_admin", "city_admin"):
            user = self.users[username]
            self.assertFalse(WorkItem.objects.filter(handleable_q(user), pk=self.item.pk).exists(), username)
            self.assertFalse(WorkItem.objects.filter(reviewable_q(user), pk=self.item.pk).exists(), username)
