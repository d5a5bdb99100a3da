from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.selectors import LEDGER_READERS, path_q
from lvze.orgs.models import Organization
from lvze.orgs.selectors import grant_orgs, user_grants
from lvze.records.models import Meeting, MeetingKind


def meetings_for_user(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(path_q(grant_orgs(user, LEDGER_READERS), "organization__path")).select_related("organization")


def recordable_orgs_q(user) -> Q:
    """A secretary records for their branch, a party_admin for its own unit's organisations."""
    condition = path_q(grant_orgs(user, {Role.SECRETARY}), "path")
    for org in grant_orgs(user, {Role.PARTY_ADMIN}):
        condition |= Q(path__startswith=org.path, unit_id=org.unit_id)
    return condition


def recordable_kinds(user) -> list[tuple[str, str]]:
    """The 纪检组 records only 会商; it cannot edit the branches' records."""
    roles = {g.role for g in user_grants(user)}
    if roles & {Role.SECRETARY, Role.PARTY_ADMIN}:
        return list(MeetingKind.choices)
    if Role.SUPERVISOR in roles:
        return [(MeetingKind.CONSULTATION.value, MeetingKind.CONSULTATION.label)]
    return []


def recordable_orgs_for_user(user) -> QuerySet[Organization]:
    condition = recordable_orgs_q(user) | path_q(grant_orgs(user, {Role.SUPERVISOR}), "path") & Q(kind__in=["committee", "discipline"])
    return Organization.objects.filter(condition, active=True).order_by("path")


def meeting_for_user(user, meeting_id: int) -> Meeting:
    meeting = meetings_for_user(user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return meeting
