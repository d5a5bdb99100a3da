from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lvze.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from lvze.accounts import signals  # noqa: F401  (login events are audited)
