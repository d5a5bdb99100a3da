"""Reads of the records and the scope checks behind every records page.

Reading: the ledger readers see the records of their subtrees; a member sees the meetings they were
expected at and their own records. Writing: a secretary for their branch (subtree), a party_admin for
its own unit (not below a subordinate 党委); the 纪检组 records only 会商 and edits nothing else.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.selectors import LEDGER_READERS, path_q
from lvze.lib.periods import Period
from lvze.orgs.models import DEFAULT_WORK_AREAS, Appointment, Organization, OrgKind, Person, Post, WorkArea
from lvze.orgs.selectors import branch_roster_on, grant_orgs, user_grants, user_roles
from lvze.records.models import (
    COMMITTEE_MEETING_KINDS,
    Activity,
    ActivityType,
    Attendance,
    Meeting,
    MeetingKind,
    Talk,
)

WRITER_ROLES = frozenset({Role.SECRETARY, Role.PARTY_ADMIN})
CONSULTATION_ORG_KINDS = (OrgKind.COMMITTEE, OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE, OrgKind.DISCIPLINE)
# Posts whose holders make up a committee (支委会, 党委班子) — the 应到 of its meetings.
COMMITTEE_POSTS = (
    Post.SECRETARY,
    Post.DEPUTY_SECRETARY,
    Post.COMMITTEE_MEMBER,
    Post.ORGANIZATION_MEMBER,
    Post.PUBLICITY_MEMBER,
    Post.DISCIPLINE_MEMBER,
    Post.LEADERSHIP_MEMBER,
    Post.DISCIPLINE_HEAD,
)


def readable_q(user, prefix: str = "organization__") -> Q:
    return path_q(grant_orgs(user, LEDGER_READERS), f"{prefix}path")


def writable_q(user, prefix: str = "") -> Q:
    """Organisations (fields under `prefix`) whose records the user writes."""
    condition = path_q(grant_orgs(user, {Role.SECRETARY}), f"{prefix}path")
    for org in grant_orgs(user, {Role.PARTY_ADMIN}):
        condition |= Q(**{f"{prefix}path__startswith": org.path, f"{prefix}unit_id": org.unit_id})
    return condition


def recordable_orgs_q(user) -> Q:
    """A secretary records for their branch, a party_admin for its own unit's organisations."""
    return writable_q(user)


def consultation_orgs_q(user, prefix: str = "") -> Q:
    return path_q(grant_orgs(user, {Role.SUPERVISOR}), f"{prefix}path") & Q(
        **{f"{prefix}kind__in": CONSULTATION_ORG_KINDS}
    )


def can_write_records(user) -> bool:
    return bool(user_roles(user) & WRITER_ROLES)


def can_read_records(user) -> bool:
    return bool(user_roles(user) & LEDGER_READERS)


def recordable_kinds(user) -> list[tuple[str, str]]:
    """The 纪检组 records only 会商; it cannot edit the branches' records."""
    roles = {g.role for g in user_grants(user)}
    if roles & WRITER_ROLES:
        return list(MeetingKind.choices)
    if Role.SUPERVISOR in roles:
        return [(MeetingKind.CONSULTATION.value, MeetingKind.CONSULTATION.label)]
    return []


def recordable_orgs_for_user(user) -> QuerySet[Organization]:
    condition = recordable_orgs_q(user) | consultation_orgs_q(user)
    return Organization.objects.filter(condition, active=True).order_by("path")


def writable_orgs_for_user(user, *, departments: bool = False) -> QuerySet[Organization]:
    """Organisations for records other than 会商 (talks, study, honours …); activities may also be a
    department's (a 税务所's 志愿服务), so they ask for departments too."""
    orgs = Organization.objects.filter(writable_q(user), active=True)
    if not departments:
        orgs = orgs.exclude(kind=OrgKind.DEPARTMENT)
    return orgs.order_by("path")


def readable_orgs_for_user(user) -> QuerySet[Organization]:
    return Organization.objects.filter(readable_q(user, ""), active=True).order_by("path")


def people_for_records(user) -> QuerySet[Person]:
    """People a writer may name in records: those of the organisations they write for."""
    return Person.objects.filter(
        writable_q(user, "branch__") | writable_q(user, "department__"), active=True
    ).select_related("branch").order_by("branch__path", "name")


# Meetings


def meetings_for_user(user) -> QuerySet[Meeting]:
    condition = readable_q(user)
    if getattr(user, "person_id", None):
        condition |= Q(pk__in=Attendance.objects.filter(person_id=user.person_id).values("meeting_id"))
    return Meeting.objects.filter(condition).select_related("organization")


def meeting_text_q(query: str) -> Q:
    """What the meeting list's search box and the global search match in a meeting."""
    return Q(topic__contains=query) | Q(summary__contains=query) | Q(host__contains=query)


def meeting_write_q(user) -> Q:
    return writable_q(user, "organization__") | (
        consultation_orgs_q(user, "organization__") & Q(kind=MeetingKind.CONSULTATION)
    )


def meeting_for_user(user, meeting_id: int, *, write: bool = False) -> Meeting:
    meetings = meetings_for_user(user)
    if write:
        meetings = Meeting.objects.filter(meeting_write_q(user)).select_related("organization")
    meeting = meetings.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return meeting


def can_edit_meeting(user, meeting: Meeting) -> bool:
    return Meeting.objects.filter(meeting_write_q(user), pk=meeting.pk).exists()


