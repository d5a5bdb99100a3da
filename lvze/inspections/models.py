"""Inspections (季检查), supervision findings, the rectification ledger (整改台账) and evaluations (述职评议).

A campaign snapshots its checklist, so later edits of a template never change a published result.
Every dated duty here is a WorkItem of the single ledger: a target's self-check (source INSPECTION)
and a rectification's deadline (source RECTIFICATION), so reminders and timeliness apply unchanged.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lvze.duties.models import WorkItem
from lvze.orgs.models import Organization, OrgKind, Person


class Scoring(models.TextChoices):
    PASS_FAIL = "pass_fail", "合格/不合格"
    POINTS = "points", "计分"
    GRADE = "grade", "等次（好/较好/一般/差）"


class Grade(models.TextChoices):
    GOOD = "good", "好"
    FAIR = "fair", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "差"


class Fact(models.TextChoices):
    """A figure the platform computes itself from the ledger and the records."""

    NONE = "", "无（检查人员评分）"
    TIMELINESS = "timeliness", "平台任务完成情况（期内事项按期办结率）"
    MEETINGS = "meetings", "会议开展情况（按规定动作事项）"
    STUDY = "study", "政治学习记录（每月至少一次）"


class ChecklistTemplate(models.Model):
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="checklist_templates", verbose_name="所属单位")
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    target_kind = models.CharField("检查对象类型", max_length=20, choices=OrgKind.choices, default=OrgKind.BRANCH)
    builtin_code = models.CharField(max_length=40, blank=True, help_text="内置模板的代码；本单位可修改")
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="checklist_unique_name")]

    def __str__(self) -> str:
        return self.name


class ItemFields(models.Model):
    """What a checklist item is; shared by the template and by each campaign's snapshot of it."""

    seq = models.PositiveSmallIntegerField("序号", default=0)
    title = models.CharField("检查项目", max_length=100)
    description = models.TextField("检查内容和标准", blank=True)
    scoring = models.CharField("评分方式", max_length=12, choices=Scoring.choices, default=Scoring.POINTS)
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=1, default=Decimal("10"))
    weight = models.DecimalField("权重", max_digits=6, decimal_places=1, default=Decimal("20"))
    fact = models.CharField("自动核验", max_length=12, choices=Fact.choices, default=Fact.NONE, blank=True)
    fact_param = models.CharField(
        "核验参数", max_length=200, blank=True, help_text="会议开展情况：会议类型代码，多个用逗号分隔"
    )

    class Meta:
        abstract = True
        ordering = ["seq", "id"]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(ItemFields):
    template = models.ForeignKey(ChecklistTemplate, models.CASCADE, related_name="items")

    class Meta(ItemFields.Meta):
        ordering = ["template_id", "seq", "id"]


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    RUNNING = "running", "检查中"
    PUBLISHED = "published", "已发布"


class Inspection(models.Model):
    """检查 campaign: e.g. 2023年第二季度支部工作检查."""

    unit = models.ForeignKey(Organization, models.PROTECT, related_name="inspections", verbose_name="组织单位")
    template = models.ForeignKey(
        ChecklistTemplate, models.SET_NULL, null=True, blank=True, related_name="inspections", verbose_name="检查模板"
    )
    name = models.CharField("名称", max_length=120)
    period = models.CharField("检查期间", max_length=8)
    root = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="检查范围")
    target_kind = models.CharField("检查对象类型", max_length=20, choices=OrgKind.choices, default=OrgKind.BRANCH)
    deadline = models.DateField("自查时限")
    rectify_deadline = models.DateField("整改时限", null=True, blank=True)
    inspectors = models.ManyToManyField(Person, blank=True, related_name="inspections", verbose_name="检查人员")
    status = models.CharField("状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT)
    board_size = models.PositiveSmallIntegerField(
        "红黑榜名额", default=0, help_text="得分前若干名列入红榜、后若干名列入黑榜；0 为不设红黑榜"
    )
    practices = models.TextField("主要做法和成效", blank=True)
    requirements = models.TextField("整改要求", blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="inspection_unique_name")]
        indexes = [models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        return self.name


class InspectionItem(ItemFields):
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="items")

    class Meta(ItemFields.Meta):
        ordering = ["inspection_id", "seq", "id"]


class Board(models.TextChoices):
    RED = "red", "红榜"
    BLACK = "black", "黑榜"


