"""Chinese numerals, heading prefixes, dates and approximate head counts.

Official documents write structure numbers in Chinese ("一、", "（一）") but dates and most figures
in Arabic digits without zero padding (GB/T 9704-2012, 7.3.5), so both conversions live here.
"""

from __future__ import annotations

import datetime

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("千", "百", "十", "")
_GROUP_UNITS = ("", "万", "亿")
_MAX_NUMBER = 10**12 - 1


def cn_number(n: int) -> str:
    """Write a non-negative integer in Chinese numerals as a reader would say it (105 → 一百零五)."""
    if not 0 <= n <= _MAX_NUMBER:
        raise ValueError(f"无法转换为中文数字：{n}（须为 0 至 {_MAX_NUMBER} 的整数）")
    if n == 0:
        return _DIGITS[0]
    text = _join_groups(_split_groups(n))
    # 10–19 are said "十…", never "一十…"; inside a larger number "一十" stays (一百一十).
    return text[1:] if text.startswith("一十") else text


def _split_groups(n: int) -> list[int]:
    """Split into groups of four digits, most significant first (Chinese counts in 万, not 千)."""
    groups: list[int] = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    return groups[::-1]


def _join_groups(groups: list[int]) -> str:
    parts: list[str] = []
    zero_pending = False
    for position, group in enumerate(groups):
        unit = _GROUP_UNITS[len(groups) - 1 - position]
        if group == 0:
            zero_pending = bool(parts)
            continue
        if parts and (zero_pending or group < 1000):
            parts.append("零")
        parts.append(_four_digits(group) + unit)
        zero_pending = False
    return "".join(parts)


def _four_digits(group: int) -> str:
    """1–9999 without leading 零; inner runs of zeros read as one 零 (1010 → 一千零一十)."""
    out: list[str] = []
    zero_pending = False
    for digit_char, unit in zip(f"{group:04d}", _SMALL_UNITS, strict=True):
        digit = int(digit_char)
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + unit)
    return "".join(out)


def cn_ordinal_heading(level: int, n: int) -> str:
    """Heading prefix of GB/T 9704-2012 7.3.3 for structure level 1–4: 一、 （一） 1. （1）."""
    if n < 1:
        raise ValueError(f"标题序号须为正整数：{n}")
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"标题层级须为 1 至 4：{level}")


def cn_sequence_word(n: int) -> str:
    """Enumeration word used inside a paragraph of a summary: 一是, 二是, 三是 …"""
    if n < 1:
        raise ValueError(f"序号须为正整数：{n}")
    return f"{cn_number(n)}是"


def cn_date(d: datetime.date) -> str:
    """Date as GB/T 9704 writes it: Arabic digits, no zero padding (2023年6月30日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def approx_people(n: int) -> str:
    """Approximate a count of people the way summaries do ("覆盖群众580余人"); append 人/名 yourself.

    Below 100 exact; 100–999 rounded down to tens, 1,000–9,999 to hundreds, 10,000 and more in 万
    with one decimal (also rounded down). "余" marks that the rounding dropped something, so an
    exact 580 stays "580" and 583 becomes "580余". Only people are approximated: counts of events
    and items (次, 场, 件, 项) must stay exact and never go through this function.
    """
    if n < 0:
        raise ValueError(f"人数不能为负数：{n}")
    if n < 100:
        return str(n)
    if n < 10_000:
        step = 10 if n < 1000 else 100
        shown = n - n % step
        return f"{shown}{_remainder_mark(n, shown)}"
    tenths = n // 1000
    shown_wan = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"
    return f"{shown_wan}万{_remainder_mark(n, tenths * 1000)}"


def _remainder_mark(exact: int, shown: int) -> str:
    return "" if exact == shown else "余"
