"""The reports a unit had its 党委会 review and submitted upward, in its 工作总结 of the period."""

from __future__ import annotations

from datetime import date

from lvze.documents.generation import generate_draft
from lvze.upward import services
from lvze.upward.tests.base import UpwardTestCase


class SubmissionSummaryTests(UpwardTestCase):
    def paragraphs(self, unit: str, period: str) -> list[dict]:
        draft = generate_draft(unit=self.orgs[unit], kind="summary", period=period, today=date(2024, 1, 10))
        return [b for b in draft.content if b["type"] == "paragraph"]

    def test_a_reviewed_and_submitted_report_is_written_up_in_the_period_it_was_sent(self):
        draft = self.make_draft()
        submission = self.submit(self.adopt(draft))
        blocks = self.paragraphs("QJ", "2023H2")
        block = next(b for b in blocks if b["slot"].endswith(".reports"))
        self.assertIn(f"撰写《{draft.title}》，经区局党委会专题研究审议后上报市局", block["text"])
        self.assertEqual(block["slot"], "work.党建质量.reports")  # a 人员信息核对 report
        self.assertEqual(block["provenance"][0]["source"], f"/documents/{draft.pk}/")
        # Not in the half before it was sent, nor in the higher level's own summary.
        self.assertFalse([b for b in self.paragraphs("QJ", "2023H1") if "上报" in b["text"]])
        self.assertFalse([b for b in self.paragraphs("SJ", "2023H2") if "上报市局" in b["text"]])
        # A returned submission is no longer reported.
        services.submission_return(actor=self.users["city_admin"], submission=submission, comments="请补充数据")
        self.assertFalse([b for b in self.paragraphs("QJ", "2023H2") if b["slot"].endswith(".reports")])
