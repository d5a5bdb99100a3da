from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """等保 2.0 controls that belong to no single app: headers, uploads, backup and restore."""

    name = "lvze.security"
    label = "security"
    verbose_name = "安全"
