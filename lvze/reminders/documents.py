"""The reminder documents: the monthly 《党建工作提示单》 of an organisation and the “两个责任”反向提醒清单
of a unit's leaders, through the documents machinery (drafts, editing, masking, `lvze report`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lvze.documents.blocks import Block, heading, paragraph, provenance, source_ref, table
from lvze.documents.generation import generate_draft
from lvze.documents.kinds import DocumentKind, GenerationContext, Section, register
from lvze.documents.models import Draft
from lvze.documents.reports import Report, register_report
from lvze.lib.cn import cn_date
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, Organization, Person
from lvze.reminders.selectors import REVERSE_WINDOW_DAYS, monthly_notice, reverse_list

ITEM_HEADER = ["序号", "事项", "责任组织", "完成时限", "状态"]
ITEM_WIDTHS = [1.2, 5.6, 3.0, 3.6, 1.6]


def item_rows(items) -> list[list[str]]:
    return [
        [str(n), i.title, i.organization.name, cn_date(i.due_date) if i.due_date else "长期", i.get_status_display()]
        for n, i in enumerate(items, start=1)
    ]


def item_sources(items) -> list[dict]:
    return [provenance(f"第{n}行", i.title, source_ref("duties.workitem", i.pk)) for n, i in enumerate(items, start=1)]


def month_of(context: GenerationContext) -> Period:
    return Period.parse(context.period) if context.period else Period.of_date(context.today, "month")


def notice_due_section(context: GenerationContext) -> list[Block]:
    notice = context.once("notice", lambda: monthly_notice(context.unit, month_of(context)))
    blocks = [heading("本月到期事项", 1, slot="due.heading")]
    if not notice.due_this_month:
        return [*blocks, paragraph("本月没有到期事项。", slot="due.none")]
    text = f"{notice.month.label()}，{context.unit.name}共有{len(notice.due_this_month)}项事项到期，请按时办结并上传佐证材料："
    link = reverse("reminders:notice", args=[context.unit.code, str(notice.month)])
    return [
        *blocks,
        paragraph(text, slot="due.text", sources=[provenance("本月到期", f"{len(notice.due_this_month)}项", link)]),
        table(ITEM_HEADER, item_rows(notice.due_this_month), widths=ITEM_WIDTHS, slot="due.table",
              sources=item_sources(notice.due_this_month)),
    ]


def notice_unfinished_section(context: GenerationContext) -> list[Block]:
    notice = context.once("notice", lambda: monthly_notice(context.unit, month_of(context)))
    blocks = [heading("上月未完成事项", 1, slot="late.heading")]
    if not notice.unfinished_before:
        return [*blocks, paragraph("上月事项均已按时完成。", slot="late.none")]
    text = f"上月尚有{len(notice.unfinished_before)}项事项未完成，请抓紧办理："
    return [
        *blocks,
        paragraph(text, slot="late.text"),
        table(ITEM_HEADER, item_rows(notice.unfinished_before), widths=ITEM_WIDTHS, slot="late.table",
              sources=item_sources(notice.unfinished_before)),
    ]


NOTICE = register(
    DocumentKind(
        key="notice",
        label="党建工作提示单",
        sections=(
            Section("due", "本月到期事项", notice_due_section),
            Section("late", "上月未完成事项", notice_unfinished_section),
        ),
        title=lambda org, period: f"{org.name}{Period.parse(period).label() if period else ''}党建工作提示单",
    )
)


def unit_leaders(context: GenerationContext) -> list[Person]:
    if context.params.get("person"):
        return [context.params["person"]]
    posts = ["secretary", "leadership_member", "discipline_head"]
    people = Appointment.objects.filter(organization=context.unit, post__in=posts, end__isnull=True).values("person_id")
    return list(Person.objects.filter(pk__in=people).order_by("name"))


def reverse_section(context: GenerationContext) -> list[Block]:
    blocks: list[Block] = []
    for person in unit_leaders(context):
        items = list(reverse_list(person, context.today))
        blocks.append(heading(f"{person.name}同志", 2, slot=f"p{person.pk}.heading"))
        if not items:
            blocks.append(paragraph(f"{REVERSE_WINDOW_DAYS}天内没有到期或逾期的事项。", slot=f"p{person.pk}.none"))
            continue
        overdue = sum(1 for i in items if i.timeliness == "overdue")
        text = f"截至{cn_date(context.today)}，负责或分管的事项中，{REVERSE_WINDOW_DAYS}天内到期及已逾期的共{len(items)}项，其中已逾期{overdue}项："
        link = reverse("reminders:reverse-list") + f"?person={person.pk}"
        blocks.append(paragraph(text, slot=f"p{person.pk}.text", sources=[provenance("事项", f"{len(items)}项", link)]))
        blocks.append(table(ITEM_HEADER, item_rows(items), widths=ITEM_WIDTHS, slot=f"p{person.pk}.table", sources=item_sources(items)))
    if not blocks:
        blocks.append(paragraph("本单位尚未登记班子成员任职与分管。", slot="none"))
    return [heading("事项清单", 1, slot="heading"), *blocks]


REMINDERS = register(
    DocumentKind(
        key="reminders",
        label="“两个责任”反向提醒清单",
        sections=(Section("leaders", "班子成员事项清单", reverse_section),),
        title=lambda unit, period: f"{unit.name}“两个责任”反向提醒清单",
    )
)


def build_notice(org: Organization | None, options: dict[str, Any]) -> Draft:
    try:
        month = Period.parse(options["month"])
    except ValueError as exc:
        raise ValueError(f"--month：{exc}") from exc
    if month.kind != "month":
        raise ValueError("--month 应为月份，如 2023-06")
    return generate_draft(unit=org, kind="notice", period=str(month))


def build_reminders(org: Organization | None, options: dict[str, Any]) -> Draft:
    person = Person.objects.filter(pk=options["person"]).select_related("branch").first() if options.get("person") else None
    if options.get("person") and person is None:
        raise ValueError(f"--person：找不到编号为 {options['person']} 的人员")
    unit = org or (person.branch.unit if person and person.branch else None)
    if unit is None:
        raise ValueError("请用 --org 指定单位，或用 --person 指定人员")
    return generate_draft(unit=unit, kind="reminders", params={"person": person} if person else {})


register_report(
    Report(
        name="notice",
        help="党建工作提示单（.docx）",
        build=build_notice,
        add_arguments=lambda parser: parser.add_argument("--month", required=True, help="月份，如 2023-06"),
    )
)
register_report(
    Report(
        name="reminders",
        help="“两个责任”反向提醒清单（.docx）",
        build=build_reminders,
        add_arguments=lambda parser: parser.add_argument("--person", type=int, help="人员编号（lvze people list 中的 id）"),
        org_required=False,
    )
)
