"""Audit events forming a hash chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models

# Chinese names of the actions the auditor looks for most; other actions show their code.
ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出",
    "auth.login_failed": "登录失败",
    "auth.lockout": "账号锁定",
    "auth.session_timeout": "会话超时退出",
    "access.denied": "访问被拒绝",
    "user.create": "创建账号",
    "user.password_change": "修改密码",
    "user.password_reset": "重置密码",
    "user.unlock": "解除锁定",
    "user.activate": "启用账号",
    "user.deactivate": "停用账号",
    "role.grant": "授予角色",
    "role.revoke": "撤销角色",
    "audit.export": "导出审计日志",
    "audit.verify": "校验审计链",
    "system.backup": "备份",
    "system.restore": "恢复",
}


class AppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    """Events are appended, never changed or pruned through the platform (等保 2.0 审计记录保护)."""

    def update(self, **kwargs):
        raise AppendOnly("审计事件只能追加，不能修改")

    def delete(self):
        raise AppendOnly("审计事件只能追加，不能删除")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey("orgs.Organization", models.PROTECT, null=True, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("审计事件只能追加，不能删除")

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, "")


class AuditHead(models.Model):
    """The chain's last link (one row), moved with every append in the same transaction.

    A chain cut short at its end still links; it no longer reaches the head. The head carries its own
    keyed MAC, so it cannot be set back to an earlier event by someone without the audit key.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head #{self.seq}"
