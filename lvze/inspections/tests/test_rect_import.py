"""`lvze import rectifications` under the import contract: created/updated counts, refusal with Excel's row
numbers and nothing written, identity source + problem + unit, and a lossless export → import round trip."""

import io
import json
from datetime import date
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from lvze.audit.models import AuditEvent
from lvze.duties.models import Source, Status, WorkItem
from lvze.inspections.models import Rectification, RectificationState
from lvze.inspections.rect_excel import export_xlsx
from lvze.inspections.selectors import rectification_state
from lvze.test import LvzeTestCase

HEADER = ["序号", "问题来源", "问题描述", "整改措施", "责任单位", "责任人", "整改时限", "整改进展", "销号情况"]
ROWS = [
    [1, "民主生活会（2022年度民主生活会）", "理论学习不够深入系统", "制定学习计划", "办公室", None, "2023-06-30", "学习计划已印发", "整改中"],
    [2, "检查发现", "《党支部工作手册》党费收缴记录不完整", "补齐记录", "第一党支部", "张一", "2023年5月31日", "已补齐", "已销号（2023-05-20）"],
    [3, "纪检机构专责监督", "廉政谈话记录不全", None, "第二党支部", "李二", "2023.7.31", None, "申请销号（2023-07-01）"],
    [4, "巡察", "干部选拔任用纪实材料归档不及时", "逐项补档", "办公室", None, "2023-09-30", None, None],
]


def workbook(rows, header=HEADER, title="示范区税务局党委整改台账") -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class RectificationImportTests(LvzeTestCase):
    def run_import(self, data: bytes, *args) -> dict:
        path = Path(settings.DATA_DIR) / "台账.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out = StringIO()
        call_command("import", "rectifications", str(path), "--org", "QJ", "--json", *args, stdout=out)
        return json.loads(out.getvalue())

    def refused(self, data: bytes) -> list[dict]:
        path = Path(settings.DATA_DIR) / "台账.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out = StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import", "rectifications", str(path), "--org", "QJ", "--json", stdout=out)
        self.assertEqual(caught.exception.returncode, 2)
        return json.loads(out.getvalue())["errors"]

    def test_import_creates_ledger_items_in_their_states(self):
        events = AuditEvent.objects.count()
        self.assertEqual(self.run_import(workbook(ROWS)), {"created": 4, "updated": 0, "unchanged": 0, "dry_run": False})
        self.assertEqual(AuditEvent.objects.count(), events + 1, "one audit event for the whole file")
        rects = {r.problem: r for r in Rectification.objects.select_related("work_item", "responsible_org")}
        study = rects["理论学习不够深入系统"]
        self.assertEqual((study.source, study.source_label, study.responsible_org.code), ("life_meeting", "2022年度民主生活会", "QJBGS"))
        self.assertEqual((study.work_item.status, study.work_item.source), (Status.IN_PROGRESS, Source.RECTIFICATION))
        fees = rects["《党支部工作手册》党费收缴记录不完整"]
        self.assertEqual(rectification_state(fees), RectificationState.CLOSED)
        self.assertEqual((fees.work_item.done_on, fees.responsible_person), (date(2023, 5, 20), self.p1))
        talks = rects["廉政谈话记录不全"]
        self.assertEqual((talks.source, talks.supervision_type), ("supervision", "discipline"))
        self.assertEqual(rectification_state(talks), RectificationState.REQUESTED)
        self.assertEqual(WorkItem.objects.filter(source=Source.RECTIFICATION).count(), 4)

    def test_reimport_updates_instead_of_duplicating(self):
        self.run_import(workbook(ROWS))
        self.assertEqual(self.run_import(workbook(ROWS)), {"created": 0, "updated": 0, "unchanged": 4, "dry_run": False})
        changed = [row[:] for row in ROWS]
        changed[0][6] = "2023-07-15"
        changed[3][8] = "已销号（2023-09-01）"
        self.assertEqual(self.run_import(workbook(changed)), {"created": 0, "updated": 2, "unchanged": 2, "dry_run": False})
        study = Rectification.objects.get(problem="理论学习不够深入系统")
        self.assertEqual((study.deadline, study.work_item.due_date), (date(2023, 7, 15), date(2023, 7, 15)))
        self.assertEqual(Rectification.objects.count(), 4)
        self.assertEqual(
            rectification_state(Rectification.objects.get(problem="干部选拔任用纪实材料归档不及时")), RectificationState.CLOSED
        )

    def test_dry_run_writes_nothing(self):
        result = self.run_import(workbook(ROWS), "--dry-run")
        self.assertEqual(result, {"created": 4, "updated": 0, "unchanged": 0, "dry_run": True})
        self.assertFalse(Rectification.objects.exists())

    def test_refusal_names_excel_rows_and_writes_nothing(self):
        rows = [row[:] for row in ROWS]
        rows[1][4] = "第九党支部"  # Excel row 4 (title row 1, header row 2)
        rows[2][1] = "监督发现"  # row 5: no type
        rows[3][6] = "九月底"  # row 6
        rows.append([5, "自查", "问题", None, "新区第一党支部", None, "2023-06-30", None, "已销号"])  # row 7
        rows.append([6, "民主生活会（2022年度民主生活会）", "理论学习不够 深入系统", None, "办公室", None, "2023-06-30", None, None])  # row 8: duplicate of 3
        errors = self.refused(workbook(rows))
        found = {(e["row"], e["column"]) for e in errors}
        self.assertEqual(
            found,
            {(4, "责任单位"), (5, "问题来源"), (6, "整改时限"), (7, "责任单位"), (7, "销号情况"), (8, "问题描述")},
        )
        messages = {(e["row"], e["column"]): e["message"] for e in errors}
        self.assertIn("找不到名为“第九党支部”的组织", messages[(4, "责任单位")])
        self.assertIn("须注明“六位一体”监督类型", messages[(5, "问题来源")])
        self.assertIn("与第3行", messages[(8, "问题描述")])
        self.assertFalse(Rectification.objects.exists())
        self.assertFalse(WorkItem.objects.filter(source=Source.RECTIFICATION).exists())

    def test_missing_column_is_a_file_error(self):
        header = [h for h in HEADER if h != "整改时限"]
        rows = [[c for i, c in enumerate(r) if i != 6] for r in ROWS]
        errors = self.refused(workbook(rows, header=header))
        self.assertEqual(errors, [{"row": None, "column": "整改时限", "message": "缺少“整改时限”列"}])

    def test_ambiguous_person(self):
        self.make_person("张一", "QJ02")
        errors = self.refused(workbook([ROWS[1]]))
        self.assertEqual(errors[0]["row"], 3)
        self.assertIn("本单位有2人名为“张一”", errors[0]["message"])

    def test_export_then_import_changes_nothing(self):
        self.run_import(workbook(ROWS))
        data = export_xlsx(Rectification.objects.order_by("deadline", "id"), "整改台账")
        self.assertEqual(self.run_import(data), {"created": 0, "updated": 0, "unchanged": 4, "dry_run": False})


