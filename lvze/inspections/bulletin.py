"""The 通报 of a campaign: 检查基本情况 (with the ranking table), 主要做法和成效, 发现的问题 by unit and
整改要求, as a GB/T 9704 document.

Every figure comes from the campaign's own rows — scores, the facts computed from the ledger, the
findings — so the bulletin and the campaign's pages always agree. The two written sections take the
unit's own text when it has written one, else a draft composed from the figures.

`BULLETIN_SECTIONS` lists the sections in order, each a function of the inspection returning
document blocks, so the documents machinery can turn them into an editable draft section by section.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from lvze.documents.selectors import mask_registry_for
from lvze.inspections.models import Board, Fact, Inspection, InspectionItem, InspectionTarget, Score
from lvze.lib import gongwen
from lvze.lib.cn import cn_date
from lvze.lib.gongwen.writer import text_width_chars
from lvze.lib.masking import MaskRegistry, docx_leaks, mask_docx, mask_filename
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, OrgKind

ONE_PLACE = Decimal("0.1")


def fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return str(value.quantize(ONE_PLACE, ROUND_HALF_UP))


def points(value: Decimal) -> str:
    """A weight as written in a header: 20, or 12.5."""
    return str(value.quantize(Decimal("1"))) if value == value.to_integral_value() else fmt(value)


def pct(numerator: int, denominator: int) -> str:
    return f"{(Decimal(numerator) * 100 / denominator).quantize(ONE_PLACE, ROUND_HALF_UP)}%"


@dataclass
class BulletinData:
    inspection: Inspection
    items: list[InspectionItem]
    targets: list[InspectionTarget]
    scores: dict[tuple[int, int], Score]

    @property
    def kind_label(self) -> str:
        return OrgKind(self.inspection.target_kind).label

    def ranked(self) -> list[InspectionTarget]:
        return sorted(self.targets, key=lambda t: (t.rank is None, t.rank or 0, t.organization.path))

    def names_on(self, board: str) -> list[str]:
        return [t.organization.name for t in self.ranked() if t.board == board]


def load(inspection: Inspection) -> BulletinData:
    items = list(inspection.items.all())
    targets = list(inspection.targets.select_related("organization", "work_item"))
    scores = {
        (s.target_id, s.item_id): s
        for s in Score.objects.filter(target__inspection=inspection).only(
            "target_id", "item_id", "ratio", "fact_data", "computed_ratio"
        )
    }
    return BulletinData(inspection, items, targets, scores)


TITLE_LINE_CHARS = 18  # a 2号 title line holds about 20 characters; keep a margin for wider fonts


def title_of(inspection: Inspection) -> str:
    return f"关于{inspection.name}情况的通报"


def title_lines(inspection: Inspection) -> str:
    """The title broken where it reads naturally (after the campaign's name) when it is too long for
    one line, rather than leaving a lone character on the second line."""
    title = title_of(inspection)
    first = f"关于{inspection.name}"
    if text_width_chars(title) <= TITLE_LINE_CHARS or text_width_chars(first) > TITLE_LINE_CHARS:
        return title
    return f"{first}\n情况的通报"


# --- 一、检查基本情况 -------------------------------------------------------------------------


def opening(data: BulletinData) -> list[gongwen.Block]:
    inspection = data.inspection
    period = Period.parse(inspection.period)
    return [
        gongwen.Paragraph(
            f"为推动基层党组织标准化规范化建设，落实党建工作“月提醒、季检查”制度，{inspection.unit.name}"
            f"对{inspection.root.name}所属{len(data.targets)}个{data.kind_label}{period.label()}工作开展了检查。"
            "现将检查情况通报如下："
        )
    ]


def self_check_sentence(data: BulletinData) -> str:
    items = [t.work_item for t in data.targets if t.work_item is not None]
    submitted = [i for i in items if i.submitted_at or i.done_on]
    on_time = [
        i for i in submitted if (i.done_on or timezone.localdate(i.submitted_at)) <= data.inspection.deadline
    ]
    if not items:
        return ""
    if len(on_time) == len(items):
        return f"各{data.kind_label}均按时提交了自查报告。"
    return (
        f"{len(items)}个{data.kind_label}中，{len(on_time)}个按时提交了自查报告"
        + (f"，{len(submitted) - len(on_time)}个逾期提交" if len(submitted) > len(on_time) else "")
        + (f"，{len(items) - len(submitted)}个未提交" if len(items) > len(submitted) else "")
        + "。"
    )


def inspector_names(inspection: Inspection) -> list[str]:
    return [p.name for p in inspection.inspectors.order_by("name")]


def basic_section(data: BulletinData) -> list[gongwen.Block]:
    inspection = data.inspection
    contents = "、".join(i.title for i in data.items)
    people = inspector_names(inspection)
    text = (
        f"本次检查采取{data.kind_label}自查与检查组实地检查相结合、平台数据自动核验的方式进行，"
        f"检查内容包括{contents}等{len(data.items)}个方面。"
        + (f"检查组由{'、'.join(people)}组成。" if people else "")
        + self_check_sentence(data)
    )
    blocks: list[gongwen.Block] = [gongwen.Heading(1, "检查基本情况"), gongwen.Paragraph(text)]
    totals = [t.score for t in data.targets if t.score is not None]
    if totals:
        average = sum(totals, Decimal("0")) / len(totals)
        summary = f"经检查评分，各{data.kind_label}平均得分{fmt(average)}分，最高{fmt(max(totals))}分，最低{fmt(min(totals))}分。"
        red, black = data.names_on(Board.RED), data.names_on(Board.BLACK)
        if red:
            summary += f"{'、'.join(red)}列入红榜"
            summary += f"，{'、'.join(black)}列入黑榜。" if black else "。"
        weights = "、".join(f"{i.title}{points(i.weight)}分" for i in data.items)
        summary += f"各{data.kind_label}得分及排名如下（{weights}，总分按100分计）："
        blocks.append(gongwen.Paragraph(summary))
        blocks.append(ranking_table(data))
    return blocks


def ranking_table(data: BulletinData) -> gongwen.Table:
    with_board = data.inspection.board_size > 0
    header = ["排名", data.kind_label, *[i.title for i in data.items], "总分"]
    if with_board:
        header.append("红黑榜")
    total_weight = sum((i.weight for i in data.items), Decimal("0")) or Decimal("1")
    rows = []
    for target in data.ranked():
        cells = [str(target.rank or "—"), target.organization.name]
        for item in data.items:
            score = data.scores.get((target.pk, item.pk))
            share = score.ratio if score else None
            # Each item on its weight's share of 100, so a row adds up to its total.
            cells.append("—" if share is None else fmt(share * item.weight * 100 / total_weight))
        cells.append(fmt(target.score))
        if with_board:
            cells.append(Board(target.board).label if target.board else "")
        rows.append(cells)
    # Wide enough at the 14 pt a draft's tables are written in: a five-character branch name, "100.0", "红榜".
    widths = [1.0, 3.0, *[1.65] * len(data.items), 1.7] + ([1.4] if with_board else [])
    return gongwen.Table(header=header, rows=rows, widths=widths, font_size_pt=10.5)


# --- 二、主要做法和成效 -----------------------------------------------------------------------


def fact_totals(data: BulletinData, item: InspectionItem) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for target in data.targets:
        score = data.scores.get((target.pk, item.pk))
        for key, value in (score.fact_data if score else {}).items():
            if isinstance(value, int):
                totals[key] += value
    return totals


def fact_sentence(data: BulletinData, item: InspectionItem) -> str:
    totals = fact_totals(data, item)
    if item.fact == Fact.TIMELINESS and totals.get("due"):
        return (
            f"{item.title}方面，期内到期事项{totals['due']}项，按期办结{totals['on_time']}项，"
            f"按期办结率{pct(totals['on_time'], totals['due'])}。"
        )
    if item.fact == Fact.MEETINGS and totals.get("expected"):
        return (
            f"{item.title}方面，各{data.kind_label}应开展{totals['expected']}次，按期开展{totals['on_time']}次，"
            f"按期开展率{pct(totals['on_time'], totals['expected'])}。"
        )
    if item.fact == Fact.STUDY and totals.get("months"):
        return (
            f"{item.title}方面，{totals['months_with_records']}个月次登记了政治学习（应为{totals['months']}个月次），"
            f"共学习{totals['records']}次。"
        )
    return ""


def generated_practices(data: BulletinData) -> str:
    lines = ["从检查情况看，各" + data.kind_label + "能够按照上级部署，认真落实“三会一课”、主题党日等制度，党建工作总体规范有序。"]
    facts = [s for s in (fact_sentence(data, i) for i in data.items if i.fact) if s]
    lines.extend(facts)
    red = data.names_on(Board.RED)
    if red:
        lines.append(f"{'、'.join(red)}工作扎实、台账规范，得分位居前列，值得各{data.kind_label}学习借鉴。")
    return "\n".join(lines)


def practices_section(data: BulletinData) -> list[gongwen.Block]:
    text = data.inspection.practices or generated_practices(data)
    return [gongwen.Heading(1, "主要做法和成效"), gongwen.Paragraph(text)]


# --- 三、发现的问题 ---------------------------------------------------------------------------


def problems_section(data: BulletinData) -> list[gongwen.Block]:
    blocks: list[gongwen.Block] = [gongwen.Heading(1, "发现的问题")]
    findings = data.inspection.findings.select_related("organization", "item").order_by(
        "organization__path", "found_on", "id"
    )
    by_org: OrderedDict[int, tuple[Organization, list]] = OrderedDict()
    for finding in findings:
        by_org.setdefault(finding.organization_id, (finding.organization, []))[1].append(finding)
    if not by_org:
        blocks.append(gongwen.Paragraph("本次检查未发现突出问题。"))
        return blocks
    count = sum(len(found) for _, found in by_org.values())
    blocks.append(gongwen.Paragraph(f"检查共发现问题{count}个，涉及{len(by_org)}个单位，具体如下："))
    for org, found in by_org.values():
        blocks.append(gongwen.Heading(2, org.name))
        lines = []
        for number, finding in enumerate(found, start=1):
            about = f"（{finding.item.title}）" if finding.item_id and finding.item.title not in finding.description else ""
            lines.append(f"{number}.{finding.description.rstrip('。')}{about}。")
        blocks.append(gongwen.Paragraph("\n".join(lines)))
    return blocks


# --- 四、整改要求 -----------------------------------------------------------------------------


def generated_requirements(data: BulletinData) -> str:
    inspection = data.inspection
    deadline = (
        f"于{cn_date(inspection.rectify_deadline)}前完成整改，" if inspection.rectify_deadline else "限期完成整改，"
    )
    return "\n".join(
        [
            f"各{data.kind_label}要对照本通报指出的问题，认真查找原因，逐条制定整改措施，明确责任人和完成时限，"
            f"做到立行立改，{deadline}整改情况纳入整改台账管理，整改完成后上传佐证材料申请销号。",
            f"各{data.kind_label}书记要切实履行第一责任人职责，举一反三，对照检查内容开展自查，"
            "确保“三会一课”、主题党日等制度落实到位，党建云平台任务按期完成，不出现临期、逾期及逾期办结任务。",
            "检查组将对整改情况进行跟踪督办，整改不到位的将在下季度检查中重点复查。",
        ]
    )


def requirements_section(data: BulletinData) -> list[gongwen.Block]:
    text = data.inspection.requirements or generated_requirements(data)
    return [gongwen.Heading(1, "整改要求"), gongwen.Paragraph(text)]


Section = Callable[[BulletinData], list[gongwen.Block]]
BULLETIN_SECTIONS: list[tuple[str, str, Section]] = [
    ("opening", "开头", opening),
    ("basic", "检查基本情况", basic_section),
    ("practices", "主要做法和成效", practices_section),
    ("problems", "发现的问题", problems_section),
    ("requirements", "整改要求", requirements_section),
]


def bulletin_document(inspection: Inspection) -> gongwen.Document:
    data = load(inspection)
    blocks = [block for _key, _label, build in BULLETIN_SECTIONS for block in build(data)]
    recipients = f"各{data.kind_label}："
    return gongwen.Document(
        title=title_lines(inspection),
        recipients=recipients,
        blocks=blocks,
        signoff=inspection.unit.name,
        date=inspection.published_on or timezone.localdate(),
        properties=gongwen.Properties(title=title_of(inspection), subject=inspection.name),
    )


# --- files ------------------------------------------------------------------------------------


def mask_registry(inspection: Inspection) -> MaskRegistry:
    """The unit's registry with its masking settings, as every document of the unit is masked.
    Inspectors are chosen among the unit's people, so they are in it; the leak check guards the rest."""
    return mask_registry_for(inspection.unit)


class MaskingLeak(RuntimeError):
    """A masked bulletin still names someone registered: it is not handed out."""


def bulletin_filename(inspection: Inspection) -> str:
    return f"{title_of(inspection)}.docx"


def bulletin_file(inspection: Inspection, *, masked: bool = False) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the 通报, masked on request (names in body, table and properties,
    and the file name)."""
    data = gongwen.render(bulletin_document(inspection))
    name = bulletin_filename(inspection)
    if masked:
        registry = mask_registry(inspection)
        data, _report = mask_docx(data, registry)
        leaks = docx_leaks(data, registry)
        if leaks:
            raise MaskingLeak(f"脱敏后仍检出登记的名称：{leaks}")
        name = mask_filename(name, registry)
    return name, data
