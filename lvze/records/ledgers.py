"""会议台账 and 活动台账: import (.xlsx, under the import contract of DESIGN.md) and export in the same layout.

Ledgers are drawn by hand, so the reader is forgiving about layout and strict about content:
- columns are found by header name in any order, under an optional title row, with one- or two-level
  (merged) headers; a header with a unit note ("金额（元）", "覆盖群众（人）") or a longer wording
  ("参与党员人数", "解决群众操心事烦心事揪心事（件）") still names its column;
- blank rows, 合计/小计 rows and 填表人/注 lines are skipped; a row holding a single text is a group
  heading: an organisation's name sets the organisation of the rows below, a work area's name their
  work area; cells merged down over several rows apply to each of them;
- any cell that cannot be read exactly (a date that does not exist, "若干" people, an unknown
  organisation or meeting kind) refuses the whole file, with the row number Excel shows.

Identity: meetings — organisation + date + kind + topic; activities — organisation + date + name.
Re-importing updates instead of duplicating. An import is one transaction with one audit event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from lvze.audit.services import audit_record
from lvze.lib.periods import Period
from lvze.lib.sheets import RowError, SheetError, cell_at, fill_merge, load_grid, normalise_header
from lvze.lib.sheets import parse_date as parse_sheet_date
from lvze.lib.xlsx import Col, write_table
from lvze.orgs.importing import OrgResolver
from lvze.orgs.models import DEFAULT_WORK_AREAS, Organization, OrgKind, WorkArea
from lvze.records import fulfilment
from lvze.records.models import (
    DEFAULT_ACTIVITY_TYPES,
    Activity,
    ActivityType,
    ConsultationLevel,
    Meeting,
    MeetingKind,
)

# ---------------------------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    title: str  # the header the export writes
    synonyms: tuple[str, ...]  # exact header texts (whitespace, * and bracketed notes removed)
    contains: tuple[tuple[str, ...], ...] = ()  # or every word of one of these groups appears in it
    required: bool = False


MEETING_COLUMNS = [
    LedgerColumn("held_on", "日期", ("日期", "会议日期", "召开日期", "召开时间", "会议时间", "时间", "开会日期"),
                 (("日期",),), required=True),
    LedgerColumn("org", "组织", ("组织", "党组织", "组织名称", "党支部", "支部", "所在支部", "单位", "召开单位", "党组织名称"),
                 (("党组织",), ("支部",))),
    LedgerColumn("kind", "会议类型", ("会议类型", "类型", "会议类别", "类别", "会议形式", "会议种类"),
                 (("类型",), ("类别",)), required=True),
    LedgerColumn("period", "所属期间", ("所属期间", "期间", "所属月份", "所属季度", "所属年度", "归属期间"), (("所属",),)),
    LedgerColumn("topic", "主题", ("主题", "会议主题", "议题", "会议议题", "主要议题", "会议名称", "名称"),
                 (("主题",), ("议题",)), required=True),
    LedgerColumn("expected", "应到人数", ("应到人数", "应到", "应到人员", "应参会人数", "应参加人数"), (("应到",), ("应参",))),
    LedgerColumn("attended", "实到人数", ("实到人数", "实到", "实到人员", "参会人数", "出席人数", "实际参会人数"),
                 (("实到",), ("出席",), ("参会", "人数"))),
    LedgerColumn("host", "主持人", ("主持人", "主持"), (("主持",),)),
    LedgerColumn("recorder", "记录人", ("记录人", "记录"), (("记录人",),)),
    LedgerColumn("summary", "内容摘要", ("内容摘要", "会议内容", "主要内容", "内容", "会议纪要", "摘要", "内容简介"),
                 (("内容",), ("摘要",), ("纪要",))),
    # Optional extras a ledger may carry; the export writes only the ten columns above.
    LedgerColumn("place", "地点", ("地点", "会议地点", "召开地点"), (("地点",),)),
    LedgerColumn("first_topic", "第一议题", ("第一议题",), (("第一议题",),)),
    LedgerColumn("speaker", "主讲人", ("主讲人", "授课人", "讲课人"), (("主讲",), ("授课",))),
    LedgerColumn("lecture_title", "党课题目", ("党课题目", "党课主题"), (("党课", "题"),)),
    LedgerColumn("level", "会商层级", ("会商层级", "会商类型", "层级"), (("层级",),)),
    LedgerColumn("decisions", "决定事项", ("决定事项", "会议决定", "决议"), (("决定",), ("决议",))),
    LedgerColumn("work_area", "工作板块", ("工作板块", "板块", "所属板块"), (("板块",),)),
]
MEETING_EXPORT = ["held_on", "org", "kind", "period", "topic", "expected", "attended", "host", "recorder", "summary"]

ACTIVITY_COLUMNS = [
    LedgerColumn("held_on", "日期", ("日期", "活动日期", "开展日期", "举办日期", "活动时间", "开展时间", "举办时间", "时间"),
                 (("日期",),), required=True),
    LedgerColumn("org", "组织", ("组织", "党组织", "组织名称", "党支部", "支部", "所在支部", "开展单位", "组织单位",
                                 "举办单位", "主办单位", "单位", "部门", "责任单位", "承办单位"),
                 (("党组织",), ("支部",), ("单位",))),
    LedgerColumn("kind", "活动类型", ("活动类型", "类型", "活动类别", "类别", "活动形式", "形式", "活动分类", "分类"),
                 (("类型",), ("类别",), ("分类",))),
    LedgerColumn("name", "活动名称", ("活动名称", "名称", "活动主题", "主题", "活动项目", "项目名称", "活动标题"),
                 (("名称",), ("主题",)), required=True),
    LedgerColumn("participants", "参与人数", ("参与人数", "参加人数", "参与人员数", "参与人次", "参加人次", "参与党员人数",
                                          "参与党员数", "参加党员人数", "党员人数", "参与人员", "参加人员", "人数", "参与干部人数"),
                 (("参与", "人"), ("参加", "人"))),
    LedgerColumn("covered", "覆盖群众人数", ("覆盖群众人数", "覆盖群众", "覆盖人数", "覆盖群众数", "覆盖群众人次", "服务群众人数",
                                          "服务群众", "受益群众人数", "受益群众", "惠及群众", "惠及群众人数", "群众人数"),
                 (("覆盖",), ("群众", "人"), ("受益",), ("惠及",))),
    LedgerColumn("problems", "解决问题数", ("解决问题数", "解决问题", "解决问题件数", "解决群众问题", "解决群众问题数",
                                        "解决实际问题", "办实事件数", "为民办实事"),
                 (("解决",), ("办实事",))),
    LedgerColumn("amount", "金额", ("金额", "捐款金额", "捐赠金额", "经费", "资金", "捐款", "费用", "慰问金", "金额元", "捐款数"),
                 (("金额",), ("捐款",), ("经费",), ("资金",))),
    LedgerColumn("work_area", "工作板块", ("工作板块", "板块", "所属板块", "工作领域"), (("板块",),)),
    LedgerColumn("highlight", "亮点", ("亮点", "活动亮点", "特色亮点", "亮点成效", "成效", "活动成效", "亮点做法"),
                 (("亮点",), ("成效",))),
    LedgerColumn("place", "地点", ("地点", "活动地点"), (("地点",),)),
    LedgerColumn("partner", "合作单位", ("合作单位", "共建单位", "联建单位", "结对单位", "合作方"), (("共建",), ("联建",), ("结对",), ("合作",))),
    LedgerColumn("summary", "活动内容", ("活动内容", "内容摘要", "主要内容", "内容", "简要情况", "活动简介", "情况简介", "活动情况"),
                 (("内容",), ("简介",), ("简要",))),
]
ACTIVITY_EXPORT = ["held_on", "org", "kind", "name", "participants", "covered", "problems", "amount", "work_area", "highlight"]

NOTE_IN_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
TOTAL_WORDS = ("合计", "总计", "小计", "累计", "总数", "合计数")
FOOTER_PREFIXES = ("注", "备注", "说明", "填表", "制表", "审核", "负责人", "联系人", "填报", "附")
HEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])\s*")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
ALL_ORG_KINDS = tuple(OrgKind.values)

# ------------------------------------------------------------------------------------------------ reading


def header_text(cell: object) -> str:
    return NOTE_IN_BRACKETS.sub("", normalise_header(cell)).replace("：", "").replace(":", "")


def column_of(cell: object, columns: list[LedgerColumn]) -> str | None:
    full = normalise_header(cell)
    text = header_text(cell)
    if not text or len(text) > 20:
        return None
    for column in columns:
        if text in column.synonyms or full in column.synonyms:
            return column.key
    for column in columns:
        if any(all(word in text for word in group) for group in column.contains):
            return column.key
    return None


def map_row(row: list[object], columns: list[LedgerColumn]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for pos, cell in enumerate(row):
        if isinstance(cell, str):
            key = column_of(cell, columns)
            if key and key not in positions:
                positions[key] = pos
    return positions


def looks_like_data(row: list[object]) -> bool:
    return any(isinstance(v, dt.date | int | float) and not isinstance(v, bool) for v in row if v is not None)


def is_group(row: list[object], pos: int, columns: list[LedgerColumn]) -> bool:
    """The cell above a second-level header is a group label: merged over its neighbours, or naming no column."""
    value = cell_at([row], 0, pos)
    if value is None:
        return True
    neighbours = (cell_at([row], 0, pos - 1) if pos else None, cell_at([row], 0, pos + 1))
    return value in neighbours or column_of(value, columns) is None


@dataclass
class Ledger:
    columns: dict[str, str]  # key -> header as written
    positions: dict[str, int]
    rows: list[tuple[int, list[object]]]  # (Excel row number, cells with downward merges filled)
    preamble: list[str]
    year: int | None


def read_ledger(data: bytes, columns: list[LedgerColumn], scan: int = 12) -> Ledger:
    grid, merges = load_grid(data)
    head = [list(r) for r in grid[: scan + 1]]
    for merge in merges:
        if merge.min_row <= scan + 1:
            fill_merge(head, merge)
    required = {c.key for c in columns if c.required}
    found = None
    for index in range(min(scan, len(head))):
        upper = map_row(head[index], columns)
        if not upper:
            continue
        below = head[index + 1] if index + 1 < len(head) else []
        lower = map_row(below, columns) if below and not looks_like_data(below) else {}
        # A second header row names columns under a merged group ("参与情况" over 参与人数 | 覆盖群众人数).
        extra = {k: p for k, p in lower.items() if cell_at(head, index, p) != below[p] and is_group(head[index], p, columns)}
        if extra and len(lower) >= 2:
            merged = {k: p for k, p in upper.items() if p not in extra.values()}
            merged.update(extra)
            if required <= set(merged):
                found = (index, index + 1, merged)
                break
        if required <= set(upper):
            found = (index, index, upper)
            break
    if found is None:
        names = "、".join(c.title for c in columns if c.required)
        raise SheetError([RowError(None, None, f"找不到表头行：前{scan}行中没有同时包含 {names} 的一行")])
    first, last, positions = found
    header_cells = [cell_at(head, last, p) or cell_at(head, first, p) for p in range(max(positions.values()) + 1)]
    width = max(len(r) for r in grid) if grid else 0
    # Merged cells below the header: a merge spanning most of the row is a heading (left as one cell);
    # one running down several rows repeats its value in each of them.
    for merge in merges:
        if merge.min_row - 1 > last and (merge.max_col - merge.min_col + 1) < max(3, (width + 1) // 2):
            fill_merge(grid, merge)
    preamble = [str(v) for r in grid[:first] for v in r if v not in (None, "")]
    years = [int(m[1]) for text in preamble for m in [YEAR_IN_TITLE.search(text)] if m]
    return Ledger(
        columns={k: str(header_cells[p]).strip() for k, p in positions.items()},
        positions=positions,
        rows=[(i + 1, grid[i]) for i in range(last + 1, len(grid))],
        preamble=preamble,
        year=years[0] if years else None,
    )


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_total(cells: list[object]) -> bool:
    return any(isinstance(v, str) and re.sub(r"\s", "", v) in TOTAL_WORDS for v in cells)


def is_footer(cells: list[object]) -> bool:
    first = next((text(v) for v in cells if text(v)), "")
    return first.startswith(FOOTER_PREFIXES) and not looks_like_data(cells)


def single_text(cells: list[object]) -> str | None:
    values = {text(v) for v in cells if text(v)}
    return values.pop() if len(values) == 1 else None


# ----------------------------------------------------------------------------------------- cell parsing

EXCEL_EPOCH = dt.date(1899, 12, 30)
RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|～|—|--|－)\s*|(?<=\d)\s*-\s*(?=\d{1,2}[.月/]|\d{4})")
MONTH_DAY = re.compile(r"^(\d{1,2})[.月/-](\d{1,2})日?$")


def parse_day(value: object, year: int | None) -> tuple[dt.date, dt.date | None]:
    """A date cell: an Excel date or serial number, the formats `parse_date` reads, "3月5日" with the year
    of the title row, or a range ("2023.3.1-3.5", "2023年3月1日至3日": the first day, and the last)."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:
            return EXCEL_EPOCH + dt.timedelta(days=int(value)), None
        value = text(value)
    raw = text(value).replace(" ", "")
    parts = [p for p in RANGE_SPLIT.split(raw) if p]
    if not parts:
        raise ValueError("日期不能为空")
    start = one_day(parts[0], year, raw)
    end = None
    if len(parts) == 2:
        tail = parts[1]
        try:
            end = one_day(tail, start.year, raw)
        except ValueError:
            day = re.fullmatch(r"(\d{1,2})日?", tail)
            if not day:
                raise
            end = start.replace(day=int(day[1]))
        if end < start:
            raise ValueError(f"“{raw}”的结束日期早于开始日期")
    elif len(parts) > 2:
        raise ValueError(f"“{raw}”不是有效日期")
    return start, end


