from django.apps import AppConfig


class UpwardConfig(AppConfig):
    name = "lvze.upward"
    label = "upward"
    verbose_name = "审议、上报与逐级审批"
