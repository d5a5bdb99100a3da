"""What inspections, supervision and the rectification ledger contribute to the 工作总结.

- 检查 and 通报: the campaigns of the period, the organisations checked, the 通报 published and the
  problems found ("坚持每季度……进行检查，下发通报，发现问题，立行立改"), in 规范支部建设;
- 整改: the rectifications due or registered in the period by source, in their current state;
- 监督: supervision findings by their six types (六位一体) and 巡察 feedback;
- 述职评议 of branch secretaries and leaders' 述职述廉报告.

Each says nothing when the period has none. Registered when the app is ready (see `apps.py`).
"""

from __future__ import annotations

from django.db.models import Count, Q

from lvze.documents.blocks import provenance
from lvze.documents.summary.facts import Fact, SummaryScope, fact_provider, listed, register_theme
from lvze.documents.summary.templates import register_template
from lvze.duties.models import Status
from lvze.inspections.models import (
    DutyReport,
    Evaluation,
    EvaluationEntry,
    Finding,
    FindingSource,
    Inspection,
    InspectionStatus,
    InspectionTarget,
    Rectification,
    RectificationEvent,
    RectificationSource,
    RectificationState,
    SupervisionType,
)
from lvze.inspections.selectors import state_q, supervision_counts
from lvze.lib.cn import approx_people

# Their items' places among the built-in ones follow the seed: 述职评议 opens 党建质量 (坚持党建统领),
# the 六位一体 opens 综合监督 before the 会商, 整改 comes after them.
register_theme("evaluation", "党建质量", "坚持党建统领", label="述职评议", before="activities")
register_theme("rectification", "党建质量", "坚持问题导向，抓好整改落实", label="问题整改", before="honours")
register_theme("supervision", "综合监督", "统筹“六位一体”监督，完善一体化综合监督体系", label="六位一体监督",
               before="consultation")
register_theme("duty_reports", "意识形态", "压实意识形态工作责任", label="述职述廉", before="deployment")

register_template(
    "fact.inspections",
    "检查与通报",
    "坚持开展{检查}，检查党组织{对象数}个次[，下发通报{通报数}期][，发现问题{问题数}个]，立行立改",
    ("本期", "期间", "检查", "次数", "对象数", "通报数", "问题数"),
)
register_template(
    "fact.rectifications",
    "问题整改（每种来源）",
    "{来源}问题整改{总数}个[，已销号{已销号}个][，验收通过待销号{验收通过}个][，申请销号{申请销号}个]"
    "[，正在整改{整改中}个][，退回重改{已退回}个][，其中逾期未完成{逾期}个]",
    ("本期", "期间", "来源", "总数", "已销号", "验收通过", "申请销号", "整改中", "已退回", "逾期"),
)
register_template(
    "fact.supervision",
    "六位一体监督",
    "{本期}以来，{监督}",
    ("本期", "期间", "监督"),
)
register_template("fact.supervision.type", "六位一体监督（每类）", "{类型}发现问题{次数}个", ("类型", "次数"))
register_template(
    "fact.evaluations",
    "述职评议",
    "组织开展{名称}，{人数}名党支部书记述职并接受评议[，{好}名评为“好”等次][，点评指出问题{问题数}个]",
    ("名称", "人数", "好", "问题数"),
)
register_template(
    "fact.duty_reports",
    "述职述廉报告",
    "班子成员提交述职述廉报告{份数}份[，{意识形态}份将履行意识形态工作责任情况纳入其中]",
    ("份数", "意识形态"),
)

RECTIFICATION_AREAS = {
    RectificationSource.INSPECTION: "党建质量",
    RectificationSource.SELF: "党建质量",
    RectificationSource.EVALUATION: "党建质量",
    RectificationSource.LIFE_MEETING: "从严治党",
    RectificationSource.ORG_LIFE: "从严治党",
    RectificationSource.PATROL: "综合监督",
    RectificationSource.SUPERVISION: "综合监督",
}


def in_scope(scope: SummaryScope) -> Q:
    return scope.subtree("unit__path")


@fact_provider
def inspection_facts(scope: SummaryScope) -> list[Fact]:
    """The campaigns of the period (their 检查期间 inside it), what they covered and found."""
    inspections = (
        Inspection.objects.filter(in_scope(scope), period__in=scope.period_codes())
        .exclude(status=InspectionStatus.DRAFT)
        .order_by("period", "pk")
    )
    rows = list(inspections.values("pk", "name", "status", "published_on"))
    if not rows:
        return []
    ids = [r["pk"] for r in rows]
    targets = InspectionTarget.objects.filter(inspection_id__in=ids).count()
    problems = Finding.objects.filter(inspection_id__in=ids).count()
    published = [r for r in rows if r["status"] == InspectionStatus.PUBLISHED and r["published_on"]]
    names = [r["name"] for r in rows]
    text = scope.text(
        "fact.inspections",
        检查=listed(names) + ("等" if len(names) > 3 else ""),
        次数=len(rows),
        对象数=targets,
        通报数=len(published),
        问题数=problems,
    )
    sources = [provenance("检查", r["name"], scope.url("inspections:inspection-detail", r["pk"])) for r in rows[:20]]
    sources.append(provenance("检查对象", f"{targets}个次；通报{len(published)}期；发现问题{problems}个",
                              scope.url("inspections:inspection-list")))
    return [Fact("meetings", text, area=scope.area("", "meetings"), sources=sources, order=80)]


