"""Reads and scope checks for plans (工作要点与分解表) and duty lists (责任清单).

Readers see the plans and lists of units in their subtrees, and those with a task or item their
subtree leads (a branch secretary sees the plan that gives the branch work). Writing is for the
party_admin of the owning unit only (not below a subordinate 党委, never the 三员).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.models import OPEN_STATUSES, DutyItem, DutyList, Plan, Status, Task, Timeliness, WorkItem
from lvze.duties.selectors import LEDGER_READERS
from lvze.duties.timeliness import with_timeliness
from lvze.orgs.models import UNIT_KINDS, Organization
from lvze.orgs.selectors import grant_orgs, own_unit_q, subtree_q

TIMELINESS_LABELS = {t.value: str(t.label) for t in Timeliness}
TIMELINESS_CSS = {"overdue": "red", "due_soon": "amber", "on_time": "green", "late": "amber"}


def require_reader(user) -> None:
    """Plans and duty lists are for the business roles that read the ledger."""
    if not grant_orgs(user, LEDGER_READERS):
        raise Http404


def writable_units_for_user(user) -> QuerySet[Organization]:
    """Units (党委/党组) whose plans and duty lists the user keeps."""
    return Organization.objects.filter(
        own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN})), kind__in=UNIT_KINDS, active=True
    ).order_by("path")


def can_write_unit(user, unit: Organization) -> bool:
    return writable_units_for_user(user).filter(pk=unit.pk).exists()


def plans_for_user(user) -> QuerySet[Plan]:
    orgs = grant_orgs(user, LEDGER_READERS)
    leads = Task.objects.filter(Q(plan=OuterRef("pk")) & subtree_q(orgs, "lead_orgs__"))
    return Plan.objects.filter(subtree_q(orgs, "unit__") | Q(Exists(leads)))


def plan_text_q(query: str) -> Q:
    """What the plan list's search box and the global search match in a plan."""
    return Q(name__contains=query)


def tasks_for_user(user) -> QuerySet[Task]:
    """The tasks of the plans the user reads: the plan's page lists all of them."""
    return Task.objects.filter(plan__in=plans_for_user(user))


def task_text_q(query: str) -> Q:
    return Q(title__contains=query) | Q(measures__contains=query)


def plan_for_user(user, plan_id: int, *, write: bool = False) -> Plan:
    source = Plan.objects.filter(unit__in=writable_units_for_user(user)) if write else plans_for_user(user)
    plan = source.select_related("unit").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("工作要点不存在或不在您的权限范围内")
    return plan


def plan_list_rows(plans: QuerySet[Plan], as_of: date) -> QuerySet[Plan]:
    """Each plan with its task and item counts, in one query."""
    items = "tasks__items"
    is_open = Q(**{f"{items}__status__in": OPEN_STATUSES})
    return plans.select_related("unit").annotate(
        task_count=Count("tasks", distinct=True),
        item_count=Count(items, distinct=True),
        done_count=Count(items, filter=Q(**{f"{items}__status": Status.DONE}), distinct=True),
        overdue_count=Count(items, filter=is_open & Q(**{f"{items}__due_date__lt": as_of}), distinct=True),
    )


def plan_tasks_by_category(
    plan: Plan, as_of: date, items: QuerySet[WorkItem] | None = None
) -> list[tuple[str, list[Task]]]:
    """The plan's tasks grouped by category in table order, each with `visible`: its items among `items`
    (the reader's, from `work_items_for_user`; all when None), annotated with timeliness as of `as_of`."""
    source = WorkItem.objects.all() if items is None else items
    items = with_timeliness(source, as_of).select_related("organization")
    tasks = (
        plan.tasks.select_related("leader", "work_area")
        .prefetch_related(
            "lead_orgs",
            "cooperating_orgs",
            Prefetch(
                "items", queryset=items.order_by("due_date", "organization__path", "id"), to_attr="visible"
            ),
        )
        .order_by("seq", "id")
    )
    groups: OrderedDict[str, list[Task]] = OrderedDict()
    for task in tasks:
        groups.setdefault(task.category, []).append(task)
    return list(groups.items())


def duty_lists_for_user(user) -> QuerySet[DutyList]:
    orgs = grant_orgs(user, LEDGER_READERS)
    responsible = DutyItem.objects.filter(Q(duty_list=OuterRef("pk")) & subtree_q(orgs, "responsible_org__"))
    condition = subtree_q(orgs, "unit__") | Q(Exists(responsible))
    if user.person_id:
        condition |= Q(owner_id=user.person_id)
    return DutyList.objects.filter(condition)


def duty_list_for_user(user, list_id: int, *, write: bool = False) -> DutyList:
    source = (
        DutyList.objects.filter(unit__in=writable_units_for_user(user))
        if write
        else duty_lists_for_user(user)
    )
    duty_list = source.select_related("unit", "owner").filter(pk=list_id).first()
    if duty_list is None:
        raise Http404("责任清单不存在或不在您的权限范围内")
    return duty_list


def duty_list_rows(lists: QuerySet[DutyList]) -> QuerySet[DutyList]:
    return lists.select_related("unit", "owner").annotate(
        item_count=Count("items", distinct=True),
        work_item_count=Count("items__work_items", distinct=True),
    )


def duty_items_with_work(
    duty_list: DutyList, as_of: date, items: QuerySet[WorkItem] | None = None
) -> QuerySet[DutyItem]:
    """The list's items, each with `visible`: its work items among `items` (all when None)."""
    source = WorkItem.objects.all() if items is None else items
    items = with_timeliness(source, as_of).select_related("organization")
    return duty_list.items.select_related(
        "work_area", "responsible_org", "responsible_person"
    ).prefetch_related(
        "assisting",
        Prefetch("work_items", queryset=items.order_by("due_date", "id"), to_attr="visible"),
    )


def work_item_summary(items: list[WorkItem]) -> dict[str, int]:
    """Counts by status label, for a task's or duty item's items."""
    counts: dict[str, int] = {}
    for item in items:
        label = str(Status(item.status).label)
        counts[label] = counts.get(label, 0) + 1
    return counts
