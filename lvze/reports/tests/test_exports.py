"""台账 exports: real workbooks, read back with openpyxl, holding exactly the rows of the filtered lists."""

import io
from datetime import datetime
from urllib.parse import unquote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lvze.duties.models import WorkItem
from lvze.records.models import Activity, Honor, Meeting, Talk
from lvze.reports.tests.base import ReportTestCase, frozen

BASE = "/reports/exports/"


def sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def data_rows(ws, first=3):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first) if any(c.value is not None for c in row)]


class ExportTests(ReportTestCase):
    def download(self, ledger, username="party_admin", **params):
        self.login(username)
        with frozen():
            return self.client.get(f"{BASE}{ledger}.xlsx", params)

    def assert_workbook(self, response, title_words, headers):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("attachment; filename*=UTF-8''", response["Content-Disposition"])
        ws = sheet(response)
        for word in title_words:
            self.assertIn(word, ws["A1"].value)
        self.assertEqual([c.value for c in ws[2]][: len(headers)], headers)
        self.assertEqual(ws.freeze_panes, "A3")
        self.assertTrue(ws["A1"].font.bold and ws["A2"].font.bold)
        self.assertEqual(ws["A3"].border.left.style, "thin")
        self.assertTrue(any(d.width and d.width >= 30 for d in ws.column_dimensions.values()), "a wide column")
        self.assertIn(f"A1:{ws.cell(2, ws.max_column).column_letter}1", {str(r) for r in ws.merged_cells.ranges})
        return ws

    def test_work_items_with_the_list_filters(self):
        response = self.download("items", org="QJ", due_from="2024-01-01", due_to="2024-06-30", as_of="2024-06-30",
                                 timeliness="overdue")
        ws = self.assert_workbook(response, ["事项台账", "示范区税务局党委", "2024-01-01至2024-06-30", "时效截至2024-06-30"],
                                  ["序号", "事项", "责任组织", "责任人", "来源", "工作板块", "所属期间", "完成时限", "状态",
                                   "办结日期", "时效"])
        rows = data_rows(ws)
        self.assertTrue(rows)
        self.assertEqual({r[10] for r in rows}, {"逾期"})
        titles = {r[1] for r in rows}
        self.assertIn("修订制度汇编", titles, "done on 5 July: 逾期 as of 30 June")
        with frozen():
            listed = self.client.get("/items/", {"org": "QJ", "due_from": "2024-01-01", "due_to": "2024-06-30",
                                                 "as_of": "2024-06-30", "timeliness": "overdue"}).context["page"]
        self.assertEqual(len(rows), listed.paginator.count)
        self.assertEqual([r[0] for r in rows], list(range(1, len(rows) + 1)))
        task = next(r for r in rows if r[1] == "修订制度汇编")
        self.assertEqual((task[2], task[8], task[9], task[7]), ("办公室", "已办结", datetime(2024, 7, 5), datetime(2024, 4, 30)))

    def test_work_items_long_term_and_scope(self):
        rows = data_rows(sheet(self.download("items", org="QJ01", timeliness="long_term")))
        self.assertEqual([(r[1], r[7], r[10]) for r in rows], [("持续推进党建品牌建设", "长期", "长期")])
        secretary = data_rows(sheet(self.download("items", "secretary")))
        self.assertEqual(len(secretary), WorkItem.objects.filter(org_path__startswith=self.qj01.path).count())
        self.assertEqual(self.download("items", "xq_admin", org="QJ").status_code, 404)

    def test_meetings_keep_the_import_layout(self):
        response = self.download("meetings", org="QJ", period="2024Q2")
        ws = self.assert_workbook(response, ["会议台账", "示范区税务局党委", "2024年第二季度"],
                                  ["日期", "组织", "会议类型", "所属期间", "主题", "应到人数", "实到人数"])
        rows = data_rows(ws)
        expected = Meeting.objects.filter(organization__path__startswith=self.orgs["QJ"].path,
                                          period__in=["2024Q2", "2024-04", "2024-05", "2024-06"])
        self.assertEqual(len(rows), expected.count())
        self.assertIn(["5月主题党日", "2024-05"], [[r[4], r[3]] for r in rows], "held 3 June, belongs to May")
        self.assertEqual(rows[0][0], datetime(2024, 4, 10))

    def test_meetings_export_re_imports_without_changes(self):
        from lvze.records.ledgers import meetings_import

        data = self.download("meetings", org="QJ01", period="2024").content
        self.login("party_admin")
        with frozen():
            plan = meetings_import(actor=None, data=data, root=self.orgs["QJ"], dry_run=True, filename="x.xlsx")
        self.assertFalse(plan.errors, plan.errors)
        counts = plan.counts()
        self.assertEqual((counts["created"], counts["updated"], counts["unchanged"]), (0, 0, 6))

    def test_activities_with_totals(self):
        ws = self.assert_workbook(self.download("activities", org="QJ", start="2024-01-01", end="2024-06-30"),
                                  ["活动台账", "2024-01-01至2024-06-30"],
                                  ["日期", "组织", "活动类型", "活动名称", "参与人数", "覆盖群众人数", "解决问题数", "金额"])
        rows = data_rows(ws)
        self.assertEqual(len(rows), 3 + 1, "three activities and the 合计 row")
        self.assertEqual(rows[-1][:2], ["合计", "3次"])
        self.assertEqual(rows[-1][5], 255)
        self.assertEqual(Activity.objects.filter(held_on__year=2024, organization__path__startswith="/SJ/QJ/").count(), 3)

    def test_talks(self):
        ws = self.assert_workbook(self.download("talks", org="QJ", period="2024H1"), ["谈心谈话台账", "2024年上半年"],
                                  ["序号", "日期", "所属期间", "组织", "谈话类型", "谈话人", "谈话对象", "谈话主题"])
        rows = data_rows(ws)
        talk = Talk.objects.get()
        self.assertEqual(rows, [[1, datetime(2024, 3, 5), "2024-03", "第一党支部", talk.get_kind_display(), "张一", "赵三",
                                 "思想交流", None, None]])
        self.assertEqual(data_rows(sheet(self.download("talks", org="QJ", period="2023"))), [])
        self.assertEqual(self.download("talks", "xq_admin", org="QJ01").status_code, 404)

    def test_honours(self):
        ws = self.assert_workbook(self.download("honors", org="QJ", start="2024-01-01", end="2024-12-31"), ["荣誉台账"],
                                  ["序号", "获得日期", "级别", "荣誉名称", "获得者", "授予单位", "登记组织"])
        rows = data_rows(ws)
        self.assertEqual([(r[2], r[3], r[4]) for r in rows], [("省级", "五一劳动奖状", "示范区税务局党委")])
        everything = data_rows(sheet(self.download("honors", "city_admin")))
        self.assertEqual(len(everything), Honor.objects.count())
        self.assertEqual(data_rows(sheet(self.download("honors", "xq_admin"))), [[1, datetime(2024, 6, 1), "区级", "先进党支部",
                                                                                 "新区第一党支部", None, "新区第一党支部",
                                                                                 None, None]])

    def test_rectifications_keep_the_import_layout(self):
        ws = self.assert_workbook(self.download("rectifications", org="QJ", due_from="2024-01-01", due_to="2024-06-30"),
                                  ["整改台账", "示范区税务局党委", "2024-01-01至2024-06-30"],
                                  ["序号", "问题来源", "问题描述", "整改措施", "责任单位", "责任人", "整改时限", "整改进展",
                                   "销号情况"])
        rows = data_rows(ws)
        self.assertEqual([(r[2], r[4], r[6]) for r in rows], [("谈心谈话记录不完整", "第一党支部", "2024-04-30"),
                                                               ("三会一课记录不规范", "第二党支部", "2024-06-15")])
        self.assertTrue(rows[1][8].startswith("已销号"))
        self.assertEqual(rows[1][1], "巡察（区委第二巡察组）")
        everything = data_rows(sheet(self.download("rectifications", "city_admin")))
        self.assertEqual(len(everything), 3)
        self.assertEqual(self.download("rectifications", "xq_admin", org="QJ").status_code, 404)

    def test_file_names_say_what_is_in_them(self):
        response = self.download("meetings", org="QJ", period="2024H1")
        self.assertEqual(unquote(response["Content-Disposition"].split("''")[1]), "会议台账-QJ-2024H1.xlsx")

    def test_who_may_export(self):
        for ledger in ("items", "meetings", "talks", "activities", "honors", "rectifications"):
            self.assertEqual(self.download(ledger, "member").status_code, 403, ledger)
            self.assertEqual(self.download(ledger, "auditor").status_code, 403, ledger)
            self.assertEqual(self.download(ledger, "staff").status_code, 200, ledger)
            self.login("party_admin")
            self.assertEqual(self.client.post(f"{BASE}{ledger}.xlsx").status_code, 405, ledger)
        self.client.logout()
        self.assertEqual(self.client.get(f"{BASE}items.xlsx").status_code, 302)

    def test_queries_do_not_grow_with_rows(self):
        def queries(ledger, **params):
            self.login("party_admin")
            with frozen(), CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(f"{BASE}{ledger}.xlsx", params).status_code, 200)
            return len(captured)

        ledgers = ("items", "meetings", "talks", "honors", "activities", "rectifications")
        few = {ledger: queries(ledger, org="QJ01") for ledger in ledgers}
        many = {ledger: queries(ledger) for ledger in ledgers}
        for ledger in few:
            self.assertLessEqual(many[ledger], few[ledger] + 1, ledger)
            self.assertLess(many[ledger], 12, ledger)


