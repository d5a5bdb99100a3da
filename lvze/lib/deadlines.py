"""Deadline phrases of a 分解表 (完成时限) as values: a due date, a recurrence, or no fixed deadline.

Pure, no Django. Every phrase maps to exactly one reading and nothing is guessed: a phrase without a
year takes the plan's year, a phrase we cannot read is an error, and a date that does not exist is an
error naming it. Frequencies use the same codes as `duties.models.Frequency`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

ONCE, MONTHLY, QUARTERLY, SEMIANNUAL, ANNUAL, LONG_TERM = (
    "once",
    "monthly",
    "quarterly",
    "semiannual",
    "annual",
    "long_term",
)
RECURRING = (MONTHLY, QUARTERLY, SEMIANNUAL, ANNUAL)
FREQUENCY_LABELS = {
    ONCE: "一次性",
    MONTHLY: "每月",
    QUARTERLY: "每季度",
    SEMIANNUAL: "每半年",
    ANNUAL: "每年",
    LONG_TERM: "长期",
}

HINT = "可写成：2023年6月30日、2023.6.30、6月底前、6月30日前、第二季度、上半年、下半年、全年、每月、每季度、每半年、长期坚持"


@dataclass(frozen=True)
class Deadline:
    """kind is "date" (one due date), "recurring" (one item per sub-period) or "long_term" (none)."""

    kind: str
    due_date: dt.date | None
    frequency: str
    day: int | None = None  # a monthly recurrence due on this day of each month ("每月10日前")

    def describe(self) -> str:
        if self.kind == "date":
            assert self.due_date is not None
            return f"{self.due_date:%Y-%m-%d}前完成（一次性）"
        if self.kind == "long_term":
            return "长期坚持，无固定时限"
        if self.day:
            return f"每月{self.day}日前（按月生成事项）"
        unit = {MONTHLY: "月", QUARTERLY: "季度", SEMIANNUAL: "半年", ANNUAL: "年度"}[self.frequency]
        return f"{FREQUENCY_LABELS[self.frequency]}（按{unit}生成事项，各期末到期）"


def on(day: dt.date) -> Deadline:
    return Deadline("date", day, ONCE)


def recurring(frequency: str, day: int | None = None) -> Deadline:
    return Deadline("recurring", None, frequency, day)


NO_DEADLINE = Deadline("long_term", None, LONG_TERM)

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_to_int(text: str) -> int:
    """一…九十九 (十二 → 12, 三十一 → 31, 二〇 → 20 is not accepted)."""
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(text)
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    if (tens and tens not in CN_DIGITS) or (ones and ones not in CN_DIGITS):  # 十十, 十两十: not a number
        raise ValueError(text)
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


CN_NUMBER = re.compile(r"[一二三四五六七八九十两]{1,3}(?=[月日号季])")


def cn_number_or_as_written(match: re.Match) -> str:
    """A Chinese numeral as digits; what is not a numeral stays as written (and fails to parse later)."""
    try:
        return str(cn_to_int(match[0]))
    except ValueError:
        return match[0]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\([^)]*\)", "", text)  # notes in brackets: （阶段性）, (以上级通知为准)
    text = re.sub(r"\s+", "", text)
    text = CN_NUMBER.sub(cn_number_or_as_written, text)
    text = re.sub(r"^(?:于|在|截至|截止到?|截止日期|时限为?|完成时限)[:：]?", "", text)
    previous = None
    while previous != text:
        previous = text
        text = TRAILING_VERB.sub("", text)
        text = re.sub(r"(?:前|以前|之前|为止|止|完成|[。.;；,，])$", "", text)
    return range_end(text)


def range_end(text: str) -> str:
    """ "3月至6月", "2023年3月—6月底": the deadline is the end of the range, in the range's year."""
    parts = [p for p in re.split(r"[至~—]+", text) if p]
    if len(parts) < 2:
        return text
    last = parts[-1]
    year = re.match(r"^(\d{4})年", parts[0])
    if year and not re.match(r"^\d{4}", last):
        last = f"{year[1]}年{last}"
    return last


