from __future__ import annotations

from django import forms

from lvze.duties.models import Source, Status, Timeliness


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="事项", required=False)
    org = forms.CharField(label="组织", required=False)
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源"), *Source.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Status.choices])
    timeliness = forms.ChoiceField(label="时效", required=False, choices=[("", "全部时效"), *Timeliness.choices])
    period = forms.RegexField(label="期间", required=False, regex=r"^\d{4}(H[12]|Q[1-4]|-\d{2})?$",
                              error_messages={"invalid": "期间格式应为 2023、2023H1、2023Q2 或 2023-05"})
    work_area = forms.CharField(label="工作板块", required=False)
    person = forms.CharField(label="责任人", required=False)
    mine = forms.BooleanField(label="只看我的", required=False)
    sort = forms.ChoiceField(label="排序", required=False, choices=[("due", "按到期日"), ("-due", "到期日倒序"), ("org", "按组织")])
    # What the dashboards link with: items due within a period, their timeliness as of the period's end,
    # and the record kind that fulfils them (meeting:theme_day, talk).
    due_from = forms.DateField(label="完成时限自", required=False)
    due_to = forms.DateField(label="完成时限至", required=False)
    as_of = forms.DateField(label="时效截至", required=False)
    kind = forms.RegexField(label="完成方式", required=False, regex=r"^[a-z_]+(:[a-z_]+)?$")


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证文件")


class BulkForm(forms.Form):
    pick = forms.TypedMultipleChoiceField(coerce=int, choices=[], error_messages={"required": "请先勾选事项"})
    action = forms.ChoiceField(choices=[("approve", "批量审核通过"), ("urge", "批量督办")])
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer id is acceptable here; scope is applied by the view's selector.
        self.fields["pick"].valid_value = lambda value: str(value).isdigit()


class RuleForm(forms.ModelForm):
    class Meta:
        from lvze.duties.models import ObligationRule

        model = ObligationRule
        fields = ["name", "frequency", "requires_committee", "effective_from", "effective_to", "active", "work_area_name", "source"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
