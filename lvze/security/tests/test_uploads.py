"""Uploads and imports tried as a hostile user would: disguised files, zip bombs, oversized bodies,
path tricks in names; evidence served only through the item's scope, as a download, checked against
its SHA-256; nothing written when a file is refused."""

import io
import json
import os
import zipfile
from io import StringIO
from unittest import mock

import docx
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, override_settings
from django.urls import get_resolver, reverse
from openpyxl import Workbook

from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import Evidence, WorkItem
from lvze.duties.services import evidence_path
from lvze.lib import filetypes
from lvze.lib.periods import Period
from lvze.orgs.models import Person
from lvze.test import LvzeTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03" + b"\x00" * 64
HTML = b"<html><script>alert(document.cookie)</script></html>"


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("会议记录")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows=(("姓名", "所在支部"), ("新人", "第一党支部")), extra: dict[str, bytes] | None = None) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    if not extra:
        return out.getvalue()
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


SMALL_LIMITS = filetypes.ZipLimits(max_unpacked=4 * 1024 * 1024)


class ContentCheckTests(SimpleTestCase):
    def check(self, name, data):
        return filetypes.check_content(name, data)

    def test_genuine_files_pass(self):
        self.assertEqual(self.check("记录.pdf", PDF), "pdf")
        self.assertEqual(self.check("照片.PNG", PNG), "png")
        self.assertEqual(self.check("照片.jpeg", JPEG), "jpeg")
        self.assertEqual(self.check("纪要.docx", docx_bytes()), "docx")
        self.assertEqual(self.check("台账.xlsx", xlsx_bytes()), "xlsx")
        self.assertEqual(self.check("资料.zip", docx_bytes()), "zip", "any zip may be sent as .zip")
        self.assertEqual(self.check("说明.txt", "党支部工作手册".encode("gb18030")), "text")

    def test_disguised_files_are_refused(self):
        for name, data in [
            ("记录.pdf", EXE),
            ("照片.jpg", HTML),
            ("纪要.docx", xlsx_bytes()),
            ("台账.xlsx", PDF),
            ("纪要.doc", PDF),
            ("说明.txt", EXE),
            ("说明.txt", b"abc\x00def"),
            ("记录.pdf", b""),
        ]:
            with self.subTest(name=name, head=data[:8]), self.assertRaises(filetypes.FileRefused):
                self.check(name, data)
        with self.assertRaisesMessage(filetypes.FileRefused, "内容与扩展名不符"):
            self.check("记录.pdf", EXE)

    def test_types_not_allowed(self):
        for name in ["run.exe", "page.html", "image.svg", "noext", "a.pdf.exe", "script.js"]:
            with self.subTest(name=name), self.assertRaisesMessage(filetypes.FileRefused, "不支持的文件类型"):
                self.check(name, PDF)

    def test_zip_bombs(self):
        bomb = zip_bytes({"zeros.bin": b"\0" * (6 * 1024 * 1024)})
        with mock.patch.object(filetypes, "LIMITS", SMALL_LIMITS):
            with self.assertRaisesMessage(filetypes.FileRefused, "压缩炸弹"):
                self.check("资料.zip", bomb)
            with self.assertRaisesMessage(filetypes.FileRefused, "压缩炸弹"):
                self.check("台账.xlsx", xlsx_bytes(extra={"xl/media/zeros.bin": b"\0" * (6 * 1024 * 1024)}))
        ratio_bomb = zip_bytes({"zeros.bin": b"\0" * (3 * 1024 * 1024)})  # within the size, not the ratio
        with self.assertRaisesMessage(filetypes.FileRefused, "压缩比异常"):
            self.check("资料.zip", ratio_bomb)
        many = zip_bytes({f"f{n}.txt": b"x" for n in range(50)})
        few = filetypes.ZipLimits(max_entries=20)
        with mock.patch.object(filetypes, "LIMITS", few), self.assertRaisesMessage(filetypes.FileRefused, "文件过多"):
            self.check("资料.zip", many)

    def test_safe_filenames(self):
        for raw, safe in [
            ("../../etc/passwd.txt", "passwd.txt"),
            ("C:\\Users\\a\\记录.pdf", "记录.pdf"),
            ('<img src=x onerror="x">.pdf', "_img src=x onerror=_x__.pdf"),
            (".htaccess", "htaccess"),
            ("会议\r\n记录.pdf", "会议__记录.pdf"),
            ("..", "附件"),
            ("记录.pdf. . ", "记录.pdf"),
            ("a" * 300 + ".docx", "a" * 115 + ".docx"),
        ]:
            with self.subTest(raw=raw):
                self.assertEqual(filetypes.safe_filename(raw), safe)


class EvidenceUploadTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2024Q2"))
        cls.item = WorkItem.objects.filter(organization__code="QJ01").order_by("id").first()

    def upload(self, name, data, content_type="application/octet-stream"):
        url = reverse("duties:item-evidence", args=[self.item.pk])
        return self.client.post(url, {"file": SimpleUploadedFile(name, data, content_type=content_type)}, follow=True)

    def test_disguised_upload_is_refused_and_nothing_is_written(self):
        self.login("secretary")
        before = AuditEvent.objects.count()
        response = self.upload("会议记录.pdf", EXE)
        self.assertContains(response, "文件内容与扩展名不符")
        self.assertFalse(Evidence.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(seq__gt=before, action="evidence.add").exists())
        self.assertFalse((settings.MEDIA_ROOT / "evidence").exists())

    def test_stored_name_and_type_come_from_the_platform(self):
        self.login("secretary")
        self.upload("../../../记录<1>.pdf", PDF, content_type="text/html")
        evidence = Evidence.objects.get()
        self.assertEqual((evidence.name, evidence.content_type), ("记录_1_.pdf", "application/pdf"))
        stored = evidence_path(evidence.sha256)
        self.assertTrue(stored.is_file())
        self.assertTrue(stored.resolve().is_relative_to(settings.MEDIA_ROOT.resolve()))

    def test_download_is_an_attachment_through_the_scope(self):
        self.login("secretary")
        self.upload("会议记录.pdf", PDF)
        evidence = Evidence.objects.get()
        url = reverse("duties:evidence-download", args=[self.item.pk, evidence.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertIn("filename*=utf-8''%E4%BC%9A%E8%AE%AE%E8%AE%B0%E5%BD%95.pdf", response["Content-Disposition"])
        self.assertIn("sandbox", response["Content-Security-Policy"])
        # Another branch's secretary, the member, the 三员: the same answer as for no file at all.
        for username in ["secretary2", "member", "sysadmin", "auditor"]:
            self.login(username)
            self.assertEqual(self.client.get(url).status_code, 404, username)
        # An evidence id under another item's address is not found either.
        other = WorkItem.objects.filter(organization__code="QJ01").exclude(pk=self.item.pk).first()
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("duties:evidence-download", args=[other.pk, evidence.pk])).status_code, 404)

    def test_a_file_changed_on_disk_is_not_served(self):
        self.login("secretary")
        self.upload("会议记录.pdf", PDF)
        evidence = Evidence.objects.get()
        evidence_path(evidence.sha256).write_bytes(PDF.replace(b"obj", b"OBJ"))
        response = self.client.get(reverse("duties:evidence-download", args=[self.item.pk, evidence.pk]))
        self.assertEqual(response.status_code, 409)
        self.assertIn("SHA-256", response.content.decode())
        event = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual((event.action, event.changes["sha256"], event.object_id), ("evidence.corrupt", evidence.sha256, str(self.item.pk)))

    @override_settings(UPLOAD_MAX_BYTES=64 * 1024)
    def test_oversized_body_is_refused_before_it_is_read(self):
        self.login("secretary")
        url = reverse("duties:item-evidence", args=[self.item.pk])
        response = self.client.post(url, {"file": SimpleUploadedFile("大.pdf", PDF + b"0" * (2 * 1024 * 1024))})
        self.assertEqual(response.status_code, 413)
        self.assertIn("上传内容过大", response.content.decode())
        response = self.upload("中.pdf", PDF + b"0" * (100 * 1024))  # over the limit, within the margin
        self.assertContains(response, "超过")
        self.assertFalse(Evidence.objects.exists())

    def test_uploads_are_never_under_static_and_no_url_serves_them(self):
        files = settings.MEDIA_ROOT.resolve()
        for static in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
            self.assertFalse(files.is_relative_to(static.resolve()))
            self.assertFalse(static.resolve().is_relative_to(files))
        routes = [str(p.pattern) for p in get_resolver().url_patterns]
        self.assertFalse([r for r in routes if r.startswith(("files", "media"))])
        self.login("secretary")
        self.upload("会议记录.pdf", PDF)
        digest = Evidence.objects.get().sha256
        for path in [f"/static/evidence/{digest[:2]}/{digest}", f"/files/evidence/{digest[:2]}/{digest}", f"/media/{digest}"]:
            self.assertEqual(self.client.get(path).status_code, 404, path)


class ImportRefusalTests(LvzeTestCase):
    def import_page(self, name, data):
        self.login("party_admin")
        return self.client.post(
            reverse("orgs:person-import"), {"org": "QJ", "file": SimpleUploadedFile(name, data)}
        )

    def command(self, path) -> tuple[int, dict]:
        out, err = StringIO(), StringIO()
        try:
            call_command("import", "people", str(path), "--org", "QJ", "--json", stdout=out, stderr=err)
        except CommandError as exc:
            return exc.returncode, json.loads(out.getvalue() or err.getvalue())
        return 0, json.loads(out.getvalue())

    def test_disguised_workbook_is_refused(self):
        people = Person.objects.count()
        response = self.import_page("花名册.xlsx", docx_bytes())
        self.assertContains(response, "请上传 .xlsx 格式的 Excel 文件")
        self.assertContains(response, "Word 文档")
        response = self.import_page("花名册.xlsx", EXE)
        self.assertContains(response, "请上传 .xlsx 格式的 Excel 文件")
        self.assertEqual(Person.objects.count(), people)

    def test_zip_bomb_workbook_is_refused_on_the_page_and_the_command(self):
        bomb = xlsx_bytes(extra={"xl/media/zeros.bin": b"\0" * (6 * 1024 * 1024)})
        people = Person.objects.count()
        with mock.patch.object(filetypes, "LIMITS", SMALL_LIMITS):
            self.assertContains(self.import_page("花名册.xlsx", bomb), "压缩炸弹")
            path = settings.DATA_DIR / "bomb.xlsx"
            path.write_bytes(bomb)
            code, result = self.command(path)
        self.assertEqual(code, 2)
        self.assertIn("压缩炸弹", result["errors"][0]["message"])
        self.assertEqual(Person.objects.count(), people)
        self.assertFalse(AuditEvent.objects.filter(action="person.import").exists())

    @override_settings(UPLOAD_MAX_BYTES=32 * 1024)
    def test_oversized_workbook_is_refused(self):
        people = Person.objects.count()
        response = self.import_page("花名册.xlsx", xlsx_bytes(extra={"xl/media/pad.bin": os.urandom(64 * 1024)}))
        self.assertContains(response, "上限")
        self.assertEqual(Person.objects.count(), people)
