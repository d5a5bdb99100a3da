"""Accounts and role grants. Every role is granted on an organisation and covers its subtree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    PARTY_ADMIN = "party_admin", "党务管理员"
    LEADER = "leader", "领导"
    SECRETARY = "secretary", "支部书记/支委"
    SUPERVISOR = "supervisor", "纪检监督"
    STAFF = "staff", "科室经办人"
    MEMBER = "member", "党员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


THREE_ADMINS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - THREE_ADMINS)


class User(AbstractUser):
    person = models.OneToOneField(
        "orgs.Person", models.SET_NULL, null=True, blank=True, related_name="user", verbose_name="对应人员"
    )
    display_name = models.CharField("显示名", max_length=30, blank=True)
    is_demo = models.BooleanField("演示账号", default=False)
    # None: an initial password (set at creation or by a reset) that must be changed at the next login.
    password_changed_at = models.DateTimeField(null=True, blank=True)
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username

    def is_locked(self, now) -> bool:
        return self.locked_until is not None and self.locked_until > now


class RoleGrant(models.Model):
    user = models.ForeignKey(User, models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organization = models.ForeignKey("orgs.Organization", models.PROTECT, related_name="grants")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="rolegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}@{self.organization.name}"
