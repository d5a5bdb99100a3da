from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from lvze.accounts.models import Role, RoleGrant, User
from lvze.orgs.selectors import grant_orgs, subtree_q


def demo_accounts_exist() -> bool:
    return User.objects.filter(is_demo=True, is_active=True).exists()


def users_for_user(user) -> QuerySet[User]:
    """A 安全管理员 manages accounts whose grants or person lie in their subtrees, and unassigned ones."""
    orgs = grant_orgs(user, {Role.SECADMIN})
    if not orgs:
        return User.objects.none()
    in_scope = (
        subtree_q(orgs, "grants__organization__")
        | subtree_q(orgs, "person__branch__")
        | subtree_q(orgs, "person__department__")
    )
    ids = User.objects.filter(in_scope).values("pk")
    unassigned = Q(grants__isnull=True, person__isnull=True)
    grants = RoleGrant.objects.select_related("organization").order_by("role")
    return (
        User.objects.filter(Q(pk__in=ids) | unassigned)
        .distinct()
        .select_related("person")
        .prefetch_related(Prefetch("grants", queryset=grants))
        .order_by("username")
    )


def user_for_user(user, user_id: int) -> User:
    found = users_for_user(user).filter(pk=user_id).first()
    if found is None:
        raise Http404("账号不存在或不在您的权限范围内")
    return found
