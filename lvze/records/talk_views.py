"""谈心谈话: list, record, edit, delete; a talk completes the branch's yearly 谈心谈话 item."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.duties.models import WorkItem
from lvze.records import services
from lvze.records.forms import TalkForm
from lvze.records.fulfilment import record_candidates
from lvze.records.models import LifeMeeting, Talk, TalkKind
from lvze.records.selectors import (
    can_read_records,
    can_write,
    can_write_records,
    people_for_records,
    period_within_q,
    readable_orgs_for_user,
    record_for_user,
    talk_text_q,
    talks_for_user,
    writable_orgs_for_user,
    writable_q,
)
from lvze.records.views import (
    add_errors,
    item_with_timeliness,
    page_of,
    parse_day,
    report_placement,
    scoped_org,
)


def filtered_talks(request: HttpRequest):
    """The talks the list shows for its filters; the 台账 export applies the same."""
    talks = talks_for_user(request.user)
    params = request.GET
    org = scoped_org(request, params.get("org"))
    if org is not None:
        talks = talks.filter(organization__path__startswith=org.path)
    if params.get("kind") in TalkKind.values:
        talks = talks.filter(kind=params["kind"])
    if params.get("year", "").isdigit():
        talks = talks.filter(held_on__year=int(params["year"]))
    if params.get("period"):
        talks = talks.filter(period_within_q("period", params["period"].strip()))
    start, end = parse_day(params.get("start")), parse_day(params.get("end"))
    if start:
        talks = talks.filter(held_on__gte=start)
    if end:
        talks = talks.filter(held_on__lte=end)
    query = params.get("q", "").strip()
    if query:
        talks = talks.filter(talk_text_q(query))
    return talks


@require_GET
def talk_list(request: HttpRequest) -> HttpResponse:
    if not can_read_records(request.user):
        raise Http404
    talks = filtered_talks(request)
    params = request.GET
    context = {
        "page": page_of(request, talks.order_by("-held_on", "-id")),
        "kinds": TalkKind.choices,
        "orgs": readable_orgs_for_user(request.user),
        "params": params,
        "querystring": request.GET.copy(),
        "can_record": can_write_records(request.user),
    }
    return render(request, "records/talk_list.html", context)


def talk_form(request: HttpRequest, instance: Talk | None = None) -> TalkForm:
    initial = {"held_on": timezone.localdate()} if instance is None else {}
    if instance is None and request.GET.get("life"):
        process = LifeMeeting.objects.filter(writable_q(request.user, "organization__"), pk=request.GET["life"]).first()
        if process is not None:
            initial.update(life_meeting=process, organization=process.organization)
    return TalkForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        orgs=writable_orgs_for_user(request.user),
        people=people_for_records(request.user),
        life_meetings=LifeMeeting.objects.filter(writable_q(request.user, "organization__")),
    )


def save_talk(request: HttpRequest, form: TalkForm, talk: Talk | None) -> HttpResponse | None:
    data = dict(form.cleaned_data)
    try:
        if talk is None:
            placement = services.talk_record(actor=request.user, **data)
        else:
            placement = services.talk_update(actor=request.user, talk=talk, **data)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    report_placement(request, placement, "谈心谈话")
    return redirect("records:talk-detail", talk_id=placement.record.pk)


@require_http_methods(["GET", "POST"])
def talk_create(request: HttpRequest) -> HttpResponse:
    if not can_write_records(request.user):
        raise Http404
    form = talk_form(request)
    if request.method == "POST" and form.is_valid():
        # The ModelForm is only a parser here: the service creates the talk.
        response = save_talk(request, form, None)
        if response is not None:
            return response
    return render(request, "records/talk_form.html", {"form": form, "title": "登记谈心谈话"})


@require_http_methods(["GET", "POST"])
def talk_edit(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = record_for_user(request.user, Talk, talk_id, write=True)
    form = talk_form(request, talk)
    if request.method == "POST":
        snapshot = Talk.objects.get(pk=talk.pk)  # the form's validation writes into `talk`
        if form.is_valid():
            response = save_talk(request, form, snapshot)
            if response is not None:
                return response
    return render(request, "records/talk_form.html", {"form": form, "title": "修改谈心谈话", "talk": talk})


@require_GET
def talk_detail(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = talks_for_user(request.user).filter(pk=talk_id).first()
    if talk is None:
        raise Http404("记录不存在或不在您的权限范围内")
    editable = can_write(request.user, talk)
    context = {
        "talk": talk,
        "editable": editable,
        "fulfilled": item_with_timeliness(talk.fulfils),
        "candidates": record_candidates(talk) if editable and talk.fulfils_id is None else [],
    }
    return render(request, "records/talk_detail.html", context)


@require_POST
def talk_pick_item(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = record_for_user(request.user, Talk, talk_id, write=True)
    item = WorkItem.objects.filter(pk=request.POST.get("item") or 0, organization=talk.organization).first()
    if item is None:
        raise Http404
    try:
        services.talk_fulfil_item(actor=request.user, talk=talk, item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已完成事项“{item.title}”")
    return redirect("records:talk-detail", talk_id=talk.pk)


@require_http_methods(["GET", "POST"])
def talk_delete(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = record_for_user(request.user, Talk, talk_id, write=True)
    if request.method == "POST":
        reopened = services.talk_delete(actor=request.user, talk=talk)
        messages.success(request, "已删除谈心谈话记录" + (f"，事项“{reopened.title}”已重新打开" if reopened else ""))
        return redirect("records:talk-list")
    return render(request, "records/confirm_delete.html", {"object": talk, "noun": "谈心谈话记录", "fulfils": talk.fulfils,
                                                           "back": reverse("records:talk-detail", args=[talk.pk])})
