from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lvze.api.models import ApiToken
from lvze.api.services import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(label="名称", max_length=60, help_text="如：OA 系统对接")
    read_only = forms.BooleanField(label="只读", required=False, initial=True, help_text="只读令牌只能查询，不能写入")
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=366, initial=90)


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    plain = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, plain = api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/token_list.html", {"form": form, "tokens": tokens, "plain": plain})


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"已吊销令牌“{token.name}”")
    return redirect("api-tokens")
