from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lvze.audit"
    label = "audit"
    verbose_name = "审计"