def one_day(part: str, year: int | None, raw: str) -> dt.date:
    try:
        return parse_sheet_date(part)
    except ValueError:
        pass
    match = MONTH_DAY.match(part)
    if match:
        if year is None:
            raise ValueError(f"“{raw}”缺少年份，且标题行中没有“某年”可供参照")
        try:
            return dt.date(year, int(match[1]), int(match[2]))
        except ValueError as exc:
            raise ValueError(f"“{raw}”不是存在的日期") from exc
    return parse_sheet_date(raw)  # raises with the standard message


NUMBER_NOISE = re.compile(r"[,，\s]|人次|人|件|个|次|名|户|余|多|约|近|左右|以上|场")
EMPTY_WORDS = {"", "-", "—", "–", "/", "无", "0", "——"}


def parse_count(value: object, label: str) -> int:
    """A count of people or items: 580, "580人", "580余人" (kept as 580), "1.2万"; never a guess."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(f"{label}应为整数")
    if isinstance(value, int | float):
        if value < 0 or not float(value).is_integer():
            raise ValueError(f"{label}应为非负整数，实为“{text(value)}”")
        return int(value)
    raw = text(value)
    cleaned = NUMBER_NOISE.sub("", raw)
    if cleaned in EMPTY_WORDS:
        return 0
    scale = 1
    if cleaned.endswith("万"):
        cleaned, scale = cleaned[:-1], 10000
    try:
        number = Decimal(cleaned) * scale
    except InvalidOperation:
        raise ValueError(f"{label}应为数字，实为“{raw}”") from None
    if number < 0 or number != number.to_integral_value():
        raise ValueError(f"{label}应为非负整数，实为“{raw}”")
    return int(number)


def parse_amount(value: object) -> Decimal | None:
    """Yuan: 1234.5, "1,234.50元", "0.5万元", "¥1000"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("金额应为数字")
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        raw = text(value)
        cleaned = re.sub(r"[,，\s¥￥]|人民币|元", "", raw)
        if cleaned in EMPTY_WORDS - {"0"}:
            return None
        scale = Decimal(1)
        if cleaned.endswith("万"):
            cleaned, scale = cleaned[:-1], Decimal(10000)
        try:
            number = Decimal(cleaned) * scale
        except InvalidOperation:
            raise ValueError(f"金额应为数字（元），实为“{raw}”") from None
    if number < 0:
        raise ValueError("金额不能为负数")
    return number.quantize(Decimal("0.01"))


