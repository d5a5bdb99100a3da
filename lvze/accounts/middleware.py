from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# The API authenticates each request by its token and answers 401 itself.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/healthz", "/api/")


def is_public(path: str) -> bool:
    # Calendar apps fetch the iCalendar feed without a session: its secret token is the credential.
    return path.startswith(PUBLIC_PREFIXES) or (path.startswith("/reminders/calendar/") and path.endswith(".ics"))


class LoginRequiredMiddleware:
    """Every page but the login page and static files needs a signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not is_public(request.path):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
