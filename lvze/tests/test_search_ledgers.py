"""全局搜索 over plans and tasks, inspections, findings and rectifications: scope, matching and 查看全部."""

from datetime import date

from django.urls import reverse

from lvze.duties.models import Plan, Task
from lvze.inspections.models import Inspection, InspectionStatus
from lvze.inspections.rectifications import rectification_create
from lvze.inspections.services import finding_create
from lvze.search import GROUP_LIMIT, search
from lvze.test import LvzeTestCase


class LedgerSearchTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rect1 = cls.rect("QJ", "QJ01", "党费收缴台账登记不规范", measures="逐月核对台账")
        cls.rect2 = cls.rect("QJ", "QJ02", "发展党员程序不规范")
        cls.rect_xq = cls.rect("XQ", "XQ01", "新区会议记录不规范")
        cls.inspection = cls.campaign("QJ", "QJJG", "2023年廉政专项检查")
        cls.inspection_xq = cls.campaign("XQ", "XQ", "2023年新区廉政专项检查")
        cls.finding = cls.finding_of("QJ", "QJ01", "三会一课记录缺失")
        cls.finding_xq = cls.finding_of("XQ", "XQ01", "新区三会一课记录缺失")
        cls.plan = Plan.objects.create(unit=cls.orgs["QJ"], name="2023年党建工作要点", year=2023)
        cls.task = cls.task_of(cls.plan, "开展廉洁文化宣传月活动", "QJ01", measures="制作廉洁文化展板")

    @classmethod
    def rect(cls, unit, org, problem, **values):
        return rectification_create(actor=None, unit=cls.orgs[unit], source="inspection", problem=problem,
                                    source_label="2023年第二季度支部工作检查", responsible_org=cls.orgs[org],
                                    deadline=date(2023, 8, 31), **values)

    @classmethod
    def campaign(cls, unit, root, name):
        return Inspection.objects.create(unit=cls.orgs[unit], name=name, period="2023Q2", root=cls.orgs[root],
                                         deadline=date(2023, 7, 7), status=InspectionStatus.RUNNING)

    @classmethod
    def finding_of(cls, unit, org, description):
        return finding_create(actor=None, unit=cls.orgs[unit], organization=cls.orgs[org], source="self",
                              description=description, found_on=date(2023, 6, 1))

    @classmethod
    def task_of(cls, plan, title, lead, **values):
        task = Task.objects.create(plan=plan, seq=1, category="思想建设", title=title, **values)
        task.lead_orgs.add(cls.orgs[lead])
        return task

    def labels(self, username, query):
        return {g.label: [h.title for h in g.hits] for g in search(self.users[username], query)}

    def group(self, username, query, label):
        (group,) = [g for g in search(self.users[username], query) if g.label == label]
        return group

    def test_each_kind_is_found_by_its_words(self):
        self.assertEqual(self.labels("party_admin", "党建工作要点"), {"工作要点": ["2023年党建工作要点"]})
        self.assertEqual(self.labels("party_admin", "宣传月"), {"重点任务": ["开展廉洁文化宣传月活动"]})
        self.assertEqual(self.labels("party_admin", "展板"), {"重点任务": ["开展廉洁文化宣传月活动"]})
        self.assertEqual(self.labels("party_admin", "廉政专项"), {"检查": ["2023年廉政专项检查"]})
        self.assertEqual(self.labels("party_admin", "三会一课"), {"问题": ["三会一课记录缺失"]})

    def test_rectifications_match_problem_measures_source_and_responsible_org(self):
        self.assertEqual(self.labels("party_admin", "逐月核对")["整改事项"], ["党费收缴台账登记不规范"])
        by_source = self.labels("party_admin", "第二季度支部工作")["整改事项"]
        self.assertEqual(sorted(by_source), sorted(["党费收缴台账登记不规范", "发展党员程序不规范"]))
        self.assertEqual(self.labels("party_admin", "第二党支部")["整改事项"], ["发展党员程序不规范"])

    def test_a_branch_secretary_sees_only_their_branch(self):
        self.assertEqual(self.labels("secretary", "不规范")["整改事项"], ["党费收缴台账登记不规范"])
        self.assertEqual(self.labels("secretary2", "不规范")["整改事项"], ["发展党员程序不规范"])
        self.assertEqual(self.labels("secretary", "三会一课"), {"问题": ["三会一课记录缺失"]})
        self.assertEqual(self.labels("secretary", "廉洁文化"), {"重点任务": ["开展廉洁文化宣传月活动"]})
        for word in ("三会一课", "廉洁文化", "党建工作要点"):
            self.assertEqual(self.labels("secretary2", word), {}, word)

    def test_another_unit_sees_nothing_of_this_unit(self):
        self.assertEqual(self.labels("xq_admin", "不规范")["整改事项"], ["新区会议记录不规范"])
        self.assertEqual(self.labels("xq_admin", "廉政专项"), {"检查": ["2023年新区廉政专项检查"]})
        self.assertEqual(self.labels("xq_admin", "三会一课"), {"问题": ["新区三会一课记录缺失"]})
        for word in ("逐月核对", "第二党支部", "廉洁文化", "党建工作要点"):
            self.assertEqual(self.labels("xq_admin", word), {}, word)

    def test_results_link_to_their_detail_pages(self):
        self.login("party_admin")
        urls = {
            "党建工作要点": reverse("plans:plan-detail", args=[self.plan.pk]),
            "宣传月": reverse("plans:plan-detail", args=[self.plan.pk]) + f"#task-{self.task.pk}",
            "廉政专项": reverse("inspections:inspection-detail", args=[self.inspection.pk]),
            "三会一课": reverse("inspections:finding-detail", args=[self.finding.pk]),
            "逐月核对": reverse("rectifications:rectification-detail", args=[self.rect1.pk]),
        }
        for word, url in urls.items():
            self.assertContains(self.client.get(reverse("search"), {"q": word}), f'href="{url}"')
            page = self.client.get(url)
            self.assertEqual(page.status_code, 200, url)
        plan_page = self.client.get(urls["党建工作要点"])
        self.assertContains(plan_page, f'id="task-{self.task.pk}"')

    def test_more_links_show_the_same_rows_as_the_list_pages(self):
        for i in range(GROUP_LIMIT + 1):
            self.rect("QJ", "QJ02", f"问题{i}")
            self.campaign("QJ", "QJJG", f"季度督查{i}")
            self.finding_of("QJ", "QJ01", f"专项问题{i}")
            Plan.objects.create(unit=self.orgs["QJ"], name=f"专项计划{i}", year=2023)
        self.rect("QJ", "QJ01", "其他问题", measures="参照第二党支部做法")
        self.login("party_admin")
        for word, label, total in [("第二党支部", "整改事项", GROUP_LIMIT + 3), ("季度督查", "检查", GROUP_LIMIT + 1),
                                   ("专项问题", "问题", GROUP_LIMIT + 1), ("专项计划", "工作要点", GROUP_LIMIT + 1)]:
            group = self.group("party_admin", word, label)
            self.assertEqual((len(group.hits), group.total), (GROUP_LIMIT, total), label)
            listed = self.client.get(group.more_url)
            self.assertEqual(listed.context["page"].paginator.count, total, label)

    def test_tasks_have_no_list_so_no_more_link(self):
        for i in range(GROUP_LIMIT + 1):
            self.task_of(self.plan, f"廉洁文化任务{i}", "QJ02")
        group = self.group("party_admin", "廉洁文化", "重点任务")
        self.assertEqual((len(group.hits), group.total, group.more_url), (GROUP_LIMIT, GROUP_LIMIT + 2, ""))
        self.login("party_admin")
        self.assertContains(self.client.get(reverse("search"), {"q": "廉洁文化"}), "仅显示前 10 条")
