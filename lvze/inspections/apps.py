from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "lvze.inspections"
    label = "inspections"
    verbose_name = "检查考核与整改"
