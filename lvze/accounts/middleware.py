from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from lvze.accounts.services import password_change_reason
from lvze.audit.services import audit_record

# The API authenticates each request by its token and answers 401 itself.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/healthz", "/api/")
# How often the idle clock in the session is refreshed: once a minute at most, not a write per request.
IDLE_CLOCK_GRANULARITY = 60
IDLE_KEY = "lvze_seen"


def is_public(path: str) -> bool:
    # Calendar apps fetch the iCalendar feed without a session: its secret token is the credential.
    return path.startswith(PUBLIC_PREFIXES) or (path.startswith("/reminders/calendar/") and path.endswith(".ics"))


def start_idle_clock(session) -> None:
    session[IDLE_KEY] = int(time.time())


def redirect_for(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; htmx requests get HX-Redirect so the whole page moves, not the swapped fragment."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class LoginRequiredMiddleware:
    """Every page but the login page and static files needs a signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not is_public(request.path):
            if request.headers.get("HX-Request"):
                return redirect_for(request, reverse(settings.LOGIN_URL))
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """等保 2.0 登录连接超时自动退出: a session unused for SESSION_IDLE_MINUTES is ended."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(IDLE_KEY)
            if seen is not None and now - seen > settings.SESSION_IDLE_MINUTES * 60:
                audit_record(actor=request.user, action="auth.session_timeout", obj=request.user)
                request.session.flush()
                request.user = AnonymousUser()
                messages.info(request, f"超过 {settings.SESSION_IDLE_MINUTES} 分钟未操作，已自动退出，请重新登录。")
            elif seen is None or now - seen >= IDLE_CLOCK_GRANULARITY:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


class PasswordPolicyMiddleware:
    """An initial (created or reset) or expired password must be changed before anything else."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.ALLOWED):
            reason = password_change_reason(user)
            if reason:
                text = "首次登录（或密码被重置）后须先修改密码" if reason == "initial" else (
                    f"密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码"
                )
                messages.warning(request, text)
                return redirect_for(request, reverse("accounts:password-change"))
        return self.get_response(request)
