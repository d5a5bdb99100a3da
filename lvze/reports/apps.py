from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lvze.reports"
    label = "reports"
    verbose_name = "统计与台账"
