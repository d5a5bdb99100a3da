"""The 分解表 import: real messy workbooks built with openpyxl, through the command and the web page."""

import datetime as dt
import io
import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lvze.audit.models import AuditEvent
from lvze.duties.models import Frequency, Plan, Source, Status, Task, WorkItem
from lvze.orgs.models import OrgKind
from lvze.orgs.services import organization_create
from lvze.test import LvzeTestCase

PLAN = "2023年全面从严治党工作要点"
TITLE = "2023年全面从严治党重点任务分解表"
HEADER_TOP = ["序号", "重点任务", "具体措施", "责任分工", None, None, "完成时限", "工作板块"]
HEADER_SUB = [None, None, None, "牵头单位", "配合单位", "责任领导", None, None]

# (seq, task, measures, lead, cooperating, leader, deadline, work area); a str row is a category.
MESSY = [
    "一、强化理论武装",
    [
        1,
        "落实“第一议题”制度",
        "党委会第一议题学习",
        "办公室、人事教育股",
        "机关党委",
        "党委书记",
        "2023年6月30日",
        "",
    ],
    None,
    [2, "理论学习中心组学习", "每月集体学习", "机关党委", "各党支部", "分管党建局领导", "每月", "学习宣传"],
    "二、全面从严治党",
    [3, "召开全面从严治党工作会议", "部署全年工作", "机关党委", "各股室", "张一", "2023.3.31", ""],
    [4, "开展廉政教育", "", "纪检组", "办公室", "", "6月底前", ""],
    [5, "季度工作检查", "", "机关党委", "", "", "第二季度", ""],
    [6, "半年工作小结", "", "机关党委", "", "", "二季度", ""],
    [7, "上半年专题研究", "", "办公室", "", "", "上半年", ""],
    [8, "下半年专题研究", "", "办公室", "", "", "下半年", ""],
    [9, "支部工作季度报告", "", "各党支部", "", "", "每季度", ""],
    [10, "专题研究全面从严治党", "", "机关党委", "", "", "每半年", ""],
    [11, "全年目标考核", "", "人事教育股", "", "", "全年", ""],
    [12, "述职述廉", "", "人事教育股", "", "", "年底前", ""],
    [13, "作风建设", "", "机关党委", "", "", "长期坚持", ""],
    [14, "一体化综合监督", "", "纪检组", "", "", "持续推进", ""],
    [15, "党费收缴核对", "", "机关党委", "", "", "6月30日前", ""],
    [16, "意识形态分析研判", "", "机关党委", "", "", dt.datetime(2023, 9, 30), "意识形态"],
]
MERGED_TASK = [  # a task cell merged down over two measures
    [17, "深化党建融合", "打造税企联建品牌", "第一党支部", "", "", "10月底前", "党建质量"],
    [None, None, "开展结对共建活动", "第二党支部", "", "", "11月30日前", "党建质量"],
]
NOTE = "注：完成时限以上级通知为准"


