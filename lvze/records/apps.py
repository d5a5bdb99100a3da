from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "lvze.records"
    label = "records"
    verbose_name = "纪实"