class InspectionTarget(models.Model):
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="targets")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="inspection_targets")
    work_item = models.OneToOneField(
        WorkItem, models.PROTECT, null=True, blank=True, related_name="inspection_target", verbose_name="自查事项"
    )
    self_check = models.TextField("自查情况", blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True)
    board = models.CharField("红黑榜", max_length=6, choices=Board.choices, blank=True)

    class Meta:
        ordering = ["inspection_id", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "organization"], name="target_unique_org"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.organization_id}"


class Score(models.Model):
    """An inspector's score of one item for one target. `ratio` (0–1) is the share of the item's weight
    earned; a computed fact fills `computed_ratio`, and a score that departs from it needs a reason."""

    target = models.ForeignKey(InspectionTarget, models.CASCADE, related_name="scores")
    item = models.ForeignKey(InspectionItem, models.CASCADE, related_name="scores")
    passed = models.BooleanField("合格", null=True, blank=True)
    points = models.DecimalField("得分", max_digits=6, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=8, choices=Grade.choices, blank=True)
    ratio = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    computed_ratio = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    fact_text = models.CharField("核验情况", max_length=300, blank=True)
    fact_data = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.CharField("调整理由", max_length=300, blank=True)
    note = models.TextField("检查意见", blank=True)
    by_platform = models.BooleanField("平台核验评分", default=False)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["target_id", "item__seq", "item_id"]
        constraints = [models.UniqueConstraint(fields=["target", "item"], name="score_unique_item")]

    def __str__(self) -> str:
        return f"{self.target_id}:{self.item_id}"

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


class ScoreEvidence(models.Model):
    """A file an inspector attaches to a score, stored under its SHA-256 like the ledger's evidence."""

    score = models.ForeignKey(Score, models.CASCADE, related_name="evidence")
    name = models.CharField("名称", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.name


class SupervisionType(models.TextChoices):
    """一体化综合监督的“六位一体”."""

    COMMITTEE = "committee", "党委全面监督"
    DISCIPLINE = "discipline", "纪检机构专责监督"
    DEPARTMENT = "department", "部门职能监督"
    GRASSROOTS = "grassroots", "党的基层组织日常监督"
    DEMOCRATIC = "democratic", "党员和群众民主监督"
    EXTERNAL = "external", "系统外部监督"


class FindingSource(models.TextChoices):
    INSPECTION = "inspection", "检查发现"
    SUPERVISION = "supervision", "监督发现"
    PATROL = "patrol", "巡察反馈"
    SELF = "self", "自查发现"


class Finding(models.Model):
    """A problem found — in an inspection, by supervision, by 巡察 — before it becomes a rectification."""

    unit = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="所属单位")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="findings", verbose_name="涉及单位")
    inspection = models.ForeignKey(Inspection, models.CASCADE, null=True, blank=True, related_name="findings")
    target = models.ForeignKey(InspectionTarget, models.CASCADE, null=True, blank=True, related_name="findings")
    item = models.ForeignKey(
        InspectionItem, models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name="检查项目"
    )
    source = models.CharField("来源", max_length=12, choices=FindingSource.choices)
    supervision_type = models.CharField("监督类型", max_length=12, choices=SupervisionType.choices, blank=True)
    description = models.TextField("问题描述")
    found_on = models.DateField("发现日期")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["unit", "source", "found_on"])]

    def __str__(self) -> str:
        return self.description[:40]


class RectificationSource(models.TextChoices):
    INSPECTION = "inspection", "检查发现"
    LIFE_MEETING = "life_meeting", "民主生活会"
    ORG_LIFE = "org_life", "组织生活会"
    EVALUATION = "evaluation", "述职评议"
    PATROL = "patrol", "巡察"
    SUPERVISION = "supervision", "监督发现"
    SELF = "self", "自查自纠"


FINDING_TO_RECTIFICATION = {
    FindingSource.INSPECTION: RectificationSource.INSPECTION,
    FindingSource.SUPERVISION: RectificationSource.SUPERVISION,
    FindingSource.PATROL: RectificationSource.PATROL,
    FindingSource.SELF: RectificationSource.SELF,
}


class RectificationState(models.TextChoices):
    """Read from the rectification's work item, so the ledger pages and this one never disagree."""

    IN_PROGRESS = "in_progress", "整改中"
    RETURNED = "returned", "已退回"
    REQUESTED = "requested", "申请销号"
    VERIFIED = "verified", "验收通过"
    CLOSED = "closed", "已销号"


