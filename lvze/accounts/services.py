"""Account and role writes (the 安全管理员's work), each atomic and audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lvze.accounts.models import THREE_ADMINS, Role, RoleGrant, User
from lvze.audit.services import audit_record
from lvze.orgs.models import Organization, Person


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str = "",
    person: Person | None = None,
    is_demo: bool = False,
    validate: bool = True,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已存在"})
    user = User(
        username=username, display_name=display_name or (person.name if person else ""), person=person
    )
    user.is_demo = is_demo
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, changes={"username": username, "demo": is_demo})
    return user


def check_separation(user: User, role: str) -> None:
    """三员分立: a 三员 role excludes every other role, business or 三员."""
    existing = set(user.grants.values_list("role", flat=True))
    if role in THREE_ADMINS and existing - {role}:
        raise ValidationError({"role": "三员（系统、安全、审计管理员）不得兼任其他角色"})
    if role not in THREE_ADMINS and existing & THREE_ADMINS:
        raise ValidationError({"role": "该账号是三员账号，不得再授予业务角色"})


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, organization: Organization) -> RoleGrant:
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色：{role}"})
    check_separation(user, role)
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, organization=organization)
    if created:
        audit_record(
            actor=actor,
            action="role.grant",
            obj=user,
            organization=organization,
            changes={"role": role, "organization": organization.code},
        )
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant) -> None:
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=grant.user,
        organization=grant.organization,
        changes={"role": grant.role, "organization": grant.organization.code},
    )
    grant.delete()


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=actor, action="user.password_change", obj=user)
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="user.activate" if active else "user.deactivate", obj=user)
    return user
