"""Crash safety: a process killed with SIGKILL half-way through an import, a generation, a document or a
backup leaves nothing half-written — no rows, no audit event, no file at the destination — and the
audit chain still verifies.

Each child process runs the real code with one function wrapped so that, when the work is half done
(rows already written inside the transaction, bytes already on disk), it announces it by creating a
file and then waits. The test kills it only after seeing that file: at a point observed being reached,
not after a guessed sleep.
"""

import io
import os
import signal
import time
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook

from lvze.audit.models import AuditEvent
from lvze.audit.selectors import first_chain_break
from lvze.duties.models import WorkItem
from lvze.orgs.models import Membership, Person
from lvze.security.testing import python_child
from lvze.test import LvzeTransactionTestCase

# Wraps `module.attribute` so that its `after`-th call first runs, then announces and waits forever.
HALT = """
import importlib, pathlib, time
def halt_after(module, attribute, after, marker):
    target = importlib.import_module(module)
    original = getattr(target, attribute)
    calls = [0]
    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        calls[0] += 1
        if calls[0] == after:
            pathlib.Path(marker).touch()
            time.sleep(600)
        return result
    setattr(target, attribute, wrapper)
"""


def people_workbook(count: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "出生日期", "人员类别", "党组织", "身份证号"])
    for n in range(count):
        sheet.append([f"导入{n:03d}", "1990-01-01", "正式党员", "第一党支部", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class CrashTests(LvzeTransactionTestCase):
    def kill_when_halted(self, code: str) -> None:
        marker = Path(settings.DATA_DIR) / "halted"
        marker.unlink(missing_ok=True)
        proc = python_child(HALT + code.replace("MARKER", repr(str(marker))))
        deadline = time.monotonic() + 120
        while not marker.exists():
            if proc.poll() is not None:
                self.fail(f"the child ended before the halt point: {proc.stderr.read()}")
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                self.fail("the halt point was never reached")
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        self.assertEqual(proc.returncode, -signal.SIGKILL)

    def assert_chain_intact(self) -> None:
        self.assertIsNone(first_chain_break())

    def test_import_killed_half_way_writes_nothing(self):
        path = Path(settings.DATA_DIR) / "花名册.xlsx"
        path.write_bytes(people_workbook(200))
        people, memberships, events = Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()
        self.kill_when_halted(f"""
halt_after("lvze.orgs.importing", "person_insert", 120, MARKER)
from django.core.management import call_command
call_command("import", "people", {str(path)!r}, "--org", "QJ")
""")
        self.assertEqual(Person.objects.count(), people)
        self.assertEqual(Membership.objects.count(), memberships)
        self.assertEqual(AuditEvent.objects.count(), events)
        self.assert_chain_intact()
        # The same file imported again, uninterrupted, goes in whole.
        from django.core.management import call_command

        call_command("import", "people", str(path), "--org", "QJ", stdout=io.StringIO())
        self.assertEqual(Person.objects.count(), people + 200)

    def test_generation_killed_half_way_writes_nothing(self):
        items, events = WorkItem.objects.count(), AuditEvent.objects.count()
        self.kill_when_halted("""
halt_after("lvze.duties.generation", "rule_items", 4, MARKER)
from lvze.duties.generation import obligations_generate
from lvze.lib.periods import Period
obligations_generate(actor=None, period=Period.parse("2024"))
""")
        self.assertEqual(WorkItem.objects.count(), items)
        self.assertEqual(AuditEvent.objects.count(), events)
        self.assert_chain_intact()

    def test_document_killed_while_writing_leaves_no_file(self):
        out = Path(settings.DATA_DIR) / "工作总结.docx"
        self.kill_when_halted(f"""
halt_after("lvze.lib.files", "_sync", 1, MARKER)
from lvze.lib.gongwen import Document, Paragraph, render_to
render_to(Document(title="2024年上半年工作总结", blocks=[Paragraph("一是……")]), {str(out)!r})
""")
        self.assertFalse(out.exists(), "no half-written document at the destination")
        partial = [p.name for p in out.parent.glob(".工作总结.docx.*.part")]
        self.assertEqual(len(partial), 1, "the bytes went to a private temporary name")

    def test_backup_killed_while_writing_leaves_no_archive(self):
        out = Path(settings.DATA_DIR) / "backup.tar.gz"
        self.kill_when_halted(f"""
halt_after("os", "fsync", 1, MARKER)  # the archive written in full, not yet renamed
from lvze.security.backup import backup_create
backup_create(__import__("pathlib").Path({str(out)!r}))
""")
        self.assertFalse(out.exists())
        self.assert_chain_intact()