PERIOD_WORDS = [
    (re.compile(r"^(\d{4})年?(?:第)?([一二三四1-4])季度$"), "Q"),
    (re.compile(r"^(\d{4})年?([上下])半年$"), "H"),
    (re.compile(r"^(\d{4})[年.\-/](\d{1,2})月?$"), "M"),
    (re.compile(r"^(\d{4})年?(?:度)?$"), "Y"),
]
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse_period(value: object) -> Period:
    if isinstance(value, dt.date):
        return Period.of_date(value if not isinstance(value, dt.datetime) else value.date(), "month")
    raw = text(value).replace(" ", "")
    try:
        return Period.parse(raw)
    except ValueError:
        pass
    for pattern, kind in PERIOD_WORDS:
        match = pattern.match(raw)
        if not match:
            continue
        year = int(match[1])
        if kind == "Q":
            return Period("quarter", year, CN_DIGITS.get(match[2]) or int(match[2]))
        if kind == "H":
            return Period("half", year, 1 if match[2] == "上" else 2)
        if kind == "M" and 1 <= int(match[2]) <= 12:
            return Period("month", year, int(match[2]))
        if kind == "Y":
            return Period("year", year)
    raise ValueError(f"无法识别的所属期间“{raw}”，应写成 2023-05、2023Q2、2023年第二季度 等")


