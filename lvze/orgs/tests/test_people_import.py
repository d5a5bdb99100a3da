import io
import json
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from lvze.audit.models import AuditEvent
from lvze.orgs.models import Membership, PartyStatus, Person
from lvze.test import LvzeTestCase

HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生日期",
    "人员类别",
    "入党时间",
    "党组织",
    "科室",
    "职务",
    "联系电话",
    "身份证号",
]
GOOD_ROWS = [
    [
        1,
        "赵甲",
        "男",
        "1985-03-02",
        "正式党员",
        "2008.7.1",
        "第一党支部",
        "办公室",
        "科员",
        "13900000001",
        "",
    ],
    [
        2,
        "钱乙",
        "女",
        "1990年5月6日",
        "预备党员",
        "2023-01-10",
        "第二党支部",
        "",
        "一级主办",
        "13900000002",
        "",
    ],
    [3, "孙丙", "女", "", "正式党员", "2001-07-01", "第一党支部", "", "", "", "110105198503024565"],
]


def workbook_bytes(rows, title="示范区税务局党员花名册") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class PeopleImportCommandTests(LvzeTestCase):
    def run_import(self, data: bytes, *extra: str) -> tuple[int, dict]:
        path = Path(self.tmp) / "roster.xlsx"
        path.write_bytes(data)
        out = StringIO()
        try:
            call_command(
                "import", "people", str(path), "--org", "QJ", "--json", *extra, stdout=out, stderr=StringIO()
            )
        except CommandError as exc:
            return exc.returncode, json.loads(out.getvalue())
        return 0, json.loads(out.getvalue())

    def setUp(self):
        import tempfile

        self.tmp = tempfile.mkdtemp()

    def test_good_roster_creates_then_reimport_updates(self):
        code, result = self.run_import(workbook_bytes(GOOD_ROWS))
        self.assertEqual(code, 0)
        self.assertEqual((result["created"], result["updated"], result["unchanged"]), (3, 0, 0))
        zhao = Person.objects.get(name="赵甲")
        self.assertEqual(
            (zhao.branch.code, zhao.department.code, str(zhao.joined_party_on)),
            ("QJ01", "QJBGS", "2008-07-01"),
        )
        sun = Person.objects.get(name="孙丙")
        self.assertEqual(str(sun.birth_date), "1985-03-02", "birth date comes from the ID number")
        changed = [row[:] for row in GOOD_ROWS]
        changed[0][8] = "股长"
        code, result = self.run_import(workbook_bytes(changed))
        self.assertEqual((result["created"], result["updated"], result["unchanged"]), (0, 1, 2))
        self.assertEqual(Person.objects.filter(name="赵甲").count(), 1)
        self.assertEqual(Person.objects.get(name="赵甲").position, "股长")

    def test_id_number_identifies_an_existing_person(self):
        rows = [
            [
                1,
                "张一",
                "女",
                "",
                "正式党员",
                "",
                "第一党支部",
                "",
                "支部书记",
                "13911112222",
                "11010519491231002X",
            ]
        ]
        code, result = self.run_import(workbook_bytes(rows))
        self.assertEqual((code, result["created"], result["updated"]), (0, 0, 1))
        self.p1.refresh_from_db()
        self.assertEqual(self.p1.position, "支部书记")

    def test_bad_roster_is_refused_whole_with_row_numbers(self):
        rows = GOOD_ROWS + [
            [4, "", "男", "1980-01-01", "正式党员", "", "第一党支部", "", "", "", ""],
            [5, "周丁", "未知", "1980-02-30", "正式党员", "", "第一支部", "", "", "", "123"],
            [6, "吴戊", "男", "1980-01-01", "党外", "", "第九党支部", "", "", "", ""],
        ]
        before = Person.objects.count()
        events = AuditEvent.objects.count()
        code, result = self.run_import(workbook_bytes(rows))
        self.assertEqual(code, 2)
        errors = {(e["row"], e["column"]) for e in result["errors"]}
        self.assertIn((6, "姓名"), errors)
        self.assertIn((7, "性别"), errors)
        self.assertIn((7, "出生日期"), errors)
        self.assertIn((7, "身份证号"), errors)
        self.assertIn((8, "人员类别"), errors)
        self.assertIn((8, "党组织"), errors)
        messages = " ".join(e["message"] for e in result["errors"])
        self.assertIn("不是存在的日期", messages)
        self.assertIn("是否指：第一党支部", messages)
        self.assertEqual(Person.objects.count(), before, "nothing is written")
        self.assertEqual(AuditEvent.objects.count(), events)

    def test_duplicate_rows_in_one_file_are_an_error(self):
        code, result = self.run_import(workbook_bytes(GOOD_ROWS + [GOOD_ROWS[0]]))
        self.assertEqual(code, 2)
        self.assertEqual(result["errors"][0]["row"], 6)
        self.assertIn("与第3行是同一人", result["errors"][0]["message"])

    def test_missing_name_column_is_a_file_error(self):
        wb = Workbook()
        wb.active.append(["名字", "性别"])
        wb.active.append(["某人", "男"])
        buffer = io.BytesIO()
        wb.save(buffer)
        code, result = self.run_import(buffer.getvalue())
        self.assertEqual(code, 2)
        self.assertEqual(result["errors"][0]["row"], None)
        self.assertIn("找不到表头行", result["errors"][0]["message"])

    def test_not_an_excel_file(self):
        code, result = self.run_import(b"not a spreadsheet")
        self.assertEqual(code, 2)
        self.assertIn(".xlsx", result["errors"][0]["message"])

    def test_dry_run_writes_nothing(self):
        code, result = self.run_import(workbook_bytes(GOOD_ROWS), "--dry-run")
        self.assertEqual((code, result["created"], result["dry_run"]), (0, 3, True))
        self.assertFalse(Person.objects.filter(name="赵甲").exists())

    def test_a_name_outside_the_unit_does_not_resolve(self):
        rows = [[1, "某某", "男", "1980-01-01", "正式党员", "", "新区第一党支部", "", "", "", ""]]
        code, result = self.run_import(workbook_bytes(rows))
        self.assertEqual(code, 2)
        self.assertIn("找不到名为“新区第一党支部”的组织", result["errors"][0]["message"])

    def test_branch_change_by_import_keeps_membership_history(self):
        self.run_import(workbook_bytes(GOOD_ROWS))
        moved = [row[:] for row in GOOD_ROWS]
        moved[2][6] = "第二党支部"  # 孙丙 has an ID number, so she is recognised after the move
        self.run_import(workbook_bytes(moved))
        zhao = Person.objects.get(name="孙丙")
        history = list(
            Membership.objects.filter(person=zhao).order_by("start", "id").values_list("branch__code", "end")
        )
        self.assertEqual(history[0][0], "QJ01")
        self.assertIsNotNone(history[0][1])
        self.assertEqual(history[-1], ("QJ02", None))
        self.assertEqual(zhao.party_status, PartyStatus.FULL)


