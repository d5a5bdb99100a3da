"""The structure of a 公文-style document, independent of how it is written out.

Report builders (summaries, 提示单, 通报) produce these plain values; the writer alone knows the
GB/T 9704-2012 layout, so every document the platform emits looks the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A structure heading of level 1–4; the writer numbers it (一、 （一） 1. （1）) unless told not to.

    `run_in` is body text that continues in the same paragraph after the heading, in the body
    font, as summaries do: "（一）学思想、强党性，深入学习宣传党的二十大精神。为进一步……".
    """

    level: int
    text: str
    numbered: bool = True
    run_in: str = ""

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"标题层级须为 1 至 4：{self.level}")


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; a newline in the text starts a new paragraph."""

    text: str


@dataclass(frozen=True)
class Table:
    """A ledger-style table; `widths` are relative column weights (any unit), default equal."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None
    font_size_pt: float = 14.0

    def __post_init__(self) -> None:
        columns = len(self.header)
        if columns == 0:
            raise ValueError("表格至少需要一列表头")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != columns:
                raise ValueError(f"表格第{number}行有{len(row)}列，表头有{columns}列")
        if self.widths is not None and (len(self.widths) != columns or min(self.widths) <= 0):
            raise ValueError(f"列宽须为{columns}个正数")


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Properties:
    """Core document properties (File → Properties); masking rewrites them like the body."""

    title: str = ""
    author: str = ""
    subject: str = ""
    comments: str = ""
    keywords: str = ""
    created: datetime.datetime | None = None


@dataclass(frozen=True)
class Document:
    """A whole document: title, 主送, body blocks, 附件说明, 署名 and 成文日期."""

    title: str
    recipients: str = ""
    blocks: list[Block] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    signoff: str = ""
    date: datetime.date | None = None
    properties: Properties | None = None
