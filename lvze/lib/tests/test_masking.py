"""脱敏: whole-name masking in text and in every part of a .docx."""

import datetime
import io
import zipfile

import docx
import pytest
from lxml import etree

from lvze.lib.gongwen import Document, Heading, Paragraph, Properties, Table, render
from lvze.lib.masking import (
    DEFAULT_GENERIC_WORDS,
    DEFAULT_PROTECTED_PHRASES,
    MaskRegistry,
    MaskReport,
    Replacement,
    distribute,
    docx_leaks,
    docx_texts,
    mask_docx,
    mask_filename,
)

PEOPLE = ["张三", "李四", "王五", "示范"]
ORGS = [
    ("示范区税务局党委", ["示范区局党委"]),
    ("第一党支部", ["第一", "一支部"]),
    ("新区第一党支部", []),
    ("第一税务所", []),
    ("区局机关党委", ["机关党委"]),
    ("办公室", []),
]


@pytest.fixture
def registry() -> MaskRegistry:
    return MaskRegistry(people_names=PEOPLE, org_names=ORGS, places=["独贵"], terms=["知行先锋"])


def masked(registry: MaskRegistry, text: str) -> str:
    return registry.mask_text(text)[0]


# --- names in text -------------------------------------------------------------------------


def test_organisations_keep_their_generic_level_suffix(registry):
    assert masked(registry, "示范区税务局党委召开会议") == "*党委召开会议"
    assert masked(registry, "第一党支部开展主题党日") == "*党支部开展主题党日"
    assert masked(registry, "新区第一党支部与第一税务所联建") == "*党支部与*税务所联建"


def test_people_places_and_terms_become_one_asterisk(registry):
    assert (
        masked(registry, "党委书记张三、委员李四走访独贵，打造知行先锋品牌")
        == "党委书记*、委员*走访*，打造*品牌"
    )


def test_names_made_of_generic_words_are_never_masked(registry):
    text = "区局党委、机关党委、办公室、市局、省局、总局、纪检组和党支部"
    assert masked(registry, text) == text
    assert registry.find_leaks(text) == []
    assert "机关党委" not in registry.names and "办公室" not in registry.names
    assert registry.is_generic("区局机关党委") and not registry.is_generic("第一党支部")


def test_fragments_inside_protected_phrases_stay(registry):
    text = "坚持“第一议题”制度，强化“第一身份”，发挥示范引领作用，建设示范点和先锋模范岗"
    assert masked(registry, text) == text
    assert registry.find_leaks(text) == []


def test_a_short_name_standing_alone_is_masked(registry):
    assert masked(registry, "第一、示范两位同志") == "*、*两位同志"


def test_longest_registered_name_wins(registry):
    _, replacements = registry.mask_text("新区第一党支部")
    assert [(r.original, r.masked) for r in replacements] == [("新区第一党支部", "*党支部")]


def test_a_name_covering_a_protected_phrase_is_still_masked():
    registry = MaskRegistry(terms=["第一议题学习会"])
    assert masked(registry, "召开第一议题学习会，落实第一议题") == "召开*，落实第一议题"


def test_a_name_equal_to_a_protected_phrase_is_masked():
    assert masked(MaskRegistry(terms=["示范点"]), "建成示范点") == "建成*"


def test_partial_overlap_with_a_generic_word_does_not_protect():
    assert masked(MaskRegistry(places=["新区"]), "新区局开展活动") == "*局开展活动"


def test_internal_relationship_targets_are_left_alone(registry):
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="image" Target="media/张三.png"/>'
        '<Relationship Id="rId2" Type="hyperlink" Target="https://example.org/张三" TargetMode="External"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/_rels/document.xml.rels", rels)
    result, report = mask_docx(buffer.getvalue(), registry)
    text = zipfile.ZipFile(io.BytesIO(result)).read("word/_rels/document.xml.rels").decode()
    assert 'Target="media/张三.png"' in text
    assert 'Target="https://example.org/*"' in text
    assert report.total == 1


def test_protected_phrases_are_extensible():
    registry = MaskRegistry(people_names=["张三"])
    assert masked(registry, "张三丰") == "*丰"
    extended = MaskRegistry(people_names=["张三"], protected_phrases=(*DEFAULT_PROTECTED_PHRASES, "张三丰"))
    assert masked(extended, "张三丰拳法，张三发言") == "张三丰拳法，*发言"


def test_generic_words_are_editable():
    registry = MaskRegistry(
        org_names=[("示范区税务局党委", [])], generic_words=(*DEFAULT_GENERIC_WORDS, "税务局党委")
    )
    assert masked(registry, "示范区税务局党委") == "*税务局党委"
    assert MaskRegistry(org_names=[("某某委员会", [])], generic_words=()).mask_text("某某委员会")[0] == "*"


