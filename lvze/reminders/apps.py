from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "lvze.reminders"
    label = "reminders"
    verbose_name = "提醒与通知"

    def ready(self) -> None:
        # The notice and the reverse-reminder list register as document kinds on import.
        from lvze.reminders import documents  # noqa: F401
