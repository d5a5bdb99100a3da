from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "lvze.duties"
    label = "duties"
    verbose_name = "责任与事项"
