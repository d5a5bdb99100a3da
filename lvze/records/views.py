"""Meeting pages, attachments, attendance confirmation and statistics, and the member's own page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.duties.models import Timeliness, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.orgs.models import Organization
from lvze.records import attendance as stats
from lvze.records import ledgers, services
from lvze.records.forms import KIND_FIELDS, AttachmentForm, MeetingForm
from lvze.records.fulfilment import record_candidates
from lvze.records.models import (
    Attachment,
    Attendance,
    AttendanceStatus,
    ConsultationLevel,
    Honor,
    LifeMeetingStage,
    Meeting,
    MeetingKind,
    NoteCheck,
    PioneerPost,
    StudyRecord,
    Talk,
)
from lvze.records.selectors import (
    activities_for_user,
    can_edit_meeting,
    can_read_records,
    can_write,
    meeting_counts,
    meeting_for_user,
    meeting_text_q,
    meeting_write_q,
    meetings_for_user,
    period_within_q,
    readable_orgs_for_user,
    readable_q,
    recordable_kinds,
    recordable_orgs_for_user,
    roster_for,
    work_area_names,
)
from lvze.security.downloads import file_response

PAGE_SIZE = 30


def page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def parse_day(value: str | None) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def require_reader(request: HttpRequest) -> None:
    if not can_read_records(request.user):
        raise Http404


def scoped_org(request: HttpRequest, code: str | None) -> Organization | None:
    if not code:
        return None
    org = readable_orgs_for_user(request.user).filter(code=code).first()
    if org is None:
        raise Http404("组织不存在或不在您的权限范围内")
    return org


# ------------------------------------------------------------------------------------------- meetings


def filtered_meetings(request: HttpRequest):
    meetings = meetings_for_user(request.user)
    params = request.GET
    org = scoped_org(request, params.get("org"))
    if org is not None:
        meetings = meetings.filter(organization__path__startswith=org.path)
    if params.get("kind") in MeetingKind.values:
        meetings = meetings.filter(kind=params["kind"])
    if params.get("level") in ConsultationLevel.values:
        meetings = meetings.filter(consultation_level=params["level"])
    if params.get("period"):
        meetings = meetings.filter(period_within_q("period", params["period"].strip()))
    start, end = parse_day(params.get("start")), parse_day(params.get("end"))
    if start:
        meetings = meetings.filter(held_on__gte=start)
    if end:
        meetings = meetings.filter(held_on__lte=end)
    if params.get("work_area"):
        meetings = meetings.filter(work_area=params["work_area"])
    if params.get("flag") == "no_first_topic":
        meetings = meetings.filter(kind=MeetingKind.COMMITTEE_MEETING, first_topic="")
    query = params.get("q", "").strip()
    if query:
        meetings = meetings.filter(meeting_text_q(query))
    return meetings


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = filtered_meetings(request)
    counts = meeting_counts(meetings)
    context = {
        "page": page_of(request, meetings.order_by("-held_on", "-id")),
        "kinds": MeetingKind.choices,
        "levels": ConsultationLevel.choices,
        "orgs": readable_orgs_for_user(request.user),
        "work_areas": work_area_names(None),
        "params": request.GET,
        "can_record": bool(recordable_kinds(request.user)),
        "querystring": request.GET.copy(),
        "level_counts": [(label, counts["consultation_levels"].get(value, 0)) for value, label in ConsultationLevel.choices],
        "kind_counts": [(label, counts["by_kind"][value]) for value, label in MeetingKind.choices if value in counts["by_kind"]],
    }
    return render(request, "records/meeting_list.html", context)


@require_GET
def meeting_export(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    meetings = filtered_meetings(request).order_by("held_on", "id")
    title = f"会议台账（{timezone.localdate():%Y年%m月%d日}导出）"
    data = ledgers.meetings_export(meetings, title)
    return xlsx_response(data, "会议台账.xlsx")


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def roster_rows(org: Organization | None, kind: str, day: date | None, meeting: Meeting | None = None,
                data=None) -> list[dict]:
    """The roster lines shown in the form: people 应到 that day, with the saved or posted marks."""
    if org is None or day is None:
        return []
    people = roster_for(org, kind, day)
    saved = {a.person_id: a for a in meeting.attendance.select_related("person")} if meeting else {}
    known = {p.pk for p in people}
    people += [a.person for pid, a in saved.items() if pid not in known]
    rows = []
    for person in people:
        line = saved.get(person.pk)
        status = line.status if line else AttendanceStatus.PRESENT
        reason = line.reason if line else ""
        if data is not None and f"att_{person.pk}" in data:
            status, reason = data.get(f"att_{person.pk}"), data.get(f"reason_{person.pk}", "")
        rows.append({"person": person, "status": status, "reason": reason})
    return rows


def posted_marks(request: HttpRequest, org: Organization, kind: str, day: date, meeting: Meeting | None):
    """Marks from the roster lines posted (att_<id> = present|absent|excluded, reason_<id>); the older
    form (a list of `present` ids, the rest absent) is still read."""
    people = roster_for(org, kind, day)
    if meeting is not None:
        known = {p.pk for p in people}
        people += [a.person for a in meeting.attendance.select_related("person") if a.person_id not in known]
    post = request.POST
    if any(f"att_{p.pk}" in post for p in people):
        marks = []
        for p in people:
            status = post.get(f"att_{p.pk}", AttendanceStatus.PRESENT)
            if status not in AttendanceStatus.values:
                status = AttendanceStatus.PRESENT
            marks.append(services.Mark(p, status, post.get(f"reason_{p.pk}", "").strip()[:100]))
        return marks
    if "present" in post:
        present = {int(x) for x in post.getlist("present") if x.isdigit()}
        return [
            services.Mark(p, AttendanceStatus.PRESENT)
            if p.pk in present
            else services.Mark(p, AttendanceStatus.ABSENT, post.get(f"reason_{p.pk}", "")[:100])
            for p in people
        ]
    if people:
        return None
    return []


def meeting_form_page(request: HttpRequest, form: MeetingForm, meeting: Meeting | None, rows: list[dict]):
    return render(request, "records/meeting_form.html", {"form": form, "meeting": meeting, "roster": rows,
                                                         "roster_org": form.data.get("organization") if form.is_bound else None})


def save_meeting(request: HttpRequest, form: MeetingForm, meeting: Meeting | None) -> HttpResponse:
    data = dict(form.cleaned_data)
    org = data["organization"]
    marks = posted_marks(request, org, data["kind"], data["held_on"], meeting)
    if marks is None:
        form.add_error(None, "请登记出席情况（选择组织和日期后显示应到人员）")
        return meeting_form_page(request, form, meeting, roster_rows(org, data["kind"], data["held_on"], meeting))
    try:
        if meeting is None:
            data.pop("organization")
            placement = services.meeting_record(actor=request.user, organization=org, marks=marks, **data)
        else:
            placement = services.meeting_update(actor=request.user, meeting=meeting, marks=marks, **data)
    except ValidationError as exc:
        add_errors(form, exc)
        return meeting_form_page(request, form, meeting, roster_rows(org, data["kind"], data["held_on"], meeting, request.POST))
    report_placement(request, placement, "会议")
    return redirect("records:meeting-detail", meeting_id=placement.record.pk)


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def report_placement(request: HttpRequest, placement, noun: str) -> None:
    if placement.completed is not None:
        messages.success(request, f"已保存，并完成事项“{placement.completed.title}”")
    elif placement.candidates:
        messages.info(request, "已保存。有多个事项可由此记录完成，请在下方选择一项")
    else:
        messages.success(request, f"已保存{noun}记录（没有待完成的对应事项）")
    if placement.reopened is not None:
        messages.warning(request, f"事项“{placement.reopened.title}”已不再由此记录完成，已重新打开")


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    kinds = recordable_kinds(request.user)
    if not kinds:
        raise Http404
    orgs = recordable_orgs_for_user(request.user)
    choices = dict(kinds)
    kind = request.GET.get("kind") if request.GET.get("kind") in choices else (
        MeetingKind.THEME_DAY if MeetingKind.THEME_DAY in choices else kinds[0][0])
    only = list(orgs[:2])
    initial = {"kind": kind, "held_on": timezone.localdate(), "organization": only[0] if len(only) == 1 else None}
    form = MeetingForm(request.POST or None, orgs=orgs, kinds=kinds, work_areas=work_area_names(orgs.first()),
                       initial=initial)
    if request.method == "POST":
        if form.is_valid():
            return save_meeting(request, form, None)
        org = orgs.filter(pk=request.POST.get("organization") or 0).first()
        rows = roster_rows(org, request.POST.get("kind", ""), parse_day(request.POST.get("held_on")), None, request.POST)
        return meeting_form_page(request, form, None, rows)
    return meeting_form_page(request, form, None, roster_rows(initial["organization"], kind, initial["held_on"]))


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, meeting_id, write=True)
    kinds = recordable_kinds(request.user)
    orgs = recordable_orgs_for_user(request.user)
    initial = {name: getattr(meeting, name) for name in MeetingForm.base_fields}
    initial["organization"] = meeting.organization
    form = MeetingForm(request.POST or None, orgs=orgs, kinds=kinds, work_areas=work_area_names(meeting.organization),
                       initial=initial)
    if request.method == "POST":
        if form.is_valid():
            return save_meeting(request, form, meeting)
        org = orgs.filter(pk=request.POST.get("organization") or 0).first()
        rows = roster_rows(org, request.POST.get("kind", ""), parse_day(request.POST.get("held_on")), meeting, request.POST)
        return meeting_form_page(request, form, meeting, rows)
    return meeting_form_page(request, form, meeting, roster_rows(meeting.organization, meeting.kind, meeting.held_on, meeting))


@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, meeting_id, write=True)
    if request.method == "POST":
        reopened = services.meeting_delete(actor=request.user, meeting=meeting)
        messages.success(request, "已删除会议记录" + (f"，事项“{reopened.title}”已重新打开" if reopened else ""))
        return redirect("records:meeting-list")
    return render(request, "records/confirm_delete.html", {"object": meeting, "noun": "会议记录",
                                                           "fulfils": meeting.fulfils, "back": meeting_detail_url(meeting)})


def meeting_detail_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("records:meeting-detail", args=[meeting.pk])


@require_GET
def meeting_roster(request: HttpRequest) -> HttpResponse:
    """htmx partial: the roster (应到) of the chosen organisation on the chosen date for the chosen kind."""
    orgs = recordable_orgs_for_user(request.user)
    org = orgs.filter(pk=request.GET.get("organization") or 0).first()
    meeting = None
    if request.GET.get("meeting"):
        meeting = Meeting.objects.filter(meeting_write_q(request.user), pk=request.GET["meeting"]).first()
    rows = roster_rows(org, request.GET.get("kind", ""), parse_day(request.GET.get("held_on")), meeting)
    return render(request, "records/roster.html", {"roster": rows, "org": org})


@require_GET
def meeting_kind_fields(request: HttpRequest) -> HttpResponse:
    """htmx partial: the fields of the chosen meeting kind (党课 speaker, 会商 level …)."""
    kinds = recordable_kinds(request.user)
    if not kinds:
        raise Http404
    kind = request.GET.get("kind", "")
    form = MeetingForm(orgs=Organization.objects.none(), kinds=kinds, initial={"kind": kind})
    return render(request, "records/meeting_kind_fields.html", {"fields": form.specific(kind)})


def item_with_timeliness(item: WorkItem | None) -> WorkItem | None:
    if item is None:
        return None
    annotated = with_timeliness(WorkItem.objects.filter(pk=item.pk), timezone.localdate()).select_related("organization").first()
    if annotated is not None:
        annotated.timeliness_label = Timeliness(annotated.timeliness).label
        annotated.timeliness_css = {"on_time": "green", "late": "amber", "overdue": "red"}.get(annotated.timeliness, "")
    return annotated


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, meeting_id)
    editable = can_edit_meeting(request.user, meeting)
    candidates = record_candidates(meeting) if editable and meeting.fulfils_id is None else []
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("person").order_by("-expected", "-present", "person__name"),
        "fulfilled": item_with_timeliness(meeting.fulfils),
        "candidates": candidates,
        "editable": editable,
        "attachments": meeting.attachments.all(),
        "attachment_form": AttachmentForm(),
        "specific": [(Meeting._meta.get_field(n).verbose_name, meeting_value(meeting, n)) for n in KIND_FIELDS.get(meeting.kind, [])],
        "processes": meeting.life_processes.all(),
    }
    return render(request, "records/meeting_detail.html", context)


def meeting_value(meeting: Meeting, name: str) -> str:
    if name == "consultation_level":
        return meeting.get_consultation_level_display()
    return getattr(meeting, name)


@require_POST
def meeting_pick_item(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, meeting_id, write=True)
    item = WorkItem.objects.filter(pk=request.POST.get("item") or 0, organization=meeting.organization).first()
    if item is None:
        raise Http404
    try:
        services.meeting_fulfil_item(actor=request.user, meeting=meeting, item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已完成事项“{item.title}”")
    return redirect("records:meeting-detail", meeting_id=meeting.pk)


# ---------------------------------------------------------------------------------------- attachments


def attachment_owner_readable(request: HttpRequest, attachment: Attachment) -> bool:
    owner = attachment.owner
    if isinstance(owner, Meeting):
        return meetings_for_user(request.user).filter(pk=owner.pk).exists()
    if isinstance(owner, LifeMeetingStage):
        return type(owner.process).objects.filter(readable_q(request.user), pk=owner.process_id).exists()
    return activities_for_user(request.user).filter(pk=owner.pk).exists()


def attachment_owner_writable(request: HttpRequest, owner) -> bool:
    if isinstance(owner, Meeting):
        return can_edit_meeting(request.user, owner)
    if isinstance(owner, LifeMeetingStage):
        return can_write(request.user, owner.process)
    return can_write(request.user, owner)


def owner_url(owner) -> str:
    from django.urls import reverse

    if isinstance(owner, Meeting):
        return reverse("records:meeting-detail", args=[owner.pk])
    if isinstance(owner, LifeMeetingStage):
        return reverse("records:life-detail", args=[owner.process_id])
    return reverse("records:activity-detail", args=[owner.pk])


def upload_attachment(request: HttpRequest, owner) -> HttpResponse:
    if not attachment_owner_writable(request, owner):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
        return redirect(owner_url(owner))
    upload = form.cleaned_data["file"]
    try:
        from lvze.duties.services import check_upload

        check_upload(upload.name, upload.size)
        attachment = services.attachment_add(actor=request.user, owner=owner, name=upload.name, data=upload.read(),
                                             content_type=upload.content_type or "", kind=form.cleaned_data["kind"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已上传“{attachment.name}”，SHA-256：{attachment.sha256[:16]}…")
    return redirect(owner_url(owner))


@require_POST
def meeting_attachment_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return upload_attachment(request, meeting_for_user(request.user, meeting_id, write=True))


@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = Attachment.objects.filter(pk=attachment_id).select_related("meeting", "activity", "stage").first()
    if attachment is None or not attachment_owner_readable(request, attachment):
        raise Http404("文件不存在或不在您的权限范围内")
    owner = attachment.owner
    return file_response(sha256=attachment.sha256, name=attachment.name, obj=owner, organization=services.owner_organization(owner))


@require_POST
def attachment_delete(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = Attachment.objects.filter(pk=attachment_id).select_related("meeting", "activity", "stage").first()
    if attachment is None or not attachment_owner_readable(request, attachment):
        raise Http404
    owner = attachment.owner
    if not attachment_owner_writable(request, owner):
        raise Http404
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, f"已删除附件“{attachment.name}”")
    return redirect(owner_url(owner))


# ------------------------------------------------------------------------------- attendance and stats


@require_POST
def attendance_confirm(request: HttpRequest, attendance_id: int) -> HttpResponse:
    """A member confirms their own roster line (or objects to it); nobody else can."""
    person_id = request.user.person_id
    line = Attendance.objects.filter(pk=attendance_id, person_id=person_id).select_related("meeting", "person").first()
    if person_id is None or line is None:
        raise Http404
    objection = request.POST.get("objection", "") if request.POST.get("action") == "object" else ""
    if request.POST.get("action") == "object" and not objection.strip():
        messages.error(request, "请写明异议")
    else:
        services.attendance_confirm(actor=request.user, attendance=line, objection=objection)
        messages.success(request, "已提交异议，记录人将核实" if objection else "已确认出席情况")
    return redirect("records:mine")


def year_window(request: HttpRequest) -> tuple[int, date, date]:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    return year, date(year, 1, 1), date(year, 12, 31)


@require_GET
def attendance_stats(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    orgs = readable_orgs_for_user(request.user)
    org = scoped_org(request, request.GET.get("org")) or orgs.first()
    year, start, end = year_window(request)
    members = stats.member_attendance(org, start, end) if org else []
    unit = (org.unit or org) if org else None
    context = {
        "orgs": orgs,
        "org": org,
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 4, -1)),
        "branches": stats.branch_rates(org, start, end) if org else [],
        "members": members,
        "flagged": [m for m in members if m.flagged],
        "dual": stats.dual_life(unit, year) if unit and orgs.filter(pk=unit.pk).exists() else [],
        "unit": unit,
        "streak": stats.ABSENCE_STREAK,
    }
    return render(request, "records/attendance_stats.html", context)


# ------------------------------------------------------------------------------------ member's page


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """我的纪实: my meetings and attendance (to confirm), talks, study, note checks, honours and posts."""
    person = request.user.person
    context = {"person": person}
    if person is not None:
        year, start, end = year_window(request)
        lines = (
            Attendance.objects.filter(person=person)
            .select_related("meeting__organization")
            .order_by("-meeting__held_on", "-meeting_id")
        )
        own = stats.member_attendance(None, start, end, [person.pk])
        context.update(
            year=year,
            page=page_of(request, lines, 20),
            querystring=request.GET.copy(),
            unconfirmed=lines.filter(confirmed_at__isnull=True).count(),
            summary=own[0] if own else None,
            talks=Talk.objects.filter(Q(initiator=person) | Q(partner=person)).select_related("initiator", "partner")[:20],
            study=StudyRecord.objects.filter(participants=person).select_related("organization")[:20],
            checks=NoteCheck.objects.filter(person=person)[:8],
            honors=Honor.objects.filter(recipient_person=person),
            posts=PioneerPost.objects.filter(person=person),
            activities=person.activities.select_related("activity_type")[:20],
        )
    return render(request, "records/mine.html", context)