def build_workbook(rows=MESSY, title=TITLE, merged=True, note=True) -> bytes:
    """Title merged across, a two-level merged header, category rows merged across, blank rows."""
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：区局机关党委"])
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    for col in "ABCGH":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:F3")
    for row in rows:
        if row is None:
            ws.append([])
        elif isinstance(row, str):
            ws.append([row])
            ws.merge_cells(f"A{ws.max_row}:H{ws.max_row}")
        else:
            ws.append(row)
    if merged:
        start = ws.max_row + 1
        for row in MERGED_TASK:
            ws.append(row)
        ws.merge_cells(f"A{start}:A{start + 1}")
        ws.merge_cells(f"B{start}:B{start + 1}")
    if note:
        ws.append([NOTE])
        ws.append(["填表人：王某", None, None, "审核人：李某"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class TaskImportBase(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for code, name, short in [
            ("QJRJ", "人事教育股", []),
            ("QJS1", "第一税务所", ["税源所"]),
            ("QJS2", "第二税务所", ["税源所"]),
        ]:
            cls.orgs[code] = organization_create(
                actor=None,
                code=code,
                name=name,
                short_names=short,
                kind=OrgKind.DEPARTMENT,
                parent=cls.orgs["QJ"],
            )

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def run_import(self, data: bytes, *extra: str, plan: str | None = PLAN) -> tuple[int, dict]:
        path = self.tmp / "分解表.xlsx"
        path.write_bytes(data)
        out = StringIO()
        args = ["import", "tasks", str(path), "--org", "QJ", "--json", *extra]
        if plan:
            args += ["--plan", plan]
        try:
            call_command(*args, stdout=out, stderr=StringIO())
        except CommandError as exc:
            return exc.returncode, json.loads(out.getvalue())
        return 0, json.loads(out.getvalue())

    def task(self, title: str) -> Task:
        return Task.objects.get(title=title)


class TaskImportCommandTests(TaskImportBase):
    def test_messy_table_imports_every_row(self):
        code, result = self.run_import(build_workbook())
        self.assertEqual(code, 0, result)
        self.assertEqual((result["created"], result["updated"], result["unchanged"]), (18, 0, 0))
        plan = Plan.objects.get(name=PLAN)
        self.assertEqual((plan.unit.code, plan.year), ("QJ", 2023))
        first = self.task("落实“第一议题”制度")
        self.assertEqual(first.category, "一、强化理论武装")
        self.assertEqual({o.code for o in first.lead_orgs.all()}, {"QJBGS", "QJRJ"})
        self.assertEqual([o.code for o in first.cooperating_orgs.all()], ["QJJG"])
        self.assertEqual((first.leader_text, first.leader), ("党委书记", None))
        self.assertEqual(first.due_date, dt.date(2023, 6, 30))
        self.assertEqual(self.task("召开全面从严治党工作会议").category, "二、全面从严治党")
        self.assertEqual(
            self.task("召开全面从严治党工作会议").work_area.name, "从严治党", "inferred from category"
        )
        self.assertEqual(self.task("理论学习中心组学习").work_area.name, "学习宣传")

    def test_collective_names_and_leaders(self):
        self.run_import(build_workbook())
        study = self.task("理论学习中心组学习")
        self.assertEqual({o.code for o in study.cooperating_orgs.all()}, {"QJ01", "QJ02"})
        self.assertEqual(study.leader_text, "分管党建局领导")
        meeting = self.task("召开全面从严治党工作会议")
        self.assertEqual({o.code for o in meeting.cooperating_orgs.all()}, {"QJBGS", "QJRJ", "QJS1", "QJS2"})
        self.assertEqual(meeting.leader, self.p1)
        self.assertEqual(meeting.leader_text, "张一")
        reports = self.task("支部工作季度报告")
        self.assertEqual({o.code for o in reports.lead_orgs.all()}, {"QJ01", "QJ02"}, "not 新区 branches")

    def test_each_deadline_phrase(self):
        self.run_import(build_workbook())
        expected = {
            "召开全面从严治党工作会议": ("once", dt.date(2023, 3, 31)),
            "开展廉政教育": ("once", dt.date(2023, 6, 30)),
            "季度工作检查": ("once", dt.date(2023, 6, 30)),
            "半年工作小结": ("once", dt.date(2023, 6, 30)),
            "上半年专题研究": ("once", dt.date(2023, 6, 30)),
            "下半年专题研究": ("once", dt.date(2023, 12, 31)),
            "全年目标考核": ("once", dt.date(2023, 12, 31)),
            "述职述廉": ("once", dt.date(2023, 12, 31)),
            "党费收缴核对": ("once", dt.date(2023, 6, 30)),
            "意识形态分析研判": ("once", dt.date(2023, 9, 30)),
            "理论学习中心组学习": (Frequency.MONTHLY, None),
            "支部工作季度报告": (Frequency.QUARTERLY, None),
            "专题研究全面从严治党": (Frequency.SEMIANNUAL, None),
            "作风建设": (Frequency.LONG_TERM, None),
            "一体化综合监督": (Frequency.LONG_TERM, None),
        }
        for title, (frequency, due) in expected.items():
            task = self.task(title)
            self.assertEqual((task.frequency, task.due_date), (frequency, due), title)
        self.assertEqual(self.task("意识形态分析研判").deadline_text, "2023年9月30日")
        self.assertEqual(self.task("开展廉政教育").deadline_text, "6月底前")

    def test_work_items(self):
        code, result = self.run_import(build_workbook())
        items = WorkItem.objects.filter(source=Source.TASK)
        self.assertEqual(result["work_items"], items.count())
        first = self.task("落实“第一议题”制度")
        office = self.orgs["QJBGS"]
        item = items.get(task=first, organization=office)
        self.assertEqual(item.key, f"task:{first.pk}:{office.pk}:once")
        self.assertEqual(
            (item.period, item.due_date, item.warn_from, item.unit, item.org_path, item.title, item.status),
            (
                "2023-06",
                dt.date(2023, 6, 30),
                dt.date(2023, 6, 27),
                self.orgs["QJ"],
                office.path,
                first.title,
                Status.TODO,
            ),
        )
        monthly = items.filter(task=self.task("理论学习中心组学习"))
        self.assertEqual(monthly.count(), 12)
        self.assertEqual(
            list(monthly.order_by("due_date").values_list("period", "due_date"))[:2],
            [("2023-01", dt.date(2023, 1, 31)), ("2023-02", dt.date(2023, 2, 28))],
        )
        self.assertEqual(monthly.first().work_area, "学习宣传")
        quarterly = items.filter(task=self.task("支部工作季度报告"))
        self.assertEqual(quarterly.count(), 8, "4 quarters × 2 branches")
        self.assertEqual(items.filter(task=self.task("专题研究全面从严治党")).count(), 2)
        long_term = items.get(task=self.task("作风建设"))
        self.assertEqual((long_term.due_date, long_term.period, long_term.warn_from), (None, "2023", None))

    def test_merged_task_cell_gives_one_task_per_measure(self):
        self.run_import(build_workbook())
        tasks = Task.objects.filter(title="深化党建融合").order_by("seq")
        self.assertEqual([t.measures for t in tasks], ["打造税企联建品牌", "开展结对共建活动"])
        self.assertEqual([t.lead_orgs.get().code for t in tasks], ["QJ01", "QJ02"])
        self.assertEqual(tasks[0].category, "二、全面从严治党")

    def test_reimport_updates_instead_of_duplicating(self):
        self.run_import(build_workbook())
        tasks, items = Task.objects.count(), WorkItem.objects.count()
        code, result = self.run_import(build_workbook())
        self.assertEqual((code, result["created"], result["updated"], result["unchanged"]), (0, 0, 0, 18))
        self.assertEqual(result["work_items"], 0)
        self.assertEqual((Task.objects.count(), WorkItem.objects.count()), (tasks, items))
        rows = [list(r) if isinstance(r, list) else r for r in MESSY]
        rows[1][2] = "党委会第一议题学习，及时跟进"
        rows[6][3] = "办公室"
        rows[6][6] = "9月底前"
        first = self.task("开展廉政教育")
        old_item = WorkItem.objects.get(task=first)
        code, result = self.run_import(build_workbook(rows))
        self.assertEqual((result["created"], result["updated"]), (0, 2))
        self.assertEqual(self.task("落实“第一议题”制度").measures, "党委会第一议题学习，及时跟进")
        moved = WorkItem.objects.get(task=first)
        self.assertEqual((moved.organization.code, moved.due_date), ("QJBGS", dt.date(2023, 9, 30)))
        self.assertNotEqual(moved.pk, old_item.pk, "the untouched item of the old lead unit is replaced")
        self.assertEqual(Task.objects.count(), tasks)

    def test_changed_deadline_moves_the_open_item(self):
        self.run_import(build_workbook())
        task = self.task("开展廉政教育")
        item = WorkItem.objects.get(task=task)
        WorkItem.objects.filter(pk=item.pk).update(status=Status.IN_PROGRESS)
        rows = [list(r) if isinstance(r, list) else r for r in MESSY]
        rows[6][6] = "2023年9月30日"
        self.run_import(build_workbook(rows))
        item.refresh_from_db()
        self.assertEqual(
            (item.due_date, item.period, item.status), (dt.date(2023, 9, 30), "2023-09", Status.IN_PROGRESS)
        )

    def test_dry_run_writes_nothing(self):
        code, result = self.run_import(build_workbook(), "--dry-run")
        self.assertEqual((code, result["created"], result["dry_run"]), (0, 18, True))
        self.assertGreater(result["work_items"], 18)
        self.assertFalse(Plan.objects.exists())
        self.assertFalse(WorkItem.objects.exists())

    def test_one_audit_event(self):
        before = AuditEvent.objects.count()
        self.run_import(build_workbook())
        self.assertEqual(AuditEvent.objects.count(), before + 1)
        event = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual((event.action, event.changes["created"]), ("task.import", 18))

    def assert_refused(self, data: bytes, *extra: str, plan: str | None = PLAN) -> list[dict]:
        counts = (
            Plan.objects.count(),
            Task.objects.count(),
            WorkItem.objects.count(),
            AuditEvent.objects.count(),
        )
        code, result = self.run_import(data, *extra, plan=plan)
        self.assertEqual(code, 2, result)
        self.assertEqual(
            (
                Plan.objects.count(),
                Task.objects.count(),
                WorkItem.objects.count(),
                AuditEvent.objects.count(),
            ),
            counts,
            "nothing is written",
        )
        return result["errors"]

    def test_bad_unit_suggests_closest_names(self):
        rows = [list(r) if isinstance(r, list) else r for r in MESSY]
        rows[1][3] = "办工室、人事教育股"
        errors = self.assert_refused(build_workbook(rows))
        self.assertEqual(len(errors), 1)
        self.assertEqual((errors[0]["row"], errors[0]["column"]), (6, "牵头单位"))
        self.assertIn("找不到名为“办工室”的组织", errors[0]["message"])
        self.assertIn("是否指：办公室", errors[0]["message"])
        self.assertIn("D6", errors[0]["message"])

    def test_ambiguous_unit_lists_the_matches(self):
        rows = [list(r) if isinstance(r, list) else r for r in MESSY]
        rows[3][4] = "税源所"
        errors = self.assert_refused(build_workbook(rows))
        self.assertEqual((errors[0]["row"], errors[0]["column"]), (8, "配合单位"))
        self.assertIn("第一税务所（QJS1）", errors[0]["message"])
        self.assertIn("第二税务所（QJS2）", errors[0]["message"])

    def test_impossible_date_names_its_cell(self):
        rows = [list(r) if isinstance(r, list) else r for r in MESSY]
        rows[6][6] = "2023.2.30"
        errors = self.assert_refused(build_workbook(rows))
        self.assertEqual((errors[0]["row"], errors[0]["column"]), (11, "完成时限"))
        self.assertIn("“2023.2.30”不是存在的日期", errors[0]["message"])
        self.assertIn("G11", errors[0]["message"])

    def test_missing_year_refuses_the_file(self):
        data = build_workbook(title="全面从严治党重点任务分解表")
        errors = self.assert_refused(data, plan="全面从严治党工作要点")
        self.assertEqual(errors[0]["row"], None)
        self.assertIn("无法确定计划年度", errors[0]["message"])

    def test_year_from_option_or_title(self):
        code, result = self.run_import(
            build_workbook(title="全面从严治党重点任务分解表"), "--year", "2024", plan="全面从严治党工作要点"
        )
        self.assertEqual(code, 0, result)
        self.assertEqual(Plan.objects.get().year, 2024)
        self.assertEqual(self.task("开展廉政教育").due_date, dt.date(2024, 6, 30))
        code, result = self.run_import(build_workbook(), plan="区局工作要点")
        self.assertEqual(Plan.objects.get(name="区局工作要点").year, 2023, "from the title row")

    def test_several_errors_are_reported_together_with_excel_rows(self):
        rows = [list(r) if isinstance(r, list) else r for r in MESSY]
        rows[3][5] = "赵无名"  # a name that is no person of the unit
        rows[5][3] = ""  # no lead unit
        rows[8][6] = "根据上级要求"
        rows[9][7] = "从严治党党建"
        errors = self.assert_refused(build_workbook(rows))
        found = {(e["row"], e["column"]) for e in errors}
        self.assertEqual(found, {(8, "责任领导"), (10, "牵头单位"), (13, "完成时限"), (14, "工作板块")})
        messages = " ".join(e["message"] for e in errors)
        self.assertIn("找不到“赵无名”", messages)
        self.assertIn("牵头单位不能为空", messages)
        self.assertIn("无法识别完成时限", messages)

    def test_missing_plan_and_missing_columns(self):
        errors = self.assert_refused(build_workbook(), plan=None)
        self.assertIn("--plan", errors[0]["message"])
        wb = Workbook()
        wb.active.append(["序号", "任务", "完成时限"])
        wb.active.append([1, "某任务", "6月底前"])
        buffer = io.BytesIO()
        wb.save(buffer)
        errors = self.assert_refused(buffer.getvalue())
        self.assertIn("找不到表头行", errors[0]["message"])
        errors = self.assert_refused(b"not a workbook")
        self.assertIn(".xlsx", errors[0]["message"])

    def test_readable_output_without_json(self):
        path = self.tmp / "a.xlsx"
        path.write_bytes(build_workbook())
        out = StringIO()
        call_command("import", "tasks", str(path), "--org", "QJ", "--plan", PLAN, stdout=out)
        self.assertIn("导入完成：新增 18", out.getvalue())
        self.assertIn("生成事项", out.getvalue())


class SingleHeaderTableTests(TaskImportBase):
    def test_plain_header_with_unmerged_categories_and_a_first_column_heading(self):
        wb = Workbook()
        ws = wb.active
        ws.append(["序号", "工作任务", "工作措施", "牵头部门", "协办单位", "分管领导", "时间要求"])
        ws.append(["一", "强化政治建设", None, None, None, None, None])
        ws.append([1, "任务甲", "", "办公室（牵头）", "", "", "6.30前"])
        ws.append(["（二）队伍建设"])
        ws.append([2, "任务乙", "", "第一党支部", "", "", "每月10日前"])
        buffer = io.BytesIO()
        wb.save(buffer)
        code, result = self.run_import(buffer.getvalue(), "--year", "2023")
        self.assertEqual(code, 0, result)
        self.assertEqual(self.task("任务甲").category, "一、强化政治建设")
        self.assertEqual(self.task("任务甲").lead_orgs.get().code, "QJBGS")
        self.assertEqual(self.task("任务乙").category, "（二）队伍建设")
        dues = (
            WorkItem.objects.filter(task=self.task("任务乙"))
            .order_by("due_date")
            .values_list("due_date", flat=True)
        )
        self.assertEqual(list(dues)[:2], [dt.date(2023, 1, 10), dt.date(2023, 2, 10)])

    def test_headers_with_line_breaks_and_notes_and_a_category_merged_beside_its_number(self):
        def workbook(mistake: bool) -> bytes:
            wb = Workbook()
            ws = wb.active
            ws.append(["区局2023年党建工作重点任务"])
            ws.append(["序 号", "重点\n任务", "牵头单位（部门）", "配合单位", "完成\n时限"])
            ws.append(["一", "规范支部建设"])
            ws.merge_cells("B3:E3")
            ws.append([1, "规范三会一课", "第一党支部", "", "每季度"])
            if mistake:  # a long task text merged over the lead cell: not a category, a task without a unit
                ws.append([2, "规范主题党日"])
                ws.merge_cells("B5:C5")
            buffer = io.BytesIO()
            wb.save(buffer)
            return buffer.getvalue()

        code, result = self.run_import(workbook(True), plan="党建工作要点")
        self.assertEqual(code, 2)
        self.assertEqual(
            {(e["row"], e["column"]) for e in result["errors"]}, {(5, "牵头单位（部门）"), (5, "完成时限")}
        )
        code, result = self.run_import(workbook(False), plan="党建工作要点")
        self.assertEqual(code, 0, result)
        self.assertEqual(self.task("规范三会一课").category, "一、规范支部建设")
        self.assertEqual(Plan.objects.get().year, 2023, "from the title row")


class TaskImportPageTests(TaskImportBase):
    url = "plans:plan-import"

    def upload(self, data: bytes, org: str = "QJ", plan: str = PLAN, year: str = ""):
        return self.client.post(
            reverse(self.url),
            {"org": org, "plan_name": plan, "year": year, "file": SimpleUploadedFile("分解表.xlsx", data)},
        )

    def test_preview_shows_every_row_then_confirm_writes(self):
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse(self.url)).status_code, 200)
        response = self.upload(build_workbook())
        self.assertContains(response, "将新增 <strong>18</strong> 项任务")
        content = response.content.decode()
        for text in (
            "一、强化理论武装",
            "空行（跳过）",
            "备注（跳过）",
            "表头",
            "各党支部（第一党支部、第二党支部）",
            "党委书记（职务，保留原文）",
            "每月（按月生成事项",
            "长期坚持，无固定时限",
            "2023-06-30前完成",
        ):
            self.assertIn(text, content)
        for number in range(5, 28):
            self.assertIn(f'<td class="row-no">{number}</td>', content, f"row {number} is shown")
        self.assertFalse(Plan.objects.exists(), "preview writes nothing")
        response = self.client.post(reverse(self.url), {"confirm": "1"})
        plan = Plan.objects.get(name=PLAN)
        self.assertRedirects(response, reverse("plans:plan-detail", args=[plan.pk]))
        self.assertEqual(plan.tasks.count(), 18)
        self.assertTrue(WorkItem.objects.filter(task__plan=plan).exists())
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "task.import")

    def test_preview_shows_errors_and_confirm_is_not_offered(self):
        self.login("party_admin")
        rows = [list(r) if isinstance(r, list) else r for r in MESSY]
        rows[6][6] = "2023.2.30"
        response = self.upload(build_workbook(rows))
        self.assertContains(response, "整份文件不会导入")
        self.assertContains(response, "不是存在的日期")
        self.assertNotContains(response, "确认导入")

    def test_other_units_admin_gets_a_form_error(self):
        self.login("xq_admin")
        response = self.upload(build_workbook())
        self.assertContains(response, "选择一个有效的选项")
        self.login("city_admin")
        response = self.upload(build_workbook())
        self.assertContains(response, "选择一个有效的选项")
        self.assertFalse(Plan.objects.exists())

    def test_roles_without_import_get_404(self):
        for username in ("secretary", "leader", "supervisor", "staff", "member", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(reverse(self.url)).status_code, 404, username)

    def test_confirm_without_a_pending_upload(self):
        self.login("party_admin")
        response = self.client.post(reverse(self.url), {"confirm": "1"})
        self.assertRedirects(response, reverse(self.url))
        self.assertFalse(Plan.objects.exists())

    def test_method_not_allowed(self):
        self.login("party_admin")
        self.assertEqual(self.client.put(reverse(self.url)).status_code, 405)


def read_back(data: bytes):
    return load_workbook(io.BytesIO(data)).active
