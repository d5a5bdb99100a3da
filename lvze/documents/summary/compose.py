"""The 工作总结 as blocks, in the seed's structure.

    title                                   (template "title")
    opening paragraph                       ("opening", ends "现将有关情况报告如下：")
    一、工作情况
      （一）<section title>。<lead> 一是… 二是… 三是…      one per work area, in the unit's order
    二、下半年工作谋划 (下一年度 for a year)
      （一）<plan title>。一是<task> 二是<task> … 扎实做好<规定动作>…
    sign-off and date

Each （一） section is one paragraph in the document, as in the seed: the heading block is marked
`run_in` and the lead and items that follow are marked `inline`, so the writer runs them on in the
heading's paragraph while the editor keeps them as separate blocks, each with its own sources, that
a regeneration can replace one by one.
"""

from __future__ import annotations

from collections import defaultdict

from lvze.documents.blocks import Block, heading, paragraph, provenance
from lvze.documents.summary.facts import FACT_PROVIDERS, Fact, SummaryScope, theme_rank
from lvze.lib.cn import cn_sequence_word

TERMINAL = "。！？；：…"


def settings_url(scope: SummaryScope) -> str:
    return scope.url("documents:summary-templates", scope.unit.code)


def template_source(scope: SummaryScope, label: str) -> dict:
    return provenance("句式", label, settings_url(scope))


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in TERMINAL else text + "。"


def inline(block: Block) -> Block:
    return {**block, "inline": True}


def run_in(block: Block) -> Block:
    return {**block, "run_in": True}


# --- opening -------------------------------------------------------------------------------


def opening_blocks(scope: SummaryScope) -> list[Block]:
    text = scope.text("opening")
    sources = [
        provenance("单位", scope.unit.name, f"orgs.organization:{scope.unit.pk}"),
        provenance("期间", scope.period.label()),
        template_source(scope, "开头段"),
    ]
    return [paragraph(text, slot="opening.text", sources=sources)]


# --- 一、工作情况 -----------------------------------------------------------------------------


def collect_facts(scope: SummaryScope) -> list[Fact]:
    return scope.once("facts", lambda: [fact for provider in FACT_PROVIDERS for fact in provider(scope)])


def item_text(scope: SummaryScope, seq: int, theme: str, facts: list[Fact]) -> str:
    values = {"类型": theme.removeprefix("activity:")} if theme.startswith("activity:") else {}
    lead = scope.text(f"item.{theme}", **values)
    parts = [cn_sequence_word(seq) + (sentence(lead) if lead else "")]
    for fact in facts:
        body = fact.text
        highlights = [h for h in fact.highlights if h not in body]  # a 亮点 the sentence already says is left out
        if highlights:
            body = body.rstrip("。") + "，" + "，".join(highlights)
        parts.append(sentence(body))
    return "".join(parts)


def work_blocks(scope: SummaryScope) -> list[Block]:
    by_area: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in collect_facts(scope):
        area = fact.area if fact.area in scope.areas else scope.area(fact.area, fact.theme)
        by_area[area][fact.theme].append(fact)
    blocks = [heading(scope.text("work.heading"), 1, slot="work.heading", sources=[template_source(scope, "第一部分标题")])]
    for area in scope.areas:
        title = scope.text(f"section.{area}", 板块=area)
        blocks.append(
            run_in(
                heading(
                    title, 2, slot=f"work.{area}.heading",
                    sources=[provenance("工作板块", area), template_source(scope, f"“{area}”板块标题")],
                )
            )
        )
        lead = scope.text(f"lead.{area}")
        if lead:
            blocks.append(inline(paragraph(lead, slot=f"work.{area}.lead", sources=[template_source(scope, f"“{area}”板块导语")])))
        themes = sorted(by_area.get(area, {}).items(), key=lambda item: theme_rank(item[0], scope.activity_types))
        if not themes and not lead:
            # Nothing recorded: an empty block to write in (left out of the document while empty).
            note = provenance("说明", f"{scope.period.label()}本板块没有可统计的纪实记录，可在此补写")
            blocks.append(inline(paragraph("", slot=f"work.{area}.empty", sources=[note])))
        for seq, (theme, facts) in enumerate(themes, start=1):
            facts = sorted(facts, key=lambda fact: fact.order)
            sources = [source for fact in facts for source in fact.sources]
            blocks.append(inline(paragraph(item_text(scope, seq, theme, facts), slot=f"work.{area}.{theme}", sources=sources)))
    return blocks
