"""Resident ID numbers (GB 11643-1999): checksum and the birth date they carry."""

from __future__ import annotations

import datetime as dt

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number_problem(number: str) -> str | None:
    """A Chinese description of what is wrong with the number, or None when it is valid."""
    if len(number) != 18 or not number[:17].isdigit():
        return "身份证号应为18位"
    if check_char(number[:17]) != number[17].upper():
        return "身份证号校验位不正确"
    if birth_date_of(number) is None:
        return "身份证号中的出生日期不存在"
    return None


def birth_date_of(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
