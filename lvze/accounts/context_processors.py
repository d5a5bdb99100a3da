from __future__ import annotations

from django.http import HttpRequest

from lvze.accounts.navigation import nav_for_user
from lvze.accounts.selectors import demo_accounts_exist
from lvze.reminders.selectors import unread_count


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_banner": demo_accounts_exist()}
    return {
        "nav_items": nav_for_user(user, request.path),
        "demo_banner": demo_accounts_exist(),
        "unread_count": unread_count(user),
    }
