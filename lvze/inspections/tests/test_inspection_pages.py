"""Campaign and template pages: happy paths, scope (404), permission (403), method (405), and the database after
every POST."""

from datetime import date
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.duties.models import Status
from lvze.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionStatus,
    Score,
    ScoreEvidence,
)
from lvze.inspections.services import score_save
from lvze.inspections.tests.base import InspectionFixture

JPEG = b"\xff\xd8\xff\xe0 photo"  # an upload is refused unless its content is what its name says


class InspectionPageTests(InspectionFixture):
    def setUp(self):
        self.inspection = self.make_campaign()
        self.qj01 = self.inspection.targets.get(organization=self.orgs["QJ01"])
        self.qj02 = self.inspection.targets.get(organization=self.orgs["QJ02"])

    def detail_url(self, inspection=None):
        return reverse("inspections:inspection-detail", args=[(inspection or self.inspection).pk])

    def target_url(self, target):
        return reverse("inspections:target-detail", args=[self.inspection.pk, target.pk])

    def score(self, target, title) -> Score:
        return Score.objects.select_related("item").get(target=target, item__title=title)

    # --- list, detail, scope ------------------------------------------------------------------

    def test_list_for_each_role(self):
        url = reverse("inspections:inspection-list")
        for username in ("party_admin", "leader", "supervisor", "city_admin", "secretary", "secretary2"):
            self.login(username)
            self.assertContains(self.client.get(url), "2023年第二季度支部工作检查", msg_prefix=username)
        for username in ("xq_admin", "staff"):
            self.login(username)
            response = self.client.get(url)
            self.assertNotContains(response, "2023年第二季度支部工作检查", msg_prefix=username)
            self.assertContains(response, "没有符合条件的检查")
        for username in ("member", "auditor", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(url).status_code, 404, username)

    def test_list_filters_and_query_count(self):
        self.login("party_admin")
        url = reverse("inspections:inspection-list")
        self.assertNotContains(self.client.get(url, {"year": 2024}), "2023年第二季度")
        self.assertContains(self.client.get(url, {"status": "running", "q": "第二季度"}), "2023年第二季度")
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        self.make_campaign(name="2023年第一季度支部工作检查", period="2023Q1", deadline=date(2023, 4, 7))
        with CaptureQueriesContext(connection) as two:
            self.client.get(url)
        self.assertEqual(len(one), len(two))

    def test_detail_scope(self):
        self.login("secretary")
        response = self.client.get(self.detail_url())
        self.assertContains(response, "第一党支部")
        self.assertNotContains(response, "第二党支部", msg_prefix="a secretary sees only their own branch's result")
        self.assertEqual(self.client.get(self.target_url(self.qj02)).status_code, 404)
        self.login("xq_admin")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.login("city_admin")
        self.assertContains(self.client.get(self.detail_url()), "第二党支部")
        self.login("leader")  # an inspector
        self.assertContains(self.client.get(self.target_url(self.qj02)), "检查评分")

    def test_drafts_are_hidden_from_the_branches(self):
        draft = self.make_campaign(
            launch=False, name="2023年第三季度支部工作检查", period="2023Q3", deadline=date(2023, 10, 7), rectify_deadline=None
        )
        self.login("party_admin")
        self.assertContains(self.client.get(self.detail_url(draft)), "启动检查")
        self.login("secretary")
        self.assertEqual(self.client.get(self.detail_url(draft)).status_code, 404)

    # --- create and launch --------------------------------------------------------------------

    def test_create_and_launch(self):
        self.login("party_admin")
        url = reverse("inspections:inspection-create")
        self.assertContains(self.client.get(url), "检查模板")
        response = self.client.post(
            url,
            {
                "unit": self.orgs["QJ"].pk,
                "template": self.template.pk,
                "name": "2023年第一季度支部工作检查",
                "period": "2023Q1",
                "root": self.orgs["QJJG"].pk,
                "deadline": "2023-04-10",
                "rectify_deadline": "2023-05-31",
                "inspectors": [self.inspector.pk],
                "board_size": 1,
            },
        )
        created = Inspection.objects.get(name="2023年第一季度支部工作检查")
        self.assertRedirects(response, self.detail_url(created))
        self.assertEqual((created.status, created.period, created.items.count()), (InspectionStatus.DRAFT, "2023Q1", 5))
        response = self.client.post(reverse("inspections:inspection-action", args=[created.pk, "launch"]))
        self.assertRedirects(response, self.detail_url(created))
        created.refresh_from_db()
        self.assertEqual((created.status, created.targets.count()), (InspectionStatus.RUNNING, 2))

    def test_create_refused_outside_own_unit(self):
        self.login("xq_admin")
        url = reverse("inspections:inspection-create")
        response = self.client.post(url, {"unit": self.orgs["QJ"].pk, "template": self.template.pk, "name": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Inspection.objects.filter(name="x").exists())
        for username in ("secretary", "leader", "supervisor", "city_admin_none"):
            if username not in self.users:
                continue
            self.login(username)
            self.assertEqual(self.client.get(url).status_code, 404, username)

    def test_actions_need_the_organising_party_admin(self):
        url = reverse("inspections:inspection-action", args=[self.inspection.pk, "publish"])
        for username in ("supervisor", "leader", "city_admin", "secretary"):
            self.login(username)
            self.assertEqual(self.client.post(url).status_code, 403, username)
        self.login("xq_admin")
        self.assertEqual(self.client.post(url).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(reverse("inspections:inspection-action", args=[self.inspection.pk, "drop"])).status_code, 404)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "尚有2项未评分")
        self.inspection.refresh_from_db()
        self.assertEqual(self.inspection.status, InspectionStatus.RUNNING)

    def test_publish_withdraw_and_refresh(self):
        for score in Score.objects.filter(target__inspection=self.inspection, scored_at__isnull=True).select_related("item"):
            score_save(actor=None, score=score, passed=True, grade="good")
        self.login("party_admin")
        self.client.post(reverse("inspections:inspection-action", args=[self.inspection.pk, "refresh"]))
        self.client.post(reverse("inspections:inspection-action", args=[self.inspection.pk, "publish"]))
        self.inspection.refresh_from_db()
        self.assertEqual(self.inspection.status, InspectionStatus.PUBLISHED)
        self.assertContains(self.client.get(self.detail_url()), "红榜")
        url = reverse("inspections:inspection-action", args=[self.inspection.pk, "withdraw"])
        self.client.post(url, {"reason": ""})
        self.inspection.refresh_from_db()
        self.assertEqual(self.inspection.status, InspectionStatus.PUBLISHED)
        self.client.post(url, {"reason": "第二党支部评分有误"})
        self.inspection.refresh_from_db()
        self.assertEqual(self.inspection.status, InspectionStatus.RUNNING)
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().changes, {"reason": "第二党支部评分有误"})

    # --- scores -------------------------------------------------------------------------------

    def test_inspector_scores_and_override_needs_reason(self):
        self.login("leader")
        score = self.score(self.qj01, "主题党日")
        url = reverse("inspections:score-save", args=[score.pk])
        response = self.client.post(url, {"points": "20"}, follow=True)
        self.assertContains(response, "须填写调整理由")
        score.refresh_from_db()
        self.assertEqual(score.points, D("13.3"))
        self.client.post(url, {"points": "18", "override_reason": "6月因防汛顺延，已报备", "note": "记录完整"})
        score.refresh_from_db()
        self.assertEqual((score.points, score.scored_by, score.note), (D("18.0"), self.users["leader"], "记录完整"))
        manual = self.score(self.qj01, "《党支部工作手册》")
        self.client.post(reverse("inspections:score-save", args=[manual.pk]), {"passed": "0", "note": "党费收缴记录缺失"})
        manual.refresh_from_db()
        self.assertEqual((manual.passed, manual.ratio), (False, D("0")))
        self.assertContains(self.client.get(self.target_url(self.qj01)), "6月因防汛顺延")

    def test_supervisor_and_others_cannot_alter_scores(self):
        score = self.score(self.qj01, "《党支部工作手册》")
        score_save(actor=self.users["leader"], score=score, passed=True)
        url = reverse("inspections:score-save", args=[score.pk])
        for username in ("supervisor", "secretary", "city_admin"):
            self.login(username)
            self.assertEqual(self.client.post(url, {"passed": "0"}).status_code, 403, username)
        self.login("xq_admin")
        self.assertEqual(self.client.post(url, {"passed": "0"}).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.get(url).status_code, 405)
        score.refresh_from_db()
        self.assertTrue(score.passed)
        self.client.post(url, {"passed": "0"})
        score.refresh_from_db()
        self.assertFalse(score.passed, "the organising party_admin may correct an inspector's score")

    def test_score_evidence_upload_and_download(self):
        self.login("leader")
        score = self.score(self.qj01, "《党支部工作手册》")
        self.client.post(
            reverse("inspections:score-evidence", args=[score.pk]), {"file": SimpleUploadedFile("手册照片.jpg", JPEG)}
        )
        evidence = ScoreEvidence.objects.get(score=score)
        response = self.client.get(reverse("inspections:evidence-download", args=[evidence.pk]))
        self.assertEqual(b"".join(response), JPEG) if hasattr(response, "streaming_content") else self.assertEqual(response.content, JPEG)
        self.login("secretary2")
        self.assertEqual(self.client.get(reverse("inspections:evidence-download", args=[evidence.pk])).status_code, 404)

    # --- self-check and findings ---------------------------------------------------------------

    def test_secretary_submits_self_check(self):
        self.login("secretary")
        url = reverse("inspections:target-self-check", args=[self.inspection.pk, self.qj01.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.client.post(url, {"self_check": "已对照检查内容逐项自查，手册已补充完善"})
        self.qj01.refresh_from_db()
        self.qj01.work_item.refresh_from_db()
        self.assertEqual(self.qj01.self_check, "已对照检查内容逐项自查，手册已补充完善")
        self.assertEqual(self.qj01.work_item.status, Status.SUBMITTED)
        self.login("secretary2")
        self.assertEqual(self.client.post(url, {"self_check": "x"}).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.post(url, {"self_check": "x"}).status_code, 403)

    def test_findings_on_a_target(self):
        url = reverse("inspections:target-finding", args=[self.inspection.pk, self.qj02.pk])
        item = self.inspection.items.get(title="主题党日")
        self.login("supervisor")
        self.client.post(url, {"description": "5月、6月未开展主题党日", "item": item.pk})
        finding = Finding.objects.get()
        self.assertEqual(
            (finding.source, finding.organization, finding.item, finding.raised_by),
            ("inspection", self.orgs["QJ02"], item, self.users["supervisor"]),
        )
        self.login("secretary2")
        self.assertEqual(self.client.post(url, {"description": "x"}).status_code, 403)
        self.login("party_admin")
        response = self.client.get(self.detail_url())
        self.assertContains(response, "5月、6月未开展主题党日")
        self.assertContains(response, "未转入整改")

    # --- bulletin ------------------------------------------------------------------------------

    def test_bulletin_download(self):
        url = reverse("inspections:inspection-bulletin", args=[self.inspection.pk])
        self.login("party_admin")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"PK"))
        masked = self.client.get(url, {"masked": "1"})
        self.assertEqual(masked.status_code, 200)
        self.assertNotEqual(masked.content, response.content)
        self.login("secretary")
        self.assertEqual(self.client.get(url).status_code, 403, "a branch gets the bulletin once published")
        self.login("xq_admin")
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.post(url).status_code, 405)

    def test_texts_edit(self):
        self.login("party_admin")
        url = reverse("inspections:inspection-texts", args=[self.inspection.pk])
        self.assertContains(self.client.get(url), "党建工作总体规范有序")
        self.client.post(url, {"practices": "一是坚持问题导向。", "requirements": ""})
        self.inspection.refresh_from_db()
        self.assertEqual((self.inspection.practices, self.inspection.requirements), ("一是坚持问题导向。", ""))
        self.login("supervisor")
        self.assertEqual(self.client.get(url).status_code, 403)


