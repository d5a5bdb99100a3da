"""The built-in fact providers: one per source the platform already records.

Each reads its source for the unit's subtree and the period with set-based queries (a fixed number
per provider, whatever the number of organisations) and returns facts phrased by the unit's
templates. Counts of people are approximated by `approx_people`; counts of events and items stay
exact. Inspections, rectifications, supervision findings and 上报 add their providers where those
apps live (see `facts.py`).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q

from lvze.documents.blocks import provenance
from lvze.documents.summary.facts import (
    Fact,
    SummaryScope,
    amount_text,
    fact_provider,
    join_and,
    listed,
    quoted,
)
from lvze.documents.summary.templates import honour_level_label, join_phrases, talk_label
from lvze.duties.models import Source, Timeliness, WorkItem
from lvze.duties.timeliness import on_time_rate, timeliness_conditions, timeliness_counts
from lvze.lib.cn import approx_people
from lvze.orgs.models import DataCorrection
from lvze.records.models import (
    Activity,
    Brand,
    ConsultationLevel,
    Honor,
    LifeMeeting,
    LifeMeetingKind,
    Meeting,
    MeetingKind,
    Partnership,
    PioneerPost,
    ProblemStatus,
    StageCode,
    StageState,
    StudyPlan,
    StudyPlanKind,
    StudyRecord,
    Talk,
)
from lvze.records.selectors import activity_totals_by, meeting_counts_by

HIGHLIGHTS_PER_ITEM = 3
HIGHLIGHT_ROWS = 500  # highlights are read in date order up to this many, whatever the scale
NAMED_LIMIT = 5

# --- activities -----------------------------------------------------------------------------


@fact_provider
def activity_facts(scope: SummaryScope) -> list[Fact]:
    """Every activity type with activities in the period, per work area: counts, people, problems, amounts."""
    activities = Activity.objects.filter(scope.subtree(), scope.dates("held_on"))
    groups: dict[tuple[str, str], dict] = {}
    for row in activity_totals_by(activities, "work_area", "activity_type__name"):
        name = row["activity_type__name"]
        key = (scope.area(row["work_area"], f"activity:{name}"), name)
        group = groups.setdefault(key, {"count": 0, "participants": 0, "people_covered": 0, "problems_solved": 0,
                                        "amount": Decimal(0), "recorded": set()})
        for figure in ("count", "participants", "people_covered", "problems_solved"):
            group[figure] += row[figure]
        group["amount"] += row["amount"] or 0
        group["recorded"].add(row["work_area"])
    highlights = activity_highlights(scope, activities)
    facts = []
    for (area, name), g in groups.items():
        text = scope.text(
            f"fact.activity.{name}",
            类型=name,
            次数=g["count"],
            参与人数=approx_people(g["participants"]),
            覆盖人数=approx_people(g["people_covered"]),
            解决问题=g["problems_solved"],
            金额=amount_text(g["amount"]),
        )
        recorded = g["recorded"].pop() if len(g["recorded"]) == 1 else ""
        link = scope.url("records:activity-list", type=name, work_area=recorded, **scope.date_params())
        figures = f"{g['count']}次，覆盖群众{g['people_covered']}人，参与{g['participants']}人，解决问题{g['problems_solved']}件"
        if g["amount"]:
            figures += f"，金额{amount_text(g['amount'])}元"
        found = highlights.get((area, name), [])
        sources = [provenance(f"{name}活动", figures, link)]
        sources += [provenance(f"亮点：{h['name']}", h["highlight"], scope.url("records:activity-detail", h["pk"])) for h in found]
        facts.append(
            Fact(f"activity:{name}", text, area=area, sources=sources, highlights=unique([h["highlight"] for h in found]))
        )
    return facts


def activity_highlights(scope: SummaryScope, activities) -> dict[tuple[str, str], list[dict]]:
    """The first few distinct 亮点 of each (work area, type), in date order."""
    rows = (
        activities.exclude(highlight="")
        .order_by("held_on", "pk")
        .values("pk", "name", "work_area", "activity_type__name", "highlight")[:HIGHLIGHT_ROWS]
    )
    found: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        name = row["activity_type__name"]
        key = (scope.area(row["work_area"], f"activity:{name}"), name)
        texts = {h["highlight"] for h in found[key]}
        if len(found[key]) < HIGHLIGHTS_PER_ITEM and row["highlight"] not in texts:
            found[key].append(row)
    return found


def unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(t.strip().rstrip("。；，") for t in texts if t.strip()))


# --- meetings, 会商 and study -----------------------------------------------------------------

SEPARATE_KINDS = (MeetingKind.CONSULTATION, MeetingKind.CENTRAL_GROUP)
# The committee's own meetings go with its deployment of the year's work; the branches' with 规范支部建设.
DEPLOYMENT_KINDS = (MeetingKind.COMMITTEE_MEETING, MeetingKind.SPECIAL_TOPIC)


def meeting_theme(kind: str) -> str:
    if kind == MeetingKind.CONSULTATION:
        return "consultation"
    if kind == MeetingKind.CENTRAL_GROUP:
        return "study"
    return "deployment" if kind in DEPLOYMENT_KINDS else "meetings"


def meetings_in(scope: SummaryScope):
    return Meeting.objects.filter(scope.subtree(), scope.dates("held_on"))


def meeting_counts_per_area(scope: SummaryScope) -> dict[str, dict]:
    """Counts by kind and 会商 by level per section, without the meetings a 生活会 process reports."""

    def compute() -> dict[str, dict]:
        meetings = meetings_in(scope)
        per_area: dict[str, dict] = defaultdict(lambda: {"by_kind": defaultdict(int), "levels": defaultdict(int), "recorded": defaultdict(set)})
        for recorded, counts in meeting_counts_by(meetings, "work_area").items():
            for kind, n in counts["by_kind"].items():
                area = scope.area(recorded, meeting_theme(kind))
                per_area[area]["by_kind"][kind] += n
                per_area[area]["recorded"][kind].add(recorded)
            for level, n in counts["consultation_levels"].items():
                per_area[scope.area(recorded, "consultation")]["levels"][level] += n
        linked = LifeMeeting.objects.filter(meeting__in=meetings).values_list("meeting__work_area", "meeting__kind")
        for recorded, kind in linked:
            per_area[scope.area(recorded, meeting_theme(kind))]["by_kind"][kind] -= 1
        return per_area

    return scope.once("meeting_counts", compute)


@fact_provider
def meeting_facts(scope: SummaryScope) -> list[Fact]:
    """Every meeting kind held in the period, per work area, with its count (会商 and 中心组 apart):
    the branches' under 规范支部建设, the committee's (党委会, 专题会议) with its deployment."""
    topics = special_topics(scope)
    facts = []
    for area, counts in meeting_counts_per_area(scope).items():
        for theme in ("meetings", "deployment"):
            kinds = [
                (k, label) for k, label in MeetingKind.choices
                if meeting_theme(k) == theme and counts["by_kind"].get(k, 0) > 0
            ]
            if not kinds:
                continue
            phrases = [
                scope.text(f"fact.meeting.{k}", 类型=label, 次数=counts["by_kind"][k], 议题="、".join(topics.get(area, [])[:3]))
                for k, label in kinds
            ]
            sources = [
                provenance(label, f"{counts['by_kind'][k]}次", meeting_link(scope, k, counts["recorded"][k]))
                for k, label in kinds
            ]
            text = scope.text("fact.meetings", 会议=join_phrases(phrases))
            facts.append(Fact(theme, text, area=area, sources=sources))
    return facts


def special_topics(scope: SummaryScope) -> dict[str, list[str]]:
    """The topics of the period's 专题会议 per section (the first few, in date order)."""
    rows = (
        meetings_in(scope).filter(kind=MeetingKind.SPECIAL_TOPIC).exclude(topic="")
        .order_by("held_on", "pk").values_list("work_area", "topic")[:HIGHLIGHT_ROWS]
    )
    topics: dict[str, list[str]] = defaultdict(list)
    for recorded, topic in rows:
        area = scope.area(recorded, "deployment")
        if topic not in topics[area]:
            topics[area].append(topic)
    return topics