TRAILING_VERB = re.compile(
    r"(?<=[前底末日号年季月])(?:报送|上报|完成|召开|开展|部署|落实|提交|印发|制定|启动|结束|办结|到位)$"
)
LONG_TERM_WORDS = ("长期", "持续", "常态", "经常", "日常", "坚持不懈", "贯穿全年")
MONTHLY_RE = re.compile(r"^(?:每个?月|按月|月度)(?:一次|1次|[底末])?$")
MONTHLY_DAY_RE = re.compile(r"^(?:每个?月|按月)(\d{1,2})[日号]$")
QUARTERLY_RE = re.compile(r"^(?:每个?季度?|按季度?|季度)(?:一次|1次|[底末])?$")
SEMIANNUAL_RE = re.compile(r"^(?:每半年|半年一次|按半年|每半年度)(?:一次|1次|[底末])?$")
ANNUAL_RE = re.compile(r"^(?:每年|每年度|按年度?)(?:一次|1次|[底末])?$")
YEAR = r"(?:(\d{4})年?)?"
FULL_DATE_RE = re.compile(r"^(\d{4})[年./-](\d{1,2})[月./-](\d{1,2})[日号]?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MONTH_DAY_RE = re.compile(rf"^{YEAR}(\d{{1,2}})月(\d{{1,2}})[日号]$")
DOTTED_MONTH_DAY_RE = re.compile(r"^(\d{1,2})[./](\d{1,2})$")
MONTH_RE = re.compile(rf"^{YEAR}(\d{{1,2}})(?:月(?:份|底|末|内|上旬|中旬|下旬)?)$")
YEAR_MONTH_RE = re.compile(r"^(\d{4})[./-](\d{1,2})$")
QUARTER_RE = re.compile(rf"^{YEAR}(?:第)?([1-4])季度?(?:末|底)?$|^{YEAR}[Qq]([1-4])$")
HALF_RE = re.compile(rf"^{YEAR}([上下])半年(?:度|末|底)?$")
YEAR_END_RE = re.compile(r"^(?:(\d{4})年?)?(?:全年|年底|年末|年内|年度内|本年度|年度)$|^(\d{4})年?度?$")
TENDAY_END = {"上旬": 10, "中旬": 20}


def parse_deadline(value: object, year: int | None) -> Deadline:
    """Read a 完成时限 cell. `year` is the plan's year, used when the phrase has none."""
    if isinstance(value, dt.datetime):
        return on(value.date())
    if isinstance(value, dt.date):
        return on(value)
    if isinstance(value, float):
        raise ValueError(f"完成时限“{value:g}”是数字格式，无法确定月份和日期，请写成“2023年10月31日”等文字")
    original = str(value or "").strip()
    if not original:
        raise ValueError("完成时限不能为空")
    text = normalise(original)
    for reader in (read_long_term, read_recurring, read_date, read_period):
        found = reader(text, year, original)
        if found is not None:
            return found
    if re.search(r"[、,;；和及]", text):
        raise ValueError(f"“{original}”包含多个时限，一项任务只能写一个完成时限（可拆分为多行）")
    if re.match(r"^每(?:周|日|天|两周|旬)", text):
        raise ValueError(f"“{original}”：暂不支持按周或按日的频次，请写成每月、每季度、每半年或每年")
    raise ValueError(f"无法识别完成时限“{original}”。{HINT}")


def read_long_term(text: str, year: int | None, original: str) -> Deadline | None:
    return NO_DEADLINE if text.startswith(LONG_TERM_WORDS) else None


def read_recurring(text: str, year: int | None, original: str) -> Deadline | None:
    match = MONTHLY_DAY_RE.match(text)
    if match:
        day = int(match[1])
        if not 1 <= day <= 31:
            raise ValueError(f"“{original}”中的日期不存在")
        return recurring(MONTHLY, day)
    for pattern, frequency in (
        (MONTHLY_RE, MONTHLY),
        (QUARTERLY_RE, QUARTERLY),
        (SEMIANNUAL_RE, SEMIANNUAL),
        (ANNUAL_RE, ANNUAL),
    ):
        if pattern.match(text):
            return recurring(frequency)
    return None


def read_date(text: str, year: int | None, original: str) -> Deadline | None:
    match = FULL_DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    if match:
        return on(checked(int(match[1]), int(match[2]), int(match[3]), original))
    match = MONTH_DAY_RE.match(text)
    if match:
        y = need_year(match[1], year, original)
        return on(checked(y, int(match[2]), int(match[3]), original))
    match = DOTTED_MONTH_DAY_RE.match(text)
    if match:
        return on(checked(need_year(None, year, original), int(match[1]), int(match[2]), original))
    match = MONTH_RE.match(text)
    if match:
        y, month = need_year(match[1], year, original), int(match[2])
        return on(month_deadline(y, month, text, original))
    match = YEAR_MONTH_RE.match(text)
    if match:
        return on(month_deadline(int(match[1]), int(match[2]), text, original))
    return None


def read_period(text: str, year: int | None, original: str) -> Deadline | None:
    match = QUARTER_RE.match(text)
    if match:
        y = need_year(match[1] or match[3], year, original)
        quarter = int(match[2] or match[4])
        return on(month_end(y, quarter * 3))
    match = HALF_RE.match(text)
    if match:
        y = need_year(match[1], year, original)
        return on(dt.date(y, 6, 30) if match[2] == "上" else dt.date(y, 12, 31))
    match = YEAR_END_RE.match(text)
    if match:
        return on(dt.date(need_year(match[1] or match[2], year, original), 12, 31))
    return None


PLAUSIBLE_YEARS = range(1990, 2101)


def need_year(written: str | None, year: int | None, original: str) -> int:
    if written:
        if int(written) not in PLAUSIBLE_YEARS:
            raise ValueError(f"“{original}”中的年份 {written} 不在合理范围（1990—2100）")
        return int(written)
    if year is None:
        raise ValueError(f"“{original}”没有写明年份，且无法确定计划年度")
    return year


def month_deadline(year: int, month: int, text: str, original: str) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(f"“{original}”不是存在的月份")
    for word, day in TENDAY_END.items():
        if text.endswith(word):
            return dt.date(year, month, day)
    return month_end(year, month)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def checked(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{original}”不是存在的日期") from None


def monthly_due(year: int, month: int, day: int | None) -> dt.date:
    """The due date of one month of a monthly recurrence: the given day (at most the month's last), else
    the month's end."""
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last)) if day else dt.date(year, month, last)


def format_date_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
