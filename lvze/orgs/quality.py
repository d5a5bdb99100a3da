"""人员信息核对: what is missing or suspicious in a unit's people records.

Branch rules follow 《中国共产党支部工作条例（试行）》: 正式党员3人以上 to form a branch, generally no more
than 50 members, and a 支委会 where there are 7 or more full members.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from lvze.orgs.models import Appointment, Organization, OrgKind, PartyStatus, Person, Post
from lvze.orgs.selectors import subtree

MIN_FULL_MEMBERS = 3
MAX_MEMBERS = 50
COMMITTEE_THRESHOLD = 7

REQUIRED_FIELDS = {
    "gender": "性别",
    "birth_date": "出生日期",
    "phone": "联系电话",
}
PARTY_REQUIRED_FIELDS = {"joined_party_on": "入党时间", "branch": "所在支部"}


@dataclass(frozen=True)
class QualityIssue:
    code: str
    title: str
    detail: str
    person: Person | None = None
    org: Organization | None = None


def people_in(root: Organization):
    in_tree = Q(branch__path__startswith=root.path) | Q(department__path__startswith=root.path)
    return Person.objects.filter(in_tree, active=True).select_related("branch", "department")


def missing_field_issues(root: Organization) -> list[QualityIssue]:
    issues = []
    party = ~Q(party_status=PartyStatus.NONE)
    checks = [(f, label, Q()) for f, label in REQUIRED_FIELDS.items()]
    checks += [(f, label, party) for f, label in PARTY_REQUIRED_FIELDS.items()]
    for field, label, applies in checks:
        empty = Q(**{f"{field}__isnull": True}) | (Q(**{field: ""}) if field == "phone" else Q(pk__in=[]))
        for person in people_in(root).filter(applies & empty).order_by("name"):
            issues.append(
                QualityIssue(f"missing_{field}", f"缺少{label}", f"{person.name}未填写{label}", person=person)
            )
    return issues


def duplicate_issues(root: Organization) -> list[QualityIssue]:
    issues = []
    people = people_in(root)
    dup_ids = people.exclude(id_number="").values("id_number").annotate(n=Count("id")).filter(n__gt=1)
    for person in people.filter(id_number__in=dup_ids.values("id_number")).order_by("id_number", "id"):
        issues.append(
            QualityIssue("duplicate_id", "身份证号重复", f"{person.name}的身份证号与他人重复", person=person)
        )
    dup_names = (
        people.exclude(birth_date=None).values("name", "birth_date").annotate(n=Count("id")).filter(n__gt=1)
    )
    for row in dup_names:
        for person in people.filter(name=row["name"], birth_date=row["birth_date"]):
            issues.append(
                QualityIssue(
                    "duplicate_person",
                    "疑似重复人员",
                    f"{person.name}（{row['birth_date']}）有同名同生日记录",
                    person=person,
                )
            )
    return issues


def branch_issues(root: Organization) -> list[QualityIssue]:
    secretary = Appointment.objects.filter(organization=OuterRef("pk"), post=Post.SECRETARY, end__isnull=True)
    active_members = Q(members__active=True)
    branches = (
        subtree(root)
        .filter(kind=OrgKind.BRANCH, active=True)
        .annotate(
            full=Count("members", filter=active_members & Q(members__party_status=PartyStatus.FULL)),
            total=Count("members", filter=active_members & ~Q(members__party_status=PartyStatus.NONE)),
            has_secretary=Exists(secretary),
        )
        .order_by("path")
    )
    issues = []
    for b in branches:
        if not b.has_secretary:
            issues.append(QualityIssue("no_secretary", "支部无书记", f"{b.name}未登记支部书记", org=b))
        if b.full < MIN_FULL_MEMBERS:
            issues.append(QualityIssue("too_few", "正式党员不足3人", f"{b.name}正式党员{b.full}人", org=b))
        if b.total > MAX_MEMBERS:
            issues.append(
                QualityIssue("too_many", "党员超过50人", f"{b.name}党员{b.total}人，宜分设支部", org=b)
            )
        if b.full >= COMMITTEE_THRESHOLD and not b.has_committee:
            issues.append(
                QualityIssue(
                    "no_committee", "应设未设支委会", f"{b.name}正式党员{b.full}人，应设立支部委员会", org=b
                )
            )
    return issues


def quality_issues(root: Organization) -> list[QualityIssue]:
    return missing_field_issues(root) + duplicate_issues(root) + branch_issues(root)