def test_latin_names_match_whole_words_only():
    registry = MaskRegistry(terms=["ABC"])
    assert masked(registry, "ABC项目与ABCD项目") == "*项目与ABCD项目"


def test_names_shorter_than_two_characters_are_ignored():
    registry = MaskRegistry(people_names=["王"])
    assert registry.names == []


def test_find_leaks_lists_each_name_once_in_order(registry):
    assert registry.find_leaks("李四和张三，张三和第一党支部") == ["李四", "张三", "第一党支部"]


def test_replacements_are_reported_in_text_order_with_positions(registry):
    text = "张三与第一党支部"
    result, replacements = registry.mask_text(text)
    assert result == "*与*党支部"
    assert replacements == [
        Replacement(0, 2, "张三", "*", "person"),
        Replacement(3, 8, "第一党支部", "*党支部", "organization"),
    ]


# --- figures ---------------------------------------------------------------------------------

SEED_FIGURES = "12名干部职工捐款3,250元，覆盖群众580余人；党委与纪检组专题会商3次，向工管委汇报重点工作5余次"


def test_figures_stay_unless_a_category_is_switched_on(registry):
    assert masked(registry, SEED_FIGURES) == SEED_FIGURES


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (
            "amounts",
            "12名干部职工捐款*元，覆盖群众580余人；党委与纪检组专题会商3次，向工管委汇报重点工作5余次",
        ),
        (
            "people_counts",
            "*名干部职工捐款3,250元，覆盖群众580余人；党委与纪检组专题会商3次，向工管委汇报重点工作5余次",
        ),
        (
            "consultation_counts",
            "12名干部职工捐款3,250元，覆盖群众580余人；党委与纪检组专题会商*次，向工管委汇报重点工作*余次",
        ),
    ],
)
def test_each_figure_category(category, expected):
    assert MaskRegistry(figures=[category]).mask_text(SEED_FIGURES)[0] == expected


def test_figure_report_shows_the_unit():
    _, replacements = MaskRegistry(figures=["amounts", "people_counts"]).mask_text("3人获奖，捐款1.5万元")
    assert [r.report_key for r in replacements] == [
        ("people_counts", "3人", "*人"),
        ("amounts", "1.5万元", "*万元"),
    ]


def test_unknown_figure_category_is_refused():
    with pytest.raises(ValueError, match="未知的脱敏数字类别：phones"):
        MaskRegistry(figures=["phones"])


# --- report, file names, run distribution ---------------------------------------------------


def test_report_aggregates_and_summarises(registry):
    report = MaskReport()
    report.add(registry.mask_text("张三、张三、第一党支部")[1], part="word/document.xml")
    report.add(registry.mask_text("张三")[1], part="docProps/core.xml")
    assert report.total == 4
    assert report.count_of("张三") == 3
    assert [(row.original, row.masked, row.count, row.category_label) for row in report.rows()] == [
        ("张三", "*", 3, "人名"),
        ("第一党支部", "*党支部", 1, "组织名称"),
    ]
    assert report.parts == {"word/document.xml": 3, "docProps/core.xml": 1}
    assert report.summary() == "共替换4处：张三→*（3处）、第一党支部→*党支部（1处）"
    assert MaskReport().summary() == "未发现需要脱敏的内容"


def test_mask_filename_keeps_the_extension(registry):
    assert mask_filename("第一党支部2023年检查通报.docx", registry) == "＊党支部2023年检查通报.docx"
    assert mask_filename("张三", registry) == "＊"
    assert mask_filename("张三.工作.xlsx", registry) == "＊.工作.xlsx"


def test_distribute_puts_each_masked_span_into_its_first_segment():
    segments = ["书记张", "三、李", "四发言"]
    replacements = [Replacement(2, 4, "张三", "*", "person"), Replacement(5, 7, "李四", "*", "person")]
    assert distribute(segments, replacements) == ["书记*", "、*", "发言"]


# --- .docx ------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

FOOTNOTES_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
    '<w:footnote w:id="1"><w:p><w:r><w:t>资料由张</w:t></w:r><w:r><w:t>三提供</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
).encode()


def named_document() -> Document:
    return Document(
        title="第一党支部2023年上半年工作总结",
        recipients="示范区税务局党委",
        blocks=[
            Paragraph("示范区税务局党委书记张三带头落实“第一议题”制度，发挥示范引领作用。"),
            Heading(1, "第一党支部工作情况"),
            Paragraph("新区第一党支部与第一税务所联建，李四、王五参加。区局党委、机关党委、办公室予以指导。"),
            Table(["单位", "负责人"], [["第一党支部", "张三"], ["第一税务所", "王五"], ["办公室", "李四"]]),
        ],
        signoff="示范区税务局党委",
        date=datetime.date(2023, 6, 30),
        properties=Properties(
            title="第一党支部工作总结",
            author="张三",
            subject="示范区税务局党委",
            comments="李四审核",
            keywords="第一党支部;张三",
        ),
    )


