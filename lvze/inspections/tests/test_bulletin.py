"""The 通报: its headings, the ranking table that adds up, findings by unit, the masked version, the commands."""

import io
import json
from datetime import date
from decimal import Decimal as D
from io import StringIO

import docx
from django.core.management import call_command
from django.core.management.base import CommandError

from lvze.inspections.bulletin import bulletin_document, bulletin_file, mask_registry
from lvze.inspections.models import Score
from lvze.inspections.services import finding_create, inspection_publish, score_save
from lvze.inspections.tests.base import InspectionFixture
from lvze.lib import gongwen
from lvze.lib.masking import docx_leaks


class BulletinTests(InspectionFixture):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.inspection = cls.make_campaign(cls)
        for score in Score.objects.filter(target__inspection=cls.inspection, scored_at__isnull=True).select_related(
            "item", "target__organization"
        ):
            first = score.target.organization.code == "QJ01"
            score_save(actor=None, score=score, passed=first, grade="good" if first else "average")
        for org, text in [("QJ02", "5月、6月未开展主题党日"), ("QJ02", "党课未按期开展"), ("QJ01", "6月主题党日逾期开展")]:
            finding_create(
                actor=None,
                unit=cls.orgs["QJ"],
                organization=cls.orgs[org],
                source="inspection",
                description=text,
                found_on=date(2023, 7, 12),
                inspection=cls.inspection,
                target=cls.inspection.targets.get(organization=cls.orgs[org]),
            )
        inspection_publish(actor=None, inspection=cls.inspection, on=date(2023, 7, 20))

    def open_docx(self, data: bytes):
        return docx.Document(io.BytesIO(data))

    def test_structure(self):
        document = self.open_docx(gongwen.render(bulletin_document(self.inspection)))
        texts = [p.text for p in document.paragraphs if p.text.strip()]
        self.assertEqual(texts[:2], ["关于2023年第二季度支部工作检查", "情况的通报"], "a two-line title, broken naturally")
        texts = texts[1:]
        self.assertEqual(texts[1], "各党支部：")
        headings = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")]
        self.assertEqual(headings, ["一、检查基本情况", "二、主要做法和成效", "三、发现的问题", "四、整改要求"])
        problems = texts[texts.index("三、发现的问题") : texts.index("四、整改要求")]
        self.assertEqual(problems[1], "检查共发现问题3个，涉及2个单位，具体如下：")
        self.assertEqual(
            problems[2:],
            ["（一）第一党支部", "1.6月主题党日逾期开展。", "（二）第二党支部", "1.5月、6月未开展主题党日。", "2.党课未按期开展。"],
        )
        self.assertIn("于2023年8月31日前完成整改", "".join(texts))
        self.assertEqual(texts[-1], "2023年7月20日")
        self.assertEqual(texts[-2], "示范区税务局党委")
        self.assertIn("检查组由赵检查组成", "".join(texts))

    def test_ranking_table_adds_up(self):
        document = self.open_docx(gongwen.render(bulletin_document(self.inspection)))
        self.assertEqual(len(document.tables), 1)
        rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
        self.assertEqual(rows[0][:2], ["排名", "党支部"])
        self.assertEqual(rows[0][-2:], ["总分", "红黑榜"])
        self.assertIn("主题党日", rows[0])
        self.assertIn("主题党日20分", "".join(p.text for p in document.paragraphs))
        targets = {t.organization.name: t for t in self.inspection.targets.select_related("organization")}
        self.assertEqual([r[1] for r in rows[1:]], ["第一党支部", "第二党支部"])
        for row in rows[1:]:
            target = targets[row[1]]
            self.assertEqual((row[0], row[-2], row[-1]), (str(target.rank), str(target.score), "红榜" if target.rank == 1 else "黑榜"))
            parts = sum(D(cell) for cell in row[2:-2])
            self.assertLessEqual(abs(parts - target.score), D("0.3"), "the item columns add up to the total")

    def test_practices_from_facts_and_unit_text(self):
        text = "".join(p.text for p in self.open_docx(gongwen.render(bulletin_document(self.inspection))).paragraphs)
        self.assertIn("主题党日方面，各党支部应开展6次，按期开展3次，按期开展率50.0%。", text)
        self.assertIn("第一党支部工作扎实", text)
        self.inspection.practices = "一是高度重视。\n二是压实责任。"
        self.inspection.save(update_fields=["practices"])
        text = [p.text for p in self.open_docx(gongwen.render(bulletin_document(self.inspection))).paragraphs]
        self.assertIn("一是高度重视。", text)
        self.assertIn("二是压实责任。", text)

    def test_masked_version_leaks_no_registered_name(self):
        name, plain = bulletin_file(self.inspection)
        masked_name, masked = bulletin_file(self.inspection, masked=True)
        registry = mask_registry(self.inspection)
        self.assertIn("赵检查", registry.names)
        self.assertTrue(docx_leaks(plain, registry), "the plain bulletin does name people and units")
        self.assertEqual(docx_leaks(masked, registry), {})
        document = self.open_docx(masked)
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertIn("（一）*党支部", text)
        self.assertIn("*党委", text)
        self.assertNotIn("赵检查", text)
        self.assertIn("*党支部", document.tables[0].rows[1].cells[1].text)
        self.assertEqual(name, masked_name, "the file name names nobody")

    def test_report_bulletin_and_list_commands(self):
        out = StringIO()
        call_command("inspections", "list", "--json", stdout=out)
        self.assertEqual(
            json.loads(out.getvalue()),
            [{"id": self.inspection.pk, "name": "2023年第二季度支部工作检查", "period": "2023Q2", "org": "QJ"}],
        )
        path = self.settings_dir() / "通报.docx"
        call_command("report", "bulletin", "--inspection", str(self.inspection.pk), "--out", str(path), stdout=StringIO())
        document = self.open_docx(path.read_bytes())
        texts = [p.text for p in document.paragraphs if p.text.strip()]
        self.assertEqual(texts[:2], ["关于2023年第二季度支部工作检查", "情况的通报"])
        self.assertIn("三、发现的问题", texts)
        self.assertEqual([c.text for c in document.tables[0].rows[1].cells][:2], ["1", "第一党支部"])
        masked = self.settings_dir() / "通报-脱敏.docx"
        call_command(
            "report", "bulletin", "--inspection", str(self.inspection.pk), "--out", str(masked), "--masked", stdout=StringIO()
        )
        self.assertEqual(docx_leaks(masked.read_bytes(), mask_registry(self.inspection)), {})
        with self.assertRaises(CommandError):
            call_command("report", "bulletin", "--inspection", "999999", "--out", str(path), stdout=StringIO())

    def test_editable_draft_through_the_documents_app(self):
        from django.urls import reverse

        from lvze.documents.models import Draft
        from lvze.documents.services import draft_regenerate_section

        self.login("party_admin")
        response = self.client.post(reverse("inspections:inspection-draft", args=[self.inspection.pk]))
        draft = Draft.objects.get(kind="bulletin")
        self.assertRedirects(response, reverse("documents:draft-edit", args=[draft.pk]))
        self.assertEqual((draft.unit, draft.doc_date, draft.period), (self.orgs["QJ"], date(2023, 7, 20), f"inspection:{self.inspection.pk}"))
        texts = [b.get("text") for b in draft.content]
        self.assertIn("检查基本情况", texts)
        self.assertTrue(any(b["type"] == "table" and b["header"][0] == "排名" for b in draft.content))
        draft_regenerate_section(actor=self.users["party_admin"], draft=draft, section_key="problems")
        self.assertIn(("heading", 2, "第一党支部"), [(b["type"], b.get("level"), b.get("text")) for b in draft.content])
        self.login("supervisor")
        self.assertEqual(self.client.post(reverse("inspections:inspection-draft", args=[self.inspection.pk])).status_code, 403)

    def settings_dir(self):
        from django.conf import settings

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        return settings.DATA_DIR