MEETING_KIND_WORDS = {
    MeetingKind.BRANCH_ASSEMBLY: ("支部党员大会", "党员大会", "支部大会"),
    MeetingKind.BRANCH_COMMITTEE: ("支委会", "支部委员会", "支委会议", "支部委员会会议"),
    MeetingKind.GROUP_MEETING: ("党小组会", "党小组会议", "小组会"),
    MeetingKind.PARTY_LECTURE: ("党课", "讲党课", "专题党课"),
    MeetingKind.THEME_DAY: ("主题党日", "主题党日活动", "党日活动"),
    MeetingKind.ORG_LIFE: ("组织生活会",),
    MeetingKind.MEMBER_REVIEW: ("民主评议党员", "民主评议"),
    MeetingKind.DEMOCRATIC_LIFE: ("民主生活会", "专题民主生活会"),
    MeetingKind.CENTRAL_GROUP: ("理论学习中心组学习", "中心组学习", "理论中心组学习", "党委理论学习中心组学习", "中心组"),
    MeetingKind.COMMITTEE_MEETING: ("党委会", "党委会议", "党委(扩大)会议", "党委扩大会议", "党组会", "党组会议"),
    MeetingKind.SPECIAL_TOPIC: ("专题会议", "专题会", "专题研究会"),
    MeetingKind.CONSULTATION: ("会商", "专题会商", "会商会"),
}


def parse_meeting_kind(value: object) -> str:
    raw = normalise_header(value)
    raw = raw.replace("（", "(").replace("）", ")")
    for kind, words in MEETING_KIND_WORDS.items():
        if raw in words or raw == MeetingKind(kind).label:
            return kind
    if "会商" in raw:
        return MeetingKind.CONSULTATION
    labels = "、".join(MeetingKind.labels)
    raise ValueError(f"无法识别的会议类型“{text(value)}”，应为：{labels}")


def consultation_level(*texts: str) -> str:
    joined = "".join(texts)
    if "机关党委" in joined:
        return ConsultationLevel.ORGAN
    if "分管" in joined or "组长" in joined:
        return ConsultationLevel.LEADER
    if "党委" in joined:
        return ConsultationLevel.COMMITTEE
    return ""


# Words that name an activity type when the cell or the activity's name is not a configured type.
TYPE_KEYWORDS = [
    ("宣讲", ("宣讲", "宣传")),
    ("志愿服务", ("志愿", "学雷锋", "义务", "清扫", "环境卫生")),
    ("走访慰问", ("走访", "慰问", "看望", "入户")),
    ("联建共建", ("共建", "联建", "结对", "联学")),
    ("比赛", ("比赛", "竞赛", "竞答", "知识竞", "演讲", "运动会", "擂台")),
    ("捐款", ("捐款", "捐赠", "募捐", "捐助", "爱心")),
    ("群团活动", ("工会", "团支部", "妇委会", "群团", "文艺", "联谊", "三八", "五四", "青年")),
    ("特色活动", ("特色",)),
]


# ----------------------------------------------------------------------------------------------- plans


@dataclass
class LedgerRow:
    row: int
    values: dict[str, Any]
    existing: Any = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "新增"
        return "更新" if self.changes else "无变化"


@dataclass
class LedgerPlan:
    kind: str  # meetings | activities
    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_types: dict[tuple[int, str], int] = field(default_factory=dict)  # (unit id, name) -> first row
    unplaced: list[dict] = field(default_factory=list)
    fulfilled: int = 0
    applied: bool = False

    def totals(self) -> dict[str, Any]:
        if self.kind == "meetings":
            return {"meetings": len(self.rows)}
        amounts = [r.values.get("amount") for r in self.rows if r.values.get("amount") is not None]
        return {
            "activities": len(self.rows),
            "participants": sum(r.values.get("participant_count", 0) for r in self.rows),
            "people_covered": sum(r.values.get("people_covered", 0) for r in self.rows),
            "problems_solved": sum(r.values.get("problems_solved", 0) for r in self.rows),
            "amount": f"{sum(amounts, Decimal(0)):.2f}",
        }

    def counts(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "created": sum(r.action == "新增" for r in self.rows),
            "updated": sum(r.action == "更新" for r in self.rows),
            "unchanged": sum(r.action == "无变化" for r in self.rows),
            **self.totals(),
        }
        if self.kind == "activities":
            result["new_types"] = sorted({name for (_unit, name) in self.new_types})
        else:
            result["fulfilled"] = self.fulfilled
            result["unplaced"] = self.unplaced
        if self.warnings:
            result["warnings"] = self.warnings
        result["summary"] = self.summary(result)
        return result

    def summary(self, counts: dict[str, Any]) -> str:
        if self.kind == "activities":
            text_ = (f"活动{counts['activities']}次，参与{counts['participants']}人次，覆盖群众{counts['people_covered']}人，"
                     f"解决问题{counts['problems_solved']}件，金额{counts['amount']}元")
            if counts["new_types"]:
                text_ += f"；新增活动类型：{'、'.join(counts['new_types'])}"
        else:
            text_ = f"会议{counts['meetings']}次"
            if self.applied:
                text_ += f"，完成事项{self.fulfilled}项"
            if self.unplaced:
                text_ += f"；{len(self.unplaced)}条记录对应多个事项，需在会议详情中选择"
        return text_


