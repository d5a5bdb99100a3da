from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.duties.models import WorkItem
from lvze.lib.periods import Period
from lvze.orgs.selectors import branch_roster_on
from lvze.records.forms import MeetingForm
from lvze.records.models import MeetingKind
from lvze.records.selectors import (
    meeting_for_user,
    meetings_for_user,
    recordable_kinds,
    recordable_orgs_for_user,
)
from lvze.records.services import fulfilling_candidates, meeting_fulfil_item, meeting_record


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = meetings_for_user(request.user)
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        meetings = meetings.filter(topic__contains=query)
    page = Paginator(meetings.order_by("-held_on", "-id"), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": MeetingKind.choices,
        "kind": kind,
        "query": query,
        "can_record": bool(recordable_kinds(request.user)),
        "querystring": request.GET.copy(),
    }
    return render(request, "records/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    kinds = recordable_kinds(request.user)
    if not kinds:
        raise Http404
    form = MeetingForm(request.POST or None, orgs=recordable_orgs_for_user(request.user), kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = data.pop("organization")
        present_ids = {int(x) for x in request.POST.getlist("present") if x.isdigit()}
        roster = list(branch_roster_on(org, data["held_on"]))
        try:
            outcome = meeting_record(
                actor=request.user,
                organization=org,
                present=[p for p in roster if p.pk in present_ids],
                absent={p: request.POST.get(f"reason_{p.pk}", "")[:100] for p in roster if p.pk not in present_ids},
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if outcome.completed:
                messages.success(request, f"已登记，并完成事项“{outcome.completed.title}”")
            elif outcome.candidates:
                messages.info(request, "已登记。有多个事项可由此记录完成，请选择一项")
            else:
                messages.success(request, "已登记（没有待完成的对应事项）")
            return redirect("records:meeting-detail", meeting_id=outcome.meeting.pk)
    return render(request, "records/meeting_form.html", {"form": form})


@require_GET
def meeting_roster(request: HttpRequest) -> HttpResponse:
    """htmx partial: the roster (应到) of the chosen organisation on the chosen date."""
    orgs = recordable_orgs_for_user(request.user)
    org = orgs.filter(pk=request.GET.get("organization") or 0).first()
    try:
        held_on = parse_date(request.GET.get("held_on", ""))
    except ValueError:
        held_on = None
    people = list(branch_roster_on(org, held_on)) if org is not None and held_on else []
    return render(request, "records/roster.html", {"people": people, "org": org})


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, meeting_id)
    fulfilled = WorkItem.objects.filter(evidence__record_type="records.meeting", evidence__record_id=str(meeting.pk))
    candidates = [] if fulfilled.exists() else fulfilling_candidates(meeting.organization, f"meeting:{meeting.kind}", Period.parse(meeting.period))
    can_pick = recordable_orgs_for_user(request.user).filter(pk=meeting.organization_id).exists()
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("person").order_by("-present", "person__name"),
        "fulfilled": fulfilled,
        "candidates": candidates if can_pick else [],
    }
    return render(request, "records/meeting_detail.html", context)


@require_POST
def meeting_pick_item(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, meeting_id)
    if not recordable_orgs_for_user(request.user).filter(pk=meeting.organization_id).exists():
        raise Http404
    item = WorkItem.objects.filter(pk=request.POST.get("item") or 0, organization=meeting.organization).first()
    if item is None:
        raise Http404
    try:
        meeting_fulfil_item(actor=request.user, meeting=meeting, item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已完成事项“{item.title}”")
    return redirect("records:meeting-detail", meeting_id=meeting.pk)
