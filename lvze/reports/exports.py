"""台账 exports: every ledger as an .xlsx workbook, with the filters of its list applied.

Meetings, activities and rectifications keep the layout their importers read (`lvze.records.ledgers`,
`lvze.inspections.rect_excel`), so an exported ledger can be corrected and imported again; work items,
talks and honours are written here. All of them
go through the one writer, `lvze.lib.xlsx.write_table`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet

from lvze.duties.models import Timeliness, WorkItem
from lvze.lib.xlsx import Col, write_table
from lvze.records.models import Honor, Talk

MAX_ROWS = 50_000  # beyond this a workbook is no longer something people open; they narrow the filters
CHUNK = 2000


def limited(queryset: QuerySet) -> tuple[Iterator, str]:
    """The rows to write and, when there are more than MAX_ROWS, the note that says so."""
    total = queryset.count()
    note = f"注：共 {total} 条，仅导出前 {MAX_ROWS} 条，请缩小筛选范围后分批导出。" if total > MAX_ROWS else ""
    return queryset[:MAX_ROWS].iterator(chunk_size=CHUNK), note


WORK_ITEM_COLUMNS = [
    Col("序号", 6), Col("事项", 40, wrap=True), Col("责任组织", 20, wrap=True), Col("责任人", 10), Col("来源", 10),
    Col("工作板块", 10), Col("所属期间", 10), Col("完成时限", 12), Col("状态", 9), Col("办结日期", 12), Col("时效", 10),
]


def work_items_xlsx(items: QuerySet[WorkItem], title: str) -> bytes:
    """`items` come annotated with `timeliness` (as of the day the title names)."""
    rows, note = limited(items.select_related("organization", "responsible_person"))

    def cells():
        for n, item in enumerate(rows, start=1):
            yield [
                n, item.title, item.organization.name,
                item.responsible_person.name if item.responsible_person_id else "",
                item.get_source_display(), item.work_area, item.period, item.due_date or "长期",
                item.get_status_display(), item.done_on, Timeliness(item.timeliness).label,
            ]

    return write_table(title, WORK_ITEM_COLUMNS, cells(), note=note, sheet_title="事项台账")


TALK_COLUMNS = [
    Col("序号", 6), Col("日期", 12), Col("所属期间", 10), Col("组织", 20, wrap=True), Col("谈话类型", 18, wrap=True),
    Col("谈话人", 10), Col("谈话对象", 10), Col("谈话主题", 30, wrap=True), Col("地点", 14, wrap=True),
    Col("意见建议", 30, wrap=True),
]


def talks_xlsx(talks: QuerySet[Talk], title: str) -> bytes:
    rows, note = limited(talks.select_related("organization", "initiator", "partner"))

    def cells():
        for n, talk in enumerate(rows, start=1):
            yield [n, talk.held_on, talk.period, talk.organization.name, talk.get_kind_display(), talk.initiator.name,
                   talk.partner.name, talk.topic, talk.place, talk.opinions]

    return write_table(title, TALK_COLUMNS, cells(), note=note, sheet_title="谈心谈话台账")


HONOR_COLUMNS = [
    Col("序号", 6), Col("获得日期", 12), Col("级别", 8), Col("荣誉名称", 34, wrap=True), Col("获得者", 20, wrap=True),
    Col("授予单位", 20, wrap=True), Col("登记组织", 20, wrap=True), Col("工作板块", 10), Col("备注", 20, wrap=True),
]


def honors_xlsx(honors: QuerySet[Honor], title: str) -> bytes:
    rows, note = limited(honors.select_related("organization", "recipient_org", "recipient_person"))

    def cells():
        for n, honor in enumerate(rows, start=1):
            yield [n, honor.awarded_on, honor.get_level_display(), honor.title, honor.recipient, honor.awarded_by,
                   honor.organization.name, honor.work_area, honor.note]

    return write_table(title, HONOR_COLUMNS, cells(), note=note, sheet_title="荣誉台账")


def caption(ledger: str, parts: list[str], today: date) -> str:
    """会议台账（示范区税务局党委 · 2023年上半年 · 2024年7月1日导出）"""
    return f"{ledger}（{' · '.join([*parts, f'{today.year}年{today.month}月{today.day}日导出'])}）"