class ExportPageTests(ReportTestCase):
    def test_page_links_carry_the_filters(self):
        self.login("party_admin")
        with frozen():
            response = self.client.get(f"{BASE}", {"org": "QJ01", "period": "2024H1"})
        self.assertEqual(response.status_code, 200)
        urls = {row["name"]: row["url"] for row in response.context["ledgers"]}
        self.assertEqual(urls["事项台账"], f"{BASE}items.xlsx?org=QJ01&due_from=2024-01-01&due_to=2024-06-30&as_of=2024-06-30")
        self.assertEqual(urls["会议台账"], f"{BASE}meetings.xlsx?org=QJ01&period=2024H1")
        self.assertEqual(urls["活动台账"], f"{BASE}activities.xlsx?org=QJ01&start=2024-01-01&end=2024-06-30")
        self.assertEqual(urls["整改台账"], f"{BASE}rectifications.xlsx?org=QJ01&due_from=2024-01-01&due_to=2024-06-30")
        for url in urls.values():
            with frozen():
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_defaults_all_periods_and_scope(self):
        self.login("secretary")
        with frozen():
            first = self.client.get(BASE)
            everything = self.client.get(BASE, {"org": "", "period": ""})
            other = self.client.get(BASE, {"org": "QJ02"})
            bad = self.client.get(BASE, {"period": "2024H9"})
        self.assertEqual(str(first.context["period"]), "2024H2")
        self.assertIsNone(everything.context["period"])
        self.assertIn("全部期间", everything.content.decode())
        self.assertEqual(other.status_code, 404)
        self.assertEqual(bad.status_code, 200)
        self.assertIn("期间应为", bad.content.decode())
        self.login("member")
        self.assertEqual(self.client.get(BASE).status_code, 403)
        self.assertEqual(self.client.post(BASE).status_code, 405)

    def test_list_pages_offer_the_export_with_their_filters(self):
        self.login("party_admin")
        with frozen():
            items = self.client.get("/items/", {"org": "QJ", "timeliness": "overdue"}).content.decode()
            talks = self.client.get("/records/talks/", {"org": "QJ01"}).content.decode()
            honors = self.client.get("/records/honors/", {"level": "provincial"}).content.decode()
        self.assertIn(f"{BASE}items.xlsx?org=QJ&amp;timeliness=overdue", items)
        self.assertIn(f"{BASE}talks.xlsx?org=QJ01", talks)
        self.assertIn(f"{BASE}honors.xlsx?level=provincial", honors)
