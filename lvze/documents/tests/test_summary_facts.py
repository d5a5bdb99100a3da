"""The summary for periods and records the seed does not have: other counts, kinds the seed never names,
late items, the unit's own phrasing and work areas, and sources added by later apps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F

from lvze.documents import builder, services
from lvze.documents.blocks import content_of
from lvze.documents.generation import generate_draft
from lvze.documents.models import Draft, SummaryTemplate
from lvze.documents.summary import facts as summary_facts
from lvze.documents.summary.facts import Fact, fact_provider, register_theme
from lvze.documents.summary.templates import check_template, fill, join_phrases
from lvze.documents.tests.base import docx_xml, paragraph_texts
from lvze.duties.models import Source, Status, WorkItem
from lvze.orgs.models import Organization, WorkArea
from lvze.records import services as record_services
from lvze.records.models import ActivityType, ConsultationLevel, Honor, HonorLevel, MeetingKind, TalkKind
from lvze.records.registry_services import (
    activity_record,
    activity_type_save,
    activity_types_install,
    registry_save,
)
from lvze.test import LvzeTestCase

AFTER_H2 = date(2025, 1, 10)


def text_of(draft: Draft) -> str:
    return "\n".join(content_of(b).get("text", "") for b in draft.content)


class TemplateFillingTests(LvzeTestCase):
    def test_optional_parts_drop_out_when_their_figure_is_zero_or_empty(self):
        template = "开展{类型}活动{次数}次[，覆盖群众{覆盖人数}人][，解决问题{解决问题}件]"
        self.assertEqual(fill(template, {"类型": "宣讲", "次数": 3, "覆盖人数": "580余", "解决问题": 0}),
                         "开展宣讲活动3次，覆盖群众580余人")
        self.assertEqual(fill("[{甲}][，{乙}]", {"甲": "", "乙": "有"}), "有")  # no leading comma
        self.assertEqual(fill("{未知}保持原样", {}), "{未知}保持原样")

    def test_check_template_names_unknown_placeholders_and_brackets(self):
        self.assertEqual(check_template("累计{次数}次", ("次数",)), [])
        self.assertIn("不认识的占位符：{人头}", check_template("{人头}人", ("次数",))[0])
        self.assertTrue(check_template("[未闭合", ("次数",)))
        self.assertTrue(check_template("{次数", ("次数",)))

    def test_meeting_phrases_share_their_verb(self):
        self.assertEqual(join_phrases(["召开支部党员大会2次", "召开支委会6次", "开展主题党日活动6次", "讲党课2次"]),
                         "召开支部党员大会2次、支委会6次，开展主题党日活动6次，讲党课2次")


class SummaryFactsTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.qj = cls.orgs["QJ"]
        activity_types_install(actor=None, unit=cls.qj)
        activity_type_save(actor=None, unit=cls.qj, name="读书分享", order=20)
        cls.types = {t.name: t for t in ActivityType.objects.filter(unit=cls.qj)}

    def summary(self, period: str = "2024H2", today: date = AFTER_H2, unit: str = "QJ") -> Draft:
        return generate_draft(unit=self.orgs[unit], kind="summary", period=period, today=today)

    def activity(self, kind: str, day: date, org: str = "QJ01", **values):
        values.setdefault("name", f"{kind}{day}")
        return activity_record(actor=None, organization=self.orgs[org], activity_type=self.types[kind], held_on=day, **values)

    def item(self, key: str, due: date, status: str = Status.TODO, done_on: date | None = None, org: str = "QJ01"):
        organization = self.orgs[org]
        return WorkItem.objects.create(
            key=key, source=Source.TASK, organization=organization, unit=organization.unit, org_path=organization.path,
            title=key, period=f"{due.year}-{due.month:02d}", due_date=due, warn_from=due - timedelta(days=3),
            status=status, done_on=done_on,
        )

    def test_kinds_the_seed_never_names_appear_with_their_counts(self):
        self.activity("走访慰问", date(2024, 9, 10), people_covered=30, problems_solved=2, amount=Decimal("1000.50"),
                      work_area="精神文明")
        self.activity("走访慰问", date(2024, 12, 20), org="QJ02", people_covered=45, problems_solved=1, amount=Decimal("500"),
                      work_area="精神文明")
        self.activity("读书分享", date(2024, 8, 1), participant_count=12, work_area="学习宣传", highlight="共读《习近平谈治国理政》")
        self.activity("宣讲", date(2024, 3, 1), people_covered=99, work_area="学习宣传")  # first half: not counted
        record_services.meeting_record(actor=None, organization=self.orgs["QJ01"], kind=MeetingKind.ORG_LIFE,
                                       held_on=date(2024, 11, 20), topic="2024年度组织生活会", work_area="从严治党")
        record_services.meeting_record(actor=None, organization=self.orgs["QJ01"], kind=MeetingKind.MEMBER_REVIEW,
                                       held_on=date(2024, 11, 21), topic="民主评议党员", work_area="从严治党")
        record_services.meeting_record(actor=None, organization=self.qj, kind=MeetingKind.CONSULTATION,
                                       held_on=date(2024, 10, 8), topic="会商", consultation_level=ConsultationLevel.LEADER,
                                       work_area="综合监督")
        for n, kind in enumerate([TalkKind.SECRETARY_MEMBER, TalkKind.SECRETARY_MEMBER, TalkKind.INTEGRITY]):
            record_services.talk_record(actor=None, organization=self.orgs["QJ01"], held_on=date(2024, 7, 10 + n),
                                        initiator=self.p1, partner=self.p2, kind=kind, topic="谈心")
        registry_save(actor=None, instance=Honor(
            organization=self.qj, level=HonorLevel.DISTRICT, title="先进基层党组织", awarded_on=date(2024, 7, 1),
            recipient_org=self.orgs["QJ01"], work_area="精神文明"))
        text = text_of(self.summary())
        self.assertIn("开展走访慰问2次，走访群众75人，解决群众操心事、烦心事、揪心事3件，发放慰问金1500.50元", text)
        self.assertIn("开展读书分享活动1次，参与干部职工12人，共读《习近平谈治国理政》", text)
        self.assertIn("召开组织生活会1次，开展民主评议党员1次", text)
        self.assertIn("分管党建局领导与纪检组组长会商1次", text)
        self.assertNotIn("党委与纪检组专题会商", text)  # a level without consultations says nothing
        self.assertIn("开展书记与党员谈心谈话2人次、廉政谈话1人次", text)
        self.assertIn("第一党支部获得区级“先进基层党组织”荣誉称号", text)
        for absent in ("宣讲", "特色活动", "主题党日", "捐款", "未出现临期"):
            self.assertNotIn(absent, text)

    def test_people_are_approximated_and_events_stay_exact(self):
        for n in range(3):
            self.activity("宣讲", date(2024, 7, 1 + n), people_covered=[400, 434, 400][n], work_area="学习宣传")
        self.activity("特色活动", date(2024, 8, 1), people_covered=100, problems_solved=105, work_area="学习宣传")
        text = text_of(self.summary())
        self.assertIn("累计开展3次宣传宣讲活动，覆盖群众1200余人", text)
        self.assertIn("共举办特色活动1场，覆盖群众100人，解决群众操心事、烦心事、揪心事105件", text)

    def test_late_items_give_the_counts_and_the_on_time_rate(self):
        for n in range(3):
            self.item(f"on-time-{n}", date(2024, 8, 31), Status.DONE, date(2024, 8, 30))
        self.item("late", date(2024, 9, 30), Status.DONE, date(2024, 10, 8))
        self.item("overdue", date(2024, 10, 31))
        self.item("due-soon", date(2024, 12, 31))
        self.item("other-period", date(2025, 1, 5))
        text = text_of(self.summary())
        self.assertIn("2024年下半年到期事项6项，按期办结3项，逾期办结1项，逾期未办结1项，临期1项，按期办结率50%", text)
        self.assertNotIn("未出现临期", text)

    def test_timeliness_is_taken_as_of_the_periods_end(self):
        # Done after the period ended: at its end the item was still open and overdue.
        self.item("finished-later", date(2024, 12, 1), Status.DONE, date(2025, 1, 3))
        self.item("on-time", date(2024, 11, 1), Status.DONE, date(2024, 11, 1))
        self.assertIn("逾期未办结1项", text_of(self.summary()))

    def test_the_clean_sentence_needs_items_and_none_late(self):
        self.assertNotIn("未出现临期", text_of(self.summary()))  # no items: nothing said
        self.item("on-time", date(2024, 11, 1), Status.DONE, date(2024, 10, 30))
        self.item("later-in-period", date(2024, 12, 31))
        # Generated on 1 December: the December item is not yet due (正常), which is not late.
        text = text_of(self.summary(today=date(2024, 12, 1)))
        self.assertIn("未出现临期、逾期及逾期办结任务", text)

    def test_a_year_plans_the_next_year(self):
        self.activity("宣讲", date(2024, 3, 1), people_covered=50, work_area="学习宣传")
        self.activity("宣讲", date(2024, 9, 1), people_covered=60, work_area="学习宣传")
        draft = self.summary("2024", today=date(2025, 1, 10))
        self.assertEqual(draft.title, "2024年全年落实全面从严治党主体责任和抓基层党建、党风廉政建设责任制情况总结")
        self.assertIn("累计开展2次宣传宣讲活动，覆盖群众110人", text_of(draft))
        self.assertIn((1, "下一年度工作谋划"), [(b["level"], b["text"]) for b in draft.content if b["type"] == "heading"])
        self.assertEqual(draft.doc_date, date(2024, 12, 31))

    def test_only_halves_and_years_are_summarised(self):
        with self.assertRaises(ValueError):
            self.summary("2024Q2")
        with self.assertRaises(ValidationError):
            services.draft_create(actor=None, unit=self.qj, kind="summary", period="2024-05")
        self.assertFalse(Draft.objects.exists())

    def test_sections_follow_the_units_work_areas_and_its_templates(self):
        WorkArea.objects.filter(unit=self.qj).update(order=F("order") + 1)
        WorkArea.objects.filter(unit=self.qj, name="综合监督").update(order=0)
        WorkArea.objects.create(unit=self.qj, name="作风建设", order=9)
        SummaryTemplate.objects.create(unit=self.orgs["SJ"], key="section.综合监督", text="市局统一的监督标题")
        SummaryTemplate.objects.create(unit=self.orgs["SJ"], key="title", text="{年}年{半年}工作总结（市局格式）")
        SummaryTemplate.objects.create(unit=self.qj, key="title", text="{单位简称}{期间}工作总结")
        SummaryTemplate.objects.create(unit=self.qj, key="fact.activity.宣讲", text="宣讲{次数}场，听众{覆盖人数}人")
        self.activity("宣讲", date(2024, 7, 1), people_covered=583, work_area="学习宣传")
        draft = self.summary()
        self.assertEqual(draft.title, "区局2024年下半年工作总结")  # the unit's own beats the higher unit's
        sections = [b["text"] for b in draft.content if b["type"] == "heading" and b["slot"].startswith("work.") and b["level"] == 2]
        self.assertEqual(sections[0], "市局统一的监督标题")
        self.assertEqual(sections[-1], "扎实推进作风建设工作")
        self.assertIn("宣讲1场，听众580余人", text_of(draft))
        xq = self.summary(unit="XQ")
        self.assertTrue(xq.title.endswith("（市局格式）"))

    def test_a_record_without_a_known_work_area_goes_to_its_kinds_default(self):
        self.activity("志愿服务", date(2024, 7, 1), people_covered=20, work_area="")
        self.activity("比赛", date(2024, 7, 2), participant_count=8, work_area="不存在的板块")
        slots = [b["slot"] for b in self.summary().content]
        self.assertIn("work.精神文明.activity:志愿服务", slots)
        self.assertIn("work.意识形态.activity:比赛", slots)

    def test_the_higher_level_summary_covers_its_subtree(self):
        self.activity("宣讲", date(2024, 7, 1), people_covered=40, work_area="学习宣传")
        xq_type = activity_types_install(actor=None, unit=self.orgs["XQ"])[0]
        activity_record(actor=None, organization=self.orgs["XQ01"], activity_type=xq_type, name="新区宣讲",
                        held_on=date(2024, 7, 2), people_covered=40, work_area="学习宣传")
        for n in range(7):
            registry_save(actor=None, instance=Honor(
                organization=self.qj, level=HonorLevel.DISTRICT, title=f"先进集体{n}", awarded_on=date(2024, 8, 1),
                recipient_org=self.orgs["QJ01" if n % 2 else "QJ02"], work_area="精神文明"))
        text = text_of(self.summary(unit="SJ"))
        self.assertIn("累计开展2次宣传宣讲活动，覆盖群众80人", text)
        self.assertIn("所属2个组织获得各级荣誉7项，其中区级7项", text)

    def test_a_later_app_adds_its_source_through_a_provider(self):
        theme = register_theme("rectification_test", "党建质量", "坚持问题导向，抓好整改落实", label="整改")

        def rectifications(scope):
            return [Fact(theme.key, "整改问题4个，已销号3个", area="党建质量",
                         sources=[{"label": "整改", "value": "4个", "source": "/"}])]

        fact_provider(rectifications)
        try:
            draft = self.summary()
            block = next(b for b in draft.content if b["slot"] == "work.党建质量.rectification_test")
            self.assertEqual(block["text"], "一是坚持问题导向，抓好整改落实。整改问题4个，已销号3个。")
            self.assertTrue(block["inline"])
        finally:
            summary_facts.FACT_PROVIDERS.remove(rectifications)
            summary_facts.THEMES[:] = [t for t in summary_facts.THEMES if t.key != theme.key]

    def test_empty_period_still_has_the_structure(self):
        draft = self.summary()
        self.assertTrue(draft.content[0]["text"].startswith("2024年下半年，示范区税务局党委坚持"))
        headings = [b for b in draft.content if b["type"] == "heading"]
        self.assertEqual(len([h for h in headings if h["slot"].startswith("work.") and h["level"] == 2]), 6)
        self.assertTrue(all(h.get("run_in") for h in headings if h["level"] == 2))
        empty = [b for b in draft.content if b["slot"].endswith(".empty")]
        self.assertEqual(len(empty), 6)  # a place to write in, with a note why it is empty
        self.assertTrue(all(b["text"] == "" and b["provenance"] for b in empty))
        paragraphs = paragraph_texts(docx_xml(builder.render_docx(draft)))
        self.assertIn("（一）学思想、强党性，深入学习宣传党的二十大精神", paragraphs)  # no "。", nothing run in
        self.assertEqual(Organization.objects.get(code="QJ").short_name, "区局")