def meeting_link(scope: SummaryScope, kind: str, recorded: set[str], **params: str) -> str:
    area = next(iter(recorded)) if len(recorded) == 1 else ""
    return scope.url("records:meeting-list", kind=kind, work_area=area, **params, **scope.date_params())


@fact_provider
def consultation_facts(scope: SummaryScope) -> list[Fact]:
    """三级会商: every level with consultations in the period, with its count."""
    facts = []
    order = [*ConsultationLevel.values, ""]
    for area, counts in meeting_counts_per_area(scope).items():
        levels = [(level, n) for level, n in sorted(counts["levels"].items(), key=lambda x: order.index(x[0]) if x[0] in order else 99) if n]
        if not levels:
            continue
        phrases, sources = [], []
        for level, n in levels:
            label = ConsultationLevel(level).label if level in ConsultationLevel.values else "其他"
            phrases.append(scope.text(f"fact.consultation.{level or 'other'}", 类型=label, 次数=n))
            link = scope.url("records:meeting-list", kind=MeetingKind.CONSULTATION, level=level, **scope.date_params())
            sources.append(provenance(f"会商：{label}", f"{n}次", link))
        facts.append(Fact("consultation", scope.text("fact.consultation", 会商="、".join(phrases)), area=area, sources=sources))
    return facts


