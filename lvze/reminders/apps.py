from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "lvze.reminders"
    label = "reminders"
    verbose_name = "提醒与通知"
