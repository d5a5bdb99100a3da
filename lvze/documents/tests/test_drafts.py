"""Drafts: generation, versions, restore, and regeneration that keeps the user's edits."""

from django.core.exceptions import ValidationError

from lvze.audit.models import AuditEvent
from lvze.documents import blocks, services
from lvze.documents.blocks import is_edited
from lvze.documents.models import DraftVersion
from lvze.documents.tests.base import DocumentsTestCase, block_by_slot
from lvze.orgs.models import Person


class DraftCreateTests(DocumentsTestCase):
    def test_create_generates_every_section_as_version_1(self):
        draft = self.make_draft()
        self.assertEqual(draft.title, "示范区税务局党委人员信息核对情况")
        self.assertEqual((draft.signoff, draft.version), ("示范区税务局党委", 1))
        self.assertEqual(
            [b["section"] for b in draft.content if b["type"] == "heading"], ["basic", "issues", "corrections"]
        )
        self.assertTrue(all(b["generated"] and not is_edited(b) for b in draft.content))
        text = block_by_slot(draft, "basic.text")["text"]
        self.assertIn("截至2024年5月10日，示范区税务局党委共有在册人员3人", text)
        self.assertIn("共发现问题13个", text)
        version = DraftVersion.objects.get(draft=draft)
        self.assertEqual((version.number, version.note, version.saved_by), (1, "生成初稿", self.users["party_admin"]))
        event = AuditEvent.objects.get(action="draft.create")
        self.assertEqual(event.organization, self.orgs["QJ"])

    def test_generated_paragraphs_name_their_sources(self):
        draft = self.make_draft()
        sources = {p["label"]: p for p in block_by_slot(draft, "basic.text")["provenance"]}
        self.assertEqual(sources["在册人员"]["value"], "3人")
        self.assertEqual(sources["发现问题"]["source"], "/people/quality/?org=QJ")
        table_sources = [p["source"] for p in block_by_slot(draft, "issues.table")["provenance"]]
        self.assertIn(f"orgs.person:{self.p1.pk}", table_sources)
        self.assertIn(f"orgs.organization:{self.orgs['QJ01'].pk}", table_sources)

    def test_unknown_kind_is_refused(self):
        with self.assertRaises(ValidationError):
            services.draft_create(actor=None, unit=self.orgs["QJ"], kind="nonsense")


class DraftSaveTests(DocumentsTestCase):
    def test_each_save_is_a_version_with_who_and_when(self):
        draft = self.make_draft()
        content = [dict(b) for b in draft.content]
        content[1]["text"] = "改过的文字。"
        version = self.save(draft, content, note="根据书记意见修改")
        self.assertEqual((version.number, version.note, version.saved_by), (2, "根据书记意见修改", self.users["party_admin"]))
        self.assertIsNotNone(version.saved_at)
        draft.refresh_from_db()
        self.assertEqual((draft.version, draft.content[1]["text"]), (2, "改过的文字。"))
        self.assertTrue(is_edited(draft.content[1]))
        self.assertEqual(AuditEvent.objects.filter(action="draft.save").count(), 1)

    def test_save_without_changes_makes_no_version(self):
        draft = self.make_draft()
        self.assertIsNone(self.save(draft, draft.content))
        self.assertEqual(draft.versions.count(), 1)

    def test_save_from_an_outdated_page_is_refused(self):
        draft = self.make_draft()
        self.save(draft, blocks.remove(draft.content, draft.content[-1]["id"]))
        with self.assertRaisesMessage(ValidationError, "已被他人保存为第2版"):
            services.draft_save(
                actor=self.users["party_admin"], draft=draft, blocks=draft.content, title="新标题",
                signoff="", doc_date=None, base_version=1,
            )
        draft.refresh_from_db()
        self.assertNotEqual(draft.title, "新标题")

    def test_invalid_blocks_are_refused(self):
        draft = self.make_draft()
        for bad in (
            [{"id": "x", "type": "script", "text": ""}],
            [{"id": "x", "type": "heading", "level": 7, "text": "深"}],
            [{"id": "x", "type": "table", "header": ["a", "b"], "rows": [["1"]]}],
            [{"id": "x", "type": "paragraph", "text": "a"}, {"id": "x", "type": "paragraph", "text": "b"}],
        ):
            with self.assertRaises(ValidationError, msg=bad):
                self.save(draft, bad)
        self.assertEqual(draft.versions.count(), 1)


