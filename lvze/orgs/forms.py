from __future__ import annotations

from django import forms

from lvze.orgs.models import Organization, OrgKind, Person, Post, WorkArea


def short_names_text(value: str) -> list[str]:
    return [n for n in (p.strip() for p in value.replace("，", ",").replace("、", ",").split(",")) if n]


class OrganizationForm(forms.Form):
    code = forms.CharField(label="代码", max_length=32, help_text="字母或数字，创建后不可更改，如 QJ01")
    name = forms.CharField(label="全称", max_length=100)
    short_names = forms.CharField(
        label="简称", required=False, help_text="多个简称用逗号或顿号分隔，如：区局"
    )
    kind = forms.ChoiceField(label="类型", choices=OrgKind.choices)
    has_committee = forms.BooleanField(label="已设支委会", required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0)

    def clean_short_names(self) -> list[str]:
        return short_names_text(self.cleaned_data["short_names"])


class OrganizationEditForm(OrganizationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]
        del self.fields["kind"]


class MoveForm(forms.Form):
    parent = forms.ModelChoiceField(label="新的上级组织", queryset=Organization.objects.none())

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "party_status",
            "joined_party_on",
            "branch",
            "department",
            "position",
            "phone",
            "active",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "joined_party_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, branches=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["department"].queryset = departments


class AppointmentForm(forms.Form):
    organization = forms.ModelChoiceField(label="任职组织", queryset=Organization.objects.none())
    post = forms.ChoiceField(label="职务", choices=Post.choices)
    start = forms.DateField(label="任职日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    areas = forms.ModelMultipleChoiceField(
        label="分管板块",
        queryset=WorkArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label="分管部门",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, orgs=None, areas=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["areas"].queryset = areas
        self.fields["departments"].queryset = departments


class ImportUploadForm(forms.Form):
    org = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none(), to_field_name="code")
    file = forms.FileField(label="花名册文件（.xlsx）")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
