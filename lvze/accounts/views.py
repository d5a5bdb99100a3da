from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.accounts import services
from lvze.accounts.forms import GrantForm, ResetPasswordForm, UserCreateForm
from lvze.accounts.models import Role
from lvze.accounts.selectors import user_for_user, users_for_user
from lvze.forms import form_errors_from
from lvze.orgs.selectors import grant_orgs, organizations_for_user, people_for_user


def secadmin_orgs(request: HttpRequest):
    orgs = organizations_for_user(request.user, {Role.SECADMIN})
    if not grant_orgs(request.user, {Role.SECADMIN}):
        raise Http404
    return orgs


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc.messages)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改")
            return redirect("home")
    context = {"form": form, "reason": services.password_change_reason(request.user)}
    return render(request, "accounts/password_change.html", context)


@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    secadmin_orgs(request)
    query = request.GET.get("q", "").strip()
    users = users_for_user(request.user)
    if query:
        users = users.filter(username__icontains=query) | users.filter(display_name__contains=query)
    return render(request, "accounts/user_list.html", {"users": users, "query": query})


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    orgs = secadmin_orgs(request)
    people = people_for_user(request.user).filter(user__isnull=True, branch__in=orgs) | people_for_user(
        request.user
    ).filter(user__isnull=True, department__in=orgs)
    form = UserCreateForm(request.POST or None, people=people.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已创建账号 {user.username}，请为其授予角色")
            return redirect("accounts:user-detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建账号"})


@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    orgs = secadmin_orgs(request)
    account = user_for_user(request.user, user_id)
    grant_form = GrantForm(request.POST or None, orgs=orgs.order_by("path"))
    if request.method == "POST" and grant_form.is_valid():
        try:
            services.role_grant(actor=request.user, user=account, **grant_form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, grant_form)
        else:
            messages.success(request, "已授予角色")
            return redirect("accounts:user-detail", user_id=account.pk)
    context = {
        "account": account,
        "grant_form": grant_form,
        "reset_form": ResetPasswordForm(),
        "now": timezone.now(),
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
def grant_revoke(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    orgs = secadmin_orgs(request)
    account = user_for_user(request.user, user_id)
    grant = account.grants.filter(pk=grant_id, organization__in=orgs).first()
    if grant is None:
        raise Http404
    services.role_revoke(actor=request.user, grant=grant)
    messages.success(request, "已撤销角色")
    return redirect("accounts:user-detail", user_id=account.pk)


@require_POST
def user_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    secadmin_orgs(request)
    account = user_for_user(request.user, user_id)
    form = ResetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=account, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "密码已重置；该用户下次登录时须修改密码")
    return redirect("accounts:user-detail", user_id=account.pk)


@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    secadmin_orgs(request)
    account = user_for_user(request.user, user_id)
    services.user_unlock(actor=request.user, user=account)
    messages.success(request, "已解除锁定")
    return redirect("accounts:user-detail", user_id=account.pk)


@require_POST
def user_set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    secadmin_orgs(request)
    account = user_for_user(request.user, user_id)
    if account.pk == request.user.pk:
        messages.error(request, "不能停用自己的账号")
    else:
        services.user_set_active(actor=request.user, user=account, active=request.POST.get("active") == "1")
        messages.success(request, "已更新账号状态")
    return redirect("accounts:user-detail", user_id=account.pk)
