from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "lvze.inspections"
    label = "inspections"
    verbose_name = "检查考核与整改"

    def ready(self) -> None:
        # The 通报 registers as a document kind and as `lvze report bulletin` on import.
        from lvze.inspections import documents  # noqa: F401
