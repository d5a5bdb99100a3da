"""二、下半年工作谋划 (下一年度 for a year): what is planned for the next period, by work area.

From the unit's 工作要点: the tasks with an item due in the next period, and the long-term ones
(长期坚持, 持续推进); from its rule pack: the mandatory actions (规定动作) that fall due in it.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from lvze.documents.blocks import Block, heading, paragraph, provenance
from lvze.documents.summary.compose import inline, run_in, sentence, template_source
from lvze.documents.summary.facts import SummaryScope
from lvze.duties.generation import rule_applies
from lvze.duties.models import Frequency, ObligationRule, Source, Task, WorkItem
from lvze.lib.cn import cn_sequence_word
from lvze.lib.periods import Period

FREQUENCY_WORDS = {
    Frequency.MONTHLY: "每月",
    Frequency.QUARTERLY: "每季度",
    Frequency.SEMIANNUAL: "每半年",
    Frequency.ANNUAL: "每年",
}
TIME_PHRASES = {
    Frequency.MONTHLY: "每月抓好落实",
    Frequency.QUARTERLY: "每季度抓好落实",
    Frequency.SEMIANNUAL: "每半年抓好落实",
    Frequency.ANNUAL: "年内完成",
    Frequency.LONG_TERM: "长期坚持、持续推进",
}


def next_tasks(scope: SummaryScope, following: Period) -> list[Task]:
    due_next = WorkItem.objects.filter(
        source=Source.TASK, task__plan__unit=scope.unit, due_date__gte=following.start, due_date__lte=following.end
    ).values("task_id")
    years = {following.start.year, following.end.year}
    long_term = Q(plan__year__in=years, frequency=Frequency.LONG_TERM)
    return list(
        Task.objects.filter(Q(pk__in=due_next) | long_term, plan__unit=scope.unit)
        .select_related("plan", "work_area")
        .order_by("plan__year", "plan_id", "seq", "id")
    )


def time_phrase(task: Task, following: Period) -> str:
    if task.frequency == Frequency.ONCE and task.due_date:
        due = task.due_date
        return f"{due.month}月{due.day}日前完成" if due.year == following.year else f"{due.year}年{due.month}月{due.day}日前完成"
    return TIME_PHRASES.get(task.frequency, "抓好落实")


def due_rules(scope: SummaryScope, following: Period) -> list[ObligationRule]:
    rules = ObligationRule.objects.filter(unit=scope.unit, active=True, frequency__in=list(FREQUENCY_WORDS)).order_by("id")
    ends_year = following.end.month == 12
    return [
        rule for rule in rules
        if rule_applies(rule, following) and (rule.frequency != Frequency.ANNUAL or ends_year)
    ]


def plan_blocks(scope: SummaryScope) -> list[Block]:
    following = scope.period.next()
    items: dict[str, list[Block]] = defaultdict(list)
    for task in next_tasks(scope, following):
        area = scope.area(task.work_area.name if task.work_area_id else "", "deployment")
        text = scope.text(
            "plan.task",
            任务=task.title.strip().rstrip("。；;"),
            措施=task.measures.strip().rstrip("。；;，,"),
            时限=time_phrase(task, following),
            牵头单位="",
        )
        link = scope.url("plans:plan-detail", task.plan_id)
        sources = [provenance(task.plan.name, f"第{task.seq}项：{task.title}", link)]
        if task.deadline_text:
            sources.append(provenance("完成时限", task.deadline_text, link))
        items[area].append(paragraph(sentence(text), slot=f"plan.{area}.task{task.pk}", sources=sources))
    rules_by_area: dict[str, list[ObligationRule]] = defaultdict(list)
    for rule in due_rules(scope, following):
        rules_by_area[scope.area(rule.work_area_name, "meetings")].append(rule)
    for area, rules in rules_by_area.items():
        rules.sort(key=lambda r: (list(FREQUENCY_WORDS).index(r.frequency), r.pk))
        actions = "、".join(f"{FREQUENCY_WORDS[r.frequency]}{r.name}" for r in rules)
        sources = [provenance("规定动作", f"{FREQUENCY_WORDS[r.frequency]}{r.name}", scope.url("duties:rule-list")) for r in rules]
        items[area].append(paragraph(sentence(scope.text("plan.rules", 规定动作=actions)), slot=f"plan.{area}.rules", sources=sources))
    words = scope.words()
    blocks = [
        heading(
            scope.text("plan.heading"), 1, slot="plan.heading",
            sources=[provenance("下一期间", f"{following.label()}（{words['下期']}）"), template_source(scope, "第二部分标题")],
        )
    ]
    for area in scope.areas:
        if not items.get(area):
            continue
        title = scope.text(f"plan.section.{area}", 板块=area)
        blocks.append(run_in(heading(title, 2, slot=f"plan.{area}.heading", sources=[provenance("工作板块", area)])))
        for seq, block in enumerate(items[area], start=1):
            blocks.append(inline({**block, "text": cn_sequence_word(seq) + block["text"]}))
    return blocks
