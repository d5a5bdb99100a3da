from django.db import models


class DataVersion(models.Model):
    """One row (id 1) whose counter database triggers bump on every change to the tables the dashboard
    counts: the figures cache's key (lvze.lib.figures_cache)."""

    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "数据版本"

    def __str__(self) -> str:
        return f"v{self.n}"
