"""The seed scenario reproduces the seed's figures, and the generated summary says what the seed says."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from lvze.documents import builder, services
from lvze.documents.blocks import content_of
from lvze.documents.generation import generate_draft
from lvze.documents.models import Draft
from lvze.documents.selectors import mask_registry_for
from lvze.documents.tests.base import docx_xml, paragraph_texts
from lvze.duties.models import Source, Status, Timeliness, WorkItem
from lvze.duties.timeliness import timeliness_counts
from lvze.lib.masking import DEFAULT_GENERIC_WORDS, docx_leaks
from lvze.orgs.demo import DemoBuilder
from lvze.orgs.demo_seed import SEED_TODAY, load_seed_scenario
from lvze.orgs.models import Organization, Person
from lvze.records.models import Activity, ActivityType, LifeMeeting, Meeting, MeetingKind
from lvze.records.registry_services import activity_record
from lvze.records.selectors import activity_totals, meeting_counts

SEED_SENTENCES = [
    "累计开展9次宣传宣讲活动，覆盖群众580余人",
    "共举办特色活动8场，覆盖群众460余人，解决群众操心事、烦心事、揪心事72件",
    "党委与纪检组专题会商2次、分管党建局领导与纪检组组长会商3次、机关党委与纪检组会商4次",
    "未出现临期、逾期及逾期办结任务",
    "获得省级“五一劳动奖状”荣誉称号和“市级文明单位”称号",
    "组织召开2022年度民主生活会，扎实做好会前学习、征求意见、谈心谈话、撰写对照检查材料等会前准备工作",
    "认真核对调整党建云平台人员信息26项",
    # from the inspections app's providers: 检查, 通报, 整改, 六位一体 and 述职评议
    "坚持开展2023年第一季度支部工作检查，检查党组织8个次，下发通报1期，发现问题2个，立行立改",
    "检查发现问题整改2个，已销号2个",
    "党委全面监督发现问题1个、纪检机构专责监督发现问题2个",
    "组织开展2022年度党支部书记抓党建述职评议，7名党支部书记述职并接受评议",
]
H1 = (date(2023, 1, 1), date(2023, 6, 30))


def text_of(draft: Draft) -> str:
    return "\n".join(content_of(b).get("text", "") for b in draft.content)


class SeedScenarioTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        DemoBuilder(SEED_TODAY).build_organisation()
        cls.counts = load_seed_scenario()
        cls.qj = Organization.objects.get(code="QJ")

    def summary(self, period: str = "2023H1", today: date = SEED_TODAY) -> Draft:
        return generate_draft(unit=self.qj, kind="summary", period=period, today=today)

    # --- the records reproduce the seed's figures, through the records' own selectors

    def test_records_reproduce_the_seeds_figures(self):
        in_h1 = Activity.objects.filter(organization__path__startswith=self.qj.path, held_on__range=H1)
        lectures = activity_totals(in_h1.filter(activity_type__name="宣讲"))
        features = activity_totals(in_h1.filter(activity_type__name="特色活动"))
        self.assertEqual((lectures["count"], lectures["people_covered"]), (9, 583))
        self.assertEqual((features["count"], features["people_covered"], features["problems_solved"]), (8, 462, 72))
        meetings = Meeting.objects.filter(organization__path__startswith=self.qj.path, held_on__range=H1)
        self.assertEqual(meeting_counts(meetings)["consultation_levels"], {"committee": 2, "leader": 3, "organ": 4})
        life = LifeMeeting.objects.get(organization=self.qj, year=2022)
        self.assertEqual(life.meeting.held_on.year, 2023)
        self.assertEqual(life.problems.count(), 3)

    def test_no_item_due_in_the_first_half_is_due_soon_overdue_or_late(self):
        items = WorkItem.objects.filter(org_path__startswith=self.qj.path, due_date__range=H1)
        counts = timeliness_counts(items, SEED_TODAY)
        self.assertGreater(counts[Timeliness.ON_TIME], 100)
        self.assertEqual([counts[k] for k in (Timeliness.DUE_SOON, Timeliness.OVERDUE, Timeliness.LATE)], [0, 0, 0])
        self.assertEqual(self.counts["open_items_due_in_2023h1"], 0)
        # Completed by records and approved submissions only, never ticked by hand.
        rule_items = WorkItem.objects.filter(source=Source.RULE, due_date__lte=SEED_TODAY)
        self.assertFalse(rule_items.exclude(status=Status.DONE).exists())
        self.assertEqual(Meeting.objects.filter(fulfils__in=rule_items).count(), rule_items.count())

    # --- the generated summary

    def test_summary_contains_the_seeds_sentences(self):
        draft = self.summary()
        self.assertEqual(draft.title, "2023年上半年落实全面从严治党主体责任和抓基层党建、党风廉政建设责任制情况总结")
        text = text_of(draft)
        for sentence in SEED_SENTENCES:
            self.assertIn(sentence, text)
        self.assertTrue(draft.content[0]["text"].endswith("现将有关情况报告如下："))
        self.assertEqual(draft.doc_date, date(2023, 6, 30))
        self.assertEqual(draft.signoff, "示范区税务局党委")

    def test_structure_follows_the_seed(self):
        draft = self.summary()
        headings = [(b["level"], b["text"]) for b in draft.content if b["type"] == "heading"]
        self.assertEqual(headings[0], (1, "工作情况"))
        self.assertEqual(
            [text for level, text in headings[1:7]],
            [
                "学思想、强党性，深入学习宣传党的二十大精神",
                "强部署、压责任，着力推进全面从严治党",
                "抓规范、促融合，切实提升党建工作质量",
                "重施教、浓氛围，着力抓牢意识形态领域",
                "抓宣传、争先进，持续开展精神文明创建",
                "严监督、促协调，着力深化一体化综合监督",
            ],
        )
        self.assertEqual(headings[7], (1, "下半年工作谋划"))
        first_section = [b for b in draft.content if b["slot"].startswith("work.学习宣传.") and b["type"] == "paragraph"]
        self.assertEqual([b["text"][:2] for b in first_section], ["一是", "二是", "三是", "四是", "五是"][: len(first_section)])
        self.assertTrue(first_section[0]["text"].startswith("一是线上线下相结合，确保宣传取得实效。截至目前，累计开展9次"))
        # Every generated paragraph says where it came from.
        for block in draft.content:
            if block["type"] == "paragraph":
                self.assertTrue(block["provenance"], block["slot"])

    def test_the_document_runs_each_section_on_in_one_paragraph_as_the_seed(self):
        draft = self.summary()
        paragraphs = paragraph_texts(docx_xml(builder.render_docx(draft)))
        section = next(p for p in paragraphs if p.startswith("（一）"))
        self.assertTrue(section.startswith("（一）学思想、强党性，深入学习宣传党的二十大精神。一是线上线下相结合"))
        self.assertIn("二是笃行实践相结合", section)
        self.assertIn("一、工作情况", paragraphs)
        self.assertIn("二、下半年工作谋划", paragraphs)
        supervision = next(p for p in paragraphs if p.startswith("（六）"))
        self.assertIn("党委与纪检组专题会商2次、分管党建局领导与纪检组组长会商3次、机关党委与纪检组会商4次", supervision)

    def test_provenance_names_the_records_and_figures(self):
        draft = self.summary()
        block = next(b for b in draft.content if b["slot"] == "work.学习宣传.activity:宣讲")
        labels = {p["label"]: p["value"] for p in block["provenance"]}
        self.assertIn("9次，覆盖群众583人", labels["宣讲活动"])
        highlighted = [p for p in block["provenance"] if p["label"].startswith("亮点：")]
        self.assertEqual(len(highlighted), 3)
        self.assertTrue(all(p["source"].startswith("/records/activities/") for p in highlighted))

    def test_next_half_plan_comes_from_the_tasks_and_rules(self):
        draft = self.summary()
        plan = "\n".join(b["text"] for b in draft.content if b["slot"].startswith("plan."))
        self.assertIn("制定区局《意识形态工作责任清单》。明确班子成员“一岗双责”内容，及时上报市局，9月30日前完成。", plan)
        self.assertIn("每半年专题研究全面从严治党工作", plan)
        self.assertIn("做到不丢项不漏项", plan)
        self.assertNotIn("完善《党委重点落实事项清单》", plan)  # done in the first half

    def test_masked_summary_leaks_no_registered_name(self):
        draft = self.summary()
        registry = mask_registry_for(self.qj)
        export = builder.render_masked(draft, registry)
        self.assertTrue(export.safe, export.leaks)
        self.assertEqual(docx_leaks(export.data, registry), {})
        text = "\n".join(paragraph_texts(docx_xml(export.data)))
        self.assertIn("2023年上半年，*党委坚持以习近平新时代中国特色社会主义思想", text)
        self.assertIn("将*党支部确定为包联支部", text)
        self.assertIn("累计开展9次宣传宣讲活动，覆盖群众580余人", text)
        self.assertNotIn("示范区税务局党委", text)
        names = set(Person.objects.values_list("name", flat=True))
        self.assertFalse([n for n in names if len(n) > 1 and n in text])

    def test_masked_figures_read_like_the_seed_when_the_unit_switches_them_on(self):
        services.mask_settings_save(actor=None, unit=self.qj, generic_words="\n".join(DEFAULT_GENERIC_WORDS),
                                    protected_phrases="", places="", terms="",
                                    figures=["consultation_counts", "people_counts", "amounts"])
        export = builder.render_masked(self.summary(), mask_registry_for(self.qj))
        self.assertTrue(export.safe, export.leaks)
        text = "\n".join(paragraph_texts(docx_xml(export.data)))
        self.assertIn("党委与纪检组专题会商*次、分管党建局领导与纪检组组长会商*次、机关党委与纪检组会商*次", text)
        self.assertIn("*人获得市委宣传部", text)
        self.assertIn("*名干部职工捐款*元", text)
        self.assertIn("覆盖群众580余人", text)  # approximate coverage figures stay, as in the seed

    def test_report_command_writes_the_docx_and_the_masked_one(self):
        with tempfile.TemporaryDirectory() as work:
            out = Path(work) / "总结.docx"
            stdout = io.StringIO()
            call_command("report", "summary", "--org", "QJ", "--period", "2023H1", "--out", str(out), "--masked", "--json",
                         stdout=stdout)
            result = json.loads(stdout.getvalue())
            self.assertTrue(result["masked"])
            self.assertIn({"category": "organization", "original": "示范区税务局党委", "masked": "*党委"},
                          [{k: r[k] for k in ("category", "original", "masked")} for r in result["replaced"]])
            text = "\n".join(paragraph_texts(docx_xml(out.read_bytes())))
            self.assertIn("共举办特色活动8场，覆盖群众460余人，解决群众操心事、烦心事、揪心事72件", text)
            self.assertNotIn("示范区税务局党委", text)

    def test_regenerating_after_a_new_record_keeps_edits_elsewhere(self):
        draft = services.draft_create(actor=None, unit=self.qj, kind="summary", period="2023H1", today=SEED_TODAY)
        blocks = [dict(b) for b in draft.content]
        edited = next(b for b in blocks if b["slot"] == "work.综合监督.consultation")
        edited["text"] = "二是本段由党建办改写。"
        services.draft_save(actor=None, draft=draft, blocks=blocks, title=draft.title, signoff=draft.signoff,
                            doc_date=draft.doc_date, base_version=draft.version)
        activity_record(actor=None, organization=Organization.objects.get(code="QJ02"),
                        activity_type=ActivityType.objects.get(unit=self.qj, name="宣讲"), name="补录的宣讲",
                        held_on=date(2023, 6, 28), people_covered=20, work_area="学习宣传")
        services.draft_regenerate_section(actor=None, draft=draft, section_key="work", today=SEED_TODAY)
        draft.refresh_from_db()
        text = text_of(draft)
        self.assertIn("累计开展10次宣传宣讲活动，覆盖群众600余人", text)
        self.assertIn("二是本段由党建办改写。", text)
        self.assertEqual(draft.version, 3)

    def test_the_first_half_of_the_next_year_has_no_records(self):
        draft = self.summary("2024H1", today=date(2024, 6, 30))
        text = text_of(draft)
        self.assertNotIn("宣讲", text)
        self.assertNotIn("未出现临期", text)  # no items due in the period: nothing said
        self.assertIn("2024年上半年", draft.title)

    def test_demo_command_replaces_records_and_keeps_people(self):
        people = set(Person.objects.values_list("pk", flat=True))
        Meeting.objects.create(organization=self.qj, kind=MeetingKind.COMMITTEE_MEETING, period="2021-03",
                               held_on=date(2021, 3, 3), topic="旧记录")
        stdout = io.StringIO()
        call_command("demo", "--scenario", "seed-2023h1", stdout=stdout)
        self.assertIn("已载入场景 seed-2023h1", stdout.getvalue())
        self.assertFalse(Meeting.objects.filter(topic="旧记录").exists())
        self.assertEqual(set(Person.objects.values_list("pk", flat=True)), people)
        self.assertIn("累计开展9次宣传宣讲活动，覆盖群众580余人", text_of(self.summary()))