class Resolver:
    """Organisations by code, full name or short name within the importing unit."""

    def __init__(self, root: Organization, allowed: Callable[[Organization], bool] | None):
        self.root = root
        self.allowed = allowed
        self.names = OrgResolver(root, ALL_ORG_KINDS)
        self.codes = {o.code: o for o in Organization.objects.filter(path__startswith=root.path, active=True)}

    def resolve(self, value: object) -> Organization:
        raw = text(value)
        org = self.codes.get(raw) or self.codes.get(raw.upper())
        if org is None:
            org = self.names.resolve(raw)
        if self.allowed is not None and not self.allowed(org):
            raise ValueError(f"“{org.name}”不在您可登记的范围内（上级单位只能查看下级党委的记录）")
        return org


class RowReader:
    """Turns the ledger's rows into record values, tracking group headings and collecting errors."""

    def __init__(self, plan: LedgerPlan, ledger: Ledger, columns: list[LedgerColumn], root: Organization,
                 allowed: Callable[[Organization], bool] | None):
        self.plan = plan
        self.ledger = ledger
        self.columns = {c.key: c for c in columns}
        self.orgs = Resolver(root, allowed)
        self.group_org: Organization | None = None
        self.group_area = ""
        self.areas: dict[int, list[str]] = {}

    def header(self, key: str) -> str:
        return self.ledger.columns.get(key) or self.columns[key].title

    def has(self, key: str) -> bool:
        return key in self.ledger.positions

    def cell(self, cells: list[object], key: str) -> object:
        pos = self.ledger.positions.get(key)
        if pos is None or pos >= len(cells):
            return None
        value = cells[pos]
        return None if value in (None, "") else value

    def work_areas(self, org: Organization) -> list[str]:
        unit_id = org.unit_id or org.pk
        if unit_id not in self.areas:
            names = list(WorkArea.objects.filter(unit_id=unit_id).values_list("name", flat=True))
            self.areas[unit_id] = names or list(DEFAULT_WORK_AREAS)
        return self.areas[unit_id]

    def rows(self):
        """The data rows; headings, totals, footers and blank rows are consumed here."""
        totals: list[tuple[int, list[object]]] = []
        for number, cells in self.ledger.rows:
            if all(v is None for v in cells):
                continue
            if is_total(cells):
                totals.append((number, cells))
                continue
            if is_footer(cells):
                continue
            heading = single_text(cells)
            if heading is not None and self.is_heading(cells, heading):
                self.heading(number, heading)
                continue
            if all(self.cell(cells, k) is None for k in self.ledger.positions):
                continue
            yield number, cells
        self.check_totals(totals)

    def is_heading(self, cells: list[object], value: str) -> bool:
        """A row holding one text that is not a date: "第一党支部", "一、学习宣传" (a lone 序号 is not)."""
        if looks_like_data(cells) or value.isdigit() or self.cell(cells, "held_on") not in (None, value):
            return False
        try:
            parse_day(value, self.ledger.year)
        except ValueError:
            return True
        return False

    def heading(self, number: int, raw: str) -> None:
        title = HEADING_NUMBER.sub("", raw).strip()
        try:
            self.group_org = self.orgs.resolve(title)
            self.group_area = ""
            return
        except ValueError:
            pass
        areas = self.work_areas(self.group_org or self.orgs.root)
        area = next((a for a in areas if a in title), None)
        if area:
            self.group_area = area
            return
        self.plan.warnings.append(f"第{number}行“{raw}”作为分组标题，未导入")

    def check_totals(self, totals: list[tuple[int, list[object]]]) -> None:
        """A 合计 row the ledger carries is compared with the sum of its rows; a difference is reported."""
        if self.plan.kind != "activities" or len(totals) != 1:
            return
        number, cells = totals[0]
        sums = self.plan.totals()
        for key, total_key in (("participants", "participants"), ("covered", "people_covered"),
                               ("problems", "problems_solved")):
            value = self.cell(cells, key)
            if value is None:
                continue
            try:
                written = parse_count(value, self.header(key))
            except ValueError:
                continue
            if written != sums[total_key]:
                self.plan.warnings.append(
                    f"第{number}行合计的“{self.header(key)}”为{written}，各行相加为{sums[total_key]}；以各行数据为准"
                )

    def org_of(self, number: int, cells: list[object], fail) -> Organization | None:
        value = self.cell(cells, "org")
        if value is None:
            return self.group_org or self.orgs.root
        try:
            return self.orgs.resolve(value)
        except ValueError as exc:
            fail("org", str(exc))
            return None

    def work_area(self, org: Organization | None, value: object, row: LedgerRow) -> str:
        if value is None:
            return self.group_area
        raw = text(value)
        areas = self.work_areas(org or self.orgs.root)
        match = next((a for a in areas if a == raw), None) or next((a for a in areas if a in raw), None)
        if match:
            return match
        self.plan.warnings.append(f"第{row.row}行工作板块“{raw}”不在本单位的板块列表（{'、'.join(areas)}）中，按原文保存")
        return raw[:30]