@fact_provider
def study_facts(scope: SummaryScope) -> list[Fact]:
    """学习计划, 集中学习 and 理论学习中心组学习 in the period."""
    plans = dict(
        StudyPlan.objects.filter(scope.subtree(), period__in=scope.period_codes())
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    records = StudyRecord.objects.filter(scope.subtree(), scope.dates("held_on")).count()
    central = {area: c["by_kind"].get(MeetingKind.CENTRAL_GROUP, 0) for area, c in meeting_counts_per_area(scope).items()}
    home = scope.area("", "study")
    facts = []
    for area in {home, *[a for a, n in central.items() if n]}:
        values = {"中心组学习": central.get(area, 0)}
        if area == home:
            values.update(
                支部计划=plans.get(StudyPlanKind.BRANCH, 0), 中心组计划=plans.get(StudyPlanKind.CENTRAL, 0), 集中学习=records
            )
        if not any(values.values()):
            continue
        sources = []
        if values.get("支部计划") or values.get("中心组计划"):
            sources.append(provenance("学习计划", f"党支部{values.get('支部计划', 0)}份，中心组{values.get('中心组计划', 0)}份",
                                      scope.url("records:study-plans-list", org=scope.unit.code, year=scope.period.year)))
        if values.get("集中学习"):
            sources.append(provenance("学习记录", f"{records}次", scope.url("records:study-records-list", org=scope.unit.code, year=scope.period.year)))
        if values["中心组学习"]:
            sources.append(provenance("理论学习中心组学习", f"{values['中心组学习']}次",
                                      scope.url("records:meeting-list", kind=MeetingKind.CENTRAL_GROUP, **scope.date_params())))
        facts.append(Fact("study", scope.text("fact.study", **values), area=area, sources=sources))
    return facts


# --- 民主生活会 / 组织生活会 ----------------------------------------------------------------------

BEFORE_STAGES = {
    StageCode.STUDY: "会前学习",
    StageCode.OPINIONS: "征求意见",
    StageCode.TALKS: "谈心谈话",
    StageCode.MATERIALS: "撰写对照检查材料",
}


@fact_provider
def life_meeting_facts(scope: SummaryScope) -> list[Fact]:
    """The unit's own 生活会 in full (preparation, 问题清单 and its progress, archive); those of the
    organisations below it counted by kind and year."""
    processes = (
        LifeMeeting.objects.filter(scope.subtree(), meeting__held_on__gte=scope.start, meeting__held_on__lte=scope.end)
        .select_related("meeting", "organization")
        .annotate(
            problems_total=Count("problems", distinct=True),
            problems_done=Count("problems", filter=Q(problems__status=ProblemStatus.DONE), distinct=True),
            problems_doing=Count("problems", filter=Q(problems__status=ProblemStatus.IN_PROGRESS), distinct=True),
        )
        .order_by("meeting__held_on", "pk")
    )
    own = [p for p in processes if p.organization_id == scope.unit.pk]
    others = [p for p in processes if p.organization_id != scope.unit.pk]
    stages = stage_states([p.pk for p in own])
    facts = []
    for process in own:
        done = stages.get(process.pk, {})
        before = [label for code, label in BEFORE_STAGES.items() if done.get(code)]
        text = scope.text(
            "fact.life",
            会议=f"{process.year}年度{process.get_kind_display()}",
            会前环节="、".join(before),
            问题数=process.problems_total,
            已整改=process.problems_done,
            整改中=process.problems_doing,
            待整改=process.problems_total - process.problems_done - process.problems_doing,
            归档="完成资料归档" if done.get(StageCode.ARCHIVE) else "",
        )
        sources = [
            provenance(process.title, f"{process.meeting.held_on:%Y-%m-%d}召开", scope.url("records:life-detail", process.pk)),
            provenance("会前环节", "、".join(before) or "未登记", scope.url("records:life-detail", process.pk)),
            provenance("问题清单", f"{process.problems_total}条，已整改{process.problems_done}条，整改中{process.problems_doing}条",
                       scope.url("records:life-detail", process.pk)),
        ]
        facts.append(Fact("life", text, area=scope.area(process.meeting.work_area, "life"), sources=sources))
    grouped: dict[tuple[str, int], list[LifeMeeting]] = defaultdict(list)
    for process in others:
        grouped[(process.kind, process.year)].append(process)
    for (kind, year), group in grouped.items():
        total = sum(p.problems_total for p in group)
        text = scope.text(
            "fact.life.others",
            组织数=len(group),
            会议=f"{year}年度{LifeMeetingKind(kind).label}",
            问题数=total,
            已整改=sum(p.problems_done for p in group),
        )
        link = scope.url("records:life-list", org=scope.unit.code, kind=kind, year=year)
        sources = [provenance(f"{year}年度{LifeMeetingKind(kind).label}", f"{len(group)}个组织，问题清单{total}条", link)]
        facts.append(Fact("life", text, area=scope.area(group[0].meeting.work_area, "life"), sources=sources))
    return facts


def stage_states(process_ids: list[int]) -> dict[int, dict[str, bool]]:
    if not process_ids:
        return {}
    from lvze.records.models import LifeMeetingStage

    states: dict[int, dict[str, bool]] = defaultdict(dict)
    for pid, code, state in LifeMeetingStage.objects.filter(process_id__in=process_ids).values_list("process_id", "code", "state"):
        states[pid][code] = state == StageState.DONE
    return states


# --- talks -----------------------------------------------------------------------------------


@fact_provider
def talk_facts(scope: SummaryScope) -> list[Fact]:
    counts = list(
        Talk.objects.filter(scope.subtree(), scope.dates("held_on")).order_by().values_list("kind").annotate(n=Count("id"))
    )
    counts = [(kind, n) for kind, n in counts if n]
    if not counts:
        return []
    from lvze.records.models import TalkKind

    order = list(TalkKind.values)
    counts.sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
    phrases = [scope.text("fact.talk", 类型=talk_label(kind), 次数=n) for kind, n in counts]
    link = scope.url("records:talk-list", **scope.date_params())
    sources = [provenance(talk_label(kind), f"{n}人次", link) for kind, n in counts]
    return [Fact("talks", scope.text("fact.talks", 谈话="、".join(phrases)), area=scope.area("", "talks"), sources=sources)]


# --- honours ---------------------------------------------------------------------------------


def honour_phrase(scope: SummaryScope, level: str, title: str) -> str:
    label = honour_level_label(level)
    key = "fact.honour.named" if not label or title.startswith(label) else "fact.honour.level"
    return scope.text(key, 级别=label, 名称=title.strip().strip("“”\""))


@fact_provider
def honour_facts(scope: SummaryScope) -> list[Fact]:
    """The unit's own honours by name; the organisations' below it by name (or counted when many);
    people's grouped by who awarded them."""
    honours = Honor.objects.filter(scope.subtree(), scope.dates("awarded_on"))
    own = Q(recipient_person__isnull=True) & (
        Q(recipient_org=scope.unit) | Q(recipient_org__isnull=True, organization=scope.unit)
    )
    by_area: dict[str, dict] = defaultdict(lambda: {"unit": [], "orgs": [], "orgs_counted": None, "people": defaultdict(dict)})
    link = scope.url("records:honors-list", org=scope.unit.code, year=scope.period.year)
    for row in honours.filter(own).order_by("awarded_on", "pk").values("pk", "level", "title", "work_area"):
        by_area[scope.area(row["work_area"], "honours")]["unit"].append(row)
    org_honours = honours.filter(recipient_person__isnull=True).exclude(own)
    org_rows = list(
        org_honours.order_by("awarded_on", "pk").values("pk", "level", "title", "work_area", "recipient_org__name", "organization__name")[
            : NAMED_LIMIT + 1
        ]
    )
    if len(org_rows) <= NAMED_LIMIT:
        for row in org_rows:
            by_area[scope.area(row["work_area"], "honours")]["orgs"].append(row)
    else:
        counted = org_honours.order_by().values("work_area", "level").annotate(
            n=Count("id"), orgs=Count("recipient_org", distinct=True), plain=Count("organization", distinct=True)
        )
        for row in counted:
            entry = by_area[scope.area(row["work_area"], "honours")]
            entry["orgs_counted"] = entry["orgs_counted"] or defaultdict(int)
            entry["orgs_counted"][row["level"]] += row["n"]
            entry["orgs_counted"]["_orgs"] += max(row["orgs"], row["plain"])
    people = (
        honours.filter(recipient_person__isnull=False)
        .order_by()
        .values("work_area", "awarded_by", "title")
        .annotate(n=Count("recipient_person", distinct=True), first=Min("awarded_on"), first_pk=Min("pk"))
        .order_by("first", "first_pk")
    )
    for row in people:
        area = scope.area(row["work_area"], "honours")
        by_area[area]["people"][row["awarded_by"]][row["title"]] = by_area[area]["people"][row["awarded_by"]].get(row["title"], 0) + row["n"]
    facts = []
    for area, entry in by_area.items():
        parts, sources = [], []
        if entry["unit"]:
            names = [honour_phrase(scope, r["level"], r["title"]) for r in entry["unit"]]
            parts.append(scope.text("fact.honours.unit", 荣誉=join_and(names)))
            sources += [provenance("本单位荣誉", f"{honour_level_label(r['level'])}{r['title']}", link) for r in entry["unit"]]
        by_org: dict[str, list[str]] = defaultdict(list)
        for row in entry["orgs"]:
            by_org[row["recipient_org__name"] or row["organization__name"]].append(honour_phrase(scope, row["level"], row["title"]))
            sources.append(provenance(row["recipient_org__name"] or row["organization__name"], row["title"], link))
        parts += [scope.text("fact.honours.org", 组织=org, 荣誉=join_and(names)) for org, names in by_org.items()]
        if entry["orgs_counted"]:
            counted = entry["orgs_counted"]
            levels = [(lvl, n) for lvl, n in counted.items() if lvl != "_orgs"]
            total = sum(n for _lvl, n in levels)
            detail = "、".join(f"{honour_level_label(lvl) or '其他'}{n}项" for lvl, n in levels)
            parts.append(scope.text("fact.honours.orgs_counted", 单位数=counted["_orgs"], 项数=total, 分级=detail))
            sources.append(provenance("所属组织荣誉", f"{total}项", link))
        groups = list(entry["people"].items())  # by their first honour's date
        for awarded_by, titles in groups[:NAMED_LIMIT]:
            n = sum(titles.values())
            key = "fact.honours.people" if len(titles) == 1 else "fact.honours.people_several"
            parts.append(scope.text(key, 人数=approx_people(n), 授予单位=awarded_by, 荣誉=join_and(list(titles))))
            sources.append(provenance(f"个人荣誉（{awarded_by or '未填授予单位'}）", f"{n}人：{'、'.join(titles)}", link))
        if len(groups) > NAMED_LIMIT:
            rest = sum(sum(titles.values()) for _by, titles in groups[NAMED_LIMIT:])
            parts.append(f"另有{approx_people(rest)}人获得其他荣誉")
        if parts:
            facts.append(Fact("honours", scope.text("fact.honours", 获奖情况="，".join(parts)), area=area, sources=sources))
    return facts


# --- the ledger and people records: 核对调整, timeliness, tasks --------------------------------
# (registration order is the order within an item: the seed names 核对调整 before the timeliness)


@fact_provider
def correction_facts(scope: SummaryScope) -> list[Fact]:
    """核对调整人员信息N项 in the period."""
    corrections = DataCorrection.objects.filter(scope.subtree("unit__path"), scope.moments("corrected_at"))
    figures = corrections.aggregate(n=Count("id"), people=Count("person", distinct=True))
    if not figures["n"]:
        return []
    text = scope.text("fact.corrections", 项数=figures["n"], 人数=approx_people(figures["people"]))
    link = scope.url("orgs:quality", org=scope.unit.code)
    sources = [provenance("核对调整人员信息", f"{figures['n']}项，涉及{figures['people']}人", link)]
    return [Fact("meetings", text, area=scope.area("", "meetings"), sources=sources, order=70)]


def percent(rate: float | None) -> str:
    if rate is None:
        return ""
    text = f"{rate * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


@fact_provider
def timeliness_facts(scope: SummaryScope) -> list[Fact]:
    """"未出现临期、逾期及逾期办结任务" only when the period has items and none of them is 临期, 逾期 or
    逾期办结 as of its end; otherwise the counts and the on-time rate; nothing without items."""
    items = WorkItem.objects.filter(scope.subtree("org_path"), scope.dates("due_date"))
    counts = timeliness_counts(items, scope.as_of)
    total = sum(counts[key] for key in (Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE, Timeliness.DUE_SOON, Timeliness.NORMAL))
    if not total:
        return []
    late = counts[Timeliness.LATE] + counts[Timeliness.OVERDUE] + counts[Timeliness.DUE_SOON]
    values = {
        "事项数": total,
        "按期办结": counts[Timeliness.ON_TIME],
        "逾期办结": counts[Timeliness.LATE],
        "逾期": counts[Timeliness.OVERDUE],
        "临期": counts[Timeliness.DUE_SOON],
        "正常": counts[Timeliness.NORMAL],
        "按期办结率": percent(on_time_rate(counts, total)),
    }
    text = scope.text("fact.timeliness.counts" if late else "fact.timeliness.clean", **values)
    link = scope.url("duties:item-list", org=scope.unit.code, period=scope.period.year)
    figures = "，".join(f"{Timeliness(k).label}{counts[k]}项" for k in Timeliness.values if k != Timeliness.LONG_TERM)
    sources = [
        provenance(f"{scope.period.label()}到期事项", f"{total}项（截至{scope.as_of:%Y-%m-%d}）", link),
        provenance("时效", figures, link),
    ]
    if total:
        sources.append(provenance("按期办结率", values["按期办结率"], link))
    return [Fact("meetings", text, area=scope.area("", "meetings"), sources=sources, order=90)]


@fact_provider
def task_facts(scope: SummaryScope) -> list[Fact]:
    """The unit's 重点任务 due in the period, per plan and work area: on time, late, still open."""
    conditions = timeliness_conditions(scope.as_of)
    rows = (
        WorkItem.objects.filter(source=Source.TASK, task__plan__unit=scope.unit, due_date__gte=scope.start, due_date__lte=scope.end)
        .order_by()
        .values("task_id", "task__title", "task__seq", "task__plan_id", "task__plan__name", "task__work_area__name")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=conditions[Timeliness.ON_TIME]),
            late=Count("id", filter=conditions[Timeliness.LATE]),
        )
        .order_by("task__plan_id", "task__seq", "task_id")
    )
    groups: dict[tuple[int, str], dict] = {}
    for row in rows:
        area = scope.area(row["task__work_area__name"] or "", "deployment")
        group = groups.setdefault(
            (row["task__plan_id"], area), {"plan": row["task__plan__name"], "on_time": [], "late": [], "open": []}
        )
        if row["on_time"] + row["late"] < row["total"]:
            group["open"].append(row)
        elif row["late"]:
            group["late"].append(row)
        else:
            group["on_time"].append(row)
    facts = []
    for (plan_id, area), g in groups.items():
        titles = [task_phrase(r["task__title"]) for r in g["on_time"]]
        text = scope.text(
            "fact.tasks",
            计划=g["plan"].strip("《》"),
            按期任务=listed(titles) + ("等" if len(titles) > 3 else ""),
            按期办结=len(g["on_time"]),
            逾期办结=len(g["late"]),
            推进中=len(g["open"]),
        )
        link = scope.url("plans:plan-detail", plan_id)
        sources = [
            provenance(g["plan"], f"按期办结{len(g['on_time'])}项，逾期办结{len(g['late'])}项，正在推进{len(g['open'])}项", link)
        ]
        sources += [provenance("重点任务", r["task__title"], link) for r in [*g["on_time"], *g["late"], *g["open"]][:20]]
        facts.append(Fact("deployment", text, area=area, sources=sources))
    return facts


