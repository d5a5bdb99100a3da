"""The kinds of document a unit can submit upward, and the requirements a higher level ships with.

Any document kind works: the draft's own kind key is what is reviewed and submitted. Kinds that are
required before their generator exists (the 意识形态 report) are listed here so a higher level can
require them now; a draft of that kind satisfies the requirement once the kind is registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from lvze.documents.kinds import KINDS
from lvze.documents.models import DraftKind

PLANNED_KINDS = {"ideology": "落实意识形态工作责任制情况报告"}


def report_kinds() -> list[tuple[str, str]]:
    """Every known kind, in a stable order: the documents app's, then registered ones, then planned."""
    seen: dict[str, str] = {}
    for key, label in DraftKind.choices:
        seen.setdefault(key, str(label))
    for key, kind in KINDS.items():
        seen.setdefault(key, kind.label)
    for key, label in PLANNED_KINDS.items():
        seen.setdefault(key, label)
    return list(seen.items())


def kind_label(key: str) -> str:
    return dict(report_kinds()).get(key, key)


@dataclass(frozen=True)
class DefaultRequirement:
    kind: str
    name: str
    period_scope: str
    due_month_offset: int
    due_day: int


# 半年总结 by 7月10日, 年度总结 by 次年1月10日, the 意识形态 report by the year's end (the seed's 年底专题
# 分析研判 … 及时上报市局). Every unit can change or add to them.
DEFAULT_REQUIREMENTS = [
    DefaultRequirement("summary", "工作总结", "H1", 1, 10),
    DefaultRequirement("summary", "工作总结", "year", 1, 10),
    DefaultRequirement("ideology", "落实意识形态工作责任制情况报告", "year", 0, 31),
]
