"""Attendance figures: participation rates per member and per branch, members absent from three
consecutive required meetings, and the 双重组织生活 of the unit's leaders. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from lvze.orgs.models import Appointment, Organization, OrgKind, Person, Post
from lvze.records.models import MEMBER_MEETING_KINDS, Attendance, Meeting, MeetingKind

ABSENCE_STREAK = 3
# 班子成员 who take part in the 组织生活 of their own branch as ordinary members (双重组织生活).
LEADER_POSTS = (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER, Post.LEADERSHIP_MEMBER,
                Post.DISCIPLINE_HEAD)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class MemberAttendance:
    person: Person
    expected: int = 0
    present: int = 0
    longest_streak: int = 0
    streak_dates: list[date] = field(default_factory=list)

    @property
    def absent(self) -> int:
        return self.expected - self.present

    @property
    def rate(self) -> float | None:
        return rate(self.present, self.expected)

    @property
    def flagged(self) -> bool:
        return self.longest_streak >= ABSENCE_STREAK


def member_lines(org: Organization | None, start: date, end: date, person_ids=None):
    lines = Attendance.objects.filter(
        meeting__kind__in=MEMBER_MEETING_KINDS,
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
        expected=True,
    )
    if org is not None:
        lines = lines.filter(meeting__organization__path__startswith=org.path)
    if person_ids is not None:
        lines = lines.filter(person_id__in=person_ids)
    return lines.order_by("person_id", "meeting__held_on", "meeting_id").values_list(
        "person_id", "present", "meeting__held_on"
    )


def member_attendance(org: Organization | None, start: date, end: date, person_ids=None) -> list[MemberAttendance]:
    """Each member's required meetings (where they were 应到) in the window, with their longest run of
    consecutive absences; members with three or more in a row are flagged."""
    stats: dict[int, MemberAttendance] = {}
    runs: dict[int, list[date]] = defaultdict(list)
    for person_id, present, held_on in member_lines(org, start, end, person_ids):
        stat = stats.get(person_id)
        if stat is None:
            stat = stats[person_id] = MemberAttendance(person=None)  # type: ignore[arg-type]
        stat.expected += 1
        if present:
            stat.present += 1
            runs[person_id] = []
            continue
        runs[person_id].append(held_on)
        if len(runs[person_id]) > stat.longest_streak:
            stat.longest_streak = len(runs[person_id])
            stat.streak_dates = list(runs[person_id])
    people = Person.objects.in_bulk(list(stats))
    for person_id, stat in stats.items():
        stat.person = people[person_id]
    return sorted(stats.values(), key=lambda s: (not s.flagged, s.rate if s.rate is not None else 1, s.person.name))


@dataclass
class BranchRate:
    organization: Organization
    meetings: int
    expected: int
    attended: int

    @property
    def rate(self) -> float | None:
        return rate(self.attended, self.expected)


def branch_rates(root: Organization, start: date, end: date) -> list[BranchRate]:
    """Per organisation under root: member meetings held, 应到 and 实到 summed (imported ledgers included)."""
    rows = (
        Meeting.objects.filter(
            organization__path__startswith=root.path,
            kind__in=MEMBER_MEETING_KINDS,
            held_on__gte=start,
            held_on__lte=end,
        )
        .values("organization")
        .annotate(n=Count("id"), e=Sum("expected_count"), a=Sum("attended_count"))
        .order_by()
    )
    by_org = {r["organization"]: r for r in rows}
    orgs = Organization.objects.filter(path__startswith=root.path, kind=OrgKind.BRANCH, active=True).order_by("path")
    extra = Organization.objects.filter(pk__in=set(by_org) - set(orgs.values_list("pk", flat=True)))
    result = []
    for org in [*orgs, *extra]:
        r = by_org.get(org.pk, {"n": 0, "e": 0, "a": 0})
        result.append(BranchRate(org, r["n"], r["e"] or 0, r["a"] or 0))
    return result


@dataclass
class DualLife:
    """A leader's 组织生活 in their own branch during a year."""

    person: Person
    posts: list[str]
    branch: Organization | None
    org_life_held: int = 0
    org_life_attended: int = 0
    org_life_absent_reason: str = ""
    meetings_expected: int = 0
    meetings_attended: int = 0

    @property
    def state(self) -> str:
        if self.branch is None:
            return "未编入支部"
        if not self.org_life_held:
            return "支部尚未召开组织生活会"
        if self.org_life_attended:
            return "已参加"
        return "缺席" + (f"（{self.org_life_absent_reason}）" if self.org_life_absent_reason else "")

    @property
    def flagged(self) -> bool:
        """Missed the branch's 组织生活会, or is in no branch at all."""
        return self.branch is None or (self.org_life_held > 0 and not self.org_life_attended)

    @property
    def rate(self) -> float | None:
        return rate(self.meetings_attended, self.meetings_expected)


def dual_life(unit: Organization, year: int) -> list[DualLife]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    appointments = (
        Appointment.objects.filter(
            organization__unit=unit,
            organization__kind__in=(OrgKind.COMMITTEE, OrgKind.LEADING_GROUP, OrgKind.DISCIPLINE),
            post__in=LEADER_POSTS,
        )
        .filter(Q(start__isnull=True) | Q(start__lte=end), Q(end__isnull=True) | Q(end__gte=start))
        .select_related("person__branch", "organization")
        .order_by("organization__path", "post", "id")
    )
    leaders: dict[int, DualLife] = {}
    for a in appointments:
        entry = leaders.setdefault(a.person_id, DualLife(a.person, [], a.person.branch))
        entry.posts.append(f"{a.organization.short_name or a.organization.name}{a.get_post_display()}")
    if not leaders:
        return []
    lines = Attendance.objects.filter(
        person_id__in=list(leaders),
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
        meeting__kind__in=MEMBER_MEETING_KINDS,
    ).values_list("person_id", "meeting__organization_id", "meeting__kind", "expected", "present", "absence_reason")
    held = dict(
        Meeting.objects.filter(
            kind=MeetingKind.ORG_LIFE,
            held_on__gte=start,
            held_on__lte=end,
            organization_id__in={d.branch.pk for d in leaders.values() if d.branch},
        )
        .values_list("organization")
        .annotate(n=Count("id"))
        .order_by()
    )
    for entry in leaders.values():
        if entry.branch is not None:
            entry.org_life_held = held.get(entry.branch.pk, 0)
    for person_id, org_id, kind, expected, present, reason in lines:
        entry = leaders[person_id]
        if entry.branch is None or org_id != entry.branch.pk or not expected:
            continue
        entry.meetings_expected += 1
        entry.meetings_attended += present
        if kind == MeetingKind.ORG_LIFE:
            if present:
                entry.org_life_attended += 1
            elif reason:
                entry.org_life_absent_reason = reason
    return sorted(leaders.values(), key=lambda d: (not d.flagged, d.person.name))
