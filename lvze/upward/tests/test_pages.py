"""审议, 上报 and 上报要求 pages: happy paths, 403 (in scope, not allowed to act), 404 (out of scope),
405 (wrong method), and the database after every POST."""

from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.duties.models import Source, WorkItem
from lvze.upward.models import Review, ReviewState, Submission, SubmissionRequirement, SubmissionState
from lvze.upward.tests.base import UpwardTestCase

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReviewPageTests(UpwardTestCase):
    def setUp(self):
        self.draft = self.make_draft()

    def test_index_lists_the_units_own_drafts_with_their_state(self):
        self.login("party_admin")
        page = self.client.get(reverse("upward:index"))
        self.assertContains(page, self.draft.title)
        self.assertContains(page, "起草")
        self.login("city_admin")
        page = self.client.get(reverse("upward:index"))
        self.assertNotContains(page, self.draft.title)  # the higher level lists its own drafts here
        self.assertContains(page, "本单位尚无公文草稿")
        for username in ("secretary", "staff", "member", "sysadmin", "auditor"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("upward:index")).status_code, 404, username)
        self.assertEqual(self.client.post(reverse("upward:index")).status_code, 405)

    def test_the_whole_path_through_the_pages(self):
        self.login("party_admin")
        url = reverse("upward:draft-review", args=[self.draft.pk])
        self.assertContains(self.client.get(url), "提交党委会审议")
        response = self.client.post(reverse("upward:review-submit", args=[self.draft.pk]))
        self.assertRedirects(response, url)
        review = Review.objects.get(draft=self.draft)
        self.assertEqual(review.state, ReviewState.PENDING)
        page = self.client.get(url)
        self.assertContains(page, self.meeting.topic)  # the unit's 党委会 records to choose from

        # A decision without a meeting is refused and changes nothing.
        self.client.post(reverse("upward:review-decide", args=[review.pk, "adopt"]), {"comments": "同意"})
        review.refresh_from_db()
        self.assertEqual(review.state, ReviewState.PENDING)
        self.client.post(reverse("upward:review-decide", args=[review.pk, "adopt"]), {"meeting": self.meeting.pk, "comments": "同意"})
        review.refresh_from_db()
        self.assertEqual((review.state, review.meeting_id), (ReviewState.ADOPTED, self.meeting.pk))
        self.assertContains(self.client.get(url), "上报示范市税务局党委")

        response = self.client.post(reverse("upward:submission-create", args=[review.pk]), {"period": "2023H1", "note": "请审阅"})
        submission = Submission.objects.get(draft=self.draft)
        self.assertRedirects(response, reverse("upward:submission-detail", args=[submission.pk]))
        self.assertEqual((submission.to_unit.code, submission.note), ("SJ", "请审阅"))

        docx = self.client.get(reverse("upward:review-docx", args=[review.pk]))
        self.assertEqual((docx.status_code, docx["Content-Type"]), (200, DOCX))
        self.assertTrue(AuditEvent.objects.filter(action="review.export", object_id=str(review.pk)).exists())

    def test_readers_see_but_only_the_units_party_admin_acts(self):
        review = self.adopt(self.draft)
        for username in ("leader", "supervisor", "city_admin"):
            self.login(username)
            page = self.client.get(reverse("upward:draft-review", args=[self.draft.pk]))
            self.assertEqual(page.status_code, 200, username)
            self.assertNotContains(page, "上报示范市税务局党委")
            self.assertEqual(self.client.post(reverse("upward:review-submit", args=[self.draft.pk])).status_code, 403, username)
            self.assertEqual(self.client.post(reverse("upward:submission-create", args=[review.pk])).status_code, 403, username)
            self.assertEqual(self.client.get(reverse("upward:review-docx", args=[review.pk])).status_code, 200, username)
        for username in ("xq_admin", "secretary", "staff", "member", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("upward:draft-review", args=[self.draft.pk])).status_code, 404, username)
            self.assertEqual(self.client.post(reverse("upward:review-submit", args=[self.draft.pk])).status_code, 404, username)
            self.assertEqual(self.client.post(reverse("upward:submission-create", args=[review.pk])).status_code, 404, username)
            self.assertEqual(self.client.get(reverse("upward:review-docx", args=[review.pk])).status_code, 404, username)
        self.assertFalse(Submission.objects.exists())
        self.assertEqual(Review.objects.count(), 1)

    def test_decisions_by_others_and_unknown_outcomes(self):
        review = Review.objects.create(
            draft=self.draft, round=1, version=self.draft.versions.get(), submitted_at=self.draft.created_at
        )
        url = reverse("upward:review-decide", args=[review.pk, "adopt"])
        self.login("leader")
        self.assertEqual(self.client.post(url, {"meeting": self.meeting.pk}).status_code, 403)
        self.login("xq_admin")
        self.assertEqual(self.client.post(url, {"meeting": self.meeting.pk}).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.post(reverse("upward:review-decide", args=[review.pk, "skip"])).status_code, 404)
        self.assertEqual(self.client.post(reverse("upward:review-decide", args=[999999, "adopt"])).status_code, 404)
        review.refresh_from_db()
        self.assertEqual(review.state, ReviewState.PENDING)
        self.client.post(reverse("upward:review-decide", args=[review.pk, "return"]), {"comments": "请补充"})
        review.refresh_from_db()
        self.assertEqual((review.state, review.comments), (ReviewState.RETURNED, "请补充"))

    def test_wrong_methods_are_405(self):
        review = self.adopt(self.draft)
        self.login("party_admin")
        for url in [
            reverse("upward:review-submit", args=[self.draft.pk]),
            reverse("upward:review-decide", args=[review.pk, "adopt"]),
            reverse("upward:submission-create", args=[review.pk]),
        ]:
            self.assertEqual(self.client.get(url).status_code, 405, url)
        for url in [reverse("upward:draft-review", args=[self.draft.pk]), reverse("upward:review-docx", args=[review.pk])]:
            self.assertEqual(self.client.post(url).status_code, 405, url)


