"""Reads of the ledger and the scope checks behind every duties page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.models import Source, WorkItem
from lvze.duties.timeliness import timeliness_q, with_timeliness
from lvze.orgs.selectors import grant_orgs, user_roles

LEDGER_READERS = frozenset({Role.PARTY_ADMIN, Role.LEADER, Role.SECRETARY, Role.SUPERVISOR, Role.STAFF})
# Roles that look at a whole unit at once (coverage matrix, rule pack).
UNIT_READERS = frozenset({Role.PARTY_ADMIN, Role.LEADER, Role.SUPERVISOR})


def prefix_range_q(field: str, path: str) -> Q:
    """`field` starts with `path` (which ends in "/"), as a range both databases serve from an index;
    SQLite's LIKE cannot use one. "0" is the character after "/"."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})


def path_q(orgs, field: str = "org_path") -> Q:
    condition = Q(pk__in=[])
    for org in orgs:
        condition |= prefix_range_q(field, org.path)
    return condition


def work_items_for_user(user) -> QuerySet[WorkItem]:
    """Items of organisations in the reader's subtrees, plus items the user is responsible for."""
    condition = path_q(grant_orgs(user, LEDGER_READERS))
    if user.person_id:
        condition |= Q(responsible_person_id=user.person_id)
    return WorkItem.objects.filter(condition)


def reviewable_q(user) -> Q:
    """A party_admin reviews and urges items of its own unit (not below a subordinate 党委). Required
    submissions (source 上报) are not reviewed here: the higher level receives them (lvze.upward)."""
    condition = Q(pk__in=[])
    for org in grant_orgs(user, {Role.PARTY_ADMIN}):
        condition |= prefix_range_q("org_path", org.path) & Q(unit_id=org.unit_id)
    return condition & ~Q(source=Source.SUBMISSION)


def handleable_q(user) -> Q:
    """Who may report progress and submit: the responsible person, a secretary for their branch, staff for
    their department, and the unit's party_admin."""
    condition = reviewable_q(user) | path_q(grant_orgs(user, {Role.SECRETARY, Role.STAFF}))
    if user.person_id:
        condition |= Q(responsible_person_id=user.person_id)
    # A required submission is submitted by 上报 of the adopted document, never by hand.
    return condition & ~Q(source=Source.SUBMISSION)


def item_text_q(query: str) -> Q:
    """What the ledger's search box and the global search match in an item."""
    return Q(title__contains=query)


def work_item_for_user(user, item_id: int) -> WorkItem:
    item = (
        work_items_for_user(user)
        .select_related("organization", "responsible_person", "rule", "task__plan", "duty_item__duty_list")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404("事项不存在或不在您的权限范围内")
    return item


@dataclass(frozen=True)
class ItemPermissions:
    handle: bool
    review: bool


def item_permissions(user, item: WorkItem) -> ItemPermissions:
    scoped = WorkItem.objects.filter(pk=item.pk)
    return ItemPermissions(
        handle=scoped.filter(handleable_q(user)).exists(),
        review=scoped.filter(reviewable_q(user)).exists(),
    )


def filtered_work_items(user, params: dict, as_of: date) -> QuerySet[WorkItem]:
    items = with_timeliness(work_items_for_user(user), as_of)
    if params.get("org"):
        items = items.filter(prefix_range_q("org_path", params["org"].path))
    for field in ("source", "status", "period", "work_area"):
        if params.get(field):
            lookup = "period__startswith" if field == "period" else field
            items = items.filter(**{lookup: params[field]})
    if params.get("due_from"):
        items = items.filter(due_date__gte=params["due_from"])
    if params.get("due_to"):
        items = items.filter(due_date__lte=params["due_to"])
    if params.get("kind"):
        items = items.filter(fulfilled_by_kind=params["kind"])
    if params.get("timeliness"):
        items = items.filter(timeliness_q(params["timeliness"], as_of))
    if params.get("person"):
        items = items.filter(responsible_person__name__contains=params["person"])
    if params.get("q"):
        items = items.filter(item_text_q(params["q"]))
    if params.get("mine") and user.person_id:
        items = items.filter(responsible_person_id=user.person_id)
    return items.select_related("organization", "responsible_person")


def can_read_ledger(user) -> bool:
    return bool(user_roles(user) & LEDGER_READERS) or bool(user.person_id)
