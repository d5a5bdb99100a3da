"""Deadline phrases of a 分解表: each maps to a due date, a recurrence or no fixed deadline, never a guess."""

import datetime as dt
import unittest

from lvze.lib import deadlines
from lvze.lib.deadlines import Deadline, monthly_due, parse_deadline

D = dt.date


class DueDateTests(unittest.TestCase):
    def assert_due(self, text, expected, year=2023):
        result = parse_deadline(text, year)
        self.assertEqual((result.kind, result.due_date, result.frequency), ("date", expected, "once"), text)

    def test_full_dates(self):
        for text in (
            "2023年6月30日",
            "2023.6.30",
            "2023-06-30",
            "2023/6/30",
            "20230630",
            "2023年6月30日前",
            "2023．6．30",
        ):
            self.assert_due(text, D(2023, 6, 30))

    def test_written_year_wins_over_the_plan_year(self):
        self.assert_due("2024年1月15日前", D(2024, 1, 15))
        self.assert_due("2024年6月底前", D(2024, 6, 30))
        self.assert_due("2024年第一季度", D(2024, 3, 31))
        self.assert_due("2024年上半年", D(2024, 6, 30))
        self.assert_due("2022年底", D(2022, 12, 31))

    def test_month_phrases_take_the_plan_year(self):
        cases = {
            "6月底前": D(2023, 6, 30),
            "6月底": D(2023, 6, 30),
            "6月30日前": D(2023, 6, 30),
            "6月30日": D(2023, 6, 30),
            "6月份": D(2023, 6, 30),
            "6月": D(2023, 6, 30),
            "2月底前": D(2023, 2, 28),
            "六月底前": D(2023, 6, 30),
            "十二月底前": D(2023, 12, 31),
            "6.30前": D(2023, 6, 30),
            "11月上旬": D(2023, 11, 10),
            "11月中旬前": D(2023, 11, 20),
            "11月下旬": D(2023, 11, 30),
            "2023.6": D(2023, 6, 30),
            "2023年6月": D(2023, 6, 30),
        }
        for text, expected in cases.items():
            self.assert_due(text, expected)
        self.assert_due("2月底前", D(2024, 2, 29), year=2024)

    def test_quarters_halves_and_the_year(self):
        cases = {
            "第一季度": D(2023, 3, 31),
            "第二季度": D(2023, 6, 30),
            "二季度": D(2023, 6, 30),
            "2季度": D(2023, 6, 30),
            "三季度末": D(2023, 9, 30),
            "第四季度": D(2023, 12, 31),
            "Q3": D(2023, 9, 30),
            "上半年": D(2023, 6, 30),
            "下半年": D(2023, 12, 31),
            "全年": D(2023, 12, 31),
            "年底前": D(2023, 12, 31),
            "年底": D(2023, 12, 31),
            "年内": D(2023, 12, 31),
            "年内完成": D(2023, 12, 31),
            "2023年度": D(2023, 12, 31),
        }
        for text, expected in cases.items():
            self.assert_due(text, expected)

    def test_surrounding_words(self):
        self.assert_due("截至9月底", D(2023, 9, 30))
        self.assert_due("于6月30日前完成", D(2023, 6, 30))
        self.assert_due("6月底前报送", D(2023, 6, 30))
        self.assert_due(" 6月底前 ", D(2023, 6, 30))
        self.assert_due("6月底前（阶段性成果）", D(2023, 6, 30))

    def test_ranges_end_at_their_end(self):
        self.assert_due("3月至6月", D(2023, 6, 30))
        self.assert_due("2024年3月—6月底", D(2024, 6, 30))
        self.assert_due("3月～5月", D(2023, 5, 31))

    def test_excel_date_cells(self):
        self.assert_due(dt.datetime(2023, 9, 30, 0, 0), D(2023, 9, 30))
        self.assert_due(D(2023, 9, 30), D(2023, 9, 30))


class RecurrenceTests(unittest.TestCase):
    def test_frequencies(self):
        cases = {
            "每月": "monthly",
            "按月": "monthly",
            "每月一次": "monthly",
            "每季度": "quarterly",
            "每季": "quarterly",
            "按季度": "quarterly",
            "每季度一次": "quarterly",
            "每季度末": "quarterly",
            "每半年": "semiannual",
            "半年一次": "semiannual",
            "每年": "annual",
            "每年一次": "annual",
        }
        for text, frequency in cases.items():
            self.assertEqual(parse_deadline(text, 2023), Deadline("recurring", None, frequency), text)

    def test_monthly_on_a_day(self):
        self.assertEqual(parse_deadline("每月10日前", 2023), Deadline("recurring", None, "monthly", 10))
        self.assertEqual(monthly_due(2023, 2, 10), D(2023, 2, 10))
        self.assertEqual(
            monthly_due(2023, 2, 30), D(2023, 2, 28), "a day past the month's end is its last day"
        )
        self.assertEqual(monthly_due(2023, 4, None), D(2023, 4, 30))

    def test_no_fixed_deadline(self):
        for text in ("长期坚持", "持续推进", "长期", "常态化开展", "持续开展", "长期坚持（每季度报送进展）"):
            self.assertEqual(parse_deadline(text, 2023), deadlines.NO_DEADLINE, text)
        self.assertEqual(parse_deadline("长期坚持", None).frequency, "long_term", "needs no year")

    def test_frequency_codes_match_the_model(self):
        from lvze.duties.models import Frequency

        for code in (deadlines.ONCE, *deadlines.RECURRING, deadlines.LONG_TERM):
            self.assertIn(code, Frequency.values)


class RefusalTests(unittest.TestCase):
    def assert_refused(self, value, fragment, year=2023):
        with self.assertRaises(ValueError) as caught:
            parse_deadline(value, year)
        self.assertIn(fragment, str(caught.exception))

    def test_impossible_dates_are_named(self):
        self.assert_refused("2023.2.30", "“2023.2.30”不是存在的日期")
        self.assert_refused("2月30日", "“2月30日”不是存在的日期")
        self.assert_refused("2023年13月1日", "不是存在的日期")
        self.assert_refused("13月底", "“13月底”不是存在的月份")
        self.assert_refused("每月32日", "日期不存在")

    def test_no_year_is_an_error_not_a_guess(self):
        for text in ("6月底前", "第二季度", "上半年", "全年", "6月30日"):
            self.assert_refused(text, "没有写明年份", year=None)

    def test_unreadable_phrases(self):
        self.assert_refused("根据上级要求", "无法识别完成时限")
        self.assert_refused("", "不能为空")
        self.assert_refused(None, "不能为空")
        self.assert_refused("每周", "暂不支持按周")
        self.assert_refused("6月底前、12月底前", "包含多个时限")
        self.assert_refused(2023.1, "数字格式")

    def test_describe(self):
        self.assertEqual(parse_deadline("6月底前", 2023).describe(), "2023-06-30前完成（一次性）")
        self.assertIn("按月生成事项", parse_deadline("每月", 2023).describe())
        self.assertIn("每月10日前", parse_deadline("每月10日前", 2023).describe())
        self.assertEqual(parse_deadline("持续推进", 2023).describe(), "长期坚持，无固定时限")


def test_an_implausible_year_is_refused():
    import pytest

    from lvze.lib.deadlines import parse_deadline

    with pytest.raises(ValueError, match="不在合理范围"):
        parse_deadline("3030年底", 2023)
