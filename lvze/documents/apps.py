from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "lvze.documents"
    label = "documents"
    verbose_name = "公文草稿"

    def ready(self) -> None:
        # Each document kind registers its generator on import.
        from lvze.documents.kinds import quality  # noqa: F401