def task_phrase(title: str) -> str:
    return title.strip().rstrip("。；;，,")


# --- registries ------------------------------------------------------------------------------


@fact_provider
def registry_facts(scope: SummaryScope) -> list[Fact]:
    """党建品牌, 包联支部, 结对共建 and 党员先锋模范岗 in force during the period."""
    current = Q(started_on__lte=scope.end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start))
    brands = list(
        Brand.objects.filter(scope.subtree(), active=True)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=scope.end))
        .order_by("established_on", "pk")
        .values_list("name", flat=True)[: NAMED_LIMIT + 1]
    )
    partners = defaultdict(list)
    for kind, name in Partnership.objects.filter(scope.subtree(), current).order_by("started_on", "pk").values_list("kind", "partner_name")[:50]:
        if name not in partners[kind]:
            partners[kind].append(name)
    posts = PioneerPost.objects.filter(scope.subtree(), designated_on__lte=scope.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start)
    ).count()
    if not (brands or partners or posts):
        return []

    def names(items: list[str]) -> str:
        return listed(items, NAMED_LIMIT) + ("等" if len(items) > NAMED_LIMIT else "")

    text = scope.text(
        "fact.registries",
        品牌="".join(quoted(b) for b in brands[:NAMED_LIMIT]) + ("等" if len(brands) > NAMED_LIMIT else ""),
        包联=names(partners[Partnership.Kind.CONTACT]),
        结对=names(partners[Partnership.Kind.PAIRING]),
        先锋岗=posts,
    )
    sources = []
    if brands:
        sources.append(provenance("党建品牌", "、".join(brands[:NAMED_LIMIT]), scope.url("records:brands-list", org=scope.unit.code)))
    for kind, label in Partnership.Kind.choices:
        if partners[kind]:
            sources.append(provenance(label, "、".join(partners[kind][:NAMED_LIMIT]), scope.url("records:partnerships-list", org=scope.unit.code, kind=kind)))
    if posts:
        sources.append(provenance("党员先锋模范岗", f"{posts}个", scope.url("records:pioneer-posts-list", org=scope.unit.code)))
    return [Fact("registries", text, area=scope.area("", "registries"), sources=sources)]

