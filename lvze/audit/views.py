from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from lvze.accounts.models import Role
from lvze.audit.selectors import audit_events_for_user
from lvze.orgs.selectors import grant_orgs


def day_bound(text: str, end: bool) -> datetime | None:
    day = parse_date(text) if text else None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    if not grant_orgs(request.user, {Role.AUDITOR}):
        raise Http404
    events = audit_events_for_user(request.user)
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    since, until = day_bound(request.GET.get("from", ""), False), day_bound(request.GET.get("to", ""), True)
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lte=until)
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filters": request.GET, "querystring": request.GET.copy()},
    )
