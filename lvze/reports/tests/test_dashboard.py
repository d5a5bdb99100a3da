import json
import re
from datetime import date
from html import unescape as html_unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvze.duties.generation import obligations_generate
from lvze.duties.models import OPEN_STATUSES, Status, WorkItem
from lvze.inspections.models import Finding
from lvze.lib.periods import Period
from lvze.orgs.models import OrgKind
from lvze.orgs.services import organization_create
from lvze.records.models import Activity, Meeting, MeetingKind
from lvze.records.services import meeting_record
from lvze.reports.forms import period_choices
from lvze.reports.selectors import dashboard_figures
from lvze.reports.tests.base import H1, TODAY, ReportTestCase, frozen, listed_count

URL = "/reports/"


def h1_items(org_path: str):
    return WorkItem.objects.filter(org_path__startswith=org_path, due_date__gte=date(2024, 1, 1),
                                   due_date__lte=date(2024, 6, 30))


class DashboardFigureTests(ReportTestCase):
    """The figures, computed independently here with plain ORM filters, and the rows behind each link."""

    def figures(self, username="party_admin", org="QJ", period=H1, today=TODAY):
        user = self.login(username)
        with frozen(today):
            return dashboard_figures(user, self.orgs[org], period, today)

    def test_timeliness_as_of_the_end_of_a_past_period(self):
        d = self.figures()
        self.assertEqual(d.as_of, date(2024, 6, 30))
        items = h1_items(self.orgs["QJ"].path)
        end = date(2024, 6, 30)
        done = items.filter(status=Status.DONE, done_on__lte=end)
        open_at_end = items.filter(status__in=OPEN_STATUSES) | items.filter(status=Status.DONE, done_on__gt=end)
        self.assertEqual(d.tally.total, items.count())
        self.assertEqual(d.tally.on_time, sum(1 for i in done if i.done_on <= i.due_date))
        self.assertEqual(d.tally.late, sum(1 for i in done if i.done_on > i.due_date))
        self.assertEqual(d.tally.overdue, open_at_end.filter(due_date__lt=end).count())
        self.assertEqual(d.tally.due_soon, open_at_end.filter(due_date__gte=end, warn_from__lte=end).count())
        self.assertEqual(d.tally.normal, open_at_end.filter(warn_from__gt=end).count())
        self.assertEqual(d.tally.total, d.tally.on_time + d.tally.late + d.tally.overdue + d.tally.due_soon + d.tally.normal)
        # Done on 5 July, after the period: still open at its end, so 逾期 — not 逾期办结.
        self.assertIn(self.task_late, list(d.overdue))
        self.assertIn(self.task_open, list(d.overdue))
        self.assertEqual(d.tally.rate, d.tally.on_time / d.tally.total)
        self.assertEqual(d.long_term, 1)

    def test_a_current_period_counts_as_of_today(self):
        d = self.figures(period=Period.parse("2024"), today=date(2024, 7, 15))
        self.assertEqual(d.as_of, date(2024, 7, 15))
        self.assertEqual(d.tally.total, WorkItem.objects.filter(org_path__startswith=self.orgs["QJ"].path,
                                                                due_date__year=2024).count())
        self.assertNotIn(self.task_late, list(d.overdue), "done on 5 July: 逾期办结 as of today")
        self.assertGreater(d.tally.normal, 0, "items due later in the year are 正常")

    def test_months_sum_to_the_headline(self):
        d = self.figures()
        self.assertEqual([m.key for m in d.months], [f"2024-0{m}" for m in range(1, 7)])
        for key in ("total", "on_time", "late", "overdue", "due_soon", "normal"):
            self.assertEqual(sum(getattr(m.tally, key) for m in d.months), getattr(d.tally, key), key)
        march = h1_items(self.orgs["QJ"].path).filter(due_date__month=3).count()
        self.assertEqual(d.months[2].tally.total, march)

    def test_side_by_side_units_of_the_city(self):
        d = self.figures("city_admin", org="SJ")
        rows = {r.key: r for r in d.units}
        self.assertEqual(set(rows) - {"SJ"}, {"QJ", "XQ"})
        for code in ("QJ", "XQ"):
            self.assertEqual(rows[code].tally.total, h1_items(self.orgs[code].path).count())
        self.assertEqual(rows["QJ"].extra["meetings"], Meeting.objects.filter(
            organization__path__startswith=self.orgs["QJ"].path, period__startswith="2024").count())
        self.assertEqual(rows["XQ"].extra["covered"], 60)
        self.assertEqual(sum(r.tally.total for r in d.units), d.tally.total)

    def test_side_by_side_inside_a_unit_and_branch_ranking(self):
        d = self.figures()
        rows = {r.key: r for r in d.units}
        self.assertEqual(rows["QJJG"].tally.total, h1_items(self.orgs["QJJG"].path).count())
        self.assertEqual(rows["QJBGS"].tally.total, 2)
        self.assertEqual(sum(r.tally.total for r in d.units), d.tally.total)
        self.assertEqual([r.key for r in d.branches], ["QJ01", "QJ02"])
        self.assertEqual([r.extra["rank"] for r in d.branches], [1, 2])
        for row in d.branches:
            items = h1_items(self.orgs[row.key].path)
            on_time = sum(1 for i in items.filter(status=Status.DONE, done_on__lte=date(2024, 6, 30))
                          if i.done_on <= i.due_date)
            self.assertEqual((row.tally.total, row.tally.on_time), (items.count(), on_time))
        self.assertGreater(d.branches[0].tally.rate, d.branches[1].tally.rate)

    def test_meetings_held_versus_required(self):
        d = self.figures()
        rows = {r.key: r for r in d.obligations}
        theme = rows["meeting:theme_day"]
        required = h1_items(self.orgs["QJ"].path).filter(fulfilled_by_kind="meeting:theme_day")
        self.assertEqual(theme.tally.total, required.count())
        self.assertEqual(theme.tally.total, 12, "two branches × six months")
        self.assertEqual((theme.tally.on_time, theme.tally.late), (5, 1))
        self.assertEqual(theme.extra["held"], 6)
        self.assertEqual(rows["meeting:consultation"].extra["held"], 1)
        self.assertEqual(rows["meeting:consultation"].url, "", "会商 is not a rule-pack item")
        self.assertEqual([r.extra["n"] for r in d.consultations], [1, 0, 0])
        self.assertEqual(rows["talk"].extra["held"], 1)

    def test_activities_talks_and_honours_of_the_period(self):
        d = self.figures()
        self.assertEqual(d.activity_totals["count"], 3)
        self.assertEqual(d.activity_totals["people_covered"], 255)
        types = {r.key: r.extra for r in d.activity_types}
        self.assertEqual((types["宣讲"]["count"], types["宣讲"]["people_covered"]), (2, 215))
        self.assertEqual(types["志愿服务"]["count"], 1, "last year's activity is outside the period")
        areas = {r.key: r.extra["people_covered"] for r in d.activity_areas}
        self.assertEqual(areas, {"学习宣传": 215, "精神文明": 40})
        self.assertEqual(d.talk_total, 1)
        self.assertEqual((d.honor_total, [r.label for r in d.honors]), (1, ["省级"]))

    def test_supervision_findings_and_rectifications(self):
        d = self.figures()
        by_type = {r.key: r.extra["n"] for r in d.supervision}
        self.assertEqual(by_type, {"committee": 0, "discipline": 1, "department": 0, "grassroots": 1, "democratic": 0,
                                   "external": 0}, "last year's finding is outside the period")
        self.assertEqual({r.key: r.extra["n"] for r in d.finding_sources}, {"supervision": 2, "patrol": 1})
        self.assertEqual(d.finding_total, Finding.objects.filter(found_on__year=2024).count())
        states = {r.key: r.extra["n"] for r in d.rectifications}
        self.assertEqual((states["in_progress"], states["closed"], d.rectification_total), (1, 1, 2),
                         "the one due in September is outside H1")
        self.assertEqual(self.figures(org="QJ01").rectification_total, 1)
        self.assertEqual(self.figures("xq_admin", org="XQ").finding_total, 0)

    def test_leader_sees_their_areas_and_departments_first(self):
        self.make_leader(["综合监督"], ["QJBGS"])
        d = self.figures("leader")
        area = h1_items(self.orgs["QJ"].path).filter(work_area="综合监督").count()
        self.assertEqual([(r.key, r.tally.total) for r in d.leader], [("综合监督", area), ("QJBGS", 2)])
        self.assertEqual(d.leader[1].tally.overdue, 2)
        self.assertEqual(d.areas[0].key, "综合监督")
        self.assertTrue(d.areas[0].extra["mine"])
        self.assertIsNone(self.figures("party_admin").leader, "not a leader")


