"""`lvze report quality`: the document on the command line, masked on request."""

import json
from io import StringIO
from pathlib import Path

import docx
from django.core.management import CommandError, call_command

from lvze.documents.models import Draft
from lvze.documents.selectors import mask_registry_for
from lvze.documents.tests.base import DocumentsTestCase
from lvze.lib.masking import docx_leaks


class ReportCommandTests(DocumentsTestCase):
    def run_report(self, *args) -> str:
        out = StringIO()
        call_command("report", *args, stdout=out)
        return out.getvalue()

    def test_quality_report_opens_with_python_docx(self):
        path = Path(self.settings_dir()) / "quality.docx"
        output = self.run_report("quality", "--org", "QJ", "--out", str(path))
        self.assertIn("已生成《示范区税务局党委人员信息核对情况》", output)
        document = docx.Document(str(path))
        texts = [p.text for p in document.paragraphs]
        self.assertEqual(texts[0], "示范区税务局党委人员信息核对情况")
        self.assertIn("一、基本情况", texts)
        self.assertIn("示范区税务局党委", texts[-2:])
        self.assertEqual(document.tables[0].rows[0].cells[2].text, "人员或组织")
        self.assertIn("张一", [row.cells[2].text for row in document.tables[0].rows])
        self.assertFalse(Draft.objects.exists(), "the command line does not leave drafts behind")

    def test_masked_report_leaks_nothing(self):
        path = Path(self.settings_dir()) / "masked.docx"
        output = self.run_report("quality", "--org", "QJ", "--out", str(path), "--masked", "--json")
        result = json.loads(output)
        self.assertTrue(result["masked"])
        self.assertIn({"category": "person", "original": "张一", "masked": "*", "count": 6}, result["replaced"])
        data = path.read_bytes()
        self.assertEqual(docx_leaks(data, mask_registry_for(self.orgs["QJ"])), {})
        self.assertEqual(docx.Document(str(path)).paragraphs[0].text, "*党委人员信息核对情况")

    def test_refusals(self):
        with self.assertRaisesMessage(CommandError, "找不到代码为“NOPE”的组织"):
            self.run_report("quality", "--org", "NOPE", "--out", "x.docx")
        with self.assertRaisesMessage(CommandError, ".docx"):
            self.run_report("quality", "--org", "QJ", "--out", "x.txt")

    def settings_dir(self) -> str:
        from django.conf import settings

        return str(settings.DATA_DIR)
