"""审议, 上报 and 逐级审批: a document goes to the 党委会, then up to the higher level; small ledgers
(工会经费) go up an approval chain step by step.

- `Review`: one round of 党委会 review of a draft. The version put to the meeting is frozen on the row,
  so later edits of the draft never change what was adopted.
- `Submission`: an adopted version sent to the nearest higher 党委, received or returned there.
- `SubmissionRequirement`: what a higher level requires its units to submit, and by when; it becomes
  one work item per unit and period (source 上报), so reminders and timeliness apply.
- `ApprovalChain` / `ApprovalStep` / `ApprovalRequest` / `ApprovalAction`: a configurable chain of
  approvers and the requests that go up it, with every action kept.
- `UnionFundEntry`: a line of the 工会经费 ledger; it counts only once its request is approved.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from lvze.documents.models import Draft, DraftVersion
from lvze.duties.models import WorkItem
from lvze.lib.periods import Period
from lvze.orgs.models import Organization
from lvze.records.models import Meeting

# --- 审议 ----------------------------------------------------------------------------------


class ReviewState(models.TextChoices):
    DRAFTING = "drafting", "起草"  # no review yet: never stored, shown for a draft without rounds
    PENDING = "pending", "提交审议"
    ADOPTED = "adopted", "审议通过"
    RETURNED = "returned", "退回修改"


class Review(models.Model):
    draft = models.ForeignKey(Draft, models.CASCADE, related_name="reviews", verbose_name="草稿")
    round = models.PositiveSmallIntegerField("轮次")
    version = models.ForeignKey(
        DraftVersion, models.PROTECT, related_name="reviews", verbose_name="提交审议的版本"
    )
    state = models.CharField("状态", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    meeting = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="党委会"
    )
    comments = models.TextField("审议意见", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField("提交时间")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField("审议时间", null=True, blank=True)

    class Meta:
        ordering = ["draft_id", "-round"]
        verbose_name = "审议"
        constraints = [
            models.UniqueConstraint(fields=["draft", "round"], name="review_unique_round"),
            # At most one round awaits the 党委会 at a time.
            models.UniqueConstraint(
                fields=["draft"], condition=Q(state="pending"), name="review_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft_id} 第{self.round}轮审议"


# --- 上报 ----------------------------------------------------------------------------------


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", "已上报"
    RECEIVED = "received", "已接收"
    RETURNED = "returned", "退回"


LIVE_SUBMISSION_STATES = (SubmissionState.SUBMITTED, SubmissionState.RECEIVED)


class Submission(models.Model):
    review = models.ForeignKey(Review, models.PROTECT, related_name="submissions", verbose_name="审议")
    draft = models.ForeignKey(Draft, models.PROTECT, related_name="submissions", verbose_name="草稿")
    version = models.ForeignKey(DraftVersion, models.PROTECT, related_name="+", verbose_name="上报版本")
    from_unit = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="上报单位")
    to_unit = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="接收单位")
    kind = models.CharField("文档类型", max_length=20)
    period = models.CharField("期间", max_length=8)
    title = models.CharField("标题", max_length=200)
    state = models.CharField(
        "状态", max_length=10, choices=SubmissionState.choices, default=SubmissionState.SUBMITTED
    )
    comments = models.TextField("退回意见", blank=True)
    note = models.CharField("报送说明", max_length=200, blank=True)
    work_item = models.ForeignKey(
        WorkItem, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="上报事项"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField("上报时间")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = "上报"
        indexes = [
            models.Index(fields=["to_unit", "state", "-submitted_at"], name="submission_inbox"),
            models.Index(fields=["from_unit", "kind", "period"], name="submission_unit_kind"),
        ]
        constraints = [
            # One live (awaiting or received) submission per unit, kind and period; returned ones are history.
            models.UniqueConstraint(
                fields=["from_unit", "kind", "period"],
                condition=Q(state__in=["submitted", "received"]),
                name="submission_one_live",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PeriodScope(models.TextChoices):
    H1 = "H1", "上半年"
    H2 = "H2", "下半年"
    HALF = "half", "每半年（上、下半年各一次）"
    YEAR = "year", "全年"


class SubmissionRequirement(models.Model):
    """What a higher level requires of each unit directly below it: a kind of document per period,
    due in the `due_month_offset`-th month after the period's last month, on `due_day` (clamped to
    the month's length): 上半年总结 7月10日 = (H1, 1, 10); 年度总结 次年1月10日 = (year, 1, 10)."""

    unit = models.ForeignKey(
        Organization, models.CASCADE, related_name="submission_requirements", verbose_name="上级单位"
    )
    kind = models.CharField("文档类型", max_length=20)
    name = models.CharField("名称", max_length=60)
    period_scope = models.CharField("期间", max_length=4, choices=PeriodScope.choices)
    due_month_offset = models.PositiveSmallIntegerField("期满后第几个月", default=1)
    due_day = models.PositiveSmallIntegerField("日", default=10)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "kind", "period_scope"]
        verbose_name = "上报要求"
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "period_scope"], name="requirement_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def periods_in(self, period: Period) -> list[Period]:
        """The periods inside `period` this requirement asks for (a half-sized run has no yearly one)."""
        if period.kind == "year":
            halves = list(period.halves())
            return {
                PeriodScope.YEAR: [period],
                PeriodScope.H1: halves[:1],
                PeriodScope.H2: halves[1:],
                PeriodScope.HALF: halves,
            }[self.period_scope]
        if period.kind == "half":
            wanted = {PeriodScope.H1: 1, PeriodScope.H2: 2}.get(self.period_scope)
            if self.period_scope == PeriodScope.HALF or wanted == period.index:
                return [period]
        return []

    def applies_to(self, period: Period) -> bool:
        return period in self.periods_in(period.enclosing("year")) if period.kind in ("half", "year") else False

    def due_for(self, period: Period) -> date:
        months = period.year * 12 + period.last_month - 1 + self.due_month_offset
        year, month = divmod(months, 12)
        month += 1
        return date(year, month, min(self.due_day, calendar.monthrange(year, month)[1]))

    @property
    def due_label(self) -> str:
        """The rule in words, from a sample year: "7月10日前", "次年1月10日前"."""
        sample = Period("year", 2001)
        labels = []
        for period in self.periods_in(sample):
            due = self.due_for(period)
            prefix = "次年" if due.year > period.year else ""
            labels.append(f"{prefix}{due.month}月{due.day}日前")
        return "、".join(labels)


