"""The shipped checklist: the quarterly branch inspection the seed describes ("坚持每季度对各支部政治学习
笔记、《党支部工作手册》、党建云平台任务完成情况进行检查，下发通报，发现问题，立行立改"), with 三会一课
and 主题党日 added as the 条例 requires them. Installed into a unit the first time it opens its
templates; the unit may change it like any other template.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lvze.inspections.models import Fact, Scoring


@dataclass(frozen=True)
class BuiltInItem:
    title: str
    description: str
    scoring: str
    max_points: Decimal
    weight: Decimal
    fact: str = ""
    fact_param: str = ""


@dataclass(frozen=True)
class BuiltInTemplate:
    code: str
    name: str
    description: str
    items: tuple[BuiltInItem, ...]


THREE_MEETINGS = "branch_assembly,branch_committee,group_meeting,party_lecture"

BRANCH_QUARTERLY = BuiltInTemplate(
    code="branch_quarterly",
    name="党支部工作季度检查",
    description=(
        "每季度对各党支部政治学习笔记、《党支部工作手册》、党建云平台任务完成情况及“三会一课”、"
        "主题党日开展情况进行检查，下发通报，发现问题，立行立改。"
    ),
    items=(
        BuiltInItem(
            "政治学习笔记",
            "按月制定政治学习计划并组织学习；党员政治学习笔记记录完整、内容充实。平台按每月是否登记政治学习核验。",
            Scoring.GRADE,
            Decimal("10"),
            Decimal("20"),
            Fact.STUDY,
        ),
        BuiltInItem(
            "《党支部工作手册》",
            "手册各栏目按时填写，会议记录、党员名册、党费收缴等内容完整规范。由检查人员查阅手册评定。",
            Scoring.PASS_FAIL,
            Decimal("10"),
            Decimal("15"),
        ),
        BuiltInItem(
            "党建云平台任务完成情况",
            "平台任务按时完成，不出现临期、逾期及逾期办结任务。平台按期内到期事项的按期办结率核验。",
            Scoring.POINTS,
            Decimal("20"),
            Decimal("20"),
            Fact.TIMELINESS,
        ),
        BuiltInItem(
            "“三会一课”",
            "按规定召开支部党员大会、支委会、党小组会，按期上党课。平台按规定动作事项核验，逾期召开的按半数计。",
            Scoring.POINTS,
            Decimal("25"),
            Decimal("25"),
            Fact.MEETINGS,
            THREE_MEETINGS,
        ),
        BuiltInItem(
            "主题党日",
            "每月开展主题党日活动，主题鲜明、形式多样、记录完整。平台按每月主题党日事项核验，逾期开展的按半数计。",
            Scoring.POINTS,
            Decimal("20"),
            Decimal("20"),
            Fact.MEETINGS,
            "theme_day",
        ),
    ),
)

BUILT_IN_TEMPLATES = (BRANCH_QUARTERLY,)
