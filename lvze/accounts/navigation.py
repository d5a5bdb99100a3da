"""The navigation shows only pages that exist and that the user's roles can open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from lvze.accounts.models import Role
from lvze.orgs.selectors import ORG_READERS, PEOPLE_READERS, PEOPLE_WRITERS, user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


NAV = [
    ("首页", "home", set(Role)),
    ("组织机构", "orgs:org-tree", ORG_READERS),
    ("人员", "orgs:person-list", PEOPLE_READERS | {Role.MEMBER}),
    ("人员信息核对", "orgs:quality", PEOPLE_WRITERS),
    ("花名册导入", "orgs:person-import", PEOPLE_WRITERS),
    ("账号与角色", "accounts:user-list", {Role.SECADMIN}),
    ("审计日志", "audit:event-list", {Role.AUDITOR}),
]


def nav_for_user(user, path: str) -> list[NavItem]:
    roles = user_roles(user)
    items = []
    for label, name, allowed in NAV:
        if roles & set(allowed):
            url = reverse(name)
            active = path == url if url == "/" else path.startswith(url)
            items.append(NavItem(label, url, active))
    return items
