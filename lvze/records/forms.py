from __future__ import annotations

from django import forms

from lvze.orgs.models import Organization


class MeetingForm(forms.Form):
    organization = forms.ModelChoiceField(label="组织", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="会议类型")
    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.RegexField(
        label="所属期间", required=False, regex=r"^\d{4}(H[12]|Q[1-4]|-\d{2})?$",
        help_text="默认为会议日期所在月份；如5月的主题党日在6月2日召开，填 2023-05",
        error_messages={"invalid": "期间格式应为 2023-05、2023Q2 等"},
    )
    topic = forms.CharField(label="主题/议题", max_length=200)
    first_topic = forms.CharField(label="第一议题", max_length=200, required=False, help_text="党委会须有第一议题")
    place = forms.CharField(label="地点", max_length=100, required=False)
    host = forms.CharField(label="主持人", max_length=30, required=False)
    recorder = forms.CharField(label="记录人", max_length=30, required=False)
    summary = forms.CharField(label="会议内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    decisions = forms.CharField(label="决定事项", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, orgs=None, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["kind"].choices = kinds
