"""Supervision findings by their six types, findings to rectifications in one step, 述职评议 and 述职述廉报告."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.inspections.models import DutyReport, Evaluation, EvaluationEntry, Finding, Rectification
from lvze.inspections.services import (
    duty_report_file,
    evaluation_create,
    evaluation_entry_save,
    finding_create,
)
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create
from lvze.test import LvzeTestCase


class FindingTests(LvzeTestCase):
    def supervise(self, user="supervisor", **values):
        data = {
            "unit": self.orgs["QJ"].pk,
            "organization": self.orgs["QJ01"].pk,
            "source": "supervision",
            "supervision_type": "discipline",
            "description": "廉政谈话未按要求开展",
            "found_on": "2023-05-10",
        }
        data.update(values)
        self.login(user)
        return self.client.post(reverse("inspections:finding-create"), data)

    def test_supervisor_records_a_finding_of_a_type(self):
        response = self.supervise()
        finding = Finding.objects.get()
        self.assertRedirects(response, reverse("inspections:finding-detail", args=[finding.pk]))
        self.assertEqual(
            (finding.source, finding.supervision_type, finding.raised_by, finding.found_on),
            ("supervision", "discipline", self.users["supervisor"], date(2023, 5, 10)),
        )
        response = self.supervise(supervision_type="")
        self.assertContains(response, "须选择“六位一体”监督类型")
        self.assertEqual(Finding.objects.count(), 1)

    def test_counts_by_type(self):
        for kind in ("discipline", "discipline", "department", "democratic"):
            finding_create(
                actor=None,
                unit=self.orgs["QJ"],
                organization=self.orgs["QJ02"],
                source="supervision",
                supervision_type=kind,
                description=f"{kind}问题",
                found_on=date(2023, 4, 1),
            )
        finding_create(
            actor=None, unit=self.orgs["QJ"], organization=self.orgs["QJ02"], source="patrol", description="巡察问题",
            found_on=date(2022, 4, 1),
        )
        self.login("leader")
        response = self.client.get(reverse("inspections:finding-list"), {"year": 2023})
        cards = {label: n for _v, label, n in response.context["cards"]}
        self.assertEqual(
            cards,
            {"党委全面监督": 0, "纪检机构专责监督": 2, "部门职能监督": 1, "党的基层组织日常监督": 0, "党员和群众民主监督": 1, "系统外部监督": 0},
        )
        self.assertEqual(response.context["supervision_total"], 4)
        self.assertNotContains(response, "巡察问题")
        self.assertContains(self.client.get(reverse("inspections:finding-list"), {"source": "patrol"}), "巡察问题")
        with CaptureQueriesContext(connection) as five:
            self.client.get(reverse("inspections:finding-list"))
        finding_create(
            actor=None, unit=self.orgs["QJ"], organization=self.orgs["QJ01"], source="self", description="自查问题",
            found_on=date(2023, 4, 1),
        )
        with CaptureQueriesContext(connection) as six:
            self.client.get(reverse("inspections:finding-list"))
        self.assertEqual(len(five), len(six))

    def test_only_the_author_edits_and_others_get_403(self):
        self.supervise()
        finding = Finding.objects.get()
        url = reverse("inspections:finding-edit", args=[finding.pk])
        self.login("party_admin")
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"description": "改", "found_on": "2023-05-10"}).status_code, 403)
        self.login("supervisor")
        self.client.post(url, {"description": "廉政谈话记录缺失", "found_on": "2023-05-11", "supervision_type": "discipline"})
        finding.refresh_from_db()
        self.assertEqual(finding.description, "廉政谈话记录缺失")
        self.login("xq_admin")
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_scope(self):
        self.supervise()
        self.supervise(organization=self.orgs["QJ02"].pk, description="第二支部问题")
        self.login("secretary")
        response = self.client.get(reverse("inspections:finding-list"))
        self.assertContains(response, "廉政谈话未按要求开展")
        self.assertNotContains(response, "第二支部问题")
        other = Finding.objects.get(organization=self.orgs["QJ02"])
        self.assertEqual(self.client.get(reverse("inspections:finding-detail", args=[other.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("inspections:finding-create")).status_code, 404)
        self.login("member")
        self.assertEqual(self.client.get(reverse("inspections:finding-list")).status_code, 404)

    def test_finding_becomes_a_rectification_in_one_step(self):
        secretary = self.make_person("钱书记", "QJ01")
        appointment_create(actor=None, person=secretary, organization=self.orgs["QJ01"], post=Post.SECRETARY)
        self.supervise()
        finding = Finding.objects.get()
        url = reverse("inspections:finding-rectify", args=[finding.pk])
        self.login("secretary")
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login("supervisor")
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url)
        rect = Rectification.objects.get()
        self.assertRedirects(response, reverse("rectifications:rectification-detail", args=[rect.pk]))
        self.assertEqual(
            (rect.source, rect.supervision_type, rect.responsible_org, rect.responsible_person, rect.deadline, rect.finding),
            ("supervision", "discipline", self.orgs["QJ01"], secretary, date(2023, 6, 9), finding),
        )
        self.assertEqual(rect.source_label, "", "a supervision finding is named by its type")
        self.client.post(url)
        self.assertEqual(Rectification.objects.count(), 1)
        self.assertEqual(self.client.get(reverse("inspections:finding-edit", args=[finding.pk])).status_code, 403)


class EvaluationTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.evaluation = evaluation_create(
            actor=None, unit=cls.orgs["QJ"], year=2023, title="2023年度党支部书记抓党建述职评议", held_on=date(2024, 1, 12)
        )

    def entry_url(self):
        return reverse("inspections:evaluation-entry", args=[self.evaluation.pk])

    def post_entry(self, org="QJ01", **values):
        data = {
            "organization": self.orgs[org].pk,
            "person": self.p1.pk if org == "QJ01" else self.p2.pk,
            "report": "全年召开支部党员大会4次",
            "votes_good": 20,
            "votes_fair": 6,
            "votes_average": 2,
            "votes_poor": 0,
            "comments": "工作扎实",
            "problems": "党员教育管理创新不足\n支部品牌特色不鲜明",
        }
        data.update(values)
        return self.client.post(self.entry_url(), data)

    def test_create_and_entries(self):
        self.login("party_admin")
        response = self.client.post(
            reverse("inspections:evaluation-create"),
            {"unit": self.orgs["QJ"].pk, "year": 2022, "title": "2022年度党支部书记抓党建述职评议", "held_on": "2023-01-10"},
        )
        created = Evaluation.objects.get(year=2022)
        self.assertRedirects(response, reverse("inspections:evaluation-detail", args=[created.pk]))
        self.post_entry()
        entry = EvaluationEntry.objects.get(evaluation=self.evaluation)
        self.assertEqual((entry.grade, str(entry.score), entry.person), ("good", "92.9", self.p1))
        self.post_entry(votes_good=5, votes_fair=5, votes_average=8, votes_poor=10)
        entry.refresh_from_db()
        self.assertEqual(entry.grade, "poor")
        self.assertEqual(EvaluationEntry.objects.filter(evaluation=self.evaluation).count(), 1, "updated, not duplicated")
        response = self.client.get(reverse("inspections:evaluation-detail", args=[self.evaluation.pk]))
        self.assertContains(response, "党员教育管理创新不足")

    def test_problems_become_rectifications(self):
        self.login("party_admin")
        self.post_entry()
        entry = EvaluationEntry.objects.get()
        url = reverse("inspections:evaluation-entry-rectify", args=[entry.pk])
        self.client.post(url, {"deadline": "2024-03-31"})
        rects = Rectification.objects.order_by("id")
        self.assertEqual(
            [(r.source, r.problem, r.responsible_org.code, r.deadline) for r in rects],
            [
                ("evaluation", "党员教育管理创新不足", "QJ01", date(2024, 3, 31)),
                ("evaluation", "支部品牌特色不鲜明", "QJ01", date(2024, 3, 31)),
            ],
        )
        response = self.client.post(url, {"deadline": "2024-03-31"}, follow=True)
        self.assertContains(response, "没有需要转入整改台账的新问题")
        self.assertEqual(Rectification.objects.count(), 2)
        self.login("leader")
        self.assertEqual(self.client.post(url).status_code, 403)

    def test_scope_and_permissions(self):
        evaluation_entry_save(actor=None, evaluation=self.evaluation, organization=self.orgs["QJ01"], votes_good=3)
        detail = reverse("inspections:evaluation-detail", args=[self.evaluation.pk])
        self.login("secretary")
        self.assertEqual(self.client.get(detail).status_code, 200, "the branch whose secretary reported")
        self.login("secretary2")
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.login("xq_admin")
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.login("leader")
        self.assertContains(self.client.get(reverse("inspections:evaluation-list")), "2023年度党支部书记抓党建述职评议")
        self.assertEqual(self.post_entry().status_code, 403)
        self.assertEqual(self.client.get(reverse("inspections:evaluation-create")).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.get(self.entry_url()).status_code, 405)
        response = self.post_entry(org="XQ01")
        self.assertContains(response, "选择一个有效的选项")


class DutyReportTests(LvzeTestCase):
    IDEOLOGY = "一、履行全面从严治党主体责任情况……二、落实意识形态工作责任制情况：坚持……三、廉洁自律情况……"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.leader_person = cls.make_person("孙班子", "QJ01")
        appointment_create(actor=None, person=cls.leader_person, organization=cls.orgs["QJ"], post=Post.LEADERSHIP_MEMBER)
        cls.users["leader"].person = cls.leader_person
        cls.users["leader"].save(update_fields=["person"])

    def test_leader_files_own_and_admin_checks_off(self):
        self.login("leader")
        url = reverse("inspections:report-create")
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {
            "unit": self.orgs["QJ"].pk,
            "person": self.leader_person.pk,
            "year": 2023,
            "title": "2023年度述职述廉报告",
            "content": "一、履行一岗双责情况……二、廉洁自律情况……",
            "filed_on": "2024-01-05",
        }
        self.client.post(url, data)
        report = DutyReport.objects.get()
        self.assertFalse(report.covers_ideology)
        check = reverse("inspections:report-check", args=[report.pk])
        self.assertEqual(self.client.post(check).status_code, 403, "a leader does not check off their own report")
        self.login("party_admin")
        response = self.client.post(check, follow=True)
        self.assertContains(response, "须包含履行意识形态工作责任制的情况")
        report.refresh_from_db()
        self.assertIsNone(report.checked_at)
        self.login("leader")
        self.client.post(url, {**data, "content": self.IDEOLOGY})
        self.login("party_admin")
        self.client.post(check, {"note": "内容完整"})
        report.refresh_from_db()
        self.assertEqual((report.checked_by, report.check_note), (self.users["party_admin"], "内容完整"))
        self.assertEqual(DutyReport.objects.count(), 1)
        self.assertEqual(self.client.get(check).status_code, 405)

    def test_leader_cannot_file_for_someone_else_and_scope(self):
        self.login("leader")
        other = self.make_person("周其他", "QJ02")
        appointment_create(actor=None, person=other, organization=self.orgs["QJ"], post=Post.LEADERSHIP_MEMBER)
        response = self.client.post(
            reverse("inspections:report-create"),
            {"unit": self.orgs["QJ"].pk, "person": other.pk, "year": 2023, "title": "x", "content": self.IDEOLOGY, "filed_on": "2024-01-05"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(DutyReport.objects.exists())
        report = duty_report_file(
            actor=None, unit=self.orgs["QJ"], person=other, year=2023, title="述职述廉报告", content=self.IDEOLOGY, filed_on=date(2024, 1, 5)
        )
        detail = reverse("inspections:report-detail", args=[report.pk])
        for username, status in (("leader", 200), ("supervisor", 200), ("city_admin", 200), ("secretary", 404), ("xq_admin", 404)):
            self.login(username)
            self.assertEqual(self.client.get(detail).status_code, status, username)
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("inspections:report-create")).status_code, 404)
        self.assertEqual(list(self.client.get(reverse("inspections:report-list")).context["page"].object_list), [])
