"""Plan pages (list, detail) and the 分解表 export, read back with openpyxl and re-imported."""

import datetime as dt
import io
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvze.duties.models import Plan, Task, WorkItem
from lvze.duties.services import work_item_complete
from lvze.duties.task_import import tasks_import
from lvze.duties.tests.test_task_import import PLAN, TaskImportBase, build_workbook

TODAY = dt.date(2023, 6, 29)


def frozen(day=TODAY):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


class PlanFixture(TaskImportBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        result = tasks_import(actor=None, data=build_workbook(), root=cls.orgs["QJ"], plan=PLAN)
        assert not result.errors, result.errors
        cls.plan = result.plan
        meeting = Task.objects.get(title="召开全面从严治党工作会议")
        work_item_complete(actor=None, item=WorkItem.objects.get(task=meeting), on=dt.date(2023, 3, 20))

    def item(self, title: str, code: str) -> WorkItem:
        return WorkItem.objects.get(task__title=title, organization__code=code)


class PlanListTests(PlanFixture):
    def test_readers_in_scope_see_the_plan(self):
        for username in ("party_admin", "leader", "supervisor", "city_admin", "staff", "secretary"):
            self.login(username)
            response = self.client.get(reverse("plans:plan-list"))
            self.assertContains(response, PLAN, msg_prefix=username)
        self.login("xq_admin")
        self.assertNotContains(self.client.get(reverse("plans:plan-list")), PLAN)

    def test_counts_and_import_button(self):
        self.login("party_admin")
        response = self.client.get(reverse("plans:plan-list"))
        row = response.context["page"].object_list[0]
        self.assertEqual(row.task_count, 18)
        self.assertEqual(row.item_count, WorkItem.objects.filter(task__plan=self.plan).count())
        self.assertEqual(row.done_count, 1)
        self.assertContains(response, reverse("plans:plan-import"))
        self.login("leader")
        self.assertNotContains(self.client.get(reverse("plans:plan-list")), reverse("plans:plan-import"))

    def test_query_count_does_not_grow_with_plans(self):
        self.login("party_admin")
        with CaptureQueriesContext(connection) as one:
            self.client.get(reverse("plans:plan-list"))
        for n in range(3):
            Plan.objects.create(unit=self.orgs["QJ"], name=f"专项计划{n}", year=2023)
        with CaptureQueriesContext(connection) as four:
            response = self.client.get(reverse("plans:plan-list"))
        self.assertEqual(len(response.context["page"].object_list), 4)
        self.assertEqual(len(one), len(four))

    def test_non_readers_get_404_and_post_405(self):
        for username in ("member", "auditor", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("plans:plan-list")).status_code, 404, username)
        self.login("party_admin")
        self.assertEqual(self.client.post(reverse("plans:plan-list")).status_code, 405)


class PlanDetailTests(PlanFixture):
    def test_tasks_grouped_by_category_with_items(self):
        self.login("party_admin")
        with frozen():
            response = self.client.get(reverse("plans:plan-detail", args=[self.plan.pk]))
        groups = response.context["groups"]
        self.assertEqual([category for category, _tasks in groups], ["一、强化理论武装", "二、全面从严治党"])
        self.assertEqual(len(groups[0][1]), 2)
        self.assertContains(response, "党委书记")
        self.assertContains(response, "6月底前")
        self.assertContains(response, "人事教育股")
        item = self.item("开展廉政教育", "QJJJ")
        self.assertContains(response, reverse("duties:item-detail", args=[item.pk]))
        self.assertContains(response, "临期")
        self.assertContains(response, "按期办结")

    def test_detail_query_count_does_not_grow_with_tasks(self):
        self.login("party_admin")
        with CaptureQueriesContext(connection) as full:
            self.client.get(reverse("plans:plan-detail", args=[self.plan.pk]))
        small = Plan.objects.create(unit=self.orgs["QJ"], name="小计划", year=2023)
        Task.objects.filter(title="作风建设").update(plan=small)
        with CaptureQueriesContext(connection) as one:
            self.client.get(reverse("plans:plan-detail", args=[small.pk]))
        self.assertEqual(len(full), len(one))

    def test_secretary_sees_only_their_branchs_items(self):
        self.login("secretary")
        response = self.client.get(reverse("plans:plan-detail", args=[self.plan.pk]))
        self.assertEqual(response.status_code, 200)
        mine = self.item("深化党建融合", "QJ01")
        other = self.item("深化党建融合", "QJ02")
        self.assertContains(response, reverse("duties:item-detail", args=[mine.pk]))
        self.assertNotContains(response, reverse("duties:item-detail", args=[other.pk]))

    def test_out_of_scope_is_404_and_post_is_405(self):
        self.login("xq_admin")
        self.assertEqual(self.client.get(reverse("plans:plan-detail", args=[self.plan.pk])).status_code, 404)
        self.login("member")
        self.assertEqual(self.client.get(reverse("plans:plan-detail", args=[self.plan.pk])).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("plans:plan-detail", args=[99999])).status_code, 404)
        self.assertEqual(self.client.post(reverse("plans:plan-detail", args=[self.plan.pk])).status_code, 405)


