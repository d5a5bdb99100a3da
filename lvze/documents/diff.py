"""Compare two versions line by line (difflib), marking the changed characters inside changed lines."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from itertools import zip_longest

Segments = list[tuple[str, bool]]  # (text, changed)


@dataclass(frozen=True)
class DiffRow:
    """One row of the side-by-side table; `tag` is equal, replace, delete, insert or skip."""

    tag: str
    old_no: int | None = None
    new_no: int | None = None
    old: Segments = field(default_factory=list)
    new: Segments = field(default_factory=list)
    skipped: int = 0


REWRITE_RATIO = 0.4  # below this similarity a line reads as rewritten, not as edited in places


def char_segments(old: str, new: str) -> tuple[Segments, Segments]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < REWRITE_RATIO:
        return [(old, True)], [(new, True)]
    left: Segments = []
    right: Segments = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if old[i1:i2]:
            left.append((old[i1:i2], tag != "equal"))
        if new[j1:j2]:
            right.append((new[j1:j2], tag != "equal"))
    return left, right


def diff_lines(old: list[str], new: list[str], context: int = 2) -> list[DiffRow]:
    """Rows for every change, with `context` unchanged lines around each and the rest skipped."""
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += _equal_rows(old, i1, i2, j1, context, first=not rows, last=i2 == len(old))
            continue
        for k, (a, b) in enumerate(zip_longest(old[i1:i2], new[j1:j2])):
            rows.append(_changed_row(a, b, i1 + k + 1 if a is not None else None, j1 + k + 1 if b is not None else None))
    return rows


def _changed_row(a: str | None, b: str | None, old_no: int | None, new_no: int | None) -> DiffRow:
    if a is not None and b is not None:
        left, right = char_segments(a, b)
        return DiffRow("replace", old_no, new_no, left, right)
    if a is not None:
        return DiffRow("delete", old_no, None, [(a, True)], [])
    return DiffRow("insert", None, new_no, [], [(b or "", True)])


def _equal_rows(lines: list[str], i1: int, i2: int, j1: int, context: int, *, first: bool, last: bool) -> list[DiffRow]:
    numbers = list(range(i2 - i1))
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(numbers) > keep_head + keep_tail + 1:
        shown = numbers[:keep_head] + [None] + numbers[len(numbers) - keep_tail :]
    else:
        shown = numbers
    rows = []
    for k in shown:
        if k is None:
            rows.append(DiffRow("skip", skipped=len(numbers) - keep_head - keep_tail))
        else:
            line = lines[i1 + k]
            rows.append(DiffRow("equal", i1 + k + 1, j1 + k + 1, [(line, False)], [(line, False)]))
    return rows


def has_changes(rows: list[DiffRow]) -> bool:
    return any(row.tag not in ("equal", "skip") for row in rows)
