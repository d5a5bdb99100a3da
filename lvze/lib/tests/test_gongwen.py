"""The GB/T 9704-2012 rules, read back from the XML of a rendered .docx."""

import datetime
import io
import zipfile

import pytest
from lxml import etree

from lvze.lib.gongwen import Document, Heading, Paragraph, Properties, Table, render, render_to
from lvze.lib.gongwen.writer import signature_right_indents, text_width_chars

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "r": R, "rel": PKG_REL}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def mm_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


SAMPLE = Document(
    title="2023年上半年落实全面从严治党主体责任\n情况总结",
    recipients="市局机关党委",
    blocks=[
        Paragraph("2023年上半年，区局党委坚持以习近平新时代中国特色社会主义思想为指引。"),
        Heading(1, "工作情况"),
        Heading(2, "学思想、强党性。", run_in="为进一步掀起学习宣传贯彻热潮。"),
        Heading(3, "领导带头学。"),
        Heading(4, "支部广泛学。"),
        Heading(4, "个人自主学。"),
        Heading(3, "笃行实践。"),
        Heading(2, "强部署、压责任。"),
        Heading(3, "压实责任。"),
        Paragraph("第一段。\n第二段。"),
        Table(
            ["序号", "任务", "牵头单位"],
            [["1", "召开会议", "机关党委"], ["2", "印发要点", "办公室"]],
            widths=[1, 4, 2],
        ),
        Heading(1, "下半年工作谋划"),
        Heading(2, "进一步推进全面从严治党。"),
        Heading(2, "附录", numbered=False),
        Heading(2, "继续编号。"),
    ],
    attachments=["全面从严治党重点任务分解表。", "党委重点落实事项清单"],
    signoff="中共示范区税务局委员会",
    date=datetime.date(2023, 6, 30),
    properties=Properties(
        title="2023年上半年总结",
        author="机关党委",
        subject="全面从严治党",
        comments="初稿",
        keywords="总结;党建",
        created=datetime.datetime(2023, 6, 30, 8, 0, tzinfo=datetime.UTC),
    ),
)


