"""Records over the API: meetings (with attendance), talks and activities, through the records app's
selectors and services — so recording a meeting completes the work item it fulfils, as on the web."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from lvze.api.pagination import LimitOffset
from lvze.api.schemas import Error
from lvze.records.models import MeetingKind
from lvze.records.selectors import (
    activities_for_user,
    meeting_for_user,
    meetings_for_user,
    recordable_kinds,
    recordable_orgs_for_user,
    roster_for,
    talks_for_user,
)
from lvze.records.services import meeting_record

router = Router(tags=["纪实"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class AttendanceOut(Schema):
    person_id: int
    name: str = Field(..., alias="person.name")
    present: bool
    absence_reason: str


class MeetingOut(Schema):
    id: int
    organization: str = Field(..., alias="organization.code")
    kind: str
    period: str
    held_on: date
    topic: str
    first_topic: str
    expected_count: int
    attended_count: int
    fulfils_id: int | None


class MeetingDetail(MeetingOut):
    place: str
    host: str
    recorder: str
    summary: str
    decisions: str
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_attendance(obj) -> list:
        return list(obj.attendance.select_related("person").order_by("person__name"))


class Absence(Schema):
    person_id: int
    reason: str = ""


class MeetingIn(Schema):
    organization: str = Field(..., description="组织代码")
    kind: MeetingKind
    held_on: date
    topic: str = Field(..., min_length=1, max_length=200)
    period: str = Field("", description="所属期间，默认为会议日期所在月份")
    present: list[int] = Field(default_factory=list, description="实到人员编号（须在应到名单中）")
    absent: list[Absence] = Field(default_factory=list, description="缺席人员及原因")
    place: str = Field("", max_length=100)
    host: str = Field("", max_length=30)
    recorder: str = Field("", max_length=30)
    first_topic: str = Field("", max_length=200)
    summary: str = ""
    decisions: str = ""


class RecordedOut(Schema):
    meeting: MeetingOut
    completed_item_id: int | None
    candidate_item_ids: list[int]


class MeetingFilter(Schema):
    org: str = ""
    kind: MeetingKind | None = None
    period: str = ""


class ActivityOut(Schema):
    id: int
    organization: str = Field(..., alias="organization.code")
    activity_type: str = Field(..., alias="activity_type.name")
    name: str
    held_on: date
    participant_count: int
    people_covered: int
    problems_solved: int
    work_area: str
    highlight: str


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, summary="会议记录")
@paginate(LimitOffset)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]):
    meetings = meetings_for_user(request.user).order_by("-held_on", "-id")
    if filters.org:
        meetings = meetings.filter(organization__code=filters.org)
    if filters.kind:
        meetings = meetings.filter(kind=filters.kind.value)
    if filters.period:
        meetings = meetings.filter(period=filters.period)
    return meetings


@router.get("/meetings/{meeting_id}", response={200: MeetingDetail, **ERRORS}, summary="会议记录详情及出席")
def get_meeting(request: HttpRequest, meeting_id: int):
    return meeting_for_user(request.user, meeting_id)


def attendance_from(payload: MeetingIn, roster) -> tuple[list, dict]:
    by_id = {p.pk: p for p in roster}
    named = payload.present + [a.person_id for a in payload.absent]
    outside = [pid for pid in named if pid not in by_id]
    if outside:
        raise ValidationError({"present": f"人员 {outside} 不在该会议的应到名单中"})
    present = [by_id[pid] for pid in payload.present]
    absent = {by_id[a.person_id]: a.reason[:100] for a in payload.absent}
    return present, absent


@router.post("/meetings", response={201: RecordedOut, **ERRORS}, summary="登记会议（完成对应的规定动作事项）")
def record_meeting(request: HttpRequest, payload: MeetingIn):
    org = recordable_orgs_for_user(request.user).filter(code=payload.organization).first()
    if org is None:
        raise PermissionDenied("不能为该组织登记会议")
    if payload.kind.value not in {k for k, _ in recordable_kinds(request.user)}:
        raise PermissionDenied("不能登记此类会议")
    present, absent = attendance_from(payload, roster_for(org, payload.kind.value, payload.held_on))
    details = payload.dict(exclude={"organization", "kind", "held_on", "topic", "period", "present", "absent"})
    placement = meeting_record(
        actor=request.user, organization=org, kind=payload.kind.value, held_on=payload.held_on, topic=payload.topic,
        period=payload.period, present=present, absent=absent, **details,
    )
    meeting = meeting_for_user(request.user, placement.record.pk)
    return Status(201, {
        "meeting": meeting,
        "completed_item_id": placement.completed.pk if placement.completed else None,
        "candidate_item_ids": [c.pk for c in placement.candidates],
    })


@router.get("/activities", response={200: list[ActivityOut], **ERRORS}, summary="活动纪实")
@paginate(LimitOffset)
def list_activities(request: HttpRequest, org: str = "", work_area: str = ""):
    activities = activities_for_user(request.user).order_by("-held_on", "-id")
    if org:
        activities = activities.filter(organization__code=org)
    if work_area:
        activities = activities.filter(work_area=work_area)
    return activities


class TalkOut(Schema):
    id: int
    organization: str = Field(..., alias="organization.code")
    kind: str
    held_on: date
    period: str
    initiator: str = Field(..., alias="initiator.name")
    partner: str = Field(..., alias="partner.name")
    topic: str


@router.get("/talks", response={200: list[TalkOut], **ERRORS}, summary="谈心谈话")
@paginate(LimitOffset)
def list_talks(request: HttpRequest, org: str = "", period: str = ""):
    talks = talks_for_user(request.user).order_by("-held_on", "-id")
    if org:
        talks = talks.filter(organization__code=org)
    if period:
        talks = talks.filter(period=period)
    return talks
