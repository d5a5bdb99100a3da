from __future__ import annotations

from django import forms

from lvze.inspections.models import (
    Fact,
    FindingSource,
    Grade,
    InspectionStatus,
    RectificationSource,
    RectificationState,
    Scoring,
    SupervisionType,
)
from lvze.orgs.models import Organization, Person

DATE = {"type": "date"}
PERIOD_RE = r"^\d{4}(H[12]|Q[1-4]|-\d{2})?$"
PERIOD_ERROR = {"invalid": "期间格式应为 2023、2023H1、2023Q2 或 2023-05"}


def date_field(label: str, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class InspectionForm(forms.Form):
    unit = forms.ModelChoiceField(label="组织单位", queryset=Organization.objects.none())
    template = forms.ModelChoiceField(label="检查模板", queryset=None)
    name = forms.CharField(label="检查名称", max_length=120, help_text="如“2023年第二季度支部工作检查”")
    period = forms.RegexField(label="检查期间", regex=PERIOD_RE, error_messages=PERIOD_ERROR, help_text="如 2023Q2")
    root = OrgChoiceField(label="检查范围", queryset=Organization.objects.none(), help_text="范围内本单位的全部党支部为检查对象")
    deadline = date_field("自查时限")
    rectify_deadline = date_field("整改时限", required=False, help_text="发现问题转入整改台账时的默认时限")
    inspectors = forms.ModelMultipleChoiceField(
        label="检查人员", queryset=Person.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    board_size = forms.IntegerField(label="红黑榜名额", min_value=0, max_value=20, initial=0, help_text="0 为不设红黑榜")

    def __init__(self, *args, units, templates, roots, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["template"].queryset = templates
        self.fields["root"].queryset = roots
        self.fields["inspectors"].queryset = people


class TextsForm(forms.Form):
    practices = forms.CharField(label="主要做法和成效", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    requirements = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 6}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=500, required=False)


class ScoreForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="结论", required=False, choices=[("", "—"), ("1", "合格"), ("0", "不合格")], coerce=lambda v: v == "1", empty_value=None
    )
    points = forms.DecimalField(label="得分", required=False, max_digits=6, decimal_places=1, min_value=0)
    grade = forms.ChoiceField(label="等次", required=False, choices=[("", "—"), *Grade.choices])
    note = forms.CharField(label="检查意见", required=False, max_length=2000)
    override_reason = forms.CharField(label="调整理由", required=False, max_length=300)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证文件")


class SelfCheckForm(forms.Form):
    self_check = forms.CharField(label="自查情况", widget=forms.Textarea(attrs={"rows": 5}))


class TargetFindingForm(forms.Form):
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    item = forms.ModelChoiceField(label="检查项目", queryset=None, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class TemplateForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    name = forms.CharField(label="模板名称", max_length=100)
    description = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    copy_from = forms.ModelChoiceField(label="复制自", queryset=None, required=False, help_text="可复制已有模板的检查项目")

    def __init__(self, *args, units, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["copy_from"].queryset = templates


class ChecklistItemForm(forms.Form):
    title = forms.CharField(label="检查项目", max_length=100)
    description = forms.CharField(label="检查内容和标准", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    scoring = forms.ChoiceField(label="评分方式", choices=Scoring.choices)
    max_points = forms.DecimalField(label="满分（计分方式）", max_digits=6, decimal_places=1, required=False, initial=10)
    weight = forms.DecimalField(label="权重", max_digits=6, decimal_places=1, initial=20)
    fact = forms.ChoiceField(label="自动核验", choices=Fact.choices, required=False)
    fact_param = forms.CharField(
        label="核验参数", max_length=200, required=False, help_text="会议类型代码，如 theme_day 或 branch_assembly,party_lecture"
    )


class InspectionFilterForm(forms.Form):
    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "全部状态"), *InspectionStatus.choices])
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    organization = OrgChoiceField(label="涉及单位", queryset=Organization.objects.none())
    source = forms.ChoiceField(
        label="问题来源", choices=[c for c in FindingSource.choices if c[0] != FindingSource.INSPECTION]
    )
    supervision_type = forms.ChoiceField(
        label="监督类型", required=False, choices=[("", "—"), *SupervisionType.choices], help_text="监督发现的问题必选"
    )
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}))
    found_on = date_field("发现日期")

    def __init__(self, *args, units, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["organization"].queryset = orgs


class FindingEditForm(forms.Form):
    supervision_type = forms.ChoiceField(label="监督类型", required=False, choices=[("", "—"), *SupervisionType.choices])
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}))
    found_on = date_field("发现日期")


