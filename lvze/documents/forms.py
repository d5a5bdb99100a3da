"""The editor's POST (one field per block, in page order) and the masking settings form."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from lvze.documents import blocks as b
from lvze.documents.models import Draft
from lvze.lib.masking import FIGURE_LABELS

STALE_PAGE = "页面已过期（草稿的内容块已变化），请刷新后再改"


class EditorForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    signoff = forms.CharField(label="署名", max_length=100, required=False)
    doc_date = forms.DateField(label="成文日期", required=False)
    base_version = forms.IntegerField(min_value=0)
    note = forms.CharField(label="版本说明", max_length=200, required=False)
    op = forms.CharField(required=False, max_length=40)

    def clean_title(self) -> str:
        return "\n".join(line.strip() for line in self.cleaned_data["title"].splitlines() if line.strip())


@dataclass(frozen=True)
class Operation:
    name: str
    block_id: str | None


OPERATION_NOTES = {
    "save": "保存",
    "up": "上移",
    "down": "下移",
    "delete": "删除",
    "add": "添加段落",
    "add-heading": "添加标题",
    "regenerate": "保存",  # the edits are saved first, then the section is regenerated as its own version
}


def parse_operation(value: str) -> Operation:
    """ "up:b1a2" → Operation("up", "b1a2"), "regenerate:basic" names a section; empty is a plain save."""
    name, _, block_id = (value or "save").partition(":")
    if name not in OPERATION_NOTES:
        raise ValidationError(f"未知的操作：{name}")
    return Operation(name, block_id or None)


def parse_blocks(draft: Draft, data: QueryDict) -> list[b.Block]:
    """The draft's blocks in the posted order with the posted texts; ids must match the draft's."""
    ids = data.getlist("block")
    by_id = {block["id"]: block for block in draft.content}
    if sorted(ids) != sorted(by_id):
        raise ValidationError(STALE_PAGE)
    return [updated(by_id[block_id], data) for block_id in ids]


def _text(data: QueryDict, name: str, default: str) -> str:
    value = data.get(name)
    return default if value is None else value.replace("\r\n", "\n").replace("\r", "\n")


def updated(block: b.Block, data: QueryDict) -> b.Block:
    block = dict(block)
    key = block["id"]
    if block["type"] == "table":
        text = data.get(f"table-{key}")
        if text is not None:
            try:
                block["header"], block["rows"] = b.parse_table_text(text)
            except ValueError as exc:
                raise ValidationError(str(exc)) from exc
        return block
    block["text"] = _text(data, f"text-{key}", block["text"])
    if block["type"] == "heading":
        try:
            block["level"] = int(data.get(f"level-{key}", block["level"]))
        except ValueError:
            raise ValidationError("标题层级须为1至4") from None
    return block


def apply_operation(blocks: list[b.Block], operation: Operation) -> list[b.Block]:
    """Move, delete or insert after the named block; a plain save returns the blocks unchanged."""
    block_id = operation.block_id
    try:
        if operation.name == "up":
            return b.move(blocks, block_id, -1)
        if operation.name == "down":
            return b.move(blocks, block_id, 1)
        if operation.name == "delete":
            return b.remove(blocks, block_id)
        if operation.name == "add":
            return b.insert_after(blocks, block_id, b.paragraph(""))
        if operation.name == "add-heading":
            return b.insert_after(blocks, block_id, b.heading("", 2))
    except KeyError:
        raise ValidationError(STALE_PAGE) from None
    return blocks


class MaskSettingsForm(forms.Form):
    generic_words = forms.CharField(
        label="通用词（从不脱敏，也不算泄露）",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="每行一个；仅由这些词组成的名称（如“区局党委”）保持原样，组织名称脱敏时保留其末尾的通用词（第一党支部 → *党支部）。",
    )
    protected_phrases = forms.CharField(
        label="保护短语（额外）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="每行一个；短语内部的片段不脱敏。系统已内置“第一议题”“示范引领”等常用短语。",
    )
    places = forms.CharField(label="地名", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    terms = forms.CharField(
        label="专有名词",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="如党建品牌名称，每行一个。",
    )
    figures = forms.MultipleChoiceField(
        label="同时脱敏的数字",
        choices=list(FIGURE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="只替换勾选类别中的数字：金额（元、万元）；紧接“名、人、位”的人数（“580余人”之类的约数不替换）；会商、汇报的次数。",
    )
