"""脱敏: the registry comes from the platform, and the masked file leaks no registered name anywhere."""

from lvze.documents import blocks, builder, services
from lvze.documents.selectors import mask_registry_for
from lvze.documents.tests.base import DocumentsTestCase, block_by_slot
from lvze.lib.masking import docx_leaks, docx_texts
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create

PHRASES = "坚持“第一议题”制度，发挥示范引领作用，打造知行先锋品牌，在独贵塔拉开展活动，捐款1200元。"


class RegistryTests(DocumentsTestCase):
    def test_registry_holds_the_subtree_people_and_the_orgs_up_and_down(self):
        names = set(mask_registry_for(self.orgs["QJ"]).names)
        self.assertTrue({"张一", "李二", "示范"} <= names)
        self.assertNotIn("王新", names, "a person of another unit")
        self.assertTrue({"示范区税务局党委", "第一党支部", "第一", "一支部", "示范市税务局党委"} <= names)
        self.assertNotIn("示范新区税务局党委", names)
        for generic in ("区局", "市局", "机关党委", "纪检组", "办公室"):
            self.assertNotIn(generic, names)

    def test_post_holders_of_higher_units_are_registered(self):
        chief = self.make_person("赵书记", "XQ01")
        appointment_create(actor=None, person=chief, organization=self.orgs["SJ"], post=Post.SECRETARY)
        self.assertIn("赵书记", mask_registry_for(self.orgs["QJ"]).names)

    def test_unit_settings_add_places_terms_and_figures_and_are_inherited(self):
        services.mask_settings_save(
            actor=None, unit=self.orgs["SJ"], generic_words="党委 党支部", protected_phrases="",
            places="独贵塔拉", terms="知行先锋", figures=["amounts"],
        )
        registry = mask_registry_for(self.orgs["QJ"])
        masked, _ = registry.mask_text(PHRASES)
        self.assertEqual(masked, "坚持“第一议题”制度，发挥示范引领作用，打造*品牌，在*开展活动，捐款*元。")


class MaskedExportTests(DocumentsTestCase):
    def setUp(self):
        self.draft = self.make_draft()
        content = blocks.insert_after(self.draft.content, self.draft.content[-1]["id"], blocks.paragraph(PHRASES))
        content = blocks.insert_after(
            content, content[-1]["id"], blocks.paragraph("张一、李二、示范同志和第一、一支部、第二党支部的党员参加。")
        )
        self.save(self.draft, content)
        self.registry = mask_registry_for(self.orgs["QJ"])
        self.export = builder.render_masked(self.draft, self.registry)

    def test_no_registered_name_in_any_part_of_the_file(self):
        plain = builder.render_docx(self.draft)
        self.assertIn("word/document.xml", docx_leaks(plain, self.registry), "the unmasked file does name them")
        self.assertEqual(docx_leaks(self.export.data, self.registry), {})
        self.assertTrue(self.export.safe)
        every_text = "\n".join(t for texts in docx_texts(self.export.data).values() for t in texts)
        for name in self.registry.names:
            self.assertNotIn(name, every_text.replace("第一议题", "").replace("示范引领", ""), name)

    def test_fragments_and_generic_words_survive(self):
        texts = docx_texts(self.export.data)
        body = "\n".join(texts["word/document.xml"])
        self.assertIn("坚持“第一议题”制度，发挥示范引领作用", body)
        self.assertIn("*、*、*同志和*、*支部、*党支部的党员参加。", body)
        self.assertIn("*党委", body)
        self.assertIn("*党支部未登记支部书记", body)
        self.assertIn("*未填写联系电话", body)
        self.assertIn("*党委人员信息核对情况", "\n".join(texts["docProps/core.xml"]))

    def test_file_name_and_report(self):
        self.assertEqual(self.export.filename, "＊党委人员信息核对情况.docx")
        report = self.export.report
        self.assertGreaterEqual(report.count_of("张一"), 5)
        self.assertIn(("organization", "第一党支部", "*党支部"), report.counts)
        self.assertIn("filename", report.parts)

    def test_edited_text_is_masked_too(self):
        basic = block_by_slot(self.draft, "basic.text")
        content = [dict(b, text="示范区局党委书记张一主持。") if b["id"] == basic["id"] else b for b in self.draft.content]
        self.save(self.draft, content, signoff="中共示范区税务局委员会")
        export = builder.render_masked(self.draft, self.registry)
        self.assertEqual(docx_leaks(export.data, self.registry), {})
