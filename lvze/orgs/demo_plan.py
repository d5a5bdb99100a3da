"""The demo's 《全面从严治党工作要点》 and 重点任务分解表 for the year before the demo date, imported through
the real importer from a workbook built here, then progressed through the real workflow."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from openpyxl import Workbook

from lvze.duties.models import Source, WorkItem
from lvze.duties.services import work_item_approve, work_item_progress, work_item_submit
from lvze.duties.task_import import tasks_import
from lvze.orgs.models import Organization

# (category, task, measures, lead, cooperating, leader, deadline)
TASKS = [
    ("一、强化理论武装", "深入学习宣传贯彻党的二十大精神", "制定学习计划，开展集中学习和专题研讨", "办公室", "各党支部", "党委书记", "6月底前"),
    ("一、强化理论武装", "落实党委理论学习中心组学习制度", "按月制定学习计划，做好学习记录", "办公室", "人事教育股", "党委书记", "每月"),
    ("一、强化理论武装", "开展“第一议题”学习", "党委会第一议题学习习近平总书记重要讲话精神", "办公室", "", "党委书记", "长期坚持"),
    ("二、压实管党治党责任", "完善《党委重点落实事项清单》", "明确协助落实科室和时限要求", "办公室", "人事教育股", "分管党建局领导", "3月31日前"),
    ("二、压实管党治党责任", "召开全面从严治党工作会议", "部署全年全面从严治党工作", "办公室", "纪检组", "党委书记", "第一季度"),
    ("二、压实管党治党责任", "开展党支部书记抓党建述职评议", "各党支部书记述职，班子成员点评", "人事教育股", "各党支部", "分管党建局领导", "年底前"),
    ("三、夯实基层基础", "规范“三会一课”和主题党日", "每月督促指导各支部开展主题党日活动", "各党支部", "办公室", "分管党建局领导", "每季度"),
    ("三、夯实基层基础", "核对调整党建云平台人员信息", "逐人核对党员信息，做到录入全面准确", "人事教育股", "各党支部", "分管党建局领导", "上半年"),
    ("四、加强意识形态工作", "制定《意识形态工作责任清单》", "明确班子成员“一岗双责”内容", "办公室", "", "党委书记", "9月30日前"),
    ("四、加强意识形态工作", "专题分析研判意识形态工作", "每半年专题研判一次，形成报告上报市局", "办公室", "各股室", "党委书记", "每半年"),
    ("五、深化一体化综合监督", "落实“三级会商机制”", "党委与纪检组、分管领导与纪检组组长、机关党委与纪检组定期会商", "纪检组", "办公室", "分管党建局领导", "持续推进"),
    ("五、深化一体化综合监督", "开展廉政警示教育", "组织观看警示教育片，通报典型案例", "纪检组", "各党支部", "分管党建局领导", "下半年"),
]
HEADER = ["序号", "任务", "具体措施", "牵头单位", "配合单位", "责任领导", "完成时限"]


def workbook_bytes(year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([f"{year}年全面从严治党重点任务分解表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    category = None
    for seq, (cat, task, measures, lead, cooperating, leader, deadline) in enumerate(TASKS, start=1):
        if cat != category:
            ws.append([cat])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADER))
            category = cat
        ws.append([seq, task, measures, lead, cooperating, leader, deadline])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(16, 0)))


def progress_items(year: int, today: date, rng: random.Random) -> None:
    """Past items mostly submitted and approved (a few late, a few left open); current ones in progress."""
    items = WorkItem.objects.filter(source=Source.TASK, task__plan__year=year, due_date__isnull=False).order_by("due_date", "id")
    for item in items:
        roll = rng.random()
        if item.due_date > today:
            if roll < 0.4:
                work_item_progress(actor=None, item=item, note="已制定方案，正在推进")
            continue
        if roll < 0.1:
            continue
        offset = rng.randint(1, 12) if roll < 0.2 else -rng.randint(0, 15)
        submitted = min(item.due_date + timedelta(days=offset), today)
        work_item_submit(actor=None, item=item, note="已按要求完成，佐证材料已上传", at=at(submitted))
        if submitted + timedelta(days=3) <= today:
            work_item_approve(actor=None, item=item, note="审核通过")


def build_plan(today: date, rng: random.Random) -> None:
    year = today.year - 1
    unit = Organization.objects.get(code="QJ")
    result = tasks_import(
        actor=None, data=workbook_bytes(year), root=unit, plan=f"{year}年全面从严治党工作要点", filename=f"{year}年重点任务分解表.xlsx"
    )
    if result.errors:
        raise RuntimeError("; ".join(str(e) for e in result.errors))
    progress_items(year, today, rng)