def start_plan(kind: str, data: bytes, columns: list[LedgerColumn]) -> tuple[LedgerPlan, Ledger | None]:
    plan = LedgerPlan(kind)
    try:
        return plan, read_ledger(data, columns)
    except SheetError as exc:
        plan.errors.extend(exc.errors)
        return plan, None


def check_duplicates(plan: LedgerPlan, key_of: Callable[[dict], tuple], column: str) -> None:
    seen: dict[tuple, int] = {}
    for row in plan.rows:
        key = key_of(row.values)
        if key in seen:
            plan.errors.append(RowError(row.row, column, f"与第{seen[key]}行是同一条记录（组织、日期与名称均相同），重复"))
        else:
            seen[key] = row.row


def value_changes(existing: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    changes = {}
    for key, new in values.items():
        old = getattr(existing, key)
        if old != new and not (old in (None, "") and new in (None, "")):
            changes[key] = [text(old) if not hasattr(old, "pk") else str(old), text(new) if not hasattr(new, "pk") else str(new)]
    return changes


def existing_records(queryset: QuerySet, rows: list[LedgerRow], fields: tuple[str, ...]) -> dict[tuple, Any]:
    """The records the rows may update, in one query (per 500 organisations), keyed as `fields` read from a
    row's values (the organisation by its pk): what the import matches each row against."""
    by_key: dict[tuple, Any] = {}
    if not rows:
        return by_key
    days = [r.values["held_on"] for r in rows]
    org_ids = sorted({r.values["organization"].pk for r in rows})
    for start in range(0, len(org_ids), 500):
        chunk = queryset.filter(organization_id__in=org_ids[start : start + 500], held_on__gte=min(days),
                                held_on__lte=max(days))
        for record in chunk:
            by_key.setdefault(tuple(getattr(record, f if f != "organization" else "organization_id") for f in fields),
                              record)
    return by_key


def row_key(values: dict[str, Any], fields: tuple[str, ...]) -> tuple:
    return tuple(values[f].pk if f == "organization" else values[f] for f in fields)


# ------------------------------------------------------------------------------------------- meetings


def plan_meetings(data: bytes, root: Organization, allowed=None, today: dt.date | None = None,
                year: int | None = None) -> LedgerPlan:
    plan, ledger = start_plan("meetings", data, MEETING_COLUMNS)
    if ledger is None:
        return plan
    ledger.year = year or ledger.year
    reader = RowReader(plan, ledger, MEETING_COLUMNS, root, allowed)
    for number, cells in reader.rows():
        row = LedgerRow(number, {})
        errors_before = len(plan.errors)

        def fail(key: str, message: str, number=number) -> None:
            plan.errors.append(RowError(number, reader.header(key), message))

        org = reader.org_of(number, cells, fail)
        values = row.values
        values["organization"] = org
        held = reader.cell(cells, "held_on")
        if held is None:
            fail("held_on", "日期不能为空")
        else:
            try:
                values["held_on"], _end = parse_day(held, ledger.year)
                if today and values["held_on"] > today:
                    fail("held_on", f"日期{values['held_on']:%Y-%m-%d}晚于今天")
            except ValueError as exc:
                fail("held_on", str(exc))
        kind = reader.cell(cells, "kind")
        if kind is None:
            fail("kind", "会议类型不能为空")
        else:
            try:
                values["kind"] = parse_meeting_kind(kind)
            except ValueError as exc:
                fail("kind", str(exc))
        topic = text(reader.cell(cells, "topic"))
        if not topic:
            fail("topic", "主题不能为空")
        values["topic"] = topic[:200]
        period = reader.cell(cells, "period")
        if period is not None:
            try:
                parsed = parse_period(period)
                if "held_on" in values and parsed.start > values["held_on"]:
                    fail("period", f"所属期间{parsed}晚于会议日期")
                values["period"] = str(parsed)
            except ValueError as exc:
                fail("period", str(exc))
        # Columns the ledger does not have leave an existing record's values alone.
        for key, field_name, label in (("expected", "expected_count", "应到人数"), ("attended", "attended_count", "实到人数")):
            if reader.has(key):
                try:
                    values[field_name] = parse_count(reader.cell(cells, key), label)
                except ValueError as exc:
                    fail(key, str(exc))
        if values.get("attended_count", 0) > values.get("expected_count", 0) and reader.cell(cells, "expected") is not None:
            fail("attended", f"实到人数（{values['attended_count']}）多于应到人数（{values['expected_count']}）")
        for key, limit in (("host", 30), ("recorder", 30), ("summary", None), ("place", 100), ("first_topic", 200),
                           ("speaker", 30), ("lecture_title", 200), ("decisions", None)):
            if reader.has(key):
                raw = text(reader.cell(cells, key))
                values[key] = raw[:limit] if limit else raw
        if reader.has("work_area") or reader.group_area:
            values["work_area"] = reader.work_area(org, reader.cell(cells, "work_area"), row)
        if values.get("kind") == MeetingKind.CONSULTATION and (reader.has("level") or consultation_level(topic)):
            values["consultation_level"] = consultation_level(text(reader.cell(cells, "level")), topic)
        if len(plan.errors) == errors_before:
            plan.rows.append(row)
    check_duplicates(plan, lambda v: (v["organization"].pk, v["held_on"], v["kind"], v["topic"]), reader.header("topic"))
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(None, None, "文件中没有数据行"))
    key_fields = ("organization", "held_on", "kind", "topic")
    existing = existing_records(Meeting.objects.order_by("id"), plan.rows, key_fields)
    for row in plan.rows:
        v = row.values
        row.existing = existing.get(row_key(v, key_fields))
        if "period" not in v:
            v["period"] = row.existing.period if row.existing else str(Period.of_date(v["held_on"], "month"))
        if row.existing is not None:
            row.changes = value_changes(row.existing, {k: x for k, x in v.items() if k not in ("organization",)})
    return plan


