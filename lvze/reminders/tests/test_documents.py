import io
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from lvze.documents.selectors import mask_registry_for
from lvze.duties.models import Source, Status, WorkItem
from lvze.lib.masking import docx_leaks
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create
from lvze.test import LvzeTestCase


def text_of(path: Path) -> str:
    doc = Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


class ReminderDocumentTests(LvzeTestCase):
    def item(self, key, due, org="QJ01", **fields):
        o = self.orgs[org]
        return WorkItem.objects.create(key=key, source=Source.TASK, organization=o, unit=o.unit, org_path=o.path, title=key,
                                       due_date=due, warn_from=due - timedelta(days=3), **fields)

    def report(self, *args) -> Path:
        out = Path(self.tmp) / "out.docx"
        call_command("report", *args, "--out", str(out), stdout=StringIO())
        return out

    def setUp(self):
        import tempfile

        self.tmp = tempfile.mkdtemp()

    def test_monthly_notice_lists_due_and_last_months_unfinished(self):
        self.item("六月主题党日", date(2023, 6, 30))
        self.item("六月已办结", date(2023, 6, 20), status=Status.DONE, done_on=date(2023, 6, 18))
        self.item("五月未完成", date(2023, 5, 31))
        self.item("第二支部的事", date(2023, 6, 30), org="QJ02")
        text = text_of(self.report("notice", "--org", "QJ01", "--month", "2023-06"))
        self.assertIn("第一党支部2023年6月党建工作提示单", text)
        self.assertIn("六月主题党日", text)
        self.assertIn("六月已办结", text)
        self.assertIn("五月未完成", text)
        self.assertNotIn("第二支部的事", text)
        self.assertIn("2023年6月30日", text)

    def test_bad_month_is_refused(self):
        with self.assertRaises(CommandError) as ctx:
            self.report("notice", "--org", "QJ01", "--month", "2023Q2")
        self.assertEqual(ctx.exception.returncode, 2)

    def test_reverse_list_for_one_leader_and_masked(self):
        leader = self.make_person("郑领导", "QJ01")
        appointment_create(actor=None, person=leader, organization=self.orgs["QJ"], post=Post.LEADERSHIP_MEMBER,
                           departments=[self.orgs["QJBGS"]])
        self.item("办公室的急事", date.today() + timedelta(days=5), org="QJBGS")
        text = text_of(self.report("reminders", "--person", str(leader.pk)))
        self.assertIn("郑领导同志", text)
        self.assertIn("办公室的急事", text)
        masked = self.report("reminders", "--person", str(leader.pk), "--masked")
        self.assertEqual(docx_leaks(masked.read_bytes(), mask_registry_for(self.orgs["QJ"])), {})
        self.assertNotIn("郑领导", text_of(masked))