# --- 逐级审批 -----------------------------------------------------------------------------


class ApprovalChain(models.Model):
    unit = models.ForeignKey(Organization, models.CASCADE, related_name="approval_chains", verbose_name="单位")
    code = models.CharField("代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit_id", "code"]
        verbose_name = "审批流程"
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="approvalchain_unique_code")]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(models.Model):
    """One level of a chain. Its approver is a named account, or whoever holds `role` granted on
    `organization` (e.g. the 党务管理员 of the 党委)."""

    chain = models.ForeignKey(ApprovalChain, models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    label = models.CharField("环节", max_length=30)
    role = models.CharField("角色", max_length=20, blank=True)
    organization = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="角色所在组织"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="审批人"
    )

    class Meta:
        ordering = ["chain_id", "order"]
        constraints = [models.UniqueConstraint(fields=["chain", "order"], name="approvalstep_unique_order")]

    def __str__(self) -> str:
        return self.label


class ApprovalState(models.TextChoices):
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回"


class ApprovalRequest(models.Model):
    """A request going up a chain. The chain's steps are copied when it is (re)submitted, so a
    change to the chain never reroutes a request on its way; the current step's approver is kept in
    columns so that "待我审批" is one indexed query."""

    chain = models.ForeignKey(ApprovalChain, models.PROTECT, related_name="requests", verbose_name="审批流程")
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="单位")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="经办部门")
    subject = models.CharField("事项类别", max_length=30)
    title = models.CharField("事由", max_length=200)
    purpose = models.TextField("用途说明", blank=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    steps = models.JSONField("审批环节", default=list)
    current_step = models.PositiveSmallIntegerField("当前环节", default=0)
    current_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    current_role = models.CharField(max_length=20, blank=True)
    current_org = models.ForeignKey(Organization, models.PROTECT, null=True, related_name="+")
    state = models.CharField("状态", max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="经办人")
    created_at = models.DateTimeField("申请时间")
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "审批申请"
        indexes = [
            models.Index(fields=["state", "current_user"], name="approval_pending_user"),
            models.Index(fields=["state", "current_org", "current_role"], name="approval_pending_role"),
            models.Index(fields=["unit", "subject", "state"], name="approval_unit_subject"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current_label(self) -> str:
        if self.state != ApprovalState.PENDING or self.current_step >= len(self.steps):
            return ""
        return self.steps[self.current_step]["label"]


class ApprovalActionKind(models.TextChoices):
    SUBMIT = "submit", "提交"
    APPROVE = "approve", "同意"
    RETURN = "return", "退回"
    RESUBMIT = "resubmit", "修改后重新提交"


class ApprovalAction(models.Model):
    request = models.ForeignKey(ApprovalRequest, models.CASCADE, related_name="actions")
    step = models.SmallIntegerField("环节序号", help_text="-1 为经办人提交")
    step_label = models.CharField("环节", max_length=30)
    action = models.CharField("操作", max_length=10, choices=ApprovalActionKind.choices)
    note = models.TextField("意见", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.step_label} {self.action}"


# --- 工会经费 -----------------------------------------------------------------------------


class UnionEntryKind(models.TextChoices):
    INCOME = "income", "收入"
    EXPENSE = "expense", "支出"
    REMIT = "remit", "上缴"


class UnionFundEntry(models.Model):
    """A line of the 工会经费收支 ledger; its amount and state are those of its approval request."""

    unit = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="单位")
    kind = models.CharField("收支类型", max_length=10, choices=UnionEntryKind.choices)
    month = models.CharField("所属月份", max_length=7)
    occurred_on = models.DateField("发生日期")
    category = models.CharField("科目", max_length=30)
    approval = models.OneToOneField(
        ApprovalRequest, models.PROTECT, related_name="union_entry", verbose_name="审批"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = "工会经费收支"
        indexes = [models.Index(fields=["unit", "month"], name="union_unit_month")]

    def __str__(self) -> str:
        return f"{self.month} {self.get_kind_display()} {self.category}"
