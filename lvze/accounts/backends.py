from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing a password login to an account locked after repeated failures
    (等保 2.0 登录失败处理). Sessions already open stay valid: a stranger guessing someone's password
    locks the account against further guesses without throwing its owner out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.is_locked(timezone.now()):
            return None
        return user
