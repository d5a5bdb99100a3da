"""Shared setup: a 党委会 record of 区局 to review drafts at, and helpers that walk a draft through
审议 and 上报 with explicit moments (the services take `at`, so dates need no frozen clock)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from lvze.documents import services as documents
from lvze.documents.models import Draft
from lvze.records.models import Meeting, MeetingKind
from lvze.records.services import meeting_record
from lvze.test import LvzeTestCase
from lvze.upward import services
from lvze.upward.models import Review, Submission, SubmissionRequirement

TODAY = date(2023, 7, 1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


class UpwardTestCase(LvzeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.meeting = cls.committee_meeting("QJ", date(2023, 7, 3), "专题研究审议上半年工作总结")
        cls.xq_meeting = cls.committee_meeting("XQ", date(2023, 7, 3), "审议上半年工作总结")

    @classmethod
    def committee_meeting(cls, unit: str, held_on: date, topic: str) -> Meeting:
        return meeting_record(
            actor=None, organization=cls.orgs[unit], kind=MeetingKind.COMMITTEE_MEETING, held_on=held_on, topic=topic
        ).record

    def make_draft(self, unit: str = "QJ", period: str = "2023H1", user: str = "party_admin") -> Draft:
        return documents.draft_create(
            actor=self.users[user], unit=self.orgs[unit], kind="quality", period=period, today=TODAY
        )

    def admin_of(self, unit: str) -> str:
        return {"QJ": "party_admin", "XQ": "xq_admin", "SJ": "city_admin"}[unit]

    def adopt(self, draft: Draft, day: date = date(2023, 7, 3)) -> Review:
        unit = draft.unit.code
        actor = self.users[self.admin_of(unit)]
        review = services.review_submit(actor=actor, draft=draft, at=at(date(2023, 7, 2)))
        meeting = self.meeting if unit == "QJ" else self.xq_meeting
        return services.review_adopt(actor=actor, review=review, meeting=meeting, at=at(day, 16))

    def submit(self, review: Review, day: date = date(2023, 7, 8)) -> Submission:
        actor = self.users[self.admin_of(review.draft.unit.code)]
        return services.submission_create(actor=actor, review=review, at=at(day))

    def require_h1_quality(self) -> SubmissionRequirement:
        """市局 requires a 人员信息核对 report for each half-year, by the 10th of the next month."""
        return services.requirement_create(
            actor=self.users["city_admin"],
            unit=self.orgs["SJ"],
            kind="quality",
            name="人员信息核对情况报告",
            period_scope="half",
            due_month_offset=1,
            due_day=10,
        )

    def save_edit(self, draft: Draft, text: str) -> None:
        blocks = [dict(b) for b in draft.content]
        first = next(b for b in blocks if b["type"] == "paragraph")
        first["text"] = text
        documents.draft_save(
            actor=self.users["party_admin"],
            draft=draft,
            blocks=blocks,
            title=draft.title,
            signoff=draft.signoff,
            doc_date=draft.doc_date,
            base_version=draft.version,
        )
