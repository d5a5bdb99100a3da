from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.records import services
from lvze.records.models import (
    Attachment,
    LifeMeeting,
    ProblemEntry,
    StageCode,
    StageState,
    Talk,
)
from lvze.records.registry_services import life_meeting_create
from lvze.security.tests.test_uploads import docx_bytes
from lvze.test import LvzeTestCase


class LifeMeetingTests(LvzeTestCase):
    def create(self):
        self.login("party_admin")
        response = self.client.post(reverse("records:life-create"), {
            "organization": self.orgs["QJ"].pk, "kind": "democratic_life", "year": 2022, "theme": "学思想、强党性"})
        process = LifeMeeting.objects.get()
        self.assertRedirects(response, reverse("records:life-detail", args=[process.pk]))
        return process

    def test_process_has_the_seven_stages_as_a_checklist(self):
        process = self.create()
        self.assertEqual(process.title, "2022年度民主生活会")
        self.assertEqual([s.code for s in process.stages.all()], list(StageCode.values))
        response = self.client.get(reverse("records:life-detail", args=[process.pk]))
        for label in ("会前学习", "征求意见", "谈心谈话", "对照检查材料", "召开会议", "问题清单和整改台账", "资料归档"):
            self.assertContains(response, label)
        self.assertContains(response, "已完成 0/7 个环节")
        response = self.client.post(reverse("records:life-create"), {
            "organization": self.orgs["QJ"].pk, "kind": "democratic_life", "year": 2022})
        self.assertContains(response, "已经存在")
        self.assertEqual(LifeMeeting.objects.count(), 1)

    def test_stage_update_attachment_talks_and_meeting(self):
        process = self.create()
        study = process.stages.get(code=StageCode.STUDY)
        prefix = f"s{study.pk}"
        response = self.client.post(reverse("records:life-stage", args=[process.pk, study.pk]),
                                    {f"{prefix}-state": "done", f"{prefix}-done_on": "", f"{prefix}-note": ""}, follow=True)
        self.assertContains(response, "须填写完成日期")
        self.client.post(reverse("records:life-stage", args=[process.pk, study.pk]),
                         {f"{prefix}-state": "done", f"{prefix}-done_on": "2023-01-05", f"{prefix}-note": "集中学习3次"})
        study.refresh_from_db()
        self.assertEqual((study.state, study.done_on), (StageState.DONE, date(2023, 1, 5)))
        upload = SimpleUploadedFile("对照检查材料.docx", docx_bytes(), content_type="application/octet-stream")
        materials = process.stages.get(code=StageCode.MATERIALS)
        self.client.post(reverse("records:life-stage-attachment", args=[process.pk, materials.pk]), {"file": upload, "kind": "material"})
        self.assertEqual(Attachment.objects.get().stage, materials)
        talk = services.talk_record(actor=None, organization=self.orgs["QJ"], held_on=date(2023, 1, 8), initiator=self.p1,
                                    partner=self.p2, topic="会前谈心", life_meeting=process).record
        meeting = services.meeting_record(actor=None, organization=self.orgs["QJ"], kind="democratic_life",
                                          held_on=date(2023, 1, 20), topic="2022年度民主生活会").record
        self.client.post(reverse("records:life-link-meeting", args=[process.pk]), {"meeting": meeting.pk})
        process.refresh_from_db()
        self.assertEqual(process.meeting, meeting)
        stage = process.stages.get(code=StageCode.MEETING)
        self.assertEqual((stage.state, stage.done_on), (StageState.DONE, date(2023, 1, 20)))
        response = self.client.get(reverse("records:life-detail", args=[process.pk]))
        self.assertContains(response, talk.topic)
        self.assertContains(response, "对照检查材料.docx")
        self.assertContains(response, "已完成 2/7 个环节")
        self.assertTrue(AuditEvent.objects.filter(action="life_stage.update").exists())
        self.assertEqual(Talk.objects.get().life_meeting, process)

    def test_problem_list_is_ready_for_the_rectification_ledger(self):
        process = self.create()
        response = self.client.post(reverse("records:problem-add", args=[process.pk]), {
            "scope": "collective", "category": "落实全面从严治党责任", "problem": "督促指导不够有力", "measures": "每季度专题研究",
            "responsible_org": self.orgs["QJ"].pk, "deadline": "2023-06-30", "status": "open"})
        self.assertRedirects(response, reverse("records:life-detail", args=[process.pk]) + "#problems")
        problem = ProblemEntry.objects.get()
        self.assertEqual(problem.seq, 1)
        handed = problem.as_rectification()
        self.assertEqual((handed["source_label"], handed["problem"], handed["responsible_org"], handed["deadline"]),
                         ("2022年度民主生活会", "督促指导不够有力", self.orgs["QJ"], date(2023, 6, 30)))
        self.client.post(reverse("records:problem-edit", args=[process.pk, problem.pk]), {
            "scope": "collective", "problem": "督促指导不够有力", "measures": "每月督导", "status": "in_progress"})
        problem.refresh_from_db()
        self.assertEqual((problem.measures, problem.status), ("每月督导", "in_progress"))
        problem.rectification_ref = "R-1"
        problem.save()
        response = self.client.post(reverse("records:problem-delete", args=[process.pk, problem.pk]), follow=True)
        self.assertContains(response, "已转入整改台账，不能删除")
        problem.rectification_ref = ""
        problem.save()
        self.client.post(reverse("records:problem-delete", args=[process.pk, problem.pk]))
        self.assertFalse(ProblemEntry.objects.exists())

    def test_scope(self):
        process = life_meeting_create(actor=None, organization=self.orgs["QJ01"], kind="org_life", year=2022)
        stage = process.stages.first()
        self.login("secretary2")
        self.assertEqual(self.client.get(reverse("records:life-detail", args=[process.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("records:life-stage", args=[process.pk, stage.pk])).status_code, 404)
        self.login("supervisor")
        response = self.client.get(reverse("records:life-detail", args=[process.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "更新此环节")
        self.assertEqual(self.client.post(reverse("records:problem-add", args=[process.pk]), {"problem": "x"}).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:life-create")).status_code, 404)
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("records:life-detail", args=[process.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("records:life-stage", args=[process.pk, stage.pk])).status_code, 405)
        self.assertContains(self.client.get(reverse("records:life-list")), "2022年度组织生活会")
        self.assertFalse(ProblemEntry.objects.exists())
