"""Inspections, supervision, rectifications, 述职评议 and 述职述廉报告 in the 工作总结 — only when they exist."""

from __future__ import annotations

from datetime import date

from lvze.documents.generation import generate_draft
from lvze.inspections import rectifications as rect_services
from lvze.inspections import services
from lvze.inspections.models import FindingSource, RectificationSource, Score
from lvze.inspections.tests.base import InspectionFixture


def summary_text(unit, period: str = "2023H2", today: date = date(2024, 1, 10)) -> tuple[str, list[dict]]:
    """The generated paragraphs (not the headings, whose titles name 监督 and the like) and the blocks."""
    draft = generate_draft(unit=unit, kind="summary", period=period, today=today)
    return "\n".join(b["text"] for b in draft.content if b["type"] == "paragraph"), draft.content


class InspectionSummaryTests(InspectionFixture):
    def test_nothing_is_said_without_inspections_findings_or_rectifications(self):
        text, _blocks = summary_text(self.orgs["QJ"])
        for absent in ("检查", "整改", "监督", "述职", "上报"):
            self.assertNotIn(absent, text)

    def test_a_campaign_its_bulletin_and_findings_join_the_branch_work_item(self):
        inspection = self.make_campaign()
        target = inspection.targets.select_related("organization").first()
        for n in range(2):
            services.finding_create(actor=None, unit=self.orgs["QJ"], organization=target.organization,
                                    source=FindingSource.INSPECTION, description=f"问题{n}", found_on=date(2023, 7, 9),
                                    inspection=inspection, target=target)
        for score in Score.objects.filter(target__inspection=inspection, scored_at__isnull=True).select_related("item"):
            services.score_save(actor=None, score=score, passed=True, grade="good")
        services.inspection_publish(actor=None, inspection=inspection, on=date(2023, 7, 12))
        text, blocks = summary_text(self.orgs["QJ"], "2023H1", today=date(2023, 7, 20))
        self.assertIn("坚持开展2023年第二季度支部工作检查，检查党组织2个次，下发通报1期，发现问题2个，立行立改", text)
        block = next(b for b in blocks if "支部工作检查" in b["text"])
        self.assertEqual(block["slot"], "work.党建质量.meetings")
        # The meetings come first and the timeliness sentence last in 规范支部建设, as in the seed.
        self.assertLess(block["text"].index("开展主题党日活动"), block["text"].index("支部工作检查"))
        self.assertLess(block["text"].index("支部工作检查"), block["text"].index("到期事项"))

    def test_rectifications_by_source_and_state_and_supervision_by_type(self):
        qj = self.orgs["QJ"]
        for n, (kind, org) in enumerate([("discipline", "QJ01"), ("discipline", "QJ02"), ("committee", "QJBGS")]):
            finding = services.finding_create(actor=None, unit=qj, organization=self.orgs[org],
                                              source=FindingSource.SUPERVISION, supervision_type=kind,
                                              description=f"监督问题{n}", found_on=date(2023, 9, 1 + n))
            if n == 0:
                rect_services.finding_rectify(actor=None, finding=finding, measures="立行立改")
        rect_services.rectification_create(actor=None, unit=qj, source=RectificationSource.INSPECTION, problem="笔记不全",
                                           responsible_org=self.orgs["QJ01"], deadline=date(2023, 10, 31))
        text, blocks = summary_text(qj)
        self.assertIn("党委全面监督发现问题1个、纪检机构专责监督发现问题2个", text)
        self.assertIn("检查发现问题整改1个，正在整改1个，其中逾期未完成1个", text)
        self.assertIn("监督发现问题整改1个", text)
        slots = {b["slot"] for b in blocks}
        self.assertIn("work.综合监督.supervision", slots)
        self.assertIn("work.党建质量.rectification", slots)
        self.assertIn("work.综合监督.rectification", slots)

    def test_evaluations_and_duty_reports(self):
        qj = self.orgs["QJ"]
        evaluation = services.evaluation_create(actor=None, unit=qj, year=2023, title="2023年度党支部书记抓党建述职评议",
                                                held_on=date(2023, 12, 20))
        services.evaluation_entry_save(actor=None, evaluation=evaluation, organization=self.orgs["QJ01"],
                                       person=self.secretary_person, votes_good=9, votes_fair=1,
                                       problems="党员教育方式单一\n品牌特色不鲜明")
        services.duty_report_file(actor=None, unit=qj, person=self.inspector, year=2023, title="2023年度述职述廉报告",
                                  content="一、履行全面从严治党责任情况……三、落实意识形态工作责任制情况……", filed_on=date(2023, 12, 25))
        text, _blocks = summary_text(qj)
        self.assertIn("组织开展2023年度党支部书记抓党建述职评议，1名党支部书记述职并接受评议，1名评为“好”等次，点评指出问题2个", text)
        self.assertIn("班子成员提交述职述廉报告1份，1份将履行意识形态工作责任情况纳入其中", text)
        # The first half has neither.
        first, _ = summary_text(qj, "2023H1", today=date(2023, 7, 1))
        self.assertNotIn("述职", first)