class TemplatePageTests(InspectionFixture):
    def test_list_install_and_detail(self):
        ChecklistTemplate.objects.all().delete()
        self.login("party_admin")
        url = reverse("inspections:template-list")
        self.assertContains(self.client.get(url), "为示范区税务局党委安装")
        self.client.post(reverse("inspections:template-install"), {"unit": self.orgs["QJ"].pk})
        template = ChecklistTemplate.objects.get(unit=self.orgs["QJ"])
        self.assertEqual(template.items.count(), 5)
        self.assertNotContains(self.client.get(url), "安装</button>")
        self.assertContains(self.client.get(reverse("inspections:template-detail", args=[template.pk])), "三会一课")
        self.login("xq_admin")
        self.assertEqual(self.client.get(reverse("inspections:template-detail", args=[template.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("inspections:template-install"), {"unit": self.orgs["QJ"].pk}).status_code, 404)
        self.login("secretary")
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_create_add_and_remove_items(self):
        self.login("party_admin")
        response = self.client.post(
            reverse("inspections:template-create"),
            {"unit": self.orgs["QJ"].pk, "name": "组织生活会专项检查", "copy_from": ""},
        )
        template = ChecklistTemplate.objects.get(name="组织生活会专项检查")
        self.assertRedirects(response, reverse("inspections:template-detail", args=[template.pk]))
        add = reverse("inspections:template-item-add", args=[template.pk])
        response = self.client.post(add, {"title": "会议记录", "scoring": "points", "weight": "30", "fact": "meetings", "fact_param": "lunch"})
        self.assertContains(response, "未知的会议类型")
        self.client.post(add, {"title": "组织生活会", "scoring": "points", "max_points": "10", "weight": "30", "fact": "meetings", "fact_param": "org_life"})
        item = ChecklistItem.objects.get(template=template)
        self.assertEqual((item.fact, item.fact_param, item.weight), ("meetings", "org_life", D("30")))
        self.login("supervisor")
        self.assertEqual(self.client.post(add, {"title": "x", "scoring": "grade", "weight": "1"}).status_code, 403)
        remove = reverse("inspections:template-item-remove", args=[item.pk])
        self.assertEqual(self.client.post(remove).status_code, 403)
        self.login("party_admin")
        self.assertEqual(self.client.get(remove).status_code, 405)
        self.client.post(remove)
        self.assertFalse(ChecklistItem.objects.filter(template=template).exists())