@transaction.atomic
def meetings_import(*, actor: Any, data: bytes, root: Organization, dry_run: bool = False, filename: str = "",
                    allowed: Callable[[Organization], bool] | None = None, year: int | None = None) -> LedgerPlan:
    """Plan, and unless refused or a dry run, apply the whole file: one transaction, one audit event.
    Each new or moved meeting completes the one item it fulfils; ones with several candidates are listed."""
    from django.utils import timezone

    plan = plan_meetings(data, root, allowed, timezone.localdate(), year)
    if plan.errors or dry_run:
        return plan
    user = actor if getattr(actor, "is_authenticated", False) else None
    touched: list[tuple[LedgerRow, Meeting, bool]] = []
    for row in plan.rows:
        if row.existing is None:
            meeting = Meeting.objects.create(created_by=user, imported_from=filename[:200], **row.values)
            touched.append((row, meeting, True))
        elif row.changes:
            for key, value in row.values.items():
                setattr(row.existing, key, value)
            row.existing.save()
            touched.append((row, row.existing, "period" in row.changes))
    for row, meeting, moved in touched:
        if moved or meeting.fulfils_id is None:
            placement = fulfilment.replace(actor, meeting, f"导入台账 {filename}：重新核对所完成的事项", audit=False)
            if placement.completed is not None:
                plan.fulfilled += 1
            elif len(placement.candidates) > 1:
                plan.unplaced.append({"row": row.row, "meeting_id": meeting.pk,
                                      "message": f"{meeting}：有{len(placement.candidates)}个事项可由此记录完成，请在会议详情中选择"})
    plan.applied = True
    audit_record(actor=actor, action="meeting.import", organization=root, object_repr=filename[:200],
                 changes={"file": filename, **{k: v for k, v in plan.counts().items() if k != "summary"}})
    return plan


# ----------------------------------------------------------------------------------------- activities


class TypeResolver:
    """Activity types of each unit: the configured name, a name containing it or a keyword; a type the
    unit does not have yet is added to its list when the file is applied (and shown in the preview)."""

    def __init__(self, plan: LedgerPlan):
        self.plan = plan
        self.by_unit: dict[int, dict[str, ActivityType | None]] = {}

    def names(self, unit_id: int) -> dict[str, ActivityType | None]:
        if unit_id not in self.by_unit:
            existing = {t.name: t for t in ActivityType.objects.filter(unit_id=unit_id)}
            self.by_unit[unit_id] = existing or dict.fromkeys(DEFAULT_ACTIVITY_TYPES)
        return self.by_unit[unit_id]

    def resolve(self, org: Organization, raw: str, name: str, row: LedgerRow) -> str:
        unit_id = org.unit_id or org.pk
        known = self.names(unit_id)
        cell = normalise_header(raw)
        if cell:
            if cell in known:
                return cell
            inside = [n for n in known if n in cell or cell in n]
            if len(inside) == 1:
                row.notes.append(f"活动类型“{raw}”按“{inside[0]}”登记")
                return inside[0]
            keyword = self.by_keyword(cell, known)
            if keyword:
                row.notes.append(f"活动类型“{raw}”按“{keyword}”登记")
                return keyword
            new = cell[:30]
            self.plan.new_types.setdefault((unit_id, new), row.row)
            known.setdefault(new, None)
            row.notes.append(f"新增活动类型“{new}”")
            return new
        guessed = self.by_keyword(name, known) or ("特色活动" if "特色活动" in known else next(iter(known)))
        row.notes.append(f"未填活动类型，按名称登记为“{guessed}”")
        return guessed

    @staticmethod
    def by_keyword(value: str, known: dict) -> str | None:
        for type_name, words in TYPE_KEYWORDS:
            if type_name in known and any(w in value for w in words):
                return type_name
        return None


