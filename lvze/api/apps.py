from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lvze.api"
    label = "api"
    verbose_name = "接口"
