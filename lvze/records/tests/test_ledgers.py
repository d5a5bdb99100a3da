import json
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import Status, Timeliness, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.lib.periods import Period
from lvze.records.ledgers import activities_import, meetings_import, parse_amount, parse_count, parse_day
from lvze.records.models import Activity, ActivityType, Meeting
from lvze.records.selectors import activity_totals
from lvze.test import LvzeTestCase


def workbook(rows, merges=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unseen_activities(bad_participants=None) -> bytes:
    """A 活动台账 drawn the way a branch might: title, two-level header, 序号, work-area headings, an
    organisation merged down over two rows, units in the cells, a total row and a signature line."""
    rows = [
        ["2023年上半年党建活动开展情况统计表", None, None, None, None, None, None, None, None, None, None],
        [None] * 11,
        ["序号", "开展时间", "党组织", "活动类别", "活动主题", "参与情况", None, "解决群众问题（件）", "金额（元）", "所属板块", "活动亮点"],
        [None, None, None, None, None, "参与党员人数", "覆盖群众（人）", None, None, None, None],
        ["一、学习宣传", None, None, None, None, None, None, None, None, None, None],
        [1, "2023.3.5", "第一党支部", "理论宣讲", "二十大精神进社区", 12, "120人", 3, None, None, "以身边事解读大政策"],
        [2, "2023年4月8日", None, "宣讲", "“独贵春风”宣讲", bad_participants or 10, 85, 0, "—", None, None],
        ["二、精神文明", None, None, None, None, None, None, None, None, None, None],
        [3, 45000, "QJ02", "志愿服务活动", "学雷锋志愿服务", 15, "200余人", 5, None, None, None],
        [4, datetime(2023, 5, 8), "第二党支部", "捐款", "5·8人道公益日网络捐款", 30, 0, 0, "1,500.50元", "精神文明", "爱心助困送温暖"],
        [5, "2023/6/1-6/3", "办公室", "比赛", "羽毛球比赛", 24, None, None, None, None, None],
        ["合计", None, None, None, None, 91, 405, 8, 1500.5, None, None],
        ["填表人：张三", None, None, None, "填报日期：2023年7月1日", None, None, None, None, None, None],
    ]
    merges = ["A1:K1", "F3:G3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "H3:H4", "I3:I4", "J3:J4", "K3:K4",
              "A5:K5", "C6:C7", "A8:K8", "A12:E12"]
    return workbook(rows, merges)


class CellParsingTests(LvzeTestCase):
    def test_counts_amounts_and_dates(self):
        self.assertEqual(parse_count("580余人", "x"), 580)
        self.assertEqual(parse_count("1.2万", "x"), 12000)
        self.assertEqual(parse_count(None, "x"), 0)
        self.assertEqual(parse_count("—", "x"), 0)
        for bad in ("若干", "12.5", -3):
            with self.assertRaises(ValueError):
                parse_count(bad, "参与人数")
        self.assertEqual(parse_amount("0.5万元"), Decimal("5000.00"))
        self.assertEqual(parse_amount("¥1,234.5"), Decimal("1234.50"))
        with self.assertRaises(ValueError):
            parse_amount("一千元")
        self.assertEqual(parse_day("2023.3.1-3.5", None), (date(2023, 3, 1), date(2023, 3, 5)))
        self.assertEqual(parse_day("2023年3月1日至3日", None), (date(2023, 3, 1), date(2023, 3, 3)))
        self.assertEqual(parse_day("3月5日", 2023), (date(2023, 3, 5), None))
        self.assertEqual(parse_day(45000, None), (date(2023, 3, 15), None))
        for bad in ("2023-02-30", "3月5日", "下旬"):
            with self.assertRaises(ValueError):
                parse_day(bad, None)


class ActivityImportTests(LvzeTestCase):
    def test_unseen_layout_imports_with_exact_totals(self):
        plan = activities_import(actor=None, data=unseen_activities(), root=self.orgs["QJ"], filename="台账.xlsx")
        self.assertEqual(plan.errors, [])
        counts = plan.counts()
        self.assertEqual((counts["created"], counts["activities"], counts["participants"], counts["people_covered"],
                          counts["problems_solved"], counts["amount"]), (5, 5, 91, 405, 8, "1500.50"))
        self.assertNotIn("warnings", counts)  # the ledger's own 合计 row agrees
        by_name = {a.name: a for a in Activity.objects.select_related("organization", "activity_type")}
        first = by_name["二十大精神进社区"]
        self.assertEqual((first.held_on, first.organization.code, first.activity_type.name, first.people_covered,
                          first.work_area, first.highlight), (date(2023, 3, 5), "QJ01", "宣讲", 120, "学习宣传", "以身边事解读大政策"))
        second = by_name["“独贵春风”宣讲"]
        self.assertEqual((second.organization.code, second.amount, second.work_area), ("QJ01", None, "学习宣传"))
        third = by_name["学雷锋志愿服务"]
        self.assertEqual((third.held_on, third.organization.code, third.activity_type.name, third.work_area),
                         (date(2023, 3, 15), "QJ02", "志愿服务", "精神文明"))
        self.assertEqual(by_name["5·8人道公益日网络捐款"].amount, Decimal("1500.50"))
        race = by_name["羽毛球比赛"]
        self.assertEqual((race.organization.code, race.held_on, race.ends_on), ("QJBGS", date(2023, 6, 1), date(2023, 6, 3)))
        totals = activity_totals(Activity.objects.all())
        self.assertEqual((totals["count"], totals["participants"], totals["people_covered"], totals["problems_solved"],
                          totals["amount"]), (5, 91, 405, 8, Decimal("1500.50")))
        self.assertEqual(AuditEvent.objects.filter(action="activity.import").count(), 1)
        self.assertFalse(AuditEvent.objects.filter(action="activity.record").exists())
        # What the list page shows for the same records.
        self.login("party_admin")
        response = self.client.get(reverse("records:activity-list"), {"start": "2023-01-01", "end": "2023-06-30"})
        for figure in ('<div class="figure">5</div>', '<div class="figure">91</div>', '<div class="figure">405</div>',
                       '<div class="figure">8</div>', "400余"):
            self.assertContains(response, figure)
        # Re-importing updates nothing and duplicates nothing.
        again = activities_import(actor=None, data=unseen_activities(), root=self.orgs["QJ"], filename="台账.xlsx")
        self.assertEqual((again.counts()["created"], again.counts()["unchanged"]), (0, 5))
        self.assertEqual(Activity.objects.count(), 5)

    def test_bad_row_refuses_the_whole_file_with_its_row_number(self):
        plan = activities_import(actor=None, data=unseen_activities(bad_participants="若干"), root=self.orgs["QJ"])
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(7, "参与党员人数")])
        self.assertIn("若干", plan.errors[0].message)
        self.assertFalse(Activity.objects.exists())

    def test_unknown_organisation_and_impossible_date(self):
        data = workbook([
            ["日期", "组织", "活动类型", "活动名称", "参与人数"],
            ["2023-02-30", "第一党支部", "宣讲", "甲", 1],
            ["2023-03-01", "第九党支部", "宣讲", "乙", 1],
            ["2023-03-02", "新区第一党支部", "宣讲", "丙", 1],
        ])
        plan = activities_import(actor=None, data=data, root=self.orgs["QJ"])
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(2, "日期"), (3, "组织"), (4, "组织")])
        self.assertIn("不是存在的日期", plan.errors[0].message)
        self.assertIn("第一党支部", plan.errors[1].message)  # the closest names are suggested
        self.assertFalse(Activity.objects.exists())

    def test_missing_required_column_is_a_file_error(self):
        plan = activities_import(actor=None, data=workbook([["日期", "组织", "人数"], ["2023-03-01", "QJ01", 3]]),
                                 root=self.orgs["QJ"])
        self.assertEqual(plan.errors[0].row, None)
        self.assertIn("找不到表头行", plan.errors[0].message)

    def test_new_type_is_added_to_the_units_list_and_duplicates_refused(self):
        data = workbook([["日期", "活动名称", "活动类型"], ["2023-03-01", "读书分享", "读书会"], ["2023-03-02", "读书分享二", None]])
        plan = activities_import(actor=None, data=data, root=self.orgs["QJ01"])
        self.assertEqual(plan.counts()["new_types"], ["读书会"])
        self.assertTrue(ActivityType.objects.filter(unit=self.orgs["QJ"], name="读书会").exists())
        self.assertEqual(Activity.objects.get(name="读书分享二").activity_type.name, "特色活动")
        dup = workbook([["日期", "活动名称"], ["2023-03-01", "同名"], ["2023-03-01", "同名"]])
        plan = activities_import(actor=None, data=dup, root=self.orgs["QJ01"])
        self.assertEqual(plan.errors[0].row, 3)

    def test_export_round_trips(self):
        activities_import(actor=None, data=unseen_activities(), root=self.orgs["QJ"])
        self.login("party_admin")
        response = self.client.get(reverse("records:activity-export"))
        self.assertEqual(response.status_code, 200)
        again = activities_import(actor=None, data=response.content, root=self.orgs["QJ"])
        self.assertEqual(again.errors, [])
        self.assertEqual((again.counts()["unchanged"], again.counts()["people_covered"]), (5, 405))
        self.assertNotIn("warnings", again.counts())

    def test_command(self):
        path = self.tmp_file(unseen_activities())
        out = StringIO()
        call_command("import", "activities", str(path), "--org", "QJ", "--json", "--dry-run", stdout=out)
        result = json.loads(out.getvalue())
        self.assertEqual((result["created"], result["people_covered"], result["dry_run"]), (5, 405, True))
        self.assertFalse(Activity.objects.exists())
        bad = self.tmp_file(unseen_activities(bad_participants="若干"))
        out = StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("import", "activities", str(bad), "--org", "QJ", "--json", stdout=out)
        self.assertEqual(raised.exception.returncode, 2)
        self.assertEqual(json.loads(out.getvalue())["errors"][0]["row"], 7)
        out = StringIO()
        call_command("import", "activities", str(path), "--org", "QJ", stdout=out)
        self.assertIn("覆盖群众405人", out.getvalue())

    def tmp_file(self, data: bytes):
        from django.conf import settings

        path = settings.DATA_DIR / f"ledger-{len(data)}.xlsx"
        path.write_bytes(data)
        return path


class MeetingImportTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2023Q2"))

    def ledger(self, *rows) -> bytes:
        return workbook([
            ["第一党支部2023年会议台账"],
            ["会议日期", "组织", "会议类型", "所属期间", "主题", "应到人数", "实到人数", "主持人", "记录人", "内容摘要"],
            *rows,
        ], ["A1:J1"])

    def item(self, org, period, kind="theme_day"):
        return WorkItem.objects.get(organization=self.orgs[org], rule__code=kind, period=period)

    def test_import_fulfils_on_time_and_late(self):
        data = self.ledger(
            ["2023-05-12", "QJ01", "主题党日", None, "学习二十大", 12, 11, "王", "李", "学习"],
            ["2023-06-02", "第二党支部", "主题党日活动", "2023年5月", "重温誓词", 10, 10, None, None, None],
            ["2023-05-20", "第一党支部", "支部党员大会", None, "大会", 12, 12, None, None, None],
        )
        plan = meetings_import(actor=None, data=data, root=self.orgs["QJ"], filename="会议.xlsx")
        self.assertEqual(plan.errors, [])
        self.assertEqual((plan.counts()["created"], plan.counts()["fulfilled"]), (3, 3))
        on_time, late = self.item("QJ01", "2023-05"), self.item("QJ02", "2023-05")
        states = dict(with_timeliness(WorkItem.objects.filter(pk__in=[on_time.pk, late.pk]), date(2023, 7, 1))
                      .values_list("pk", "timeliness"))
        self.assertEqual((states[on_time.pk], states[late.pk]), (Timeliness.ON_TIME, Timeliness.LATE))
        self.assertEqual(self.item("QJ01", "2023Q2", "branch_assembly").status, Status.DONE)
        meeting = Meeting.objects.get(topic="学习二十大")
        self.assertEqual((meeting.expected_count, meeting.attended_count, meeting.host, meeting.period), (12, 11, "王", "2023-05"))
        self.assertEqual(AuditEvent.objects.filter(action="meeting.import").count(), 1)
        self.assertFalse(AuditEvent.objects.filter(action="work_item.done").exists())
        again = meetings_import(actor=None, data=data, root=self.orgs["QJ"])
        self.assertEqual((again.counts()["unchanged"], Meeting.objects.count()), (3, 3))

    def test_records_it_could_not_place_are_listed(self):
        q2 = self.item("QJ01", "2023Q2", "branch_assembly")
        WorkItem.objects.create(key="extra", source="rule", organization=q2.organization, unit=q2.unit,
                                org_path=q2.org_path, title="另一事项", period="2023-05", due_date=date(2023, 5, 31),
                                fulfilled_by_kind="meeting:branch_assembly")
        plan = meetings_import(actor=None, data=self.ledger(["2023-05-20", "QJ01", "党员大会", None, "大会", 3, 3]),
                               root=self.orgs["QJ"])
        self.assertEqual(plan.counts()["fulfilled"], 0)
        self.assertEqual(plan.counts()["unplaced"][0]["row"], 3)

    def test_refusals(self):
        data = self.ledger(
            ["2023-05-12", "QJ01", "座谈会", None, "甲", 3, 3],
            ["2023-05-13", "QJ01", "党课", None, "乙", 3, 4],
            ["2023-05-14", "QJ01", "党课", "2023-06", "丙", 3, 3],
            ["2023-05-15", "QJ01", "党课", None, None, 3, 3],
        )
        plan = meetings_import(actor=None, data=data, root=self.orgs["QJ"])
        self.assertEqual([(e.row, e.column) for e in plan.errors],
                         [(3, "会议类型"), (4, "实到人数"), (5, "所属期间"), (6, "主题")])
        self.assertFalse(Meeting.objects.exists())

    def test_web_upload_preview_and_confirm(self):
        data = self.ledger(["2023-05-12", "第一党支部", "主题党日", None, "学习二十大", 12, 11])
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("records:import")).status_code, 200)
        response = self.client.post(reverse("records:import"), {
            "kind": "meetings", "org": "QJ01", "file": SimpleUploadedFile("会议.xlsx", data)})
        self.assertContains(response, "将新增 <strong>1</strong> 条")
        self.assertContains(response, "学习二十大")
        self.assertFalse(Meeting.objects.exists())
        response = self.client.post(reverse("records:import"), {"confirm": "1"})
        self.assertRedirects(response, reverse("records:meeting-list"))
        self.assertEqual(Meeting.objects.get().fulfils, self.item("QJ01", "2023-05"))

    def test_web_import_stays_within_the_writers_scope(self):
        data = self.ledger(["2023-05-12", "第二党支部", "主题党日", None, "越权", 3, 3])
        self.login("secretary")
        response = self.client.post(reverse("records:import"), {
            "kind": "meetings", "org": "QJ02", "file": SimpleUploadedFile("会议.xlsx", data)})
        self.assertEqual(response.status_code, 200)  # QJ02 is not a choice
        self.assertNotContains(response, "将新增")
        self.login("party_admin")
        response = self.client.post(reverse("records:import"), {
            "kind": "meetings", "org": "QJ", "file": SimpleUploadedFile("会议.xlsx", data)})
        self.assertContains(response, "将新增 <strong>1</strong> 条")
        self.login("city_admin")  # reads below, writes only its own unit
        data = self.ledger(["2023-05-12", "QJ01", "主题党日", None, "越权", 3, 3])
        response = self.client.post(reverse("records:import"), {
            "kind": "meetings", "org": "SJ", "file": SimpleUploadedFile("会议.xlsx", data)})
        self.assertContains(response, "整份文件不会导入")
        for username in ("member", "supervisor", "auditor"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("records:import")).status_code, 404)
        self.assertFalse(Meeting.objects.exists())


class ActivityWebImportTests(LvzeTestCase):
    def test_party_admin_imports_an_unseen_ledger_through_the_preview(self):
        self.login("party_admin")
        response = self.client.post(reverse("records:import"), {
            "kind": "activities", "org": "QJ", "file": SimpleUploadedFile("活动台账.xlsx", unseen_activities())})
        self.assertContains(response, "将新增 <strong>5</strong> 条")
        self.assertContains(response, "覆盖群众405人")
        self.assertContains(response, "活动类型“理论宣讲”按“宣讲”登记")
        self.assertFalse(Activity.objects.exists())
        response = self.client.post(reverse("records:import"), {"confirm": "1"})
        self.assertRedirects(response, reverse("records:activity-list"))
        self.assertEqual(activity_totals(Activity.objects.all())["people_covered"], 405)
        self.login("secretary")  # a branch cannot import another branch's rows
        response = self.client.post(reverse("records:import"), {
            "kind": "activities", "org": "QJ01", "file": SimpleUploadedFile("活动台账.xlsx", unseen_activities())})
        self.assertContains(response, "整份文件不会导入")
        self.assertContains(response, "找不到")