class PlanExportTests(PlanFixture):
    def export(self, username="party_admin") -> bytes:
        self.login(username)
        with frozen():
            response = self.client.get(reverse("plans:plan-export", args=[self.plan.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.assertIn("attachment; filename*=UTF-8''", response["Content-Disposition"])
        return response.content

    def test_layout_reads_back(self):
        ws = load_workbook(io.BytesIO(self.export())).active
        self.assertEqual(ws["A1"].value, f"《{PLAN}》重点任务分解表")
        merged = {str(r) for r in ws.merged_cells.ranges}
        self.assertIn("A1:J1", merged)
        self.assertIn("D2:F2", merged)
        self.assertIn("A2:A3", merged)
        self.assertEqual([c.value for c in ws[2]][:4], ["序号", "重点任务", "具体措施", "责任分工"])
        self.assertEqual([c.value for c in ws[3]][3:6], ["牵头单位", "配合单位", "责任领导"])
        self.assertEqual((ws["I2"].value, ws["J2"].value), ("状态", "时效"))
        self.assertEqual(ws.freeze_panes, "A4")
        self.assertEqual(ws["A4"].value, "一、强化理论武装")
        self.assertIn("A4:J4", merged)
        self.assertGreater(ws.column_dimensions["C"].width, 30)
        self.assertTrue(ws["C5"].alignment.wrap_text)
        self.assertEqual(ws["B5"].border.left.style, "thin")
        rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
        self.assertEqual(
            rows["开展廉政教育"][3:10],
            ("示范区税务局纪检组", "办公室", None, "6月底前", "从严治党", "待办", "临期"),
        )
        self.assertEqual(rows["召开全面从严治党工作会议"][4], "各股室")
        self.assertEqual(rows["召开全面从严治党工作会议"][8:10], ("已办结", "按期办结"))
        self.assertEqual(rows["理论学习中心组学习"][4], "各党支部")
        self.assertEqual(rows["理论学习中心组学习"][8], "待办12")
        self.assertEqual(rows["理论学习中心组学习"][9], "逾期5；临期1；正常6")
        self.assertEqual(rows["作风建设"][9], "长期")

    def test_round_trip_changes_nothing(self):
        data = self.export()
        tasks, items = Task.objects.count(), WorkItem.objects.count()
        code, result = self.run_import(data)
        self.assertEqual(code, 0, result)
        self.assertEqual(
            (result["created"], result["updated"], result["unchanged"], result["work_items"]), (0, 0, 18, 0)
        )
        self.assertEqual((Task.objects.count(), WorkItem.objects.count()), (tasks, items))

    def test_export_is_scoped(self):
        self.login("xq_admin")
        self.assertEqual(self.client.get(reverse("plans:plan-export", args=[self.plan.pk])).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.post(reverse("plans:plan-export", args=[self.plan.pk])).status_code, 405)
        ws = load_workbook(io.BytesIO(self.export("secretary"))).active
        rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
        self.assertEqual(
            rows["开展廉政教育"][8:10], (None, None), "items outside the reader's scope are not summarised"
        )
        merged_task = [r[8] for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == "深化党建融合"]
        self.assertEqual(merged_task, ["待办", None], "第一党支部's item only")
