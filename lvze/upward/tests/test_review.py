"""审议: the state machine (起草 → 提交审议 → 审议通过 / 退回修改), the 党委会 link and the frozen version."""

from datetime import date

from django.core.exceptions import ValidationError

from lvze.audit.models import AuditEvent
from lvze.records.services import meeting_record
from lvze.upward import services
from lvze.upward.models import Review, ReviewState
from lvze.upward.selectors import latest_review, review_state
from lvze.upward.tests.base import UpwardTestCase, at
from lvze.upward.views import version_docx


class ReviewStateMachineTests(UpwardTestCase):
    def setUp(self):
        self.draft = self.make_draft()
        self.admin = self.users["party_admin"]

    def test_a_new_draft_is_drafting_and_goes_to_review_with_its_current_version(self):
        self.assertEqual(review_state(latest_review(self.draft)), ReviewState.DRAFTING)
        review = services.review_submit(actor=self.admin, draft=self.draft)
        self.assertEqual((review.state, review.round, review.version.number), (ReviewState.PENDING, 1, 1))
        self.assertTrue(AuditEvent.objects.filter(action="review.submit", object_id=str(review.pk)).exists())
        with self.assertRaisesMessage(ValidationError, "等待党委会审议"):
            services.review_submit(actor=self.admin, draft=self.draft)

    def test_adoption_needs_a_committee_meeting_of_the_unit(self):
        review = services.review_submit(actor=self.admin, draft=self.draft)
        with self.assertRaisesMessage(ValidationError, "请选择"):
            services.review_adopt(actor=self.admin, review=review, meeting=None)
        with self.assertRaisesMessage(ValidationError, "本单位的党委会"):
            services.review_adopt(actor=self.admin, review=review, meeting=self.xq_meeting)
        special = meeting_record(
            actor=None, organization=self.orgs["QJ"], kind="special_topic", held_on=date(2023, 7, 3), topic="专题会议"
        ).record
        with self.assertRaisesMessage(ValidationError, "本单位的党委会"):
            services.review_adopt(actor=self.admin, review=review, meeting=special)
        with self.assertRaisesMessage(ValidationError, "不能晚于"):
            services.review_adopt(actor=self.admin, review=review, meeting=self.meeting, at=at(date(2023, 7, 1)))
        review.refresh_from_db()
        self.assertEqual(review.state, ReviewState.PENDING)

        services.review_adopt(actor=self.admin, review=review, meeting=self.meeting, comments="同意上报")
        review.refresh_from_db()
        self.assertEqual((review.state, review.meeting, review.comments), (ReviewState.ADOPTED, self.meeting, "同意上报"))
        self.assertEqual(review.decided_by, self.admin)

    def test_no_state_is_skipped_and_a_decided_round_is_final(self):
        review = self.adopt(self.draft)
        with self.assertRaisesMessage(ValidationError, "已有结果"):
            services.review_adopt(actor=self.admin, review=review, meeting=self.meeting)
        with self.assertRaisesMessage(ValidationError, "已有结果"):
            services.review_return(actor=self.admin, review=review, comments="再改改")
        with self.assertRaisesMessage(ValidationError, "无需再次提交"):
            services.review_submit(actor=self.admin, draft=self.draft)
        self.assertEqual(Review.objects.filter(draft=self.draft).count(), 1)

    def test_a_returned_draft_is_revised_and_put_again_as_a_new_round(self):
        review = services.review_submit(actor=self.admin, draft=self.draft)
        with self.assertRaisesMessage(ValidationError, "写明审议意见"):
            services.review_return(actor=self.admin, review=review, comments="  ")
        services.review_return(actor=self.admin, review=review, comments="第二部分数字需核实", meeting=self.meeting)
        review.refresh_from_db()
        self.assertEqual((review.state, review.comments), (ReviewState.RETURNED, "第二部分数字需核实"))
        self.save_edit(self.draft, "修改后的内容")
        again = services.review_submit(actor=self.admin, draft=self.draft)
        self.assertEqual((again.round, again.version.number, again.state), (2, 2, ReviewState.PENDING))
        self.assertEqual(latest_review(self.draft).pk, again.pk)

    def test_the_adopted_version_stays_frozen_when_the_draft_is_edited_afterwards(self):
        original = next(b["text"] for b in self.draft.content if b["type"] == "paragraph")
        review = self.adopt(self.draft)
        self.save_edit(self.draft, "审议后又改的内容")
        self.draft.refresh_from_db()
        review.refresh_from_db()
        self.assertEqual((self.draft.version, review.version.number), (2, 1))
        self.assertEqual(review.state, ReviewState.ADOPTED)
        frozen = version_docx(self.draft, review.version)
        from lvze.documents.tests.base import docx_xml, paragraph_texts

        texts = paragraph_texts(docx_xml(frozen))
        self.assertIn(original, texts)
        self.assertNotIn("审议后又改的内容", texts)
        # The edited draft may go to the 党委会 again (nothing is submitted upward yet).
        again = services.review_submit(actor=self.admin, draft=self.draft)
        self.assertEqual(again.version.number, 2)

    def test_after_submission_upward_the_draft_cannot_be_put_again_until_returned(self):
        review = self.adopt(self.draft)
        submission = self.submit(review)
        self.save_edit(self.draft, "上报后修改")
        with self.assertRaisesMessage(ValidationError, "上级退回前"):
            services.review_submit(actor=self.admin, draft=self.draft)
        services.submission_return(actor=self.users["city_admin"], submission=submission, comments="请补充数据")
        again = services.review_submit(actor=self.admin, draft=self.draft)
        self.assertEqual((again.round, again.version.number), (2, 2))