def add_split_run_header_and_comment(data: bytes) -> bytes:
    """Extras the writer never produces but a user's edited file has."""
    document = docx.Document(io.BytesIO(data))
    paragraph = document.add_paragraph()
    for text, bold in (("据王", True), ("五", False), ("反映，第一党", False), ("支部已整改。", True)):
        paragraph.add_run(text).bold = bold
    document.sections[0].header.paragraphs[0].text = "示范区税务局党委文件"
    document.add_comment(paragraph.runs, text="请张三核实", author="李四", initials="LS")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_extra_parts(data: bytes) -> bytes:
    """Add a footnotes part and a company name in app.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/app.xml":
                content = content.replace(b"<Company/>", "<Company>示范区税务局党委</Company>".encode())
            target.writestr(info, content)
        target.writestr("word/footnotes.xml", FOOTNOTES_XML)
    return buffer.getvalue()


@pytest.fixture
def original() -> bytes:
    return with_extra_parts(add_split_run_header_and_comment(render(named_document())))


def all_texts_of_part(content: bytes) -> str:
    """Every text node and attribute value of a part, read independently of the masking module."""
    root = etree.fromstring(content)
    attributes = [value for element in root.iter() for value in element.attrib.values()]
    return "".join(root.itertext()) + "\n" + "\n".join(attributes)


def test_the_unmasked_file_does_leak_everywhere(original, registry):
    leaks = docx_leaks(original, registry)
    for part in (
        "word/document.xml",
        "word/header1.xml",
        "word/comments.xml",
        "word/footnotes.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ):
        assert part in leaks, part


def test_no_registered_name_survives_in_any_xml_part(original, registry):
    result, _ = mask_docx(original, registry)
    assert docx_leaks(result, registry) == {}
    archive = zipfile.ZipFile(io.BytesIO(result))
    checked = 0
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            assert registry.find_leaks(all_texts_of_part(archive.read(name))) == [], name
            checked += 1
    assert checked >= 10


def test_masked_file_keeps_protected_and_generic_words(original, registry):
    result, _ = mask_docx(original, registry)
    body = "\n".join(docx_texts(result)["word/document.xml"])
    for kept in ("第一议题", "示范引领", "区局党委", "机关党委", "办公室"):
        assert kept in body, kept
    assert "*党委书记*带头落实" in body
    assert "*党支部与*税务所联建，*、*参加" in body
    core = zipfile.ZipFile(io.BytesIO(result)).read("docProps/core.xml").decode()
    assert "<dc:title>*党支部工作总结</dc:title>" in core
    assert "<dc:creator>*</dc:creator>" in core


def test_a_name_split_across_runs_is_masked_keeping_run_formatting(original, registry):
    result, _ = mask_docx(original, registry)
    document = docx.Document(io.BytesIO(result))
    paragraph = document.paragraphs[-1]
    assert paragraph.text == "据*反映，*党支部已整改。"
    assert [(run.text, run.bold) for run in paragraph.runs] == [
        ("据*", True),
        ("", False),
        ("反映，*党支部", False),
        ("已整改。", True),
        ("", None),  # the comment reference
    ]
    footnote = zipfile.ZipFile(io.BytesIO(result)).read("word/footnotes.xml").decode()
    assert "资料由*" in footnote and "张" not in footnote


def test_report_counts_every_replacement(original, registry):
    _, report = mask_docx(original, registry)
    # 张三: body ×2 (paragraph, table), core creator, lastModifiedBy and keywords, comment text, footnote
    assert report.count_of("张三") == 7
    # 李四: body paragraph, table, core comments, comment author
    assert report.count_of("李四") == 4
    # 第一党支部: title, heading, table, split-run paragraph, core title, core keywords
    assert report.count_of("第一党支部") == 6
    assert report.count_of("示范区税务局党委") == 6  # 主送, body, 署名, header, core subject, app company
    # core: title, subject, creator, lastModifiedBy, description, keywords ×2
    assert report.parts["docProps/core.xml"] == 7
    assert report.total == sum(row.count for row in report.rows())


def test_unchanged_parts_stay_byte_identical(original, registry):
    result, _ = mask_docx(original, registry)
    before, after = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(result))
    assert before.namelist() == after.namelist()
    for name in ("word/styles.xml", "word/fontTable.xml", "[Content_Types].xml", "docProps/thumbnail.jpeg"):
        assert before.read(name) == after.read(name), name


def test_masked_file_still_opens_and_keeps_its_layout(original, registry):
    result, _ = mask_docx(original, registry)
    document = docx.Document(io.BytesIO(result))
    assert document.paragraphs[0].text == "*党支部2023年上半年工作总结"
    assert document.tables[0].cell(1, 0).text == "*党支部"
    assert document.sections[0].top_margin.twips == 2098
