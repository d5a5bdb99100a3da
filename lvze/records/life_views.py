"""民主生活会 / 组织生活会 as a process: a checklist of stages with dates, documents and state, the talks
of its preparation, the meeting record, and the 问题清单 that the rectification ledger takes over."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.records.forms import AttachmentForm, LifeMeetingForm, ProblemForm, StageForm
from lvze.records.models import (
    LifeMeeting,
    LifeMeetingKind,
    LifeMeetingStage,
    Meeting,
    ProblemEntry,
    StageCode,
    StageState,
)
from lvze.records.registry_services import (
    field_values,
    life_meeting_create,
    life_meeting_link,
    life_stage_update,
    next_problem_seq,
    registry_delete,
    registry_save,
)
from lvze.records.selectors import (
    can_read_records,
    can_write,
    can_write_records,
    people_for_records,
    readable_orgs_for_user,
    readable_q,
    record_for_user,
    writable_orgs_for_user,
)
from lvze.records.views import add_errors, page_of, scoped_org, upload_attachment


@require_GET
def life_list(request: HttpRequest) -> HttpResponse:
    if not can_read_records(request.user):
        raise Http404
    processes = LifeMeeting.objects.filter(readable_q(request.user)).select_related("organization", "meeting")
    org = scoped_org(request, request.GET.get("org"))
    if org is not None:
        processes = processes.filter(organization__path__startswith=org.path)
    if request.GET.get("kind") in LifeMeetingKind.values:
        processes = processes.filter(kind=request.GET["kind"])
    if request.GET.get("year", "").isdigit():
        processes = processes.filter(year=int(request.GET["year"]))
    page = page_of(request, processes)
    done = dict(
        LifeMeetingStage.objects.filter(process__in=[p.pk for p in page.object_list], state=StageState.DONE)
        .values_list("process")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [(p, done.get(p.pk, 0)) for p in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "stage_total": len(StageCode.choices),
        "kinds": LifeMeetingKind.choices,
        "orgs": readable_orgs_for_user(request.user),
        "params": request.GET,
        "querystring": request.GET.copy(),
        "can_create": can_write_records(request.user),
    }
    return render(request, "records/life_list.html", context)


@require_http_methods(["GET", "POST"])
def life_create(request: HttpRequest) -> HttpResponse:
    if not can_write_records(request.user):
        raise Http404
    form = LifeMeetingForm(request.POST or None, orgs=writable_orgs_for_user(request.user),
                           initial={"year": timezone.localdate().year - (timezone.localdate().month < 7)})
    if request.method == "POST" and form.is_valid():
        try:
            process = life_meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已建立“{process.title}”，请逐项完成各环节")
            return redirect("records:life-detail", process_id=process.pk)
    return render(request, "records/registry_form.html", {"form": form, "title": "建立民主（组织）生活会",
                                                          "back": reverse("records:life-list")})


def process_for(request: HttpRequest, process_id: int, *, write: bool = False) -> LifeMeeting:
    return record_for_user(request.user, LifeMeeting, process_id, write=write)


@require_GET
def life_detail(request: HttpRequest, process_id: int) -> HttpResponse:
    process = process_for(request, process_id)
    editable = can_write(request.user, process)
    stages = list(process.stages.prefetch_related("attachments"))
    meetings = []
    if editable and process.meeting_id is None:
        meetings = Meeting.objects.filter(organization=process.organization, kind=process.kind,
                                          held_on__year__in=[process.year, process.year + 1])
    context = {
        "process": process,
        "stages": [(s, StageForm(instance=s, prefix=f"s{s.pk}")) for s in stages],
        "talks": process.talks.select_related("initiator", "partner"),
        "problems": process.problems.select_related("person", "responsible_org", "responsible_person"),
        "editable": editable,
        "meetings": meetings,
        "attachment_form": AttachmentForm(),
        "problem_form": ProblemForm(orgs=writable_orgs_for_user(request.user), people=people_for_records(request.user)),
        "done": sum(s.state == StageState.DONE for s in stages),
        "codes": StageCode,
    }
    return render(request, "records/life_detail.html", context)


@require_POST
def life_stage(request: HttpRequest, process_id: int, stage_id: int) -> HttpResponse:
    process = process_for(request, process_id, write=True)
    stage = process.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    form = StageForm(request.POST, instance=LifeMeetingStage.objects.get(pk=stage.pk), prefix=f"s{stage.pk}")
    if form.is_valid():
        try:
            life_stage_update(actor=request.user, stage=stage, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已更新“{stage.get_code_display()}”")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("records:life-detail", process_id=process.pk)


@require_POST
def life_stage_attachment(request: HttpRequest, process_id: int, stage_id: int) -> HttpResponse:
    process = process_for(request, process_id, write=True)
    stage = process.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    return upload_attachment(request, stage)


@require_POST
def life_link_meeting(request: HttpRequest, process_id: int) -> HttpResponse:
    process = process_for(request, process_id, write=True)
    meeting = Meeting.objects.filter(pk=request.POST.get("meeting") or 0, organization=process.organization).first()
    if meeting is None:
        raise Http404
    try:
        life_meeting_link(actor=request.user, process=process, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已关联会议记录，“召开会议”环节已完成")
    return redirect("records:life-detail", process_id=process.pk)


@require_POST
def problem_add(request: HttpRequest, process_id: int) -> HttpResponse:
    process = process_for(request, process_id, write=True)
    form = ProblemForm(request.POST, orgs=writable_orgs_for_user(request.user), people=people_for_records(request.user))
    if form.is_valid():
        problem = form.save(commit=False)
        problem.process = process
        problem.seq = next_problem_seq(process)
        registry_save(actor=request.user, instance=problem)
        messages.success(request, "已加入问题清单")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("records:life-detail", args=[process.pk]) + "#problems")


@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, process_id: int, problem_id: int) -> HttpResponse:
    process = process_for(request, process_id, write=True)
    problem = ProblemEntry.objects.filter(process=process, pk=problem_id).first()
    if problem is None:
        raise Http404
    before = field_values(problem)
    form = ProblemForm(request.POST or None, instance=problem, orgs=writable_orgs_for_user(request.user),
                       people=people_for_records(request.user))
    if request.method == "POST" and form.is_valid():
        registry_save(actor=request.user, instance=form.save(commit=False), before=before)
        messages.success(request, "已保存")
        return redirect(reverse("records:life-detail", args=[process.pk]) + "#problems")
    return render(request, "records/registry_form.html", {"form": form, "title": "修改问题清单条目",
                                                          "back": reverse("records:life-detail", args=[process.pk])})


@require_POST
def problem_delete(request: HttpRequest, process_id: int, problem_id: int) -> HttpResponse:
    process = process_for(request, process_id, write=True)
    problem = ProblemEntry.objects.filter(process=process, pk=problem_id).first()
    if problem is None:
        raise Http404
    if problem.rectification_ref:
        messages.error(request, "该问题已转入整改台账，不能删除")
    else:
        registry_delete(actor=request.user, instance=problem)
        messages.success(request, "已从问题清单删除")
    return redirect(reverse("records:life-detail", args=[process.pk]) + "#problems")