class InboxPageTests(UpwardTestCase):
    def setUp(self):
        self.require_h1_quality()
        self.qj = self.submit(self.adopt(self.make_draft()))
        self.xq = self.submit(self.adopt(self.make_draft(unit="XQ", user="xq_admin")))

    def test_the_higher_level_sees_both_units_in_its_inbox(self):
        self.login("city_admin")
        page = self.client.get(reverse("upward:inbox"))
        self.assertEqual({s.pk for s in page.context["page"].object_list}, {self.qj.pk, self.xq.pk})
        self.assertContains(page, "示范区税务局党委")
        self.assertContains(page, "人员信息核对")
        filtered = self.client.get(reverse("upward:inbox"), {"unit": "XQ", "state": "submitted", "period": "2023H1"})
        self.assertEqual([s.pk for s in filtered.context["page"].object_list], [self.xq.pk])

    def test_a_unit_sees_only_its_own_submissions(self):
        self.login("xq_admin")
        self.assertEqual(list(self.client.get(reverse("upward:inbox")).context["page"].object_list), [])
        self.assertContains(self.client.get(reverse("upward:inbox")), "没有收到符合条件的上报")
        out = self.client.get(reverse("upward:inbox"), {"box": "out"})
        self.assertEqual([s.pk for s in out.context["page"].object_list], [self.xq.pk])
        self.assertEqual(self.client.get(reverse("upward:submission-detail", args=[self.qj.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("upward:submission-docx", args=[self.qj.pk])).status_code, 404)
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("upward:inbox")).status_code, 404)

    def test_receive_downloads_and_completes_the_item(self):
        self.login("city_admin")
        detail = self.client.get(reverse("upward:submission-detail", args=[self.qj.pk]))
        self.assertContains(detail, "接收或退回")
        docx = self.client.get(reverse("upward:submission-docx", args=[self.qj.pk]))
        self.assertEqual((docx.status_code, docx["Content-Type"]), (200, DOCX))
        self.assertTrue(AuditEvent.objects.filter(action="submission.export", object_id=str(self.qj.pk)).exists())
        response = self.client.post(reverse("upward:submission-decide", args=[self.qj.pk, "receive"]), {"comments": "收到"})
        self.assertRedirects(response, reverse("upward:submission-detail", args=[self.qj.pk]))
        self.qj.refresh_from_db()
        self.assertEqual((self.qj.state, self.qj.comments), (SubmissionState.RECEIVED, "收到"))
        self.assertEqual(self.qj.work_item.status, "done")

    def test_return_needs_comments(self):
        self.login("city_admin")
        url = reverse("upward:submission-decide", args=[self.xq.pk, "return"])
        self.client.post(url, {"comments": ""})
        self.xq.refresh_from_db()
        self.assertEqual(self.xq.state, SubmissionState.SUBMITTED)
        self.client.post(url, {"comments": "请补充附件"})
        self.xq.refresh_from_db()
        self.assertEqual((self.xq.state, self.xq.comments), (SubmissionState.RETURNED, "请补充附件"))
        self.login("xq_admin")
        self.assertContains(self.client.get(reverse("upward:submission-detail", args=[self.xq.pk])), "请补充附件")

    def test_only_the_receiving_units_party_admin_decides(self):
        url = reverse("upward:submission-decide", args=[self.qj.pk, "receive"])
        for username in ("party_admin", "leader", "supervisor"):  # QJ reads its own submission but never receives it
            self.login(username)
            self.assertNotContains(self.client.get(reverse("upward:submission-detail", args=[self.qj.pk])), "接收或退回")
            self.assertEqual(self.client.post(url).status_code, 403, username)
        for username in ("xq_admin", "secretary", "staff", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.post(url).status_code, 404, username)
        self.login("city_admin")
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(reverse("upward:submission-decide", args=[self.qj.pk, "skip"])).status_code, 404)
        self.qj.refresh_from_db()
        self.assertEqual(self.qj.state, SubmissionState.SUBMITTED)


