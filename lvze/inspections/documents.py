"""The 通报 as a document kind of the documents app: an editable draft with versions, regeneration and
masked export, and `lvze report bulletin --inspection ID --out FILE.docx [--masked]`.

The sections are the bulletin's own (`bulletin.BULLETIN_SECTIONS`), turned into draft blocks. A draft
remembers its campaign in its `period` as "inspection:<id>", so regenerating a section later reads the
same campaign.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lvze.documents.blocks import Block, heading, paragraph, provenance, table
from lvze.documents.generation import generate_draft
from lvze.documents.kinds import DocumentKind, GenerationContext, Section, register
from lvze.documents.models import Draft
from lvze.documents.reports import Report, register_report
from lvze.inspections import bulletin
from lvze.inspections.models import Inspection, InspectionStatus
from lvze.lib import gongwen
from lvze.orgs.models import Organization

PERIOD_PREFIX = "inspection:"


def draft_period(inspection: Inspection) -> str:
    return f"{PERIOD_PREFIX}{inspection.pk}"


def resolve(unit: Organization, period: str) -> Inspection:
    """The campaign a bulletin draft is about: the one named in its period, else the unit's latest
    launched campaign (when a bulletin is started from the drafts page)."""
    campaigns = Inspection.objects.filter(unit=unit).exclude(status=InspectionStatus.DRAFT).select_related("unit", "root")
    if period.startswith(PERIOD_PREFIX):
        found = campaigns.filter(pk=period.removeprefix(PERIOD_PREFIX)).first() if period[len(PERIOD_PREFIX):].isdigit() else None
    else:
        found = campaigns.filter(period=period).order_by("-id").first() if period else campaigns.order_by("-period", "-id").first()
    if found is None:
        raise ValueError(f"{unit.name}没有可通报的检查（检查须已启动）")
    return found


def data_of(context: GenerationContext) -> bulletin.BulletinData:
    inspection = context.params.get("inspection") or None

    def load() -> bulletin.BulletinData:
        return bulletin.load(inspection or resolve(context.unit, context.period))

    return context.once("bulletin", load)


def as_blocks(blocks: list[gongwen.Block], sources: list[dict]) -> list[Block]:
    result = []
    for block in blocks:
        if isinstance(block, gongwen.Heading):
            result.append(heading(block.text, block.level))
        elif isinstance(block, gongwen.Paragraph):
            result.append(paragraph(block.text, sources=sources))
        else:
            result.append(table(block.header, block.rows, widths=block.widths, sources=sources))
    return result


def section_builder(build):
    def generate(context: GenerationContext) -> list[Block]:
        data = data_of(context)
        link = f"/inspections/{data.inspection.pk}/"
        sources = [provenance("检查", data.inspection.name, link)]
        return as_blocks(build(data), sources)

    return generate


BULLETIN = register(
    DocumentKind(
        key="bulletin",
        label="检查通报",
        sections=tuple(Section(key, label, section_builder(build)) for key, label, build in bulletin.BULLETIN_SECTIONS),
        title=lambda unit, period: bulletin.title_lines(resolve(unit, period)),
    )
)


def bulletin_draft(inspection: Inspection) -> Draft:
    """An unsaved draft of the campaign's 通报, dated as published."""
    return generate_draft(
        unit=inspection.unit,
        kind=BULLETIN.key,
        period=draft_period(inspection),
        today=inspection.published_on or timezone.localdate(),
        params={"inspection": inspection},
    )


def build_report(org: Organization | None, options: dict[str, Any]) -> Draft:
    inspection = Inspection.objects.select_related("unit", "root").filter(pk=options["inspection"]).first()
    if inspection is None:
        raise ValueError(f"--inspection：找不到编号为 {options['inspection']} 的检查（可用 lvze inspections list 查看）")
    if inspection.status == InspectionStatus.DRAFT:
        raise ValueError("--inspection：该检查尚未启动，没有可通报的结果")
    if org is not None and org.pk != inspection.unit_id:
        raise ValueError(f"--org：该检查属于{inspection.unit.name}")
    return bulletin_draft(inspection)


register_report(
    Report(
        name="bulletin",
        help="检查通报（.docx）",
        build=build_report,
        add_arguments=lambda parser: parser.add_argument(
            "--inspection", type=int, required=True, help="检查编号（lvze inspections list 中的 id）"
        ),
        org_required=False,
    )
)