def plan_activities(data: bytes, root: Organization, allowed=None, today: dt.date | None = None,
                year: int | None = None) -> LedgerPlan:
    plan, ledger = start_plan("activities", data, ACTIVITY_COLUMNS)
    if ledger is None:
        return plan
    ledger.year = year or ledger.year
    reader = RowReader(plan, ledger, ACTIVITY_COLUMNS, root, allowed)
    types = TypeResolver(plan)
    for number, cells in reader.rows():
        row = LedgerRow(number, {})
        errors_before = len(plan.errors)

        def fail(key: str, message: str, number=number) -> None:
            plan.errors.append(RowError(number, reader.header(key), message))

        org = reader.org_of(number, cells, fail)
        values = row.values
        values["organization"] = org
        held = reader.cell(cells, "held_on")
        if held is None:
            fail("held_on", "日期不能为空")
        else:
            try:
                values["held_on"], values["ends_on"] = parse_day(held, ledger.year)
                if today and values["held_on"] > today:
                    fail("held_on", f"日期{values['held_on']:%Y-%m-%d}晚于今天")
            except ValueError as exc:
                fail("held_on", str(exc))
        name = text(reader.cell(cells, "name"))
        if not name:
            fail("name", "活动名称不能为空")
        values["name"] = name[:200]
        # Columns the ledger does not have leave an existing record's values alone.
        for key, field_name, label in (("participants", "participant_count", "参与人数"),
                                       ("covered", "people_covered", "覆盖群众人数"),
                                       ("problems", "problems_solved", "解决问题数")):
            if reader.has(key):
                try:
                    values[field_name] = parse_count(reader.cell(cells, key), label)
                except ValueError as exc:
                    fail(key, str(exc))
        if reader.has("amount"):
            try:
                values["amount"] = parse_amount(reader.cell(cells, "amount"))
            except ValueError as exc:
                fail("amount", str(exc))
        for key, field_name, limit in (("highlight", "highlight", 300), ("place", "place", 100),
                                       ("partner", "partner_name", 100), ("summary", "summary", None)):
            if reader.has(key):
                raw = text(reader.cell(cells, key))
                values[field_name] = raw[:limit] if limit else raw
        if reader.has("work_area") or reader.group_area:
            values["work_area"] = reader.work_area(org, reader.cell(cells, "work_area"), row)
        if org is not None:
            values["type_name"] = types.resolve(org, text(reader.cell(cells, "kind")), name, row)
        if len(plan.errors) == errors_before:
            plan.rows.append(row)
    check_duplicates(plan, lambda v: (v["organization"].pk, v["held_on"], v["name"]), reader.header("name"))
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(None, None, "文件中没有数据行"))
    key_fields = ("organization", "held_on", "name")
    existing = existing_records(Activity.objects.select_related("activity_type").order_by("id"), plan.rows, key_fields)
    for row in plan.rows:
        v = row.values
        row.existing = existing.get(row_key(v, key_fields))
        if row.existing is not None:
            compare = {k: x for k, x in v.items() if k not in ("organization", "type_name")}
            row.changes = value_changes(row.existing, compare)
            if row.existing.activity_type.name != v["type_name"]:
                row.changes["activity_type"] = [row.existing.activity_type.name, v["type_name"]]
    return plan


@transaction.atomic
def activities_import(*, actor: Any, data: bytes, root: Organization, dry_run: bool = False, filename: str = "",
                      allowed: Callable[[Organization], bool] | None = None, year: int | None = None) -> LedgerPlan:
    from django.utils import timezone

    plan = plan_activities(data, root, allowed, timezone.localdate(), year)
    if plan.errors or dry_run:
        return plan
    user = actor if getattr(actor, "is_authenticated", False) else None
    units = {r.values["organization"].unit_id or r.values["organization"].pk for r in plan.rows}
    for unit_id in units:
        if not ActivityType.objects.filter(unit_id=unit_id).exists():
            ActivityType.objects.bulk_create(
                ActivityType(unit_id=unit_id, name=n, order=i) for i, n in enumerate(DEFAULT_ACTIVITY_TYPES)
            )
    for (unit_id, name), _row in sorted(plan.new_types.items(), key=lambda x: x[1]):
        last = ActivityType.objects.filter(unit_id=unit_id).order_by("-order").first()
        ActivityType.objects.get_or_create(unit_id=unit_id, name=name,
                                           defaults={"order": (last.order + 1) if last else 0})
    type_ids = {(t.unit_id, t.name): t for t in ActivityType.objects.filter(unit_id__in=units)}
    new_rows = []
    for row in plan.rows:
        values = dict(row.values)
        org = values["organization"]
        values["activity_type"] = type_ids[(org.unit_id or org.pk, values.pop("type_name"))]
        if row.existing is None:
            new_rows.append(Activity(created_by=user, imported_from=filename[:200], **values))
        elif row.changes:
            for key, value in values.items():
                setattr(row.existing, key, value)
            row.existing.save()
    Activity.objects.bulk_create(new_rows)
    plan.applied = True
    audit_record(actor=actor, action="activity.import", organization=root, object_repr=filename[:200],
                 changes={"file": filename, **{k: v for k, v in plan.counts().items() if k != "summary"}})
    return plan


# --------------------------------------------------------------------------------------------- export


WIDE_COLUMNS = ("主题", "内容摘要", "活动名称", "亮点")


def write_ledger(title: str, headers: list[str], rows: list[list[Any]], total: list[Any] | None = None) -> bytes:
    """The same layout the importer reads: a title row, one header row, then one row per record."""
    columns = [
        Col(h, 36, wrap=True) if h in WIDE_COLUMNS else Col(h, 20 if h == "组织" else 13) for h in headers
    ]
    return write_table(title, columns, rows, total=total)


def meetings_export(meetings, title: str) -> bytes:
    headers = [next(c.title for c in MEETING_COLUMNS if c.key == k) for k in MEETING_EXPORT]
    rows = [
        [m.held_on, m.organization.name, m.get_kind_display(), m.period, m.topic, m.expected_count,
         m.attended_count, m.host, m.recorder, m.summary]
        for m in meetings
    ]
    return write_ledger(title, headers, rows)


def activities_export(activities, title: str, totals: dict) -> bytes:
    headers = [next(c.title for c in ACTIVITY_COLUMNS if c.key == k) for k in ACTIVITY_EXPORT]
    rows = [
        [f"{a.held_on:%Y-%m-%d}至{a.ends_on:%Y-%m-%d}" if a.ends_on else a.held_on, a.organization.name, a.activity_type.name, a.name, a.participant_count, a.people_covered,
         a.problems_solved, a.amount, a.work_area, a.highlight]
        for a in activities
    ]
    total = ["合计", f"{totals['count']}次", "", "", totals["participants"], totals["people_covered"],
             totals["problems_solved"], totals["amount"] or Decimal(0), "", ""]
    return write_ledger(title, headers, rows, total)
