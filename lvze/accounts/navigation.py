"""The navigation shows only pages that exist and that the user's roles can open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from lvze.accounts.models import BUSINESS_ROLES, Role
from lvze.documents.selectors import DRAFT_READERS
from lvze.duties.selectors import LEDGER_READERS, UNIT_READERS
from lvze.orgs.selectors import ORG_READERS, PEOPLE_READERS, PEOPLE_WRITERS, user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool
    group: str = ""


# Sections of the sidebar, by the URL namespace of each entry; entries keep NAV's order within them.
GROUP_OF = {
    "duties": "履责台账",
    "plans": "履责台账",
    "dutylists": "履责台账",
    "reminders": "履责台账",
    "records": "纪实",
    "inspections": "检查与整改",
    "rectifications": "检查与整改",
    "documents": "公文与统计",
    "reports": "公文与统计",
    "upward": "公文与统计",
    "orgs": "组织与人员",
    "accounts": "系统",
    "audit": "系统",
}


NAV = [
    ("首页", "home", set(Role)),
    ("统计看板", "reports:dashboard", UNIT_READERS),
    ("事项台账", "duties:item-list", LEDGER_READERS | {Role.MEMBER}),
    ("工作要点与分解表", "plans:plan-list", LEDGER_READERS),
    ("责任清单", "dutylists:dutylist-list", LEDGER_READERS),
    ("会议纪实", "records:meeting-list", LEDGER_READERS),
    ("活动纪实", "records:activity-list", LEDGER_READERS),
    ("谈心谈话", "records:talk-list", LEDGER_READERS),
    ("民主（组织）生活会", "records:life-list", LEDGER_READERS),
    ("学习教育", "records:study-plans-list", LEDGER_READERS),
    ("共建与品牌", "records:partnerships-list", LEDGER_READERS),
    ("荣誉", "records:honors-list", LEDGER_READERS),
    ("出勤统计", "records:attendance-stats", LEDGER_READERS),
    ("纪实台账导入", "records:import", {Role.SECRETARY, Role.PARTY_ADMIN}),
    ("台账导出", "reports:export-page", LEDGER_READERS),
    ("我的纪实", "records:mine", BUSINESS_ROLES),
    ("检查考核", "inspections:inspection-list", LEDGER_READERS),
    ("整改台账", "rectifications:rectification-list", LEDGER_READERS | {Role.MEMBER}),
    ("综合监督", "inspections:finding-list", LEDGER_READERS),
    ("述职评议", "inspections:evaluation-list", UNIT_READERS),
    ("反向提醒清单", "reminders:reverse-list", UNIT_READERS),
    ("提醒发送情况", "reminders:send-list", {Role.PARTY_ADMIN}),
    ("不丢项不漏项", "duties:coverage", UNIT_READERS),
    ("规定动作规则", "duties:rule-list", UNIT_READERS),
    ("组织机构", "orgs:org-tree", ORG_READERS),
    ("人员", "orgs:person-list", PEOPLE_READERS | {Role.MEMBER}),
    ("人员信息核对", "orgs:quality", PEOPLE_WRITERS),
    ("公文草稿", "documents:draft-list", DRAFT_READERS),
    ("审议与上报", "upward:index", DRAFT_READERS),
    ("下级单位汇总", "upward:overview", UNIT_READERS),
    ("逐级审批", "upward:approval-list", LEDGER_READERS),
    ("花名册导入", "orgs:person-import", PEOPLE_WRITERS),
    ("账号与角色", "accounts:user-list", {Role.SECADMIN}),
    ("审计日志", "audit:event-list", {Role.AUDITOR}),
]


def nav_for_user(user, path: str) -> list[NavItem]:
    roles = user_roles(user)
    entries = [(label, name, reverse(name)) for label, name, allowed in NAV if roles & set(allowed)]
    # The longest matching prefix is the current section: /people/import/ is not also /people/.
    matches = [url for _label, _name, url in entries if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    items = [NavItem(label, url, url == current, group_of(name)) for label, name, url in entries]
    order = list(dict.fromkeys(item.group for item in items))
    return sorted(items, key=lambda item: order.index(item.group))


def group_of(url_name: str) -> str:
    return GROUP_OF.get(url_name.split(":", 1)[0], "") if ":" in url_name else ""


def can_open(user, url_name: str) -> bool:
    """Whether the navigation offers the page to the user (links elsewhere, e.g. 查看全部, follow it)."""
    roles = user_roles(user)
    return any(name == url_name and roles & set(allowed) for _label, name, allowed in NAV)


def nav_entry(url_name: str) -> tuple[str, str]:
    """A page's label and its section in the navigation, for breadcrumbs."""
    for label, name, _allowed in NAV:
        if name == url_name:
            return label, group_of(name)
    raise KeyError(url_name)
