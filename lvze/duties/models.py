"""The single ledger of dated duties and what feeds it: duty lists, plans and tasks, and the rule pack."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lvze.orgs.models import Organization, Person, WorkArea


class Frequency(models.TextChoices):
    ONCE = "once", "一次性"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    SEMIANNUAL = "semiannual", "每半年"
    ANNUAL = "annual", "每年"
    LONG_TERM = "long_term", "长期"


# The period kind each recurring frequency produces one item for.
FREQUENCY_PERIOD_KIND = {
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
    Frequency.SEMIANNUAL: "half",
    Frequency.ANNUAL: "year",
}


class DutyListKind(models.TextChoices):
    COMMITTEE = "committee", "党委主体责任"
    SECRETARY = "secretary", "书记第一责任人责任"
    MEMBER = "member", "班子成员“一岗双责”"
    SUPERVISION = "supervision", "纪检组监督责任"
    IDEOLOGY = "ideology", "意识形态工作责任"


class DutyList(models.Model):
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="duty_lists")
    kind = models.CharField("类型", max_length=20, choices=DutyListKind.choices)
    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    owner = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任主体"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class DutyItem(models.Model):
    duty_list = models.ForeignKey(DutyList, models.CASCADE, related_name="items")
    seq = models.PositiveSmallIntegerField("序号", default=0)
    requirement = models.TextField("责任事项")
    work_area = models.ForeignKey(WorkArea, models.PROTECT, null=True, blank=True, verbose_name="工作板块")
    responsible_org = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任单位"
    )
    responsible_person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任人"
    )
    assisting = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name="协助落实科室"
    )
    supervisor = models.CharField("监督人", max_length=50, blank=True)
    due_date = models.DateField("时限", null=True, blank=True)
    frequency = models.CharField("频次", max_length=16, choices=Frequency.choices, default=Frequency.ONCE)

    class Meta:
        ordering = ["duty_list_id", "seq", "id"]

    def __str__(self) -> str:
        return self.requirement[:40]


class Plan(models.Model):
    """工作要点 (e.g. 《2023年全面从严治党工作要点》) and its 重点任务分解表."""

    unit = models.ForeignKey(Organization, models.PROTECT, related_name="plans")
    name = models.CharField("名称", max_length=120)
    year = models.PositiveSmallIntegerField("年度")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="plan_unique_name")]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="tasks")
    seq = models.PositiveSmallIntegerField("序号", default=0)
    category = models.CharField("类别", max_length=100, blank=True)
    title = models.TextField("任务")
    measures = models.TextField("具体措施", blank=True)
    lead_orgs = models.ManyToManyField(Organization, related_name="led_tasks", verbose_name="牵头单位")
    cooperating_orgs = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name="配合单位"
    )
    leader_text = models.CharField("责任领导", max_length=100, blank=True)
    leader = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    deadline_text = models.CharField("完成时限（原文）", max_length=100, blank=True)
    frequency = models.CharField("频次", max_length=16, choices=Frequency.choices, default=Frequency.ONCE)
    due_date = models.DateField("完成时限", null=True, blank=True)
    work_area = models.ForeignKey(WorkArea, models.PROTECT, null=True, blank=True, verbose_name="工作板块")

    class Meta:
        ordering = ["plan_id", "seq", "id"]

    def __str__(self) -> str:
        return self.title[:40]


class ObligationRule(models.Model):
    """A mandatory action (规定动作): which organisations, how often, fulfilled by which record kind."""

    unit = models.ForeignKey(Organization, models.CASCADE, related_name="obligation_rules")
    code = models.CharField("代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    org_kind = models.CharField("适用组织类型", max_length=20)
    requires_committee = models.BooleanField("仅限已设支委会的支部", default=False)
    frequency = models.CharField("频次", max_length=16, choices=Frequency.choices)
    fulfilled_by = models.CharField("由何种记录完成", max_length=40, blank=True)
    work_area_name = models.CharField("工作板块", max_length=30, blank=True)
    source = models.CharField("依据", max_length=200)
    local_default = models.BooleanField("地方默认值", default=False)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("失效日期", null=True, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["unit_id", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="rule_unique_code")]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    DUTY = "duty", "责任清单"
    TASK = "task", "重点任务"
    RULE = "rule", "规定动作"
    RECTIFICATION = "rectification", "整改"
    INSPECTION = "inspection", "检查自查"
    SUBMISSION = "submission", "上报"


class Status(models.TextChoices):
    TODO = "todo", "待办"
    IN_PROGRESS = "in_progress", "办理中"
    SUBMITTED = "submitted", "已提交"
    DONE = "done", "已办结"
    RETURNED = "returned", "退回"


OPEN_STATUSES = (Status.TODO, Status.IN_PROGRESS, Status.SUBMITTED, Status.RETURNED)


class Timeliness(models.TextChoices):
    NORMAL = "normal", "正常"
    DUE_SOON = "due_soon", "临期"
    OVERDUE = "overdue", "逾期"
    ON_TIME = "on_time", "按期办结"
    LATE = "late", "逾期办结"
    LONG_TERM = "long_term", "长期"


DEFAULT_WARN_DAYS = 3


class WorkItem(models.Model):
    """事项: everything with a responsible organisation and a deadline, whatever produced it."""

    key = models.CharField(max_length=120, unique=True, help_text="来源唯一键，重复生成不会重复创建")
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    rule = models.ForeignKey(ObligationRule, models.PROTECT, null=True, blank=True, related_name="items")
    task = models.ForeignKey(Task, models.PROTECT, null=True, blank=True, related_name="items")
    duty_item = models.ForeignKey(DutyItem, models.PROTECT, null=True, blank=True, related_name="work_items")
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="work_items", verbose_name="责任组织"
    )
    unit = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", help_text="所属党委（用于权限范围）"
    )
    org_path = models.CharField(max_length=500, help_text="责任组织的路径副本，使范围筛选只需一个索引条件")
    responsible_person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="work_items", verbose_name="责任人"
    )
    title = models.CharField("事项", max_length=300)
    work_area = models.CharField("工作板块", max_length=30, blank=True)
    period = models.CharField("所属期间", max_length=8, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True)
    warn_from = models.DateField(null=True, blank=True, help_text="临期提醒起始日 = 到期日 − 提醒窗口")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.TODO)
    done_on = models.DateField("办结日期", null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    fulfilled_by_kind = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(
                fields=["org_path", "due_date"],
                name="wi_path_due",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            # Covers "open items of a subtree due before a date": counts and list pages read only the index.
            models.Index(fields=["status", "due_date", "org_path"], name="wi_status_due_path"),
            models.Index(fields=["unit", "period"], name="wi_unit_period"),
            models.Index(fields=["organization", "fulfilled_by_kind", "status"], name="wi_fulfil"),
            # Covers the dashboards: items due within a period, counted by timeliness per unit, month, record
            # kind and work area, read from the index alone.
            models.Index(
                fields=["due_date", "org_path", "status", "done_on", "warn_from", "unit", "fulfilled_by_kind", "work_area"],
                name="wi_dashboard",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WorkItemEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", "创建"
        PROGRESS = "progress", "进展"
        URGE = "urge", "督办"
        SUBMITTED = "submitted", "提交"
        RETURNED = "returned", "退回"
        DONE = "done", "办结"
        EVIDENCE = "evidence", "佐证"

    item = models.ForeignKey(WorkItem, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"


class Evidence(models.Model):
    """佐证: a file stored under its SHA-256, or a link to a record."""

    item = models.ForeignKey(WorkItem, models.CASCADE, related_name="evidence")
    name = models.CharField("名称", max_length=200)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=40, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.name
