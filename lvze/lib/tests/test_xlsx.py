"""The 台账 writer produces a real workbook: read back with openpyxl as Excel/WPS would open it."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from lvze.lib.xlsx import Col, safe_sheet_title, write_table


def read(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_layout_title_header_widths_wrap_frozen_borders():
    rows = ([dt.date(2023, 5, 12), f"第{i}党支部", "很长的主题" * 10, i] for i in range(3))
    ws = read(write_table("会议台账（2023年上半年）", [Col("日期", 12), Col("组织", 20), Col("主题", 36, wrap=True), "人数"], rows,
                          total=["合计", "", "", 3], note="注：测试"))
    assert ws.title == "会议台账（2023年上半年）"
    assert ws["A1"].value == "会议台账（2023年上半年）" and ws["A1"].font.bold and ws["A1"].alignment.horizontal == "center"
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["日期", "组织", "主题", "人数"]
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("D9D9D9") for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.column_dimensions["C"].width == 36 and ws.column_dimensions["B"].width == 20
    assert ws["C3"].alignment.wrap_text and ws["C3"].alignment.horizontal == "left"
    assert ws["A3"].value == dt.datetime(2023, 5, 12) and ws["A3"].number_format == "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=2, max_row=6):
        assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in row)
    assert [c.value for c in ws[6]] == ["合计", None, None, 3] and ws["A6"].font.bold
    assert ws["A7"].value == "注：测试"
    assert ws.page_setup.orientation == "landscape"


def test_money_format_and_empty_table():
    ws = read(write_table("活动台账", ["名称", "金额"], [["捐款", Decimal("1234.50")]]))
    assert ws["B3"].value == 1234.5 and ws["B3"].number_format == "#,##0.00"
    empty = read(write_table("谈心谈话台账", ["日期", "谈话人"], []))
    assert empty.max_row == 2


def test_sheet_title_is_what_excel_accepts():
    assert safe_sheet_title("a/b:c*d?[e]" + "x" * 40) == ("abcde" + "x" * 40)[:31]
    assert safe_sheet_title("") == "Sheet1"
