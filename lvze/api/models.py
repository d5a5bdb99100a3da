"""Personal API tokens (stored hashed, shown once) and the per-token request counter for rate limits."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=60)
    prefix = models.CharField(max_length=12, help_text="令牌开头几位，便于辨认")
    token_hash = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField("只读", default=True)
    expires_at = models.DateTimeField("到期时间")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"


class ApiUsage(models.Model):
    """Requests of one token in one minute: a fixed-window counter shared by every web process."""

    token = models.ForeignKey(ApiToken, models.CASCADE, related_name="+")
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "window"], name="api_usage_window")]

    def __str__(self) -> str:
        return f"{self.token_id}@{self.window}: {self.count}"