class RectificationImportPageTests(LvzeTestCase):
    def test_upload_preview_confirm(self):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        url = reverse("rectifications:rectification-import")
        self.login("party_admin")
        self.assertContains(self.client.get(url), "导入整改台账")
        upload = SimpleUploadedFile("台账.xlsx", workbook(ROWS))
        response = self.client.post(url, {"unit": self.orgs["QJ"].pk, "file": upload})
        self.assertContains(response, "将新增 <strong>4</strong> 项")
        self.assertFalse(Rectification.objects.exists(), "a preview writes nothing")
        response = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(response, reverse("rectifications:rectification-list"))
        self.assertEqual(Rectification.objects.count(), 4)
        bad = [row[:] for row in ROWS]
        bad[0][4] = "第九党支部"
        response = self.client.post(url, {"unit": self.orgs["QJ"].pk, "file": SimpleUploadedFile("错.xlsx", workbook(bad))})
        self.assertContains(response, "整份文件不会导入")
        self.assertContains(response, "<td>3</td><td>责任单位</td>", html=False)
        for username in ("supervisor", "secretary", "xq_admin"):
            self.login(username)
            status = self.client.post(url, {"unit": self.orgs["QJ"].pk, "file": SimpleUploadedFile("台账.xlsx", workbook(ROWS))}).status_code
            self.assertIn(status, (200, 404), username)
        self.assertEqual(Rectification.objects.count(), 4, "nobody but the unit's party_admin imports into its ledger")
