"""The consolidated view: units side by side, figures that agree with the rows behind them, and a
number of queries that does not grow with the number of units."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.duties.models import Source, Status, WorkItem
from lvze.duties.services import evidence_add_file
from lvze.inspections.rectifications import (
    rectification_close,
    rectification_create,
    rectification_request_close,
    rectification_verify,
)
from lvze.lib.periods import Period
from lvze.orgs.models import OrgKind
from lvze.orgs.services import organization_create
from lvze.records.registry_services import activity_record, activity_types_install
from lvze.records.services import meeting_record
from lvze.upward import services
from lvze.upward.consolidated import (
    ALL,
    consolidated,
    figure_activities,
    figure_items,
    figure_meetings,
    figure_rectifications,
    subtree_figures,
)
from lvze.upward.generation import submissions_generate
from lvze.upward.tests.base import UpwardTestCase

H1 = Period.parse("2023H1")
TODAY = date(2024, 3, 1)


class ConsolidatedTestCase(UpwardTestCase):
    counter = 0

    def item(self, org: str, due: date | None, done: date | None = None, period: str = "2023H1") -> WorkItem:
        ConsolidatedTestCase.counter += 1
        organization = self.orgs[org]
        return WorkItem.objects.create(
            key=f"test:{ConsolidatedTestCase.counter}",
            source=Source.TASK,
            organization=organization,
            unit_id=organization.unit_id,
            org_path=organization.path,
            title=f"事项{ConsolidatedTestCase.counter}",
            period=period,
            due_date=due,
            warn_from=due - timedelta(days=3) if due else None,
            status=Status.DONE if done else Status.TODO,
            done_on=done,
        )

    def meet(self, org: str, kind: str, held_on: date) -> None:
        meeting_record(actor=None, organization=self.orgs[org], kind=kind, held_on=held_on, topic=f"{kind}{held_on}")

    def activity(self, org: str, held_on: date, covered: int, participants: int = 10, problems: int = 0) -> None:
        organization = self.orgs[org]
        kind = activity_types_install(actor=None, unit=organization.unit)[0]
        activity_record(
            actor=None, organization=organization, activity_type=kind, name=f"活动{held_on}", held_on=held_on,
            people_covered=covered, participant_count=participants, problems_solved=problems,
        )

    def build(self) -> None:
        self.item("QJ01", date(2023, 5, 31), date(2023, 5, 30))  # on time
        self.item("QJ01", date(2023, 5, 31), date(2023, 6, 5))  # late
        self.item("QJ02", date(2023, 6, 30))  # due soon as of 30 June
        self.item("QJ", date(2023, 4, 30))  # overdue
        self.item("QJ", date(2023, 6, 20), date(2023, 7, 5))  # done after the period: overdue as of its end
        self.item("QJ01", date(2023, 8, 1), period="2023Q3")  # not due in the period
        self.item("QJ01", None)  # 长期
        self.item("XQ01", date(2023, 3, 31), date(2023, 3, 31))  # on time
        self.item("SJ", date(2023, 6, 1), date(2023, 6, 1))  # 本级, on time
        self.meet("QJ01", "theme_day", date(2023, 5, 12))
        self.meet("QJ02", "theme_day", date(2023, 5, 20))
        self.meet("QJ01", "theme_day", date(2023, 7, 12))  # belongs to July
        self.meet("XQ01", "theme_day", date(2023, 6, 9))
        self.meet("QJ", "central_group", date(2023, 3, 9))
        self.activity("QJ01", date(2023, 5, 10), covered=80, participants=12, problems=3)
        self.activity("QJ02", date(2023, 6, 2), covered=503)
        self.activity("XQ01", date(2023, 6, 1), covered=50)
        self.activity("QJ01", date(2023, 7, 2), covered=999)  # after the period
        self.require_h1_quality()
        submissions_generate(actor=None, period=H1)
        submission = self.submit(self.adopt(self.make_draft()), day=date(2023, 7, 8))
        services.submission_receive(actor=self.users["city_admin"], submission=submission)


class FiguresTests(ConsolidatedTestCase):
    def setUp(self):
        self.build()

    def test_each_unit_counts_exactly_its_subtree_and_the_rows_add_up(self):
        view = consolidated(self.orgs["SJ"], H1, TODAY)
        self.assertEqual(view.as_of, date(2023, 6, 30))
        rows = {row.org.code: row for row in view.rows}
        self.assertEqual(list(rows), ["QJ", "XQ", "SJ"])
        qj, xq, own = rows["QJ"], rows["XQ"], rows["SJ"]
        self.assertEqual(qj.timeliness, {"on_time": 1, "late": 1, "overdue": 2, "due_soon": 1, "normal": 0})
        self.assertEqual((qj.due_in_period, qj.long_term, qj.rate_text), (5, 1, "20.0%"))
        self.assertEqual(xq.timeliness["on_time"], 1)
        self.assertEqual(own.timeliness["on_time"], 1)
        self.assertTrue(own.own)
        self.assertEqual(view.total.due_in_period, 7)
        self.assertEqual(view.total.timeliness["on_time"], 3)
        self.assertEqual(qj.meetings, {"theme_day": 2, "central_group": 1})
        self.assertEqual(xq.meetings, {"theme_day": 1})
        self.assertEqual(view.meeting_kinds, [("theme_day", "主题党日"), ("central_group", "理论学习中心组学习")])
        self.assertEqual(qj.submissions, {"required": 1, "received": 1, "awaiting": 0, "missing": 0})
        self.assertEqual((xq.submissions["missing"], xq.overdue_submissions), (1, 1))
        self.assertEqual(own.submissions, {})
        self.assertEqual(view.total.submissions["required"], 2)
        self.assertEqual(qj.activities, {"count": 2, "participants": 22, "covered": 583, "problems": 3})
        self.assertEqual(own.activities, {"count": 0, "participants": 0, "covered": 0, "problems": 0})
        self.assertEqual(view.total.activities["covered"], 633)

    def test_every_figure_matches_the_rows_behind_it(self):
        sj = self.orgs["SJ"]
        view = consolidated(sj, H1, TODAY)
        for row in [*view.rows, view.total]:
            code = ALL if row is view.total else row.org.code
            for key, value in row.timeliness.items():
                self.assertEqual(figure_items(sj, code, H1, TODAY, key).count(), value, (code, key))
            self.assertEqual(figure_items(sj, code, H1, TODAY, "due").count(), row.due_in_period, code)
            for kind, value in row.meetings.items():
                self.assertEqual(figure_meetings(sj, code, H1, kind).count(), value, (code, kind))
            self.assertEqual(figure_meetings(sj, code, H1).count(), row.meetings_total, code)
            activities = figure_activities(sj, code, H1)
            self.assertEqual(activities.count(), row.activities["count"], code)
            self.assertEqual(sum(a.people_covered for a in activities), row.activities["covered"], code)
            for key, value in row.submissions.items():
                self.assertEqual(figure_items(sj, code, H1, TODAY, f"submission:{key}").count(), value, (code, key))

    def test_the_hook_for_the_summary_combines_a_whole_subtree(self):
        figures = subtree_figures(self.orgs["QJ"], H1, TODAY)
        self.assertEqual(figures.due_in_period, 5)
        self.assertEqual(figures.meetings, {"theme_day": 2, "central_group": 1})
        whole = subtree_figures(self.orgs["SJ"], H1, TODAY)
        self.assertEqual((whole.due_in_period, whole.submissions["received"]), (7, 1))

    def test_a_unit_without_subordinates_has_only_its_own_row(self):
        view = consolidated(self.orgs["XQ"], H1, TODAY)
        self.assertEqual([(r.org.code, r.own) for r in view.rows], [("XQ", True)])
        self.assertEqual(view.subordinates, [])


class QueryCountTests(ConsolidatedTestCase):
    def test_two_or_six_units_take_the_same_number_of_queries(self):
        self.build()
        self.login("city_admin")
        url = reverse("upward:overview") + "?org=SJ&period=2023H1"

        def count() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as direct:
                consolidated(self.orgs["SJ"], H1, TODAY)
            with CaptureQueriesContext(connection) as page:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(direct.captured_queries), len(page.captured_queries)

        two = count()
        for i in range(4):
            unit = organization_create(actor=None, code=f"NQ{i}", name=f"新增区局{i}党委", kind=OrgKind.COMMITTEE, parent=self.orgs["SJ"])
            branch = organization_create(actor=None, code=f"NQ{i}01", name=f"新增{i}支部", kind=OrgKind.BRANCH, parent=unit)
            self.orgs[branch.code] = branch
            self.item(branch.code, date(2023, 5, 1), date(2023, 5, 1))
            self.meet(branch.code, "theme_day", date(2023, 5, 1))
            self.activity(branch.code, date(2023, 5, 2), covered=10)
            rectification_create(
                actor=None, unit=unit, source="inspection", problem=f"问题{i}", responsible_org=branch,
                deadline=date(2023, 6, 1),
            )
        submissions_generate(actor=None, period=H1)
        six = count()
        self.assertEqual(len(consolidated(self.orgs["SJ"], H1, TODAY).subordinates), 6)
        self.assertEqual(two, six)
        self.assertLessEqual(two[0], 6)  # units, timeliness, meetings, activities, rectifications, submissions


class PageTests(ConsolidatedTestCase):
    def setUp(self):
        self.build()

    def test_the_higher_level_sees_its_units_and_follows_a_figure(self):
        self.login("city_admin")
        page = self.client.get(reverse("upward:overview"), {"org": "SJ", "period": "2023H1"})
        self.assertContains(page, "示范区税务局党委")
        self.assertContains(page, "示范新区税务局党委")
        self.assertContains(page, "（本级）")
        self.assertContains(page, "20.0%")
        items = self.client.get(reverse("upward:overview-items", args=["SJ", "2023H1", "QJ"]), {"figure": "overdue"})
        self.assertEqual(items.status_code, 200)
        self.assertEqual(len(items.context["page"].object_list), 2)
        meetings = self.client.get(reverse("upward:overview-meetings", args=["SJ", "2023H1", ALL]), {"kind": "theme_day"})
        self.assertEqual(meetings.context["page"].paginator.count, 3)
        activities = self.client.get(reverse("upward:overview-activities", args=["SJ", "2023H1", "QJ"]))
        self.assertEqual(activities.context["page"].paginator.count, 2)
        self.assertContains(page, "583")
        missing = self.client.get(reverse("upward:overview-items", args=["SJ", "2023H1", "XQ"]), {"figure": "submission:missing"})
        self.assertContains(missing, "向市局报送2023年上半年人员信息核对情况报告")

    def test_defaults_and_a_unit_without_subordinates(self):
        self.login("xq_admin")
        page = self.client.get(reverse("upward:overview"))
        self.assertEqual(page.context["unit"], self.orgs["XQ"])
        self.assertContains(page, "没有下级党委")

    def test_scope_404_and_405(self):
        self.login("xq_admin")
        self.assertEqual(self.client.get(reverse("upward:overview"), {"org": "QJ"}).status_code, 404)
        self.assertEqual(self.client.get(reverse("upward:overview-items", args=["QJ", "2023H1", "QJ"])).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("upward:overview"), {"org": "SJ"}).status_code, 404)
        self.assertEqual(self.client.get(reverse("upward:overview-items", args=["QJ", "2023H1", "XQ"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("upward:overview-items", args=["QJ", "bad", "QJ"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("upward:overview-meetings", args=["QJ", "2023H1", "QJ"]), {"kind": "nope"}).status_code, 404)
        for username in ("secretary", "staff", "member", "sysadmin", "auditor"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("upward:overview")).status_code, 404, username)
        self.login("city_admin")
        self.assertEqual(self.client.post(reverse("upward:overview")).status_code, 405)
        self.assertEqual(self.client.post(reverse("upward:overview-items", args=["SJ", "2023H1", "QJ"])).status_code, 405)
        self.assertEqual(self.client.post(reverse("upward:overview-activities", args=["SJ", "2023H1", "QJ"])).status_code, 405)
        self.login("xq_admin")
        self.assertEqual(self.client.get(reverse("upward:overview-activities", args=["SJ", "2023H1", "QJ"])).status_code, 404)


class RectificationFiguresTests(ConsolidatedTestCase):
    """整改 by current state where the responsible organisation sits, deadlines within the period."""

    def rect(self, unit: str, org: str, deadline: date, problem: str):
        return rectification_create(
            actor=None, unit=self.orgs[unit], source="inspection", problem=problem,
            responsible_org=self.orgs[org], deadline=deadline, source_label="2023年第二季度支部工作检查",
        )

    def setUp(self):
        admin = self.users["party_admin"]
        closed = self.rect("QJ", "QJ01", date(2023, 5, 31), "政治学习笔记不全")
        evidence_add_file(actor=admin, item=closed.work_item, name="整改说明.pdf", data=b"%PDF-1.4", content_type="application/pdf")
        rectification_request_close(actor=admin, rect=closed, note="已补齐")
        closed.work_item.refresh_from_db()
        rectification_verify(actor=admin, rect=closed)
        rectification_close(actor=admin, rect=closed)
        self.rect("QJ", "QJ02", date(2023, 6, 15), "党建云平台任务未按时完成")  # still open: overdue today
        self.rect("XQ", "XQ01", date(2023, 6, 20), "支部工作手册记录不规范")
        self.rect("QJ", "QJ01", date(2023, 8, 1), "下半年的问题")  # deadline after the period

    def test_counts_by_state_match_their_rows(self):
        sj = self.orgs["SJ"]
        view = consolidated(sj, H1, TODAY)
        rows = {row.org.code: row for row in view.rows}
        self.assertEqual(rows["QJ"].rectifications["total"], 2)
        self.assertEqual(rows["QJ"].rectifications["closed"], 1)
        self.assertEqual(rows["QJ"].rectifications["in_progress"], 1)
        self.assertEqual(rows["QJ"].rectifications["overdue"], 1)
        self.assertEqual(rows["XQ"].rectifications["total"], 1)
        self.assertEqual(view.total.rectifications["total"], 3)
        for row in [*view.rows, view.total]:
            code = ALL if row is view.total else row.org.code
            for key, value in row.rectifications.items():
                self.assertEqual(figure_rectifications(sj, code, H1, TODAY, key).count(), value, (code, key))

    def test_page(self):
        self.login("city_admin")
        page = self.client.get(reverse("upward:overview"), {"org": "SJ", "period": "2023H1"})
        self.assertContains(page, "整改情况")
        rows = self.client.get(reverse("upward:overview-rectifications", args=["SJ", "2023H1", "QJ"]), {"figure": "closed"})
        self.assertContains(rows, "政治学习笔记不全")
        self.assertContains(rows, "已销号")
        self.assertEqual(self.client.get(reverse("upward:overview-rectifications", args=["SJ", "2023H1", "QJ"]), {"figure": "x"}).status_code, 404)
        self.login("xq_admin")
        self.assertEqual(self.client.get(reverse("upward:overview-rectifications", args=["SJ", "2023H1", "QJ"])).status_code, 404)