class RequirementPageTests(UpwardTestCase):
    def test_the_higher_level_sets_requirements_and_generates(self):
        self.login("city_admin")
        self.assertContains(self.client.get(reverse("upward:requirement-list")), "尚无上报要求")
        self.client.post(reverse("upward:requirement-defaults"), {"org": "SJ"})
        self.assertEqual(SubmissionRequirement.objects.filter(unit=self.orgs["SJ"]).count(), 3)
        self.client.post(
            reverse("upward:requirement-create"),
            {"org": "SJ", "kind": "quality", "name": "人员信息核对情况报告", "period_scope": "half", "due_month_offset": 1, "due_day": 15},
        )
        created = SubmissionRequirement.objects.get(kind="quality")
        self.assertEqual(created.due_label, "7月15日前、次年1月15日前")
        page = self.client.get(reverse("upward:requirement-list"))
        self.assertContains(page, "次年1月10日前")
        self.client.post(reverse("upward:requirement-generate"), {"org": "SJ", "period": "2023"})
        self.assertEqual(WorkItem.objects.filter(source=Source.SUBMISSION).count(), 10)
        self.client.post(reverse("upward:requirement-toggle", args=[created.pk]))
        created.refresh_from_db()
        self.assertFalse(created.active)

    def test_units_read_what_is_asked_of_them_but_do_not_change_it(self):
        requirement = self.require_h1_quality()
        self.login("party_admin")
        self.assertContains(self.client.get(reverse("upward:requirement-list")), "人员信息核对情况报告")
        self.assertEqual(self.client.post(reverse("upward:requirement-toggle", args=[requirement.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("upward:requirement-defaults"), {"org": "SJ"}).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("upward:requirement-generate"), {"org": "SJ", "period": "2023"}).status_code, 404
        )
        requirement.refresh_from_db()
        self.assertTrue(requirement.active)
        self.assertFalse(WorkItem.objects.filter(source=Source.SUBMISSION).exists())
        self.login("xq_admin")  # 市局's requirement applies to 新区局 as well
        self.assertContains(self.client.get(reverse("upward:requirement-list")), "人员信息核对情况报告")
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("upward:requirement-list")).status_code, 404)

    def test_wrong_methods_are_405(self):
        self.login("city_admin")
        for name in ("requirement-create", "requirement-defaults", "requirement-generate"):
            self.assertEqual(self.client.get(reverse(f"upward:{name}")).status_code, 405, name)
        self.assertEqual(self.client.post(reverse("upward:requirement-list")).status_code, 405)
