from __future__ import annotations

from django import forms

from lvze.reminders.models import ChannelKind, SendState


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ChannelKind.choices)
    name = forms.CharField(label="名称", max_length=60, required=False, help_text="如：区局党建工作群")
    target = forms.CharField(label="地址", max_length=500, help_text="邮箱地址，或群机器人的 Webhook 地址")
    secret = forms.CharField(label="签名密钥", max_length=200, required=False, help_text="钉钉“加签”、飞书“签名校验”或通用 Webhook 的密钥")
    scope = forms.ChoiceField(label="归属", choices=[("person", "我本人"), ("unit", "本单位（群机器人）")])


class PolicyForm(forms.Form):
    before_days = forms.CharField(label="到期前提醒（天）", initial="7,3,1", help_text="用逗号分隔，如 7,3,1：到期前7天、3天、1天各提醒一次")
    overdue_digest = forms.BooleanField(label="逾期后每日汇总提醒（直至办结）", required=False, initial=True)
    escalate_after_days = forms.IntegerField(label="逾期超过N天升级提醒分管领导和纪检组", min_value=1, initial=7)


class SendFilterForm(forms.Form):
    """Filters of 提醒发送情况; the default shows what needs attention."""

    state = forms.ChoiceField(
        label="状态", required=False, widget=forms.Select(attrs={"aria-label": "状态"}),
        choices=[("problem", "需关注（失败、放弃、发送超时）"), *SendState.choices, ("all", "全部状态")],
    )
    channel = forms.ChoiceField(label="渠道", required=False, widget=forms.Select(attrs={"aria-label": "渠道"}))
    start = forms.DateField(label="起始日期", required=False)
    end = forms.DateField(label="截止日期", required=False)
    name = forms.CharField(label="接收人", max_length=30, required=False)

    def __init__(self, *args, channels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "全部渠道"), *channels]

    def filters(self) -> dict:
        """The valid filters; an invalid one (a malformed date) is left out rather than failing the page."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