class Rectification(models.Model):
    """整改台账 row: problem, source, responsible, measures and a deadline that is a ledger work item."""

    unit = models.ForeignKey(Organization, models.PROTECT, related_name="rectifications", verbose_name="所属单位")
    source = models.CharField("问题来源", max_length=14, choices=RectificationSource.choices)
    source_label = models.CharField("来源说明", max_length=120, blank=True, help_text="如“2023年第二季度支部工作检查”")
    source_ref = models.CharField(max_length=60, blank=True, help_text="来源记录的编号，同一记录只转入一次")
    finding = models.OneToOneField(
        Finding, models.SET_NULL, null=True, blank=True, related_name="rectification", verbose_name="来源问题"
    )
    supervision_type = models.CharField("监督类型", max_length=12, choices=SupervisionType.choices, blank=True)
    problem = models.TextField("问题描述")
    measures = models.TextField("整改措施", blank=True)
    responsible_org = models.ForeignKey(
        Organization, models.PROTECT, related_name="responsible_rectifications", verbose_name="责任单位"
    )
    responsible_person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="rectifications", verbose_name="责任人"
    )
    deadline = models.DateField("整改时限")
    work_item = models.OneToOneField(WorkItem, models.PROTECT, related_name="rectification")
    identity = models.CharField(max_length=64, unique=True, help_text="来源 + 问题 + 责任单位，导入时据此更新")
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="rectification_unique_source_ref"
            ),
        ]
        indexes = [models.Index(fields=["unit", "source"])]

    def __str__(self) -> str:
        return self.problem[:40]


class RectificationEvent(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "登记"
        IMPORTED = "imported", "导入"
        EDITED = "edited", "修改"
        PROGRESS = "progress", "整改进展"
        REQUESTED = "requested", "申请销号"
        VERIFIED = "verified", "验收通过"
        RETURNED = "returned", "退回"
        CLOSED = "closed", "销号"
        REOPENED = "reopened", "重新打开"

    rectification = models.ForeignKey(Rectification, models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.action}"


class Evaluation(models.Model):
    """党支部书记抓党建述职评议: one session a year, an entry per branch secretary."""

    unit = models.ForeignKey(Organization, models.PROTECT, related_name="evaluations", verbose_name="组织单位")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=120)
    held_on = models.DateField("评议日期")
    note = models.TextField("会议情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "title"], name="evaluation_unique_title")]

    def __str__(self) -> str:
        return self.title


class EvaluationEntry(models.Model):
    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="entries")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="党支部")
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="述职人")
    report = models.TextField("述职报告", blank=True)
    votes_good = models.PositiveIntegerField("好", default=0)
    votes_fair = models.PositiveIntegerField("较好", default=0)
    votes_average = models.PositiveIntegerField("一般", default=0)
    votes_poor = models.PositiveIntegerField("差", default=0)
    grade = models.CharField("评议等次", max_length=8, choices=Grade.choices, blank=True)
    score = models.DecimalField("综合得分", max_digits=5, decimal_places=1, null=True, blank=True)
    comments = models.TextField("点评意见", blank=True)
    problems = models.TextField("指出的问题", blank=True, help_text="每行一个问题，可转入整改台账")

    class Meta:
        ordering = ["evaluation_id", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "organization"], name="evaluation_entry_unique_org"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}:{self.organization_id}"

    @property
    def votes_total(self) -> int:
        return self.votes_good + self.votes_fair + self.votes_average + self.votes_poor

    @property
    def problem_lines(self) -> list[str]:
        return [line.strip() for line in self.problems.splitlines() if line.strip()]


class DutyReport(models.Model):
    """A leader's yearly 述职述廉报告, which must cover the 意识形态 duties; filed, then checked off."""

    unit = models.ForeignKey(Organization, models.PROTECT, related_name="duty_reports", verbose_name="所属单位")
    year = models.PositiveSmallIntegerField("年度")
    person = models.ForeignKey(Person, models.PROTECT, related_name="duty_reports", verbose_name="报告人")
    title = models.CharField("标题", max_length=120)
    content = models.TextField("报告内容")
    filed_on = models.DateField("报送日期")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    checked_at = models.DateTimeField("审核时间", null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    check_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "person__name"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="duty_report_unique_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def covers_ideology(self) -> bool:
        return "意识形态" in self.content
