from django.apps import AppConfig


class UpwardConfig(AppConfig):
    name = "lvze.upward"
    label = "upward"
    verbose_name = "审议、上报与逐级审批"

    def ready(self) -> None:
        # The reports reviewed and submitted upward add their facts to the 工作总结.
        from lvze.upward import summary_facts  # noqa: F401
