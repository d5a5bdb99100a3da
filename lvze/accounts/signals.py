"""Logins, logouts and failed logins are audit events (Django's auth signals are the only hook);
failed logins also count towards the account's lockout."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lvze.accounts.middleware import start_idle_clock
from lvze.accounts.services import login_failure_record, login_success_record
from lvze.audit.services import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="auth.login", obj=user)
    login_success_record(user=user)
    if request is not None and hasattr(request, "session"):
        start_idle_clock(request.session)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action="auth.login_failed", actor_name=username, changes={"username": username})
    login_failure_record(username=username)
