"""Reads of organisations and people, and the scope checks every view goes through.

A role granted on an organisation covers its subtree for reading. Writing stops at a subordinate
unit (党委/党组): a higher level reads below it but writes only its own unit's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lvze.accounts.models import BUSINESS_ROLES, Role, RoleGrant
from lvze.orgs.models import Membership, Organization, Person

PEOPLE_READERS = frozenset(BUSINESS_ROLES - {Role.MEMBER} | {Role.SYSADMIN, Role.SECADMIN})
PEOPLE_WRITERS = frozenset({Role.PARTY_ADMIN, Role.SYSADMIN})
ORG_READERS = frozenset(set(Role) - {Role.AUDITOR})
ORG_WRITERS = frozenset({Role.PARTY_ADMIN, Role.SYSADMIN})


def user_grants(user) -> list[RoleGrant]:
    """The user's grants, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_lvze_grants", None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(user=user).select_related("organization"))
        user._lvze_grants = cached
    return cached


def user_roles(user) -> set[str]:
    return {g.role for g in user_grants(user)}


def grant_orgs(user, roles: Iterable[str]) -> list[Organization]:
    wanted = set(roles)
    return [g.organization for g in user_grants(user) if g.role in wanted]


def subtree_q(orgs: Iterable[Organization], prefix: str = "") -> Q:
    """One prefix condition per granted organisation: never a list of ids."""
    condition = Q(pk__in=[])
    for org in orgs:
        condition |= Q(**{f"{prefix}path__startswith": org.path})
    return condition


def own_unit_q(orgs: Iterable[Organization], prefix: str = "") -> Q:
    """The part of each granted subtree that belongs to the grant's own unit."""
    condition = Q(pk__in=[])
    for org in orgs:
        condition |= Q(**{f"{prefix}path__startswith": org.path, f"{prefix}unit_id": org.unit_id})
    return condition


def organizations_for_user(user, roles: Iterable[str] = ORG_READERS) -> QuerySet[Organization]:
    return Organization.objects.filter(subtree_q(grant_orgs(user, roles)))


def master_data_write_q(user, prefix: str = "") -> Q:
    """A party_admin maintains its own unit; the 系统管理员 maintains the whole subtree's structure."""
    return own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN}), prefix) | subtree_q(
        grant_orgs(user, {Role.SYSADMIN}), prefix
    )


def writable_organizations_for_user(user) -> QuerySet[Organization]:
    return Organization.objects.filter(master_data_write_q(user))


def organization_for_user(user, code: str, *, write: bool = False) -> Organization:
    source = writable_organizations_for_user(user) if write else organizations_for_user(user)
    org = source.select_related("parent", "unit").filter(code=code).first()
    if org is None:
        raise Http404("组织不存在或不在您的权限范围内")
    return org


def org_text_q(query: str) -> Q:
    """What the 组织机构 search box and the global search match in an organisation."""
    return Q(name__contains=query) | Q(code__icontains=query)


def person_text_q(query: str) -> Q:
    """What the 人员 search box and the global search match in a person."""
    return Q(name__contains=query) | Q(position__contains=query) | Q(phone__contains=query)


def people_for_user(user) -> QuerySet[Person]:
    """People in the reader's subtrees (by branch or department); a member sees only themself."""
    orgs = grant_orgs(user, PEOPLE_READERS)
    condition = subtree_q(orgs, "branch__") | subtree_q(orgs, "department__")
    if Role.MEMBER in user_roles(user) and user.person_id:
        condition |= Q(pk=user.person_id)
    return Person.objects.filter(condition).select_related("branch", "department")


def writable_people_for_user(user) -> QuerySet[Person]:
    return Person.objects.filter(
        master_data_write_q(user, "branch__") | master_data_write_q(user, "department__")
    )


def person_for_user(user, person_id: int, *, write: bool = False) -> Person:
    source = writable_people_for_user(user) if write else people_for_user(user)
    person = source.select_related("branch", "department").filter(pk=person_id).first()
    if person is None:
        raise Http404("人员不存在或不在您的权限范围内")
    return person


def can_write_org(user, org: Organization) -> bool:
    return writable_organizations_for_user(user).filter(pk=org.pk).exists()


def subtree(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=org.path)


def org_children_counts(orgs: QuerySet[Organization]) -> QuerySet[Organization]:
    return orgs.annotate(
        child_count=Count("children", distinct=True), member_count=Count("members", distinct=True)
    )


def resolve_org_names(root: Organization, name: str) -> list[Organization]:
    """Units under root whose full name or a short name equals name (several means ambiguous)."""
    candidates = subtree(root).filter(Q(name=name) | Q(short_names__icontains=name))
    return [o for o in candidates if o.name == name or name in o.short_names]


def branch_roster_on(branch: Organization, day: date) -> QuerySet[Person]:
    """Who belonged to the branch on that day — the 应到 of a meeting held then."""
    member_ids = (
        Membership.objects.filter(branch=branch, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values("person_id")
    )
    return Person.objects.filter(pk__in=member_ids)
