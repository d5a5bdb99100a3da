from __future__ import annotations

from django import forms

from lvze.accounts.models import Role
from lvze.orgs.models import Organization, Person


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="显示名", max_length=30, required=False)
    person = forms.ModelChoiceField(label="对应人员", queryset=Person.objects.none(), required=False)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="至少 8 位，含三类字符"
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    organization = forms.ModelChoiceField(label="授权组织（含下级）", queryset=Organization.objects.none())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs


class ResetPasswordForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)
