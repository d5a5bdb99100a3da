"""Issuing the monthly 《党建工作提示单》 on the first working day of the month, once per branch."""

from __future__ import annotations

import uuid
from datetime import date

from lvze.accounts.models import Role, RoleGrant
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, OrgKind
from lvze.reminders.models import MonthlyNotice, Notification
from lvze.reminders.selectors import monthly_notice
from lvze.reminders.workdays import first_workday_of_month


def secretary_users(org: Organization) -> list[int]:
    return list(RoleGrant.objects.filter(role=Role.SECRETARY, organization=org).values_list("user_id", flat=True))


def issue_monthly_notices(today: date) -> int:
    """On the month's first working day, each active branch gets its notice in-app; returns how many."""
    if today != first_workday_of_month(today.year, today.month):
        return 0
    month = Period.of_date(today, "month")
    run_id = uuid.uuid4().hex
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH, active=True))
    MonthlyNotice.objects.bulk_create(
        [MonthlyNotice(organization=b, month=str(month), run_id=run_id) for b in branches], ignore_conflicts=True
    )
    mine = MonthlyNotice.objects.filter(run_id=run_id).select_related("organization")
    notifications = []
    for issued in mine:
        notice = monthly_notice(issued.organization, month)
        title = f"{month.label()}党建工作提示单：本月到期{len(notice.due_this_month)}项，上月未完成{len(notice.unfinished_before)}项"
        url = f"/reminders/notice/{issued.organization.code}/{month}/"
        notifications += [Notification(user_id=uid, title=title, url=url) for uid in secretary_users(issued.organization)]
    Notification.objects.bulk_create(notifications)
    return mine.count()