@fact_provider
def rectification_facts(scope: SummaryScope) -> list[Fact]:
    """Rectifications due or registered in the period, by source, in their current state."""
    # Registered = its 登记 event (which an import or a finding dates), not the row's insertion time.
    registered = RectificationEvent.objects.filter(scope.moments("at"), action=RectificationEvent.Action.CREATED)
    due_or_new = Q(deadline__gte=scope.start, deadline__lte=scope.end) | Q(pk__in=registered.values("rectification_id"))
    aggregates = {str(state): Count("id", filter=state_q(state)) for state in RectificationState}
    aggregates["total"] = Count("id")
    aggregates["overdue"] = Count("id", filter=~Q(work_item__status=Status.DONE) & Q(deadline__lt=scope.as_of))
    rows = (
        Rectification.objects.filter(in_scope(scope)).filter(due_or_new)
        .values("source").annotate(**aggregates).order_by("source")
    )
    facts = []
    link = scope.url("rectifications:rectification-list")
    for row in rows:
        source = row["source"]
        label = RectificationSource(source).label if source in RectificationSource.values else source
        text = scope.text(
            "fact.rectifications",
            来源=label,
            总数=row["total"],
            已销号=row[RectificationState.CLOSED],
            验收通过=row[RectificationState.VERIFIED],
            申请销号=row[RectificationState.REQUESTED],
            整改中=row[RectificationState.IN_PROGRESS],
            已退回=row[RectificationState.RETURNED],
            逾期=row["overdue"],
        )
        figures = "，".join(f"{state.label}{row[str(state)]}个" for state in RectificationState)
        sources = [provenance(f"整改：{label}", f"{row['total']}个（{figures}）", link)]
        area = scope.area(RECTIFICATION_AREAS.get(source, ""), "rectification")
        facts.append(Fact("rectification", text, area=area, sources=sources))
    return facts


@fact_provider
def supervision_facts(scope: SummaryScope) -> list[Fact]:
    """Supervision findings of the period by their six types, and 巡察 feedback."""
    findings = Finding.objects.filter(in_scope(scope), scope.dates("found_on"))
    by_type = supervision_counts(findings)
    patrol = findings.filter(source=FindingSource.PATROL).count()
    phrases, sources = [], []
    link = scope.url("inspections:finding-list")
    for kind, label in SupervisionType.choices:
        if by_type.get(kind):
            phrases.append(scope.text("fact.supervision.type", 类型=label, 次数=by_type[kind]))
            sources.append(provenance(label, f"{by_type[kind]}个", link))
    if by_type.get(""):
        phrases.append(scope.text("fact.supervision.type", 类型="其他监督", 次数=by_type[""]))
        sources.append(provenance("其他监督", f"{by_type['']}个", link))
    if patrol:
        phrases.append(scope.text("fact.supervision.type", 类型="巡察反馈", 次数=patrol))
        sources.append(provenance("巡察反馈", f"{patrol}个", link))
    if not phrases:
        return []
    text = scope.text("fact.supervision", 监督="、".join(phrases))
    return [Fact("supervision", text, area=scope.area("", "supervision"), sources=sources)]


@fact_provider
def evaluation_facts(scope: SummaryScope) -> list[Fact]:
    """述职评议 sessions held in the period."""
    sessions = list(
        Evaluation.objects.filter(in_scope(scope), scope.dates("held_on"))
        .annotate(
            people=Count("entries", distinct=True),
            good=Count("entries", filter=Q(entries__grade="good"), distinct=True),
        )
        .order_by("held_on", "pk")
    )
    facts = []
    for session in sessions:
        entries = EvaluationEntry.objects.filter(evaluation=session).values_list("problems", flat=True)
        problems = sum(len([line for line in text.splitlines() if line.strip()]) for text in entries)
        text = scope.text("fact.evaluations", 名称=session.title, 人数=approx_people(session.people), 好=session.good,
                          问题数=problems)
        link = scope.url("inspections:evaluation-detail", session.pk)
        sources = [provenance(session.title, f"{session.held_on:%Y-%m-%d}，述职{session.people}人，指出问题{problems}个", link)]
        facts.append(Fact("evaluation", text, area=scope.area("", "evaluation"), sources=sources))
    return facts


@fact_provider
def duty_report_facts(scope: SummaryScope) -> list[Fact]:
    """Leaders' 述职述廉报告 filed in the period, and how many cover their 意识形态 duties."""
    figures = DutyReport.objects.filter(in_scope(scope), scope.dates("filed_on")).aggregate(
        n=Count("id"), ideology=Count("id", filter=Q(content__contains="意识形态"))
    )
    if not figures["n"]:
        return []
    text = scope.text("fact.duty_reports", 份数=figures["n"], 意识形态=figures["ideology"])
    sources = [provenance("述职述廉报告", f"{figures['n']}份，涵盖意识形态{figures['ideology']}份",
                          scope.url("inspections:report-list"))]
    return [Fact("duty_reports", text, area=scope.area("", "duty_reports"), sources=sources)]

