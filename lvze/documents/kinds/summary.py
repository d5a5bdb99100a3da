"""工作总结: the half-year or annual summary of a unit, in the seed's structure, written from its records.

The facts come from the providers registered in `lvze.documents.summary.facts` (built-in ones in
`providers.py`); the phrasing from the unit's templates; the structure from `compose.py` and
`planning.py`. `lvze report summary --org QJ --period 2023H1 --out 总结.docx [--masked]`.
"""

from __future__ import annotations

from django.utils import timezone

from lvze.documents.blocks import Block
from lvze.documents.kinds import DocumentKind, GenerationContext, Section, register
from lvze.documents.reports import kind_report, register_report
from lvze.documents.summary import providers  # noqa: F401  (registers the built-in fact providers)
from lvze.documents.summary.compose import opening_blocks, work_blocks
from lvze.documents.summary.facts import SummaryScope, Templates, period_words, summary_period
from lvze.documents.summary.planning import plan_blocks
from lvze.documents.summary.templates import fill
from lvze.orgs.models import Organization


def scope_of(context: GenerationContext) -> SummaryScope:
    return context.once(
        "summary_scope",
        lambda: SummaryScope.build(context.unit, summary_period(context.period, context.today), context.today),
    )


def summary_title(unit: Organization, period: str) -> str:
    value = summary_period(period, timezone.localdate())
    words = {**period_words(value), "单位": unit.name, "单位简称": unit.short_name or unit.name}
    return fill(Templates(unit)["title"], words)


def summary_date(context: GenerationContext):
    """Dated today while the period runs; a summary of a past period is dated its last day."""
    return scope_of(context).as_of


def opening_section(context: GenerationContext) -> list[Block]:
    return opening_blocks(scope_of(context))


def work_section(context: GenerationContext) -> list[Block]:
    return work_blocks(scope_of(context))


def plan_section(context: GenerationContext) -> list[Block]:
    return plan_blocks(scope_of(context))


SUMMARY = register(
    DocumentKind(
        key="summary",
        label="工作总结",
        sections=(
            Section("opening", "开头", opening_section),
            Section("work", "工作情况", work_section),
            Section("plan", "工作谋划", plan_section),
        ),
        title=summary_title,
        dated=summary_date,
    )
)

register_report(kind_report(SUMMARY, with_period=True))
