"""Document kinds: what a draft of each kind is generated from, section by section.

A kind registers itself here (see `quality.py`); later kinds (summary, notice, bulletin,
reminders) do the same, and drafts, the editor and `lvze report` pick them up by key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lvze.documents.blocks import Block, as_generated
from lvze.orgs.models import Organization


@dataclass
class GenerationContext:
    """What every section of one generation shares; `once` computes a value for all of them."""

    unit: Organization
    period: str
    today: date
    params: dict[str, Any] = field(default_factory=dict)  # e.g. one person for a reverse-reminder list
    _memo: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    build: Callable[[GenerationContext], list[Block]]


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str
    sections: tuple[Section, ...]
    title: Callable[[Organization, str], str]

    @property
    def section_keys(self) -> list[str]:
        return [s.key for s in self.sections]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def generate_section(self, context: GenerationContext, key: str) -> list[Block]:
        """The section's blocks, each marked as generated with a slot unique in the section."""
        built = self.section(key).build(context)
        blocks = [as_generated({**b, "slot": b["slot"] or f"{key}.{i}"}, key) for i, b in enumerate(built)]
        slots = [b["slot"] for b in blocks]
        if len(set(slots)) != len(slots):
            raise ValueError(f"{self.key}.{key} 生成了重复的 slot：{slots}")
        return blocks

    def generate(self, context: GenerationContext) -> list[Block]:
        return [block for key in self.section_keys for block in self.generate_section(context, key)]


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    KINDS[kind.key] = kind
    return kind


def kind_for(key: str) -> DocumentKind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"尚不支持生成此类文档：{key}") from None
