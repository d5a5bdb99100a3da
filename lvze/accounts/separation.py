"""三员分立 at the one place every write passes: the audit append.

The three administrators (系统、安全、审计管理员) hold no business role (`services.check_separation`), and
whatever a view or a future service forgets, none of them can write business data: an audited write
by a 三员 actor outside their own area is refused (PermissionDenied → 403) and rolled back with the
transaction it belongs to. A new kind of business write needs no change here to be refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from lvze.accounts.models import THREE_ADMINS, Role

# What each administrator's own work writes (audit action prefixes).
ADMIN_ACTIONS = {
    Role.SYSADMIN: (
        "organization.",
        "person.",
        "appointment.",
        "membership.",
        "work_area.",
        "holiday.",
        "workday.",
        "setting.",
    ),
    Role.SECADMIN: ("user.", "role."),
    Role.AUDITOR: ("audit.",),
}
# What every account does for itself, whatever its role.
PERSONAL_ACTIONS = ("auth.", "access.", "user.password_change", "calendar.", "channel.", "notification.")


def check_actor_may_write(actor: Any, action: str) -> None:
    if not getattr(actor, "is_authenticated", False) or action.startswith(PERSONAL_ACTIONS):
        return
    from lvze.orgs.selectors import user_roles

    admin_roles = user_roles(actor) & THREE_ADMINS
    if admin_roles and not any(action.startswith(ADMIN_ACTIONS[role]) for role in admin_roles):
        raise PermissionDenied("三员（系统、安全、审计管理员）账号不得办理业务数据")
