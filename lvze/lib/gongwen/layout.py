"""The numbers of the GB/T 9704-2012 layout, in the units WordprocessingML stores.

Word keeps lengths in twips (1/20 pt, 1440 per inch) and font sizes in half-points; converting
once here keeps the writer and its tests reading the same figures.
"""

from __future__ import annotations

MM_PER_INCH = 25.4
TWIPS_PER_INCH = 1440
TWIPS_PER_PT = 20


def mm_to_twips(mm: float) -> int:
    """Exact conversion (1 mm ≈ 56.69 twips), rounded to the whole twips Word stores."""
    return round(mm * TWIPS_PER_INCH / MM_PER_INCH)


def pt_to_twips(pt: float) -> int:
    """Points to twips (indents, line pitch)."""
    return round(pt * TWIPS_PER_PT)


def pt_to_half_points(pt: float) -> int:
    """Points to half-points, the unit of w:sz."""
    return round(pt * 2)


# Page: A4 with the margins that leave the standard 156 mm × 225 mm text block (版心).
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 37, 35
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 28, 26
HEADER_DISTANCE_MM = 15
# The page number's 一字线 sits 7 mm below the text block; its line is centred on that point,
# so the footer's bottom edge lies half a 14 pt line (≈2.5 mm) lower: 35 − 7 − 2.5 mm.
FOOTER_DISTANCE_MM = 25.5

PAGE_WIDTH = mm_to_twips(PAGE_WIDTH_MM)
PAGE_HEIGHT = mm_to_twips(PAGE_HEIGHT_MM)
TEXT_WIDTH = PAGE_WIDTH - mm_to_twips(MARGIN_LEFT_MM) - mm_to_twips(MARGIN_RIGHT_MM)

# Fonts. Word picks `eastAsia` for Chinese characters and `ascii`/`hAnsi` for digits and Latin
# letters; official documents set Arabic numerals in Times New Roman.
LATIN_FONT = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
TABLE_FONT = BODY_FONT

# Sizes: 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt.
TITLE_SIZE_PT = 22
BODY_SIZE_PT = 16
PAGE_NUMBER_SIZE_PT = 14

# 28.95 pt exact line spacing gives 22 lines in the 225 mm text block.
LINE_PITCH = 579
CHAR_WIDTH = pt_to_twips(BODY_SIZE_PT)  # one body character: 16 pt = 320 twips
FIRST_LINE_CHARS = 2

# Sign-off and date (GB/T 9704-2012 7.3.5.2, without seal), in body characters of right indent.
SIGNOFF_RIGHT_CHARS = 2
DATE_SHIFT_CHARS = 2
DATE_ALONE_RIGHT_CHARS = 4

# Page numbers: "— N —", odd pages right and even pages left, one 4号 character in from the edge.
PAGE_NUMBER_DASH = "—"
PAGE_NUMBER_INDENT = pt_to_twips(PAGE_NUMBER_SIZE_PT)
