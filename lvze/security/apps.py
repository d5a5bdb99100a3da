from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """等保 2.0 controls that belong to no single app: headers, uploads, backup and restore."""

    name = "lvze.security"
    label = "security"
    verbose_name = "安全"

    def ready(self) -> None:
        from django.conf import settings

        from lvze.lib import filetypes

        # The pure file checks know nothing of Django; the deployment's limit reaches them here.
        filetypes.LIMITS = filetypes.ZipLimits(max_unpacked=settings.UPLOAD_MAX_UNPACKED_BYTES)
