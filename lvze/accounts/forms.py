from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from lvze.accounts.models import Role, User
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


class LoginForm(AuthenticationForm):
    """Django's login form that says when an account is locked instead of only "wrong password"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确，请重试。",
        "locked": "该账号因连续登录失败已被锁定，请于 %(until)s 后再试，或联系安全管理员解锁。",
    }

    def get_invalid_login_error(self):
        user = User.objects.filter(username=self.cleaned_data.get("username") or "").first()
        if user is not None and user.is_locked(timezone.now()):
            until = timezone.localtime(user.locked_until).strftime("%H:%M")
            return ValidationError(self.error_messages["locked"], code="locked", params={"until": until})
        return super().get_invalid_login_error()