class PeopleImportPageTests(LvzeTestCase):
    def upload(self, data: bytes):
        return self.client.post(
            reverse("orgs:person-import"),
            {"org": "QJ", "file": SimpleUploadedFile("花名册.xlsx", data)},
        )

    def test_preview_then_confirm(self):
        self.login("party_admin")
        response = self.upload(workbook_bytes(GOOD_ROWS))
        self.assertContains(response, "将新增 <strong>3</strong> 人")
        self.assertFalse(Person.objects.filter(name="赵甲").exists(), "preview writes nothing")
        response = self.client.post(reverse("orgs:person-import"), {"confirm": "1"})
        self.assertRedirects(response, reverse("orgs:person-list"))
        self.assertTrue(Person.objects.filter(name="赵甲").exists())
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "person.import")

    def test_preview_shows_row_errors(self):
        self.login("party_admin")
        response = self.upload(workbook_bytes([[1, "", "男", "", "", "", "第一党支部", "", "", "", ""]]))
        self.assertContains(response, "整份文件不会导入")
        self.assertContains(response, "姓名不能为空")

    def test_unit_outside_write_scope_is_rejected(self):
        self.login("city_admin")
        response = self.client.post(
            reverse("orgs:person-import"), {"org": "QJ", "file": SimpleUploadedFile("a.xlsx", b"x")}
        )
        self.assertContains(response, "选择一个有效的选项")
        self.login("party_admin")
        response = self.client.post(
            reverse("orgs:person-import"), {"org": "XQ", "file": SimpleUploadedFile("a.xlsx", b"x")}
        )
        self.assertContains(response, "选择一个有效的选项")

    def test_secretary_cannot_import(self):
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("orgs:person-import")).status_code, 404)