def roster_for(org: Organization, kind: str, day: date) -> list[Person]:
    """应到 of a meeting: the branch's roster on that day, or for a committee's meeting (支委会, 党委会,
    中心组, 民主生活会) the holders of its posts on that day."""
    if kind in COMMITTEE_MEETING_KINDS:
        holders = (
            Appointment.objects.filter(organization=org, post__in=COMMITTEE_POSTS)
            .filter(Q(start__isnull=True) | Q(start__lte=day))
            .filter(Q(end__isnull=True) | Q(end__gt=day))
            .values("person_id")
        )
        people = list(Person.objects.filter(pk__in=holders).order_by("name", "id"))
        if people or org.kind != OrgKind.BRANCH:
            return people
    return list(branch_roster_on(org, day).order_by("name", "id"))


def work_area_names(org: Organization | None) -> list[str]:
    if org is None:
        return list(DEFAULT_WORK_AREAS)
    names = list(WorkArea.objects.filter(unit_id=org.unit_id or org.pk).values_list("name", flat=True))
    return names or list(DEFAULT_WORK_AREAS)


def period_within_q(field: str, text: str) -> Q:
    """所属期间 within a period: 2023Q2 takes 2023Q2 and 2023-04 … 2023-06 (a May meeting belongs to Q2);
    text that is not a period code keeps matching by prefix."""
    try:
        period = Period.parse(text)
    except ValueError:
        return Q(**{f"{field}__startswith": text})
    return Q(**{f"{field}__in": [str(p) for p in period.nested()]})


def meeting_counts(meetings: QuerySet[Meeting]) -> dict[str, int]:
    """Counts by kind, and 会商 by level, in one query each: exact figures for reports."""
    by_kind = dict(meetings.order_by().values_list("kind").annotate(n=Count("id")))
    levels = dict(
        meetings.order_by().filter(kind=MeetingKind.CONSULTATION).values_list("consultation_level").annotate(n=Count("id"))
    )
    return {"by_kind": by_kind, "consultation_levels": levels}


def meeting_counts_by(meetings: QuerySet[Meeting], field: str) -> dict[str, dict]:
    """`meeting_counts` for each value of `field` (e.g. work_area), still in two queries."""
    result: dict[str, dict] = {}
    for value, kind, n in meetings.order_by().values_list(field, "kind").annotate(n=Count("id")):
        result.setdefault(value, {"by_kind": {}, "consultation_levels": {}})["by_kind"][kind] = n
    levels = meetings.order_by().filter(kind=MeetingKind.CONSULTATION).values_list(field, "consultation_level")
    for value, level, n in levels.annotate(n=Count("id")):
        result.setdefault(value, {"by_kind": {}, "consultation_levels": {}})["consultation_levels"][level] = n
    return result


# Talks


def talks_for_user(user) -> QuerySet[Talk]:
    condition = readable_q(user)
    if getattr(user, "person_id", None):
        condition |= Q(initiator_id=user.person_id) | Q(partner_id=user.person_id)
    return Talk.objects.filter(condition).select_related("organization", "initiator", "partner")


def talk_text_q(query: str) -> Q:
    return Q(topic__contains=query) | Q(initiator__name__contains=query) | Q(partner__name__contains=query)


# Activities


def activities_for_user(user) -> QuerySet[Activity]:
    condition = readable_q(user)
    if getattr(user, "person_id", None):
        condition |= Q(pk__in=Activity.participants.through.objects.filter(person_id=user.person_id).values("activity_id"))
    return Activity.objects.filter(condition).select_related("organization", "activity_type")


def activity_text_q(query: str) -> Q:
    return Q(name__contains=query) | Q(highlight__contains=query) | Q(partner_name__contains=query)


def activity_sums() -> dict:
    return {
        "count": Count("id"),
        "participants": Sum("participant_count"),
        "people_covered": Sum("people_covered"),
        "problems_solved": Sum("problems_solved"),
        "amount": Sum("amount"),
    }


def zero_sums(totals: dict) -> dict:
    for key in ("participants", "people_covered", "problems_solved"):
        totals[key] = totals[key] or 0
    return totals


def activity_totals(activities: QuerySet[Activity]) -> dict:
    """Counts and sums for a set of activities, in one query: what lists, reports and dashboards show."""
    return zero_sums(activities.order_by().aggregate(**activity_sums()))


def activity_totals_by(activities: QuerySet[Activity], *fields: str) -> list[dict]:
    """The same counts and sums per group (type, work area, organisation …), in one query."""
    return [zero_sums(row) for row in activities.order_by().values(*fields).annotate(**activity_sums())]


def activity_types_for(org: Organization, *, active_only: bool = True) -> QuerySet[ActivityType]:
    types = ActivityType.objects.filter(unit_id=org.unit_id or org.pk)
    return types.filter(active=True) if active_only else types


def record_for_user(user, model, pk: int, *, write: bool = False):
    """Any org-owned record (talk, activity, honour, registry entry …) within the reader's or writer's scope."""
    condition = writable_q(user, "organization__") if write else readable_q(user)
    obj = model.objects.filter(condition, pk=pk).select_related("organization").first()
    if obj is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return obj


def can_write(user, obj) -> bool:
    return type(obj).objects.filter(writable_q(user, "organization__"), pk=obj.pk).exists()
