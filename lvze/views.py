from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lvze.accounts.models import Role
from lvze.audit.selectors import audit_events_for_user
from lvze.orgs.selectors import grant_orgs, organizations_for_user, people_for_user, user_grants
from lvze.search import clean_query, search


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


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """全局搜索: results grouped by kind, each group read through its app's selector."""
    query = clean_query(request.GET.get("q"))
    groups = search(request.user, query)
    context = {"query": query, "search_query": query, "groups": groups, "total": sum(g.total for g in groups)}
    return render(request, "search.html", context)
