from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from lvze.accounts.models import Role, User
from lvze.orgs.models import Organization
from lvze.records.models import Meeting
from lvze.upward.kinds import report_kinds
from lvze.upward.models import PeriodScope, UnionEntryKind

PERIOD_REGEX = r"^\d{4}(H[12]|Q[1-4]|-\d{2})?$"
PERIOD_ERROR = {"invalid": "期间格式应为 2023、2023H1、2023Q2 或 2023-05"}
HALF_OR_YEAR_REGEX = r"^\d{4}(H[12])?$"
STEP_ROWS = 6


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.held_on:%Y-%m-%d} {obj.topic}"


class ReviewDecisionForm(forms.Form):
    meeting = MeetingChoiceField(label="党委会", queryset=Meeting.objects.none(), required=False, empty_label="请选择党委会记录")
    comments = forms.CharField(label="审议意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meetings: QuerySet[Meeting], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class SubmitForm(forms.Form):
    period = forms.RegexField(label="所报期间", regex=HALF_OR_YEAR_REGEX, required=False,
                              error_messages={"invalid": "期间应为 2023H1、2023H2 或 2023 等"})
    note = forms.CharField(label="报送说明", required=False, max_length=200)


class CommentsForm(forms.Form):
    comments = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RequirementForm(forms.Form):
    kind = forms.ChoiceField(label="文档类型", choices=[])
    name = forms.CharField(label="名称", max_length=60, help_text="如：工作总结；事项标题为“向市局报送2023年上半年工作总结”")
    period_scope = forms.ChoiceField(label="期间", choices=PeriodScope.choices)
    due_month_offset = forms.IntegerField(label="期满后第几个月", min_value=0, max_value=12, initial=1,
                                          help_text="0 表示期间最后一个月当月，1 表示次月")
    due_day = forms.IntegerField(label="日（前）", min_value=1, max_value=31, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = report_kinds()


class GenerateForm(forms.Form):
    period = forms.RegexField(label="期间", regex=HALF_OR_YEAR_REGEX,
                              error_messages={"invalid": "期间应为 2023H1、2023H2 或 2023 等"})


class OverviewForm(forms.Form):
    org = forms.CharField(label="单位", required=False)
    period = forms.RegexField(label="期间", regex=PERIOD_REGEX, required=False, error_messages=PERIOD_ERROR)


class UnionEntryForm(forms.Form):
    kind = forms.ChoiceField(label="收支类型", choices=UnionEntryKind.choices)
    occurred_on = forms.DateField(label="发生日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    category = forms.CharField(label="科目", max_length=30, help_text="如：会费收入、行政拨缴、慰问、文体活动、按月上缴")
    summary = forms.CharField(label="摘要", max_length=150)
    amount = forms.DecimalField(label="金额（元）", min_value=0.01, max_digits=12, decimal_places=2)


class ResubmitForm(forms.Form):
    title = forms.CharField(label="事由", max_length=200)
    amount = forms.DecimalField(label="金额（元）", min_value=0.01, max_digits=12, decimal_places=2)
    purpose = forms.CharField(label="用途说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="修改说明", required=False, max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ChainForm(forms.Form):
    """A chain's name and up to STEP_ROWS steps; each step names an account, or a role on an organisation."""

    name = forms.CharField(label="流程名称", max_length=60)

    def __init__(self, *args, orgs: QuerySet[Organization], users: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        roles = [("", "（按审批人）"), *[(r.value, r.label) for r in (Role.PARTY_ADMIN, Role.LEADER, Role.SECRETARY, Role.SUPERVISOR, Role.STAFF)]]
        for i in range(STEP_ROWS):
            self.fields[f"label_{i}"] = forms.CharField(label=f"第{i + 1}级环节", max_length=30, required=False)
            self.fields[f"user_{i}"] = forms.ModelChoiceField(label="审批人", queryset=users, required=False, empty_label="（按角色）")
            self.fields[f"role_{i}"] = forms.ChoiceField(label="角色", choices=roles, required=False)
            self.fields[f"org_{i}"] = forms.ModelChoiceField(label="角色所在组织", queryset=orgs, required=False, empty_label="—")

    def rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"{name}_{i}"] for name in ("label", "user", "role", "org")] for i in range(STEP_ROWS)]

    def steps(self) -> list[dict]:
        data = self.cleaned_data
        steps = []
        for i in range(STEP_ROWS):
            if not (data.get(f"label_{i}") or "").strip():
                continue
            steps.append(
                {"label": data[f"label_{i}"], "user": data.get(f"user_{i}"), "role": data.get(f"role_{i}") or "", "organization": data.get(f"org_{i}")}
            )
        return steps
