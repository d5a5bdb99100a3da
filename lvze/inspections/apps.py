from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "lvze.inspections"
    label = "inspections"
    verbose_name = "检查考核与整改"

    def ready(self) -> None:
        # The 通报 registers as a document kind and as `lvze report bulletin` on import; inspections,
        # supervision and rectifications add their facts to the 工作总结.
        from lvze.inspections import documents, summary_facts  # noqa: F401
