"""纪实 records: what the organisations actually did. Recorded once, they fulfil the ledger's items."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lvze.orgs.models import Organization, Person


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", "支部党员大会"
    BRANCH_COMMITTEE = "branch_committee", "支委会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    ORG_LIFE = "org_life", "组织生活会"
    MEMBER_REVIEW = "member_review", "民主评议党员"
    DEMOCRATIC_LIFE = "democratic_life", "民主生活会"
    CENTRAL_GROUP = "central_group", "理论学习中心组学习"
    COMMITTEE_MEETING = "committee_meeting", "党委会"
    SPECIAL_TOPIC = "special_topic", "专题会议"
    CONSULTATION = "consultation", "会商"


class Meeting(models.Model):
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="meetings", verbose_name="组织")
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    period = models.CharField("所属期间", max_length=8, help_text="默认为会议日期所在月份")
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.CharField("主持人", max_length=30, blank=True)
    recorder = models.CharField("记录人", max_length=30, blank=True)
    topic = models.CharField("主题/议题", max_length=200)
    first_topic = models.CharField("第一议题", max_length=200, blank=True)
    summary = models.TextField("会议内容", blank=True)
    decisions = models.TextField("决定事项", blank=True)
    work_area = models.CharField("工作板块", max_length=30, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"

    @property
    def lacks_first_topic(self) -> bool:
        """The "第一议题" rule: every 党委会 opens with one; a missing one is flagged."""
        return self.kind == MeetingKind.COMMITTEE_MEETING and not self.first_topic.strip()


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    present = models.BooleanField("实到", default=True)
    absence_reason = models.CharField("缺席原因", max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.person_id}"
