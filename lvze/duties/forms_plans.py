from __future__ import annotations

from django import forms
from django.utils import timezone

from lvze.duties.models import DutyListKind, Frequency
from lvze.orgs.models import Organization, Person, WorkArea


class TaskImportForm(forms.Form):
    org = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none(), to_field_name="code")
    plan_name = forms.CharField(
        label="工作要点名称",
        max_length=120,
        help_text="如“2023年全面从严治党工作要点”；与已有工作要点同名时将更新其任务",
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="可不填：从名称或表格标题中的“2023年”识别",
    )
    file = forms.FileField(label="分解表文件（.xlsx）")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["org"].initial = orgs.first()


class DutyListForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="所属单位", queryset=Organization.objects.none(), to_field_name="code"
    )
    kind = forms.ChoiceField(label="类型", choices=DutyListKind.choices)
    name = forms.CharField(label="名称", max_length=100, help_text="如“2023年党委主体责任清单”")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    owner = forms.ModelChoiceField(
        label="责任主体",
        queryset=Person.objects.none(),
        required=False,
        help_text="书记或班子成员的个人清单时填写",
    )

    def __init__(self, *args, units=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].initial = units.first()
        self.fields["owner"].queryset = people
        self.fields["year"].initial = timezone.localdate().year


class DutyItemForm(forms.Form):
    requirement = forms.CharField(label="责任事项", widget=forms.Textarea(attrs={"rows": 3}))
    work_area = forms.ModelChoiceField(label="工作板块", queryset=WorkArea.objects.none(), required=False)
    responsible_org = forms.ModelChoiceField(
        label="责任单位", queryset=Organization.objects.none(), required=False, help_text="不填则为本单位"
    )
    responsible_person = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), required=False
    )
    assisting = forms.ModelMultipleChoiceField(
        label="协助落实科室",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supervisor = forms.CharField(label="监督人", max_length=50, required=False, help_text="如“纪检组组长”")
    frequency = forms.ChoiceField(label="频次", choices=Frequency.choices, initial=Frequency.ONCE)
    due_date = forms.DateField(
        label="时限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="一次性事项填写；按频次或长期的事项不填。有时限或频次的事项会进入事项台账",
    )

    def __init__(self, *args, areas=None, orgs=None, people=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_area"].queryset = areas
        self.fields["responsible_org"].queryset = orgs
        self.fields["responsible_person"].queryset = people
        self.fields["assisting"].queryset = departments