class Docx:
    """The parts of a rendered file, parsed."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self._parsed: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element:
        if name not in self._parsed:
            self._parsed[name] = etree.fromstring(self.zip.read(name))
        return self._parsed[name]

    @property
    def body(self) -> etree._Element:
        return self.xml("word/document.xml").find(w("body"))

    @property
    def body_paragraphs(self) -> list[etree._Element]:
        return self.body.findall(w("p"))

    @property
    def sect_pr(self) -> etree._Element:
        return self.body.find(w("sectPr"))

    def footer(self, kind: str) -> etree._Element:
        ref = self.sect_pr.find(f"w:footerReference[@w:type='{kind}']", NS)
        rel_id = ref.get(f"{{{R}}}id")
        rels = self.xml("word/_rels/document.xml.rels")
        target = rels.find(f"rel:Relationship[@Id='{rel_id}']", NS).get("Target")
        return self.xml(f"word/{target}")


@pytest.fixture(scope="module")
def sample() -> Docx:
    return Docx(render(SAMPLE))


def text_of(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def paragraph_starting(docx: Docx, prefix: str) -> etree._Element:
    return next(p for p in docx.body_paragraphs if text_of(p).startswith(prefix))


def attr(element: etree._Element, path: str, name: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(w(name))


def run_fonts(run: etree._Element) -> dict[str, str | None]:
    fonts = run.find("w:rPr/w:rFonts", NS)
    return {key: fonts.get(w(key)) for key in ("eastAsia", "ascii", "hAnsi")}


def assert_exact_body_spacing(paragraph: etree._Element) -> None:
    spacing = paragraph.find("w:pPr/w:spacing", NS)
    assert spacing.get(w("line")) == "579"
    assert spacing.get(w("lineRule")) == "exact"
    assert spacing.get(w("before")) == "0"
    assert spacing.get(w("after")) == "0"


def assert_two_char_first_line(paragraph: etree._Element) -> None:
    ind = paragraph.find("w:pPr/w:ind", NS)
    assert ind.get(w("firstLineChars")) == "200"
    assert ind.get(w("firstLine")) == "640"


# --- page ---------------------------------------------------------------------------------


def test_page_is_a4(sample):
    size = sample.sect_pr.find(w("pgSz"))
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == (mm_twips(210), mm_twips(297)) == (11906, 16838)


@pytest.mark.parametrize(("side", "mm"), [("top", 37), ("left", 28), ("right", 26), ("bottom", 35)])
def test_margins(sample, side, mm):
    value = int(sample.sect_pr.find(w("pgMar")).get(w(side)))
    assert value == mm_twips(mm)
    assert abs(value * 25.4 / 1440 - mm) < 0.05


def test_margins_in_twips_match_the_standard_figures(sample):
    margins = sample.sect_pr.find(w("pgMar"))
    assert {side: int(margins.get(w(side))) for side in ("top", "left", "right", "bottom")} == {
        "top": 2098,
        "left": 1587,
        "right": 1474,
        "bottom": 1984,
    }


def test_text_block_holds_22_lines_of_28_95_pt(sample):
    margins = sample.sect_pr.find(w("pgMar"))
    height = 16838 - int(margins.get(w("top"))) - int(margins.get(w("bottom")))
    assert height // 579 == 22


def test_document_grid_is_lines_with_pitch_579(sample):
    grid = sample.sect_pr.find(w("docGrid"))
    assert grid.get(w("type")) == "lines"
    assert grid.get(w("linePitch")) == "579"


# --- title, 主送, body ---------------------------------------------------------------------


def test_title_lines_are_centred_22pt_xiaobiaosong(sample):
    first, second, blank = sample.body_paragraphs[:3]
    assert [text_of(first), text_of(second)] == ["2023年上半年落实全面从严治党主体责任", "情况总结"]
    for paragraph in (first, second):
        assert attr(paragraph, "w:pPr/w:jc", "val") == "center"
        assert paragraph.find("w:pPr/w:ind", NS) is None
        assert_exact_body_spacing(paragraph)
        for run in paragraph.findall(w("r")):
            assert run_fonts(run)["eastAsia"] == "方正小标宋简体"
            assert attr(run, "w:rPr/w:sz", "val") == "44"


def test_blank_line_after_title_then_recipients_flush_left(sample):
    blank, recipients = sample.body_paragraphs[2:4]
    assert text_of(blank) == "" and blank.find(w("r")) is None
    assert_exact_body_spacing(blank)
    assert text_of(recipients) == "市局机关党委："
    assert recipients.find("w:pPr/w:ind", NS) is None
    assert attr(recipients, "w:pPr/w:jc", "val") in ("both", "left")


def test_recipients_keep_an_existing_colon():
    paragraphs = Docx(render(Document(title="T", recipients="各党支部："))).body_paragraphs
    assert text_of(paragraphs[2]) == "各党支部："


def test_body_paragraph_is_16pt_fangsong_indented_with_exact_spacing(sample):
    paragraph = paragraph_starting(sample, "2023年上半年，区局党委")
    assert_exact_body_spacing(paragraph)
    assert_two_char_first_line(paragraph)
    assert attr(paragraph, "w:pPr/w:jc", "val") == "both"
    run = paragraph.find(w("r"))
    assert run_fonts(run)["eastAsia"] == "仿宋_GB2312"
    assert attr(run, "w:rPr/w:sz", "val") == "32"
    assert attr(run, "w:rPr/w:szCs", "val") == "32"


def test_newline_in_paragraph_starts_a_new_paragraph(sample):
    texts = [text_of(p) for p in sample.body_paragraphs]
    assert "第一段。" in texts and "第二段。" in texts


def test_control_characters_are_dropped():
    paragraphs = Docx(render(Document(title="T", blocks=[Paragraph("甲\x0b乙\x00丙")]))).body_paragraphs
    assert text_of(paragraphs[-1]) == "甲乙丙"


# --- headings ------------------------------------------------------------------------------


def test_headings_are_numbered_per_level_and_lower_levels_restart(sample):
    texts = [text_of(p) for p in sample.body_paragraphs]
    expected = [
        "一、工作情况",
        "（一）学思想、强党性。为进一步掀起学习宣传贯彻热潮。",
        "1.领导带头学。",
        "（1）支部广泛学。",
        "（2）个人自主学。",
        "2.笃行实践。",
        "（二）强部署、压责任。",
        "1.压实责任。",
        "二、下半年工作谋划",
        "（一）进一步推进全面从严治党。",
        "附录",
        "（二）继续编号。",
    ]
    positions = [texts.index(text) for text in expected]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("prefix", "font"),
    [("一、", "黑体"), ("（一）", "楷体_GB2312"), ("1.", "仿宋_GB2312"), ("（1）", "仿宋_GB2312")],
)
def test_heading_fonts_sizes_and_indent(sample, prefix, font):
    paragraph = paragraph_starting(sample, prefix)
    first_run = paragraph.find(w("r"))
    assert run_fonts(first_run)["eastAsia"] == font
    assert attr(first_run, "w:rPr/w:sz", "val") == "32"
    assert_two_char_first_line(paragraph)
    assert_exact_body_spacing(paragraph)


def test_run_in_text_after_heading_is_in_body_font(sample):
    heading, run_in = paragraph_starting(sample, "（一）学思想").findall(w("r"))
    assert run_fonts(heading)["eastAsia"] == "楷体_GB2312"
    assert run_fonts(run_in)["eastAsia"] == "仿宋_GB2312"


def test_headings_carry_outline_levels(sample):
    assert attr(paragraph_starting(sample, "一、"), "w:pPr/w:outlineLvl", "val") == "0"
    assert attr(paragraph_starting(sample, "（1）"), "w:pPr/w:outlineLvl", "val") == "3"


def test_heading_level_is_validated():
    with pytest.raises(ValueError, match="标题层级"):
        Heading(5, "太深")


# --- fonts everywhere ----------------------------------------------------------------------


def test_every_run_in_body_and_footers_sets_east_asian_and_latin_fonts(sample):
    parts = [name for name in sample.zip.namelist() if name.startswith("word/") and name.endswith(".xml")]
    runs = [run for name in parts for run in sample.xml(name).iter(w("r"))]
    assert len(runs) > 40
    for run in runs:
        fonts = run_fonts(run)
        assert fonts["eastAsia"], etree.tostring(run)
        assert fonts["ascii"] == fonts["hAnsi"] == "Times New Roman"


def test_defaults_and_normal_style_are_fangsong_16pt(sample):
    styles = sample.xml("word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find(w("rFonts")).get(w("eastAsia")) == "仿宋_GB2312"
    assert defaults.find(w("rFonts")).get(w("eastAsiaTheme")) is None
    assert defaults.find(w("sz")).get(w("val")) == "32"
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert attr(normal, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(normal, "w:rPr/w:sz", "val") == "32"
    assert attr(normal, "w:pPr/w:spacing", "line") == "579"
    assert attr(normal, "w:pPr/w:spacing", "lineRule") == "exact"


# --- table ---------------------------------------------------------------------------------


def test_table_has_borders_repeated_bold_header_and_single_spacing(sample):
    table = sample.body.find(w("tbl"))
    borders = table.find("w:tblPr/w:tblBorders", NS)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(w(edge)).get(w("val")) == "single"
    header, *rows = table.findall(w("tr"))
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows)
    for run in header.iter(w("r")):
        assert run.find("w:rPr/w:b", NS) is not None
    for paragraph in table.iter(w("p")):
        assert attr(paragraph, "w:pPr/w:spacing", "line") == "240"
        assert attr(paragraph, "w:pPr/w:spacing", "lineRule") == "auto"
        assert attr(paragraph, "w:pPr/w:snapToGrid", "val") == "0"
    for run in table.iter(w("r")):
        assert run_fonts(run)["eastAsia"] == "仿宋_GB2312"
        assert attr(run, "w:rPr/w:sz", "val") == "28"


def test_table_spans_the_text_width_in_the_given_proportions(sample):
    table = sample.body.find(w("tbl"))
    columns = [int(c.get(w("w"))) for c in table.iter(w("gridCol"))]
    assert sum(columns) == 11906 - 1587 - 1474
    assert columns[1] == pytest.approx(4 * columns[0], abs=2)
    assert attr(table, "w:tblPr/w:tblW", "w") == str(sum(columns))


def test_table_rows_must_match_header():
    with pytest.raises(ValueError, match="第1行有2列"):
        Table(["a", "b", "c"], [["1", "2"]])


# --- 附件说明, 署名, 成文日期 ----------------------------------------------------------------


def test_attachments_follow_one_blank_line_numbered_and_indented(sample):
    paragraphs = sample.body_paragraphs
    first = paragraph_starting(sample, "附件：")
    index = paragraphs.index(first)
    assert text_of(paragraphs[index - 1]) == ""
    assert text_of(first) == "附件：1．全面从严治党重点任务分解表"
    assert text_of(paragraphs[index + 1]) == "\u3000\u3000\u30002．党委重点落实事项清单"
    for paragraph in (first, paragraphs[index + 1]):
        ind = paragraph.find("w:pPr/w:ind", NS)
        left, hanging = int(ind.get(w("left"))), int(ind.get(w("hanging")))
        assert left - hanging == 640  # first line two characters in
        assert left == 640 + round(text_width_chars("附件：1．") * 320)  # wrapped lines align with the name


def test_single_attachment_has_no_number():
    docx = Docx(render(Document(title="T", attachments=["检查通报"])))
    assert text_of(paragraph_starting(docx, "附件")) == "附件：检查通报"


def test_signoff_and_date_are_right_aligned_after_a_blank_line(sample):
    paragraphs = sample.body_paragraphs
    signoff = paragraph_starting(sample, "中共示范区税务局委员会")
    index = paragraphs.index(signoff)
    date = paragraphs[index + 1]
    assert text_of(paragraphs[index - 1]) == ""
    assert text_of(date) == "2023年6月30日"
    assert paragraphs[index + 1] is paragraphs[-1]
    for paragraph in (signoff, date):
        assert attr(paragraph, "w:pPr/w:jc", "val") == "right"
        assert_exact_body_spacing(paragraph)
    assert attr(signoff, "w:pPr/w:ind", "right") == "640"  # 右空二字
    # the date's first character stands two characters right of the 署名's first character
    signoff_start = 640 + text_width_chars("中共示范区税务局委员会") * 320
    date_start = int(attr(date, "w:pPr/w:ind", "right")) + text_width_chars("2023年6月30日") * 320
    assert signoff_start - date_start == 640


def test_signature_never_stands_alone_on_a_page():
    doc = Document(
        title="T", blocks=[Paragraph("甲。"), Paragraph("最后一段。")], signoff="机关党委", date=datetime.date(2024, 1, 5)
    )
    paragraphs = Docx(render(doc)).body_paragraphs
    texts = [text_of(p) for p in paragraphs]
    keep = [p.find("w:pPr/w:keepNext", NS) is not None for p in paragraphs]
    assert texts[-4:] == ["最后一段。", "", "机关党委", "2024年1月5日"]
    assert keep[-4:] == [True, True, True, False]
    assert not keep[texts.index("甲。")]


def test_headings_keep_with_the_paragraph_after_them(sample):
    for prefix in ("一、", "（一）", "1.", "（1）"):
        assert paragraph_starting(sample, prefix).find("w:pPr/w:keepNext", NS) is not None


def test_signature_indents_follow_gbt_9704_7_3_5_2():
    assert signature_right_indents("中共示范区税务局委员会", "2023年6月30日") == (2, 4.5)
    # a date longer than the 署名 stands 右空二字 and pushes the 署名 left
    assert signature_right_indents("机关党委", "2023年12月31日") == (7.0, 2)
    assert signature_right_indents("", "2023年6月30日") == (0, 4)


def test_date_without_signoff_stands_four_characters_from_the_right():
    docx = Docx(render(Document(title="T", date=datetime.date(2024, 1, 5))))
    date = docx.body_paragraphs[-1]
    assert text_of(date) == "2024年1月5日"
    assert attr(date, "w:pPr/w:ind", "right") == "1280"
    assert text_of(docx.body_paragraphs[-2]) == ""


# --- page numbers --------------------------------------------------------------------------


def test_odd_and_even_footers_are_enabled(sample):
    assert sample.xml("word/settings.xml").find(w("evenAndOddHeaders")) is not None


@pytest.mark.parametrize(
    ("kind", "align", "indent_side"), [("default", "right", "right"), ("even", "left", "left")]
)
def test_page_number_footer(sample, kind, align, indent_side):
    paragraph = sample.footer(kind).find(w("p"))
    assert attr(paragraph, "w:pPr/w:jc", "val") == align
    assert attr(paragraph, "w:pPr/w:ind", indent_side) == "280"  # one 4号 character
    runs = paragraph.findall(w("r"))
    for run in runs:
        assert run_fonts(run)["eastAsia"] == "宋体"
        assert attr(run, "w:rPr/w:sz", "val") == "28"
    sequence = []
    for run in runs:
        for child in run:
            if child.tag == w("fldChar"):
                sequence.append(child.get(w("fldCharType")))
            elif child.tag == w("instrText"):
                sequence.append(child.text.strip())
            elif child.tag == w("t"):
                sequence.append(child.text)
    assert sequence == ["— ", "begin", "PAGE", "separate", "1", "end", " —"]


# --- properties ----------------------------------------------------------------------------


def test_core_properties(sample):
    core = sample.zip.read("docProps/core.xml").decode()
    for value in (
        "2023年上半年总结",
        "机关党委",
        "全面从严治党",
        "初稿",
        "总结;党建",
        "2023-06-30T08:00:00Z",
    ):
        assert value in core
    assert "python-docx" not in core


def test_title_property_defaults_to_the_title():
    core = Docx(render(Document(title="关于开展\n检查的通知"))).zip.read("docProps/core.xml").decode()
    assert "<dc:title>关于开展检查的通知</dc:title>" in core


def test_render_to_writes_the_same_bytes(tmp_path):
    doc = Document(
        title="T", properties=Properties(created=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC))
    )
    path = render_to(doc, tmp_path / "out.docx")
    assert path.read_bytes()[:2] == b"PK"
    assert zipfile.ZipFile(path).read("word/document.xml") == zipfile.ZipFile(io.BytesIO(render(doc))).read(
        "word/document.xml"
    )