class RestoreTests(DocumentsTestCase):
    def test_every_version_can_be_restored(self):
        draft = self.make_draft()
        for n in range(3):
            content = [dict(b) for b in draft.content]
            content[1]["text"] = f"第{n}次修改。"
            self.save(draft, blocks.insert_after(content, content[-1]["id"], blocks.paragraph(f"新增{n}")),
                      title=f"标题{n}")
        versions = list(draft.versions.order_by("number"))
        self.assertEqual([v.number for v in versions], [1, 2, 3, 4])
        for version in versions:
            restored = services.draft_restore(actor=self.users["party_admin"], draft=draft, version=version)
            draft.refresh_from_db()
            self.assertEqual(draft.content, version.content)
            self.assertEqual((draft.title, draft.signoff, draft.doc_date), (version.title, version.signoff, version.doc_date))
            self.assertEqual(restored.note, f"恢复第{version.number}版")
            self.assertEqual(draft.version, restored.number)
        self.assertEqual(draft.versions.count(), 8, "restoring adds versions, never rewrites them")
        self.assertEqual(AuditEvent.objects.filter(action="draft.restore").count(), 4)

    def test_a_version_of_another_draft_is_refused(self):
        first, second = self.make_draft(), self.make_draft()
        with self.assertRaises(ValidationError):
            services.draft_restore(actor=None, draft=first, version=second.versions.get())


class RegenerateTests(DocumentsTestCase):
    def edit(self, draft):
        """Edit the 基本情况 paragraph and add a paragraph of one's own inside 发现的问题."""
        content = [dict(b) for b in draft.content]
        basic = next(b for b in content if b["slot"] == "basic.text")
        basic["text"] = "经核对，情况如下（人工改写）。"
        summary = next(b for b in content if b["slot"] == "issues.summary")
        own = {**blocks.paragraph("我们补充的一段说明。"), "id": "bmine"}
        self.save(draft, blocks.insert_after(content, summary["id"], own))

    def test_regenerating_a_section_keeps_edits_and_additions_elsewhere(self):
        draft = self.make_draft()
        self.edit(draft)
        Person.objects.filter(pk=self.p1.pk).update(phone="13900000000")  # fixes one issue
        version = services.draft_regenerate_section(actor=self.users["party_admin"], draft=draft, section_key="issues")
        self.assertEqual(version.note, "重新生成：发现的问题")
        draft.refresh_from_db()
        self.assertEqual(block_by_slot(draft, "basic.text")["text"], "经核对，情况如下（人工改写）。")
        ids = [b["id"] for b in draft.content]
        self.assertEqual(ids.index("bmine"), ids.index(block_by_slot(draft, "issues.summary")["id"]) + 1)
        rows = block_by_slot(draft, "issues.table")["rows"]
        self.assertNotIn("张一未填写联系电话", [row[3] for row in rows])
        self.assertEqual(len(rows), 12)
        self.assertIn("缺少联系电话2个", block_by_slot(draft, "issues.summary")["text"])
        self.assertEqual(AuditEvent.objects.filter(action="draft.regenerate").count(), 1)

    def test_an_edited_generated_block_survives_its_own_section_and_is_flagged(self):
        draft = self.make_draft()
        self.edit(draft)
        Person.objects.filter(pk=self.p1.pk).update(active=False)
        services.draft_regenerate_section(actor=None, draft=draft, section_key="basic")
        draft.refresh_from_db()
        kept = block_by_slot(draft, "basic.text")
        self.assertEqual(kept["text"], "经核对，情况如下（人工改写）。")
        self.assertTrue(kept["stale"])
        self.assertIn("在册人员2人", kept["latest"]["text"])

    def test_unedited_blocks_are_replaced_in_place_and_deleted_ones_come_back(self):
        draft = self.make_draft()
        heading = block_by_slot(draft, "corrections.heading")
        self.save(draft, blocks.remove(draft.content, block_by_slot(draft, "corrections.text")["id"]))
        services.draft_regenerate_section(actor=None, draft=draft, section_key="corrections")
        draft.refresh_from_db()
        slots = [b["slot"] for b in draft.content]
        self.assertEqual(slots[-2:], ["corrections.heading", "corrections.text"])
        self.assertNotEqual(block_by_slot(draft, "corrections.heading")["id"], heading["id"])

    def test_unknown_section_is_refused(self):
        draft = self.make_draft()
        with self.assertRaises(ValidationError):
            services.draft_regenerate_section(actor=None, draft=draft, section_key="nope")