class DashboardPageTests(ReportTestCase):
    def get(self, username="party_admin", **params):
        self.login(username)
        with frozen():
            return self.client.get(URL, params)

    def follow_count(self, url: str) -> int:
        with frozen():
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return listed_count(response.content.decode())

    def test_page_renders_the_figures_and_charts(self):
        response = self.get(period="2024H1")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("统计看板", html)
        self.assertIn("期间已结束，按期末口径统计", html)
        charts = response.context["charts"]
        self.assertEqual(set(charts), {"timeliness", "months", "units", "branches", "obligations", "activity_types",
                                       "activity_areas", "supervision"})
        pie = charts["timeliness"]["series"][0]["data"]
        self.assertEqual(sum(p["value"] for p in pie), response.context["d"].tally.total)
        self.assertIn('id="dashboard-charts"', html)
        self.assertIn("vendor/echarts/echarts.min.js", html)
        self.assertIn("js/dashboard.js", html)
        self.assertNotRegex(html, r"<script>|\son[a-z]+=\"|hx-on", "no inline scripts or handlers")
        self.assertEqual(len(re.findall(r'data-chart="', html)), 8)

    def test_every_headline_figure_equals_the_rows_behind_its_link(self):
        d = self.get(period="2024H1").context["d"]
        for key in ("on_time", "late", "overdue", "due_soon", "normal"):
            self.assertEqual(self.follow_count(d.links[key]), getattr(d.tally, key), key)
        self.assertEqual(self.follow_count(d.links["items"]), d.tally.total)
        self.assertEqual(self.follow_count(d.links["long_term"]), d.long_term)
        for month in d.months:
            self.assertEqual(self.follow_count(month.url), month.tally.total, month.key)
        for row in d.units + d.branches + d.areas + d.obligations:
            if row.url:
                self.assertEqual(self.follow_count(row.url), row.tally.total, row.label)
                self.assertEqual(self.follow_count(row.url + "&timeliness=overdue"), row.tally.overdue, row.label)
        for row in d.obligations:
            self.assertEqual(self.follow_count(row.extra["held_url"]), row.extra["held"], row.label)
        for row in d.activity_types + d.activity_areas:
            self.assertEqual(self.follow_count(row.extra["url"]), row.extra["count"], row.label)
        for row in d.talks + d.honors + d.consultations + d.supervision + d.finding_sources + d.rectifications:
            self.assertEqual(self.follow_count(row.extra["url"]), row.extra["n"], row.label)
        self.assertEqual(self.follow_count(d.links["activities"]), d.activity_totals["count"])
        self.assertEqual(self.follow_count(d.links["meetings"]), sum(r.extra["held"] for r in d.obligations
                                                                      if r.key.startswith("meeting:")))
        self.assertEqual(self.follow_count(d.links["honors"]), d.honor_total)
        self.assertEqual(self.follow_count(d.links["findings"]), d.finding_total)
        self.assertEqual(self.follow_count(d.links["rectifications"]), d.rectification_total)
        for row in d.units:
            if row.extra["meetings_url"]:
                self.assertEqual(self.follow_count(row.extra["meetings_url"]), row.extra["meetings"], row.label)
                self.assertEqual(self.follow_count(row.extra["activities_url"]), row.extra["activities"], row.label)

    def test_chart_points_link_to_the_same_rows(self):
        charts = self.get(period="2024H1").context["charts"]
        for series in charts["months"]["series"][:5]:
            for point in series["data"]:
                if point["value"]:
                    self.assertEqual(self.follow_count(point["url"]), point["value"])

    def test_htmx_swaps_only_the_figures(self):
        self.login("party_admin")
        with frozen():
            response = self.client.get(URL, {"org": "QJ01", "period": "2024Q1"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("<html", html)
        self.assertIn('id="dashboard-charts"', html)
        self.assertIn("第一党支部", html)
        self.assertIn("HX-Request", response["Vary"])
        with frozen():
            restore = self.client.get(URL, {"org": "QJ01"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
        self.assertIn("<html", restore.content.decode())

    def test_defaults_to_the_readers_unit_and_the_current_half_year(self):
        response = self.get()
        d = response.context["d"]
        self.assertEqual((d.org.code, str(d.period)), ("QJ", "2024H2"))
        self.assertEqual(self.get("city_admin").context["d"].org.code, "SJ")
        self.assertEqual(self.get("supervisor").status_code, 200)
        self.assertEqual(self.get("leader").status_code, 200)

    def test_a_bad_period_falls_back_with_a_message(self):
        response = self.get(period="2024H3", org="QJ01")
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.context["d"].org.code, str(response.context["d"].period)), ("QJ01", "2024H2"))
        self.assertIn("期间应为", response.content.decode())

    def test_scope_403_404_405(self):
        for username in ("secretary", "staff", "member", "sysadmin", "auditor"):
            self.assertEqual(self.get(username).status_code, 403, username)
        self.assertEqual(self.get("xq_admin", org="QJ").status_code, 404)
        self.assertEqual(self.get("party_admin", org="SJ").status_code, 404, "a 区局 does not read its 市局")
        self.assertEqual(self.get("party_admin", org="NOPE").status_code, 404)
        self.assertEqual(self.get("city_admin", org="XQ01").status_code, 200)
        self.login("party_admin")
        self.assertEqual(self.client.post(URL).status_code, 405)
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_empty_period_says_so(self):
        response = self.get(period="2022H1")
        html = response.content.decode()
        self.assertIn("本期没有完成时限在期间内的事项", html)
        self.assertIn("本期没有活动记录", html)
        self.assertIn("本期没有谈心谈话记录", html)
        self.assertEqual(response.context["charts"], {})

    def test_leader_panel_comes_first(self):
        self.make_leader(["综合监督"], ["QJBGS"])
        html = self.get("leader", period="2024H1").content.decode()
        self.assertIn("我分管的", html)
        self.assertLess(html.index("我分管的"), html.index("事项完成与时效"))
        self.assertIn("办公室（分管部门）", html)

    def test_navigation(self):
        for username, shown in [("party_admin", True), ("leader", True), ("supervisor", True), ("secretary", False)]:
            html = self.get(username, period="2024H1").content.decode() if shown else None
            self.login(username)
            home = self.client.get("/").content.decode()
            self.assertEqual("统计看板" in home, shown, username)
            self.assertIn("台账导出", home)
            if html:
                self.assertIn('class="active">统计看板', html)

    def test_period_choices(self):
        groups = dict(period_choices(date(2024, 7, 15)))
        self.assertEqual(list(groups), ["2024年", "2023年", "2022年"])
        values = [v for v, _ in groups["2024年"]]
        self.assertEqual(values[:3], ["2024", "2024H1", "2024H2"])
        self.assertIn("2024-07", values)
        self.assertNotIn("2024-08", values, "no future months")
        self.assertNotIn("2022-05", [v for v, _ in groups["2022年"]])
        older = period_choices(date(2024, 7, 15), Period.parse("2019H2"))
        self.assertEqual(older[0], ("所选期间", [("2019H2", "2019年下半年")]))
        self.assertEqual(len(period_choices(date(2024, 7, 15), Period.parse("2024Q3"))), 3)


class DashboardQueryCountTests(ReportTestCase):
    """The number of queries does not grow with the number of organisations."""

    def count_queries(self, username="party_admin", org="QJ") -> int:
        self.login(username)
        with frozen(), CaptureQueriesContext(connection) as captured:
            response = self.client.get(URL, {"org": org, "period": "2024H1"})
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def add_branches(self, n: int) -> None:
        parent, unit = self.orgs["QJJG"], self.orgs["QJ"]
        types = list(unit.activity_types.all()[:2])
        for i in range(n):
            branch = organization_create(actor=None, code=f"QJX{i:02d}", name=f"扩展第{i}党支部", kind=OrgKind.BRANCH,
                                         parent=parent)
            organization_create(actor=None, code=f"QJS{i:02d}", name=f"扩展科室{i}", kind=OrgKind.DEPARTMENT,
                                parent=unit)
            sub = organization_create(actor=None, code=f"SJU{i:02d}", name=f"下级党委{i}", kind=OrgKind.COMMITTEE,
                                      parent=self.orgs["SJ"])
            organization_create(actor=None, code=f"SJU{i:02d}B", name=f"下级党委{i}支部", kind=OrgKind.BRANCH, parent=sub)
            with frozen(date(2024, 7, 1)):
                meeting_record(actor=None, organization=branch, kind=MeetingKind.THEME_DAY, held_on=date(2024, 3, 3),
                               topic="主题党日")
            Activity.objects.create(organization=branch, activity_type=types[i % 2], name="活动", held_on=date(2024, 4, 1),
                                    people_covered=10)
        obligations_generate(actor=None, period=Period.parse("2024"))

    def test_two_branches_versus_many(self):
        before = {user: self.count_queries(user, org) for user, org in
                  [("party_admin", "QJ"), ("city_admin", "SJ"), ("party_admin", "QJJG")]}
        self.add_branches(12)
        after = {user: self.count_queries(user, org) for user, org in
                 [("party_admin", "QJ"), ("city_admin", "SJ"), ("party_admin", "QJJG")]}
        self.assertEqual(before, after)
        d = self.client.get(URL, {"org": "QJ", "period": "2024H1"}).context
        self.assertGreaterEqual(len(d["d"].branches), 14)

    def test_leader_query_count_is_fixed(self):
        self.make_leader(["综合监督", "党建质量"], ["QJBGS"])
        before = self.count_queries("leader")
        self.add_branches(5)
        self.assertEqual(self.count_queries("leader"), before)


class ChartJsonTests(ReportTestCase):
    def test_json_script_is_valid_and_carries_urls(self):
        self.login("party_admin")
        with frozen():
            html = self.client.get(URL, {"period": "2024H1"}).content.decode()
        match = re.search(r'<div id="dashboard-charts" hidden data-options="(.*?)"></div>', html, re.S)
        charts = json.loads(html_unescape(match[1]))
        ranking = charts["branches"]
        self.assertEqual(ranking["yAxis"]["data"][-1], "1. 第一党支部", "the best is drawn on top")
        self.assertTrue(all(p["url"].startswith("/items/?") for p in ranking["series"][0]["data"]))
        obligations = charts["obligations"]
        labels = obligations["xAxis"]["data"]
        self.assertIn(MeetingKind.THEME_DAY.label, labels)
