"""The blocks of a draft: plain dicts stored as JSON, and the pure operations on lists of them.

A block is
    {"id", "type": "heading" | "paragraph" | "table", "section", "slot", "generated",
     "origin", "provenance": [{"label", "value", "source"}], ...content}
with content {"level", "text"} for a heading, {"text"} for a paragraph and
{"header", "rows", "widths"} for a table.

A generated block carries `slot` (its stable place in its section, e.g. "issues.table") and
`origin` (its content as generated). It counts as edited while its content differs from its
origin, so a regeneration knows what it may replace without a flag that could drift.
`provenance` lists the records and figures it was produced from; `source` is a page URL
("/people/quality/?org=QJ") or "model:id" ("orgs.person:12").
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterable, Sequence

from lvze.lib.gongwen.model import Heading
from lvze.lib.gongwen.writer import HeadingNumbers

BLOCK_TYPES = ("heading", "paragraph", "table")
BLOCK_TYPE_LABELS = {"heading": "标题", "paragraph": "段落", "table": "表格"}
MAX_BLOCKS = 2000
MAX_TEXT_CHARS = 20_000
TABLE_SEPARATOR = "|"

Block = dict


def new_id() -> str:
    return "b" + secrets.token_hex(5)


def source_ref(model_label: str, pk: int) -> str:
    """A provenance source naming a row: source_ref("orgs.person", 12) → "orgs.person:12"."""
    return f"{model_label}:{pk}"


def provenance(label: str, value: object, source: str = "") -> dict:
    return {"label": label, "value": str(value), "source": source}


def heading(text: str, level: int = 1, *, slot: str = "", sources: Iterable[dict] = ()) -> Block:
    return _block("heading", {"level": level, "text": text}, slot, sources)


def paragraph(text: str, *, slot: str = "", sources: Iterable[dict] = ()) -> Block:
    return _block("paragraph", {"text": text}, slot, sources)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float] | None = None,
    slot: str = "",
    sources: Iterable[dict] = (),
) -> Block:
    content = {"header": list(header), "rows": [list(map(str, row)) for row in rows]}
    block = _block("table", content, slot, sources)
    if widths:
        block["widths"] = list(widths)
    return block


def _block(kind: str, content: dict, slot: str, sources: Iterable[dict]) -> Block:
    return {"id": new_id(), "type": kind, **content, "slot": slot, "generated": False, "provenance": list(sources)}


def content_of(block: Block) -> dict:
    """What a user can change in a block (its position aside)."""
    if block["type"] == "heading":
        return {"level": block["level"], "text": block["text"]}
    if block["type"] == "table":
        return {"header": block["header"], "rows": block["rows"]}
    return {"text": block["text"]}


def as_generated(block: Block, section: str) -> Block:
    """Mark a block as produced by the generator for `section`, remembering what it produced."""
    return {**block, "section": section, "generated": True, "origin": copy.deepcopy(content_of(block))}


def is_edited(block: Block) -> bool:
    return bool(block.get("generated")) and content_of(block) != block.get("origin")


# --- editing operations --------------------------------------------------------------------


def index_of(blocks: Sequence[Block], block_id: str) -> int:
    for index, block in enumerate(blocks):
        if block["id"] == block_id:
            return index
    raise KeyError(block_id)


def move(blocks: Sequence[Block], block_id: str, delta: int) -> list[Block]:
    result = list(blocks)
    index = index_of(result, block_id)
    target = max(0, min(len(result) - 1, index + delta))
    result.insert(target, result.pop(index))
    return result


def remove(blocks: Sequence[Block], block_id: str) -> list[Block]:
    index = index_of(blocks, block_id)
    return [*blocks[:index], *blocks[index + 1 :]]


def insert_after(blocks: Sequence[Block], block_id: str | None, block: Block) -> list[Block]:
    """Insert a user's block after `block_id` (at the end when None), in that block's section."""
    if block_id is None:
        section = blocks[-1].get("section", "") if blocks else ""
        return [*blocks, {**block, "section": section}]
    index = index_of(blocks, block_id)
    return [*blocks[: index + 1], {**block, "section": blocks[index].get("section", "")}, *blocks[index + 1 :]]


# --- regeneration --------------------------------------------------------------------------


def merge_section(
    blocks: Sequence[Block], fresh: Sequence[Block], section: str, section_order: Sequence[str]
) -> list[Block]:
    """Put a section's freshly generated blocks in place of its unedited generated ones.

    Everything else stays where it is: blocks of other sections, blocks the user added, and
    generated blocks the user edited (those are flagged `stale` with the `latest` content when
    the figures behind them have changed). A fresh block whose slot has no block left (a new
    row of figures, or one the user deleted) goes after the block of the preceding slot.
    """
    fresh_by_slot = {block["slot"]: block for block in fresh}
    placed: set[str] = set()
    result: list[Block] = []
    for block in blocks:
        if block.get("section") != section or not block.get("generated"):
            result.append(block)
            continue
        slot = block.get("slot", "")
        replacement = fresh_by_slot.get(slot) if slot not in placed else None
        if replacement is not None:
            placed.add(slot)
        if is_edited(block):
            result.append(_kept_edited(block, replacement))
        elif replacement is not None:
            result.append(replacement)
    for position, block in enumerate(fresh):
        if block["slot"] not in placed:
            earlier = {b["slot"] for b in fresh[:position]}
            result.insert(_insert_position(result, earlier, section, section_order), block)
            placed.add(block["slot"])
    return result


def _kept_edited(block: Block, replacement: Block | None) -> Block:
    kept = {key: value for key, value in block.items() if key not in ("stale", "latest")}
    if replacement is None or replacement["origin"] != block.get("origin"):
        kept["stale"] = True
        kept["latest"] = replacement["origin"] if replacement else None
    return kept


def _insert_position(result: list[Block], earlier_slots: set[str], section: str, order: Sequence[str]) -> int:
    after_slot = [i for i, b in enumerate(result) if b.get("section") == section and b.get("slot") in earlier_slots]
    if after_slot:
        return after_slot[-1] + 1
    in_section = [i for i, b in enumerate(result) if b.get("section") == section]
    if in_section:
        return in_section[0]
    earlier_sections = set(order[: order.index(section)]) if section in order else set()
    before = [i for i, b in enumerate(result) if b.get("section") in earlier_sections]
    return before[-1] + 1 if before else 0


# --- reading -------------------------------------------------------------------------------


def heading_prefixes(blocks: Iterable[Block]) -> dict[str, str]:
    """Block id → the number the writer will print before the heading ("一、", "（二）")."""
    numbers = HeadingNumbers()
    return {
        b["id"]: numbers.prefix(Heading(b["level"], b["text"])) for b in blocks if b["type"] == "heading"
    }


def table_text(block: Block) -> str:
    """A table as editable text: the header, then one line per row, cells separated by "|"."""
    return "\n".join(_row_text(row) for row in [block["header"], *block["rows"]])


def _row_text(row: Sequence[str]) -> str:
    return f" {TABLE_SEPARATOR} ".join(cell.replace(TABLE_SEPARATOR, "｜") for cell in row)


def parse_table_text(text: str) -> tuple[list[str], list[list[str]]]:
    """The inverse of `table_text`; short rows are padded and long ones joined into the last cell."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        raise ValueError("表格不能为空，至少保留表头一行")
    header = [cell.strip() for cell in lines[0].split(TABLE_SEPARATOR)]
    width = len(header)
    rows = []
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.split(TABLE_SEPARATOR)]
        if len(cells) > width:
            cells = [*cells[: width - 1], "｜".join(cells[width - 1 :])]
        rows.append(cells + [""] * (width - len(cells)))
    return header, rows


def document_lines(title: str, blocks: Iterable[Block], signoff: str = "", date_text: str = "") -> list[str]:
    """The document as lines of text, the way a reader compares two versions."""
    blocks = list(blocks)
    prefixes = heading_prefixes(blocks)
    lines = [f"标题：{line}" for line in title.splitlines() if line.strip()]
    for block in blocks:
        if block["type"] == "heading":
            lines.append(prefixes[block["id"]] + block["text"])
        elif block["type"] == "table":
            lines += [f"［表］{_row_text(row)}" for row in [block["header"], *block["rows"]]]
        else:
            lines += [line for line in block["text"].splitlines() if line.strip()] or [""]
    if signoff:
        lines.append(f"署名：{signoff}")
    if date_text:
        lines.append(f"日期：{date_text}")
    return lines
