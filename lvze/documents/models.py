"""Drafts of generated documents, their saved versions, and each unit's masking settings.

A draft's content is a JSON list of blocks (see `lvze.documents.blocks`), so a user can edit,
reorder and add paragraphs while the draft still knows which of them were generated, from what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lvze.lib.masking import DEFAULT_GENERIC_WORDS
from lvze.orgs.models import Organization


class DraftKind(models.TextChoices):
    QUALITY = "quality", "人员信息核对"
    SUMMARY = "summary", "工作总结"
    NOTICE = "notice", "工作提示单"
    BULLETIN = "bulletin", "检查通报"
    REMINDERS = "reminders", "反向提醒清单"


class DraftState(models.TextChoices):
    DRAFT = "draft", "草稿"
    FINAL = "final", "定稿"


class Draft(models.Model):
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="drafts", verbose_name="单位")
    kind = models.CharField("类型", max_length=20, choices=DraftKind.choices)
    title = models.CharField("标题", max_length=200)
    period = models.CharField("期间", max_length=40, blank=True)
    state = models.CharField("状态", max_length=10, choices=DraftState.choices, default=DraftState.DRAFT)
    signoff = models.CharField("署名", max_length=100, blank=True)
    doc_date = models.DateField("成文日期", null=True, blank=True)
    content = models.JSONField("内容", default=list)
    version = models.PositiveIntegerField("当前版本", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "公文草稿"
        indexes = [models.Index(fields=["unit", "kind", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    """What a save wrote: the whole content, so any version can be restored or compared."""

    draft = models.ForeignKey(Draft, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=200)
    signoff = models.CharField("署名", max_length=100, blank=True)
    doc_date = models.DateField("成文日期", null=True, blank=True)
    content = models.JSONField("内容", default=list)
    note = models.CharField("说明", max_length=200, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="draftversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.draft_id} v{self.number}"


def default_generic_words() -> str:
    return "\n".join(DEFAULT_GENERIC_WORDS)


class MaskSettings(models.Model):
    """脱敏设置 of a unit; units without their own use the nearest higher unit's, else the defaults.

    Word lists are whitespace-separated text, one word per line in the form.
    """

    unit = models.OneToOneField(Organization, models.CASCADE, related_name="mask_settings")
    generic_words = models.TextField("通用词（不脱敏）", default=default_generic_words)
    protected_phrases = models.TextField("保护短语（不脱敏）", blank=True)
    places = models.TextField("地名", blank=True)
    terms = models.TextField("专有名词", blank=True)
    figures = models.JSONField("脱敏数字类别", default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "脱敏设置"

    def __str__(self) -> str:
        return f"脱敏设置：{self.unit}"
