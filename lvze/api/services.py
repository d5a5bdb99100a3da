"""Token writes (audited) and the rate limiter."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lvze.api.models import ApiToken, ApiUsage
from lvze.audit.services import audit_record

TOKEN_PREFIX = "lvze_"
MAX_DAYS = 366


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, name: str, read_only: bool, days: int) -> tuple[ApiToken, str]:
    """A new token; the plain text is returned once and never stored."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"有效期应为 1 至 {MAX_DAYS} 天"})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=plain[:10],
        token_hash=hash_token(plain),
        read_only=read_only,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(actor=actor, action="api_token.create", obj=token, changes={"name": name, "read_only": read_only, "days": days})
    return token, plain


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoke", obj=token)
    return token


def token_for(plain: str) -> ApiToken | None:
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(plain)).first()
    now = timezone.now()
    if token is None or token.revoked_at or token.expires_at <= now or not token.user.is_active:
        return None
    if not token.last_used_at or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def count_request(token: ApiToken, now: datetime) -> int:
    """This request's number within the token's current minute."""
    window = now.replace(second=0, microsecond=0)
    updated = ApiUsage.objects.filter(token=token, window=window).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                ApiUsage.objects.create(token=token, window=window, count=1)
        except IntegrityError:  # another process created the window first
            ApiUsage.objects.filter(token=token, window=window).update(count=F("count") + 1)
    return ApiUsage.objects.get(token=token, window=window).count