class RectifyForm(forms.Form):
    deadline = date_field("整改时限", required=False)
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FindingFilterForm(forms.Form):
    q = forms.CharField(required=False)
    source = forms.ChoiceField(required=False, choices=[("", "全部来源"), *FindingSource.choices])
    supervision_type = forms.ChoiceField(required=False, choices=[("", "全部监督类型"), *SupervisionType.choices])
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class RectificationForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    source = forms.ChoiceField(label="问题来源", choices=RectificationSource.choices)
    source_label = forms.CharField(label="来源说明", max_length=120, required=False, help_text="如“2022年度民主生活会”“市局第二巡察组”")
    supervision_type = forms.ChoiceField(
        label="监督类型", required=False, choices=[("", "—"), *SupervisionType.choices], help_text="监督发现的问题必选"
    )
    problem = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible_org = OrgChoiceField(label="责任单位", queryset=Organization.objects.none())
    responsible_person = forms.ModelChoiceField(label="责任人", queryset=Person.objects.none(), required=False)
    deadline = date_field("整改时限")

    def __init__(self, *args, units, orgs, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["responsible_org"].queryset = orgs
        self.fields["responsible_person"].queryset = people


class RectificationEditForm(forms.Form):
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible_person = forms.ModelChoiceField(label="责任人", queryset=Person.objects.none(), required=False)
    deadline = date_field("整改时限")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = people


class RectificationFilterForm(forms.Form):
    q = forms.CharField(required=False)
    org = forms.CharField(required=False)
    source = forms.ChoiceField(required=False, choices=[("", "全部来源"), *RectificationSource.choices])
    state = forms.ChoiceField(required=False, choices=[("", "全部状态"), *RectificationState.choices])
    timeliness = forms.ChoiceField(
        required=False,
        choices=[("", "全部时效"), ("normal", "正常"), ("due_soon", "临期"), ("overdue", "逾期"), ("on_time", "按期办结"), ("late", "逾期办结")],
    )
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class EvaluationForm(forms.Form):
    unit = forms.ModelChoiceField(label="组织单位", queryset=Organization.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=120, help_text="如“2023年度党支部书记抓党建述职评议”")
    held_on = date_field("评议日期")
    note = forms.CharField(label="会议情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class EvaluationEntryForm(forms.Form):
    organization = OrgChoiceField(label="党支部", queryset=Organization.objects.none())
    person = forms.ModelChoiceField(label="述职人", queryset=Person.objects.none(), required=False)
    report = forms.CharField(label="述职报告（要点）", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    votes_good = forms.IntegerField(label="好（票）", min_value=0, initial=0)
    votes_fair = forms.IntegerField(label="较好（票）", min_value=0, initial=0)
    votes_average = forms.IntegerField(label="一般（票）", min_value=0, initial=0)
    votes_poor = forms.IntegerField(label="差（票）", min_value=0, initial=0)
    comments = forms.CharField(label="点评意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    problems = forms.CharField(
        label="指出的问题", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="每行一个问题，可一键转入整改台账"
    )

    def __init__(self, *args, orgs, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["person"].queryset = people


class DutyReportForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    person = forms.ModelChoiceField(label="报告人", queryset=Person.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=120)
    content = forms.CharField(
        label="报告内容", widget=forms.Textarea(attrs={"rows": 12}), help_text="须包含履行意识形态工作责任制的情况"
    )
    filed_on = date_field("报送日期")

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["person"].queryset = people


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    file = forms.FileField(label="整改台账（.xlsx）")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TakeForm(forms.Form):
    deadline = date_field("整改时限", help_text="问题清单未写整改时限的，按此时限转入")
