"""`lvze backup` and `lvze restore`, as separate processes against the test database: back up, wipe
(restore into a new empty database and upload directory), find every row and file identical and the
chain intact; and every kind of bad archive or non-empty target refused with nothing written."""

import hashlib
import io
import json
import tarfile
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import override_settings

from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import WorkItem
from lvze.duties.services import evidence_add_file, work_item_progress
from lvze.lib.periods import Period
from lvze.orgs.services import person_update
from lvze.security import backup
from lvze.security.testing import child_env, lvze_child
from lvze.test import LvzeTestCase, LvzeTransactionTestCase

PDF = b"%PDF-1.4\n%%EOF\n"


def run(*args: str, **env: str) -> tuple[int, str, str]:
    proc = lvze_child(*args, **env)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def rows(dump: str) -> tuple[list, list]:
    """dumpdata output split into the audit events and everything else, each in a stable order."""
    objects = json.loads(dump)
    events = sorted((o for o in objects if o["model"] == "audit.auditevent"), key=lambda o: o["fields"]["seq"])
    others = sorted(
        (o for o in objects if o["model"] not in {"audit.auditevent", "audit.audithead"}),
        key=lambda o: (o["model"], str(o["pk"])),
    )
    return events, others


class RoundTripTests(LvzeTransactionTestCase):
    def make_data(self) -> None:
        obligations_generate(actor=None, period=Period.parse("2024Q2"))
        item = WorkItem.objects.filter(organization__code="QJ01").order_by("id").first()
        work_item_progress(actor=self.users["secretary"], item=item, note="已制定方案")
        evidence_add_file(actor=self.users["secretary"], item=item, name="方案.pdf", data=PDF)
        evidence_add_file(actor=self.users["secretary"], item=item, name="照片.png", data=b"\x89PNG\r\n\x1a\n" + b"\1" * 40)
        person_update(actor=self.users["party_admin"], person=self.p1, phone="13800000000")

    def target_env(self, tmp: Path) -> dict[str, str]:
        """A new, empty database and upload directory for the restore."""
        env = {"LVZE_DATA_DIR": str(tmp)}
        if connection.vendor == "sqlite":
            env["LVZE_SQLITE_NAME"] = str(tmp / "restored.sqlite3")
        else:
            name = f"{connection.settings_dict['NAME']}_restored"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}"')
            self.addCleanup(self.drop_database, name)
            s = connection.settings_dict
            env["DATABASE_URL"] = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"
        return env

    def drop_database(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def test_backup_wipe_restore(self):
        self.make_data()
        archive = settings.DATA_DIR / "backup.tar.gz"
        code, out, err = run("backup", "--out", str(archive), "--json")
        self.assertEqual(code, 0, err)
        summary = json.loads(out)
        self.assertEqual(summary["files"], 2)
        self.assertEqual(archive.stat().st_mode & 0o777, 0o600)
        code, original, err = run("dumpdata", "--indent", "0")
        self.assertEqual(code, 0, err)

        target = settings.DATA_DIR / "target"
        env = self.target_env(target)
        code, out, err = run("restore", str(archive), "--json", **env)
        self.assertEqual(code, 0, err)
        self.assertTrue(json.loads(out)["chain_intact"])

        code, restored, err = run("dumpdata", "--indent", "0", **env)
        self.assertEqual(code, 0, err)
        events_before, others_before = rows(original)
        events_after, others_after = rows(restored)
        self.assertEqual(others_after, others_before, "every row identical")
        self.assertEqual(events_after[:-1], events_before, "the chain as it was, then the restore")
        self.assertEqual(events_after[-1]["fields"]["action"], "system.restore")
        self.assertEqual(tree(target / "files"), tree(settings.MEDIA_ROOT), "every file identical")
        self.assertEqual(len(tree(target / "files")), 2)
        code, out, err = run("audit", "verify", **env)
        self.assertEqual(code, 0, err)

        # A second restore into the now non-empty database is refused, and changes nothing.
        code, _out, err = run("restore", str(archive), **env)
        self.assertEqual(code, 2)
        self.assertIn("不是空的", err)
        code, again, _err = run("dumpdata", "--indent", "0", **env)
        self.assertEqual(rows(again), rows(restored))

    def test_backup_is_consistent_while_others_write(self):
        """A writer keeps appending before, during and after the backup; the archive is one snapshot
        whose chain verifies after a restore."""
        self.make_data()
        running, stop = settings.DATA_DIR / "running", settings.DATA_DIR / "stop"
        writer = lvze_child("shell", "-c", (
            "import pathlib\n"
            "from lvze.audit.services import audit_record\n"
            f"running, stop = pathlib.Path({str(running)!r}), pathlib.Path({str(stop)!r})\n"
            "n = 0\n"
            "while not stop.exists() or n < 50:\n"
            "    audit_record(actor=None, action='test.during_backup', changes={'n': n})\n"
            "    n += 1\n"
            "    if n == 20: running.touch()\n"
        ))
        deadline = time.monotonic() + 60
        while not running.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(running.exists(), "the writer is appending")
        archive = settings.DATA_DIR / "busy.tar.gz"
        code, out, err = run("backup", "--out", str(archive), "--json")
        stop.touch()
        self.assertEqual(code, 0, err)
        self.assertEqual(writer.wait(timeout=120), 0, writer.stderr.read())
        head = json.loads(out)["audit_events"]
        self.assertGreater(AuditEvent.objects.filter(action="test.during_backup", seq__gt=head).count(), 0)
        env = self.target_env(settings.DATA_DIR / "busy-target")
        code, out, err = run("restore", str(archive), "--json", **env)
        self.assertEqual(code, 0, err)
        self.assertTrue(json.loads(out)["chain_intact"], out)


def rewrite(source: Path, target: Path, change) -> None:
    """Copy an archive member by member, letting `change(name, data)` alter (or drop: None) each."""
    with tarfile.open(source, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def reseal(manifest_bytes: bytes, **changes) -> bytes:
    manifest = json.loads(manifest_bytes)
    manifest.update(changes)
    manifest["seal"] = backup.seal(manifest)
    return json.dumps(manifest).encode()


class RefusalTests(LvzeTestCase):
    def setUp(self):
        self.archive = settings.DATA_DIR / "good.tar.gz"
        evidence_add_file(
            actor=None, item=self.some_item(), name="方案.pdf", data=PDF
        )
        backup.backup_create(self.archive)

    def some_item(self):
        obligations_generate(actor=None, period=Period.parse("2024-05"))
        return WorkItem.objects.order_by("id").first()

    def refused(self, path: Path, words: str) -> None:
        with self.assertRaises(backup.BackupError) as caught:
            backup.backup_verify(path)
        self.assertIn(words, str(caught.exception))

    def bad(self, change) -> Path:
        path = settings.DATA_DIR / "bad.tar.gz"
        rewrite(self.archive, path, change)
        return path

    def test_good_archive_verifies(self):
        manifest = backup.backup_verify(self.archive)
        self.assertEqual(manifest["engine"], backup.engine())
        self.assertIn("files/evidence/", " ".join(manifest["members"]))
        self.assertEqual(manifest["audit_head"]["seq"], AuditEvent.objects.order_by("-seq").first().seq)

    def test_truncated_or_corrupt_file(self):
        data = self.archive.read_bytes()
        cut = settings.DATA_DIR / "cut.tar.gz"
        cut.write_bytes(data[: len(data) // 2])
        self.refused(cut, "无法读取或不完整")
        flipped = settings.DATA_DIR / "flipped.tar.gz"
        flipped.write_bytes(data[:200] + bytes([data[200] ^ 0xFF]) + data[201:])
        with self.assertRaises(backup.BackupError):
            backup.backup_verify(flipped)

    def test_changed_database_member(self):
        db = backup.DB_MEMBER[backup.engine()]
        path = self.bad(lambda name, data: data + b"\0" if name == db else data)
        self.refused(path, "校验和不符")

    def test_changed_upload(self):
        path = self.bad(lambda name, data: PDF.replace(b"EOF", b"XXX") if name.startswith("files/") else data)
        self.refused(path, "校验和不符")

    def test_missing_and_extra_members(self):
        self.refused(self.bad(lambda name, data: None if name.startswith("files/") else data), "缺少")
        original = self.archive.read_bytes()
        extra = settings.DATA_DIR / "extra.tar.gz"
        with tarfile.open(self.archive, "r:gz") as src, tarfile.open(extra, "w:gz") as dst:
            for member in src:
                dst.addfile(member, src.extractfile(member))
            for name in ["files/evidence/extra.bin", "../../etc/cron.d/evil"]:
                info = tarfile.TarInfo(name)
                info.size = 4
                dst.addfile(info, io.BytesIO(b"evil"))
        self.refused(extra, "清单之外")
        self.assertEqual(self.archive.read_bytes(), original)

    def test_manifest_edited_without_the_key(self):
        def lower_head(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["audit_head"]["seq"] -= 1
            return json.dumps(manifest).encode()

        self.refused(self.bad(lower_head), "签名不符")

    def test_archive_of_another_deployment(self):
        with override_settings(AUDIT_KEY="another-deployment"):
            self.refused(self.archive, "签名不符")

    def test_not_a_backup(self):
        path = settings.DATA_DIR / "other.tar.gz"
        with tarfile.open(path, "w:gz") as archive:
            info = tarfile.TarInfo("readme.txt")
            info.size = 2
            archive.addfile(info, io.BytesIO(b"hi"))
        self.refused(path, "清单")

    def test_archive_from_a_newer_version(self):
        def newer(name, data):
            if name != "manifest.json":
                return data
            migrations = [*json.loads(data)["migrations"], "audit.9999_future"]
            return reseal(data, migrations=migrations)

        path = self.bad(newer)
        with self.assertRaises(backup.BackupError) as caught:
            backup.restore(path)
        self.assertIn("更新的版本", str(caught.exception))

    def test_archive_of_the_other_engine(self):
        other = "postgresql" if backup.engine() == "sqlite" else "sqlite"
        path = self.bad(lambda name, data: reseal(data, engine=other) if name == "manifest.json" else data)
        with self.assertRaises(backup.BackupError) as caught:
            backup.restore(path)
        self.assertIn("不能直接恢复", str(caught.exception))

    def test_non_empty_target_is_left_alone(self):
        before = (AuditEvent.objects.count(), WorkItem.objects.count())
        with self.assertRaises(backup.BackupError) as caught:
            backup.restore(self.archive)
        self.assertIn("不是空的", str(caught.exception))
        self.assertEqual((AuditEvent.objects.count(), WorkItem.objects.count()), before)

    def test_the_command_reports_refusals(self):
        path = self.bad(lambda name, data: data + b"\0" if name.startswith("database") else data)
        code, _out, err = run("backup", "--verify", str(path), **{k: v for k, v in child_env().items() if k == "LVZE_AUDIT_KEY"})
        self.assertEqual(code, 2)
        self.assertIn("校验和不符", err)

    def test_backup_is_audited(self):
        self.assertEqual(AuditEvent.objects.filter(action="system.backup").count(), 1)

    def test_a_failed_backup_leaves_no_file(self):
        out = settings.DATA_DIR / "never.tar.gz"
        with mock.patch.object(backup, "upload_files", side_effect=RuntimeError("disk gone")), self.assertRaises(RuntimeError):
            backup.backup_create(out)
        self.assertFalse(out.exists())
        self.assertEqual([p.name for p in settings.DATA_DIR.glob(".never*")], [])
