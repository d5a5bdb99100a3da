"""A draft through the GB/T 9704 writer: the rules, read back from the XML of the .docx."""

from lvze.documents import blocks, builder
from lvze.documents.tests.base import NS, DocumentsTestCase, docx_xml, paragraph_texts, w


def run_font(paragraph) -> tuple[str, str]:
    run = paragraph.find("w:r", NS)
    return run.find("w:rPr/w:rFonts", NS).get(w("eastAsia")), run.find("w:rPr/w:sz", NS).get(w("val"))


class DraftDocxTests(DocumentsTestCase):
    def setUp(self):
        self.draft = self.make_draft()
        self.data = builder.render_docx(self.draft)
        self.root = docx_xml(self.data)
        self.paragraphs = list(self.root.iter(w("p")))
        self.texts = paragraph_texts(self.root)

    def paragraph(self, text: str):
        return self.paragraphs[self.texts.index(text)]

    def test_page_is_a4_with_the_standard_margins_and_line_grid(self):
        sect = self.root.find("w:body/w:sectPr", NS)
        size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        self.assertEqual((size.get(w("w")), size.get(w("h"))), ("11906", "16838"))
        self.assertEqual(
            [margins.get(w(side)) for side in ("top", "left", "right", "bottom")], ["2098", "1587", "1474", "1984"]
        )
        self.assertEqual(sect.find("w:docGrid", NS).get(w("linePitch")), "579")

    def test_title_is_centred_22pt_xiaobiaosong(self):
        title = self.paragraph("示范区税务局党委人员信息核对情况")
        self.assertEqual(title.find("w:pPr/w:jc", NS).get(w("val")), "center")
        self.assertEqual(run_font(title), ("方正小标宋简体", "44"))

    def test_headings_are_numbered_in_heiti_and_body_is_fangsong_with_exact_spacing(self):
        for number, text in enumerate(["一、基本情况", "二、发现的问题", "三、核对调整情况"]):
            self.assertEqual(run_font(self.paragraph(text)), ("黑体", "32"), number)
        body = next(p for p, t in zip(self.paragraphs, self.texts, strict=True) if t.startswith("截至2024年5月10日"))
        self.assertEqual(run_font(body), ("仿宋_GB2312", "32"))
        spacing = body.find("w:pPr/w:spacing", NS)
        self.assertEqual((spacing.get(w("line")), spacing.get(w("lineRule"))), ("579", "exact"))
        self.assertEqual(body.find("w:pPr/w:ind", NS).get(w("firstLineChars")), "200")

    def test_issue_table_lists_names_under_a_repeated_header(self):
        table = self.root.find("w:body/w:tbl", NS)
        header, *rows = table.findall("w:tr", NS)
        self.assertIsNotNone(header.find("w:trPr/w:tblHeader", NS))
        self.assertEqual(paragraph_texts(header), ["序号", "问题类型", "人员或组织", "具体情况"])
        cells = [paragraph_texts(row) for row in rows]
        self.assertIn(["4", "缺少联系电话", "张一", "张一未填写联系电话"], cells)
        self.assertTrue(any(row[2] == "第一党支部" and row[1] == "支部无书记" for row in cells))

    def test_signoff_and_date_stand_right_without_seal(self):
        signoff, date_line = self.paragraph("示范区税务局党委"), self.paragraph("2024年5月10日")
        self.assertLess(self.paragraphs.index(signoff), self.paragraphs.index(date_line))
        for paragraph in (signoff, date_line):
            self.assertEqual(paragraph.find("w:pPr/w:jc", NS).get(w("val")), "right")

    def test_odd_and_even_page_numbers_are_page_fields(self):
        settings = docx_xml(self.data, "word/settings.xml")
        self.assertIsNotNone(settings.find("w:evenAndOddHeaders", NS))
        sect = self.root.find("w:body/w:sectPr", NS)
        kinds = {ref.get(w("type")) for ref in sect.findall("w:footerReference", NS)}
        self.assertEqual(kinds, {"default", "even"})

    def test_core_properties_carry_the_title(self):
        core = docx_xml(self.data, "docProps/core.xml")
        self.assertIn("示范区税务局党委人员信息核对情况", [e.text for e in core.iter()])

    def test_user_edits_reach_the_file_and_empty_blocks_are_left_out(self):
        content = [dict(b) for b in self.draft.content]
        content[1]["text"] = "这是修改后的基本情况。"
        content = blocks.insert_after(content, content[1]["id"], blocks.heading("补充说明", 2))
        content = blocks.insert_after(content, content[2]["id"], blocks.paragraph(""))
        self.save(self.draft, content, title="示范区税务局党委\n人员信息核对情况")
        texts = paragraph_texts(docx_xml(builder.render_docx(self.draft)))
        self.assertIn("这是修改后的基本情况。", texts)
        self.assertIn("（一）补充说明", texts)
        self.assertEqual(texts[:2], ["示范区税务局党委", "人员信息核对情况"])
        self.assertEqual(texts.count(""), 2, "only the blank lines after the title and before the sign-off")

    def test_export_filename_drops_characters_windows_forbids(self):
        self.draft.title = '关于"第一"/党支部:情况?'
        self.assertEqual(builder.export_filename(self.draft), "关于第一党支部情况.docx")
