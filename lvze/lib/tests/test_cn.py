import datetime

import pytest

from lvze.lib.cn import approx_people, cn_date, cn_number, cn_ordinal_heading, cn_sequence_word


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (2023, "二千零二十三"),
        (9999, "九千九百九十九"),
        (10000, "一万"),
        (10010, "一万零一十"),
        (100000, "十万"),
        (110000, "十一万"),
        (1000001, "一百万零一"),
        (100000001, "一亿零一"),
        (100010000, "一亿零一万"),
    ],
)
def test_cn_number(n, expected):
    assert cn_number(n) == expected


def test_cn_number_rejects_negative():
    with pytest.raises(ValueError, match="无法转换为中文数字"):
        cn_number(-1)


@pytest.mark.parametrize(
    ("level", "n", "expected"),
    [(1, 1, "一、"), (1, 12, "十二、"), (2, 3, "（三）"), (3, 1, "1."), (3, 10, "10."), (4, 2, "（2）")],
)
def test_cn_ordinal_heading(level, n, expected):
    assert cn_ordinal_heading(level, n) == expected


@pytest.mark.parametrize(("level", "n"), [(0, 1), (5, 1), (1, 0)])
def test_cn_ordinal_heading_rejects_bad_input(level, n):
    with pytest.raises(ValueError):
        cn_ordinal_heading(level, n)


def test_cn_sequence_word():
    assert [cn_sequence_word(n) for n in (1, 2, 3, 10, 11)] == ["一是", "二是", "三是", "十是", "十一是"]


def test_cn_date_has_no_zero_padding():
    assert cn_date(datetime.date(2023, 6, 30)) == "2023年6月30日"
    assert cn_date(datetime.date(2024, 1, 5)) == "2024年1月5日"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (99, "99"),
        (100, "100"),
        (101, "100余"),
        (109, "100余"),
        (580, "580"),
        (583, "580余"),
        (999, "990余"),
        (1000, "1000"),
        (1099, "1000余"),
        (1234, "1200余"),
        (1200, "1200"),
        (9999, "9900余"),
        (10000, "1万"),
        (10001, "1万余"),
        (12000, "1.2万"),
        (12345, "1.2万余"),
        (20000, "2万"),
        (20500, "2万余"),
        (123456, "12.3万余"),
    ],
)
def test_approx_people(n, expected):
    assert approx_people(n) == expected


def test_approx_people_rejects_negative():
    with pytest.raises(ValueError, match="人数不能为负数"):
        approx_people(-3)
