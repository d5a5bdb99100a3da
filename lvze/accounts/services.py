"""Account and role writes (the 安全管理员's work), each atomic and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
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
    must_change_password: bool | None = None,
) -> User:
    """A new account. A password set by the 安全管理员 (an actor) is an initial one the user must change at
    first login; accounts the system creates itself (actor None: demo, fixtures, a bootstrap command)
    are not forced unless asked. Demo accounts are exempt either way (`is_demo`)."""
    if must_change_password is None:
        must_change_password = bool(getattr(actor, "is_authenticated", False))
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已存在"})
    user = User(
        username=username, display_name=display_name or (person.name if person else ""), person=person
    )
    user.is_demo = is_demo
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = None if must_change_password else timezone.now()
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
    """The user's own change starts the password's validity; a reset by the 安全管理员 sets an initial
    password that must be changed at the next login, and lifts a lockout."""
    validate_password(password, user)
    own = getattr(actor, "pk", None) == user.pk
    if own and user.check_password(password):
        raise ValidationError({"password": "新密码不能与当前密码相同"})
    user.set_password(password)
    user.password_changed_at = timezone.now() if own else None
    fields = ["password", "password_changed_at"]
    if not own:
        user.failed_logins, user.locked_until = 0, None
        fields += ["failed_logins", "locked_until"]
    user.save(update_fields=fields)
    audit_record(
        actor=actor, action="user.password_change" if own else "user.password_reset", obj=user
    )
    return user


def password_change_reason(user: User, now=None) -> str | None:
    """Why the user must change their password before doing anything else, or None."""
    if user.is_demo:
        return None
    if user.password_changed_at is None:
        return "initial"
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if max_age and user.password_changed_at < (now or timezone.now()) - timedelta(days=max_age):
        return "expired"
    return None


@transaction.atomic
def login_failure_record(*, username: str) -> User | None:
    """Count a failed password login; the last allowed failure locks the account for a while.

    Failures while locked are not counted again (the lock does not grow under attack). A name that
    matches no account locks nothing; the attempt is audited all the same.
    """
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        return None
    now = timezone.now()
    if user.is_locked(now):
        return user
    if user.locked_until is not None:  # an expired lock: counting starts afresh
        user.failed_logins, user.locked_until = 0, None
    user.failed_logins += 1
    if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
        user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        audit_record(
            actor=None,
            action="auth.lockout",
            obj=user,
            actor_name=user.username,
            changes={"failures": user.failed_logins, "until": user.locked_until.isoformat()},
        )
    user.save(update_fields=["failed_logins", "locked_until"])
    return user


def login_success_record(*, user: User) -> None:
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> User:
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(actor=actor, action="user.unlock", obj=user)
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="user.activate" if active else "user.deactivate", obj=user)
    return user
