from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lvze.orgs"
    label = "orgs"
    verbose_name = "组织与人员"
