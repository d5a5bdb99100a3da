from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lvze.accounts.models import Role
from lvze.audit.selectors import audit_events_for_user
from lvze.orgs.selectors import grant_orgs, organizations_for_user, people_for_user, user_grants


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "grants": user_grants(user),
        "org_count": organizations_for_user(user).filter(active=True).count(),
        "people_count": people_for_user(user).filter(active=True).count(),
        "is_auditor": bool(grant_orgs(user, {Role.AUDITOR})),
        "recent_events": audit_events_for_user(user).order_by("-seq")[:10],
    }
    return render(request, "home.html", context)
