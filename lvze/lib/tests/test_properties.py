"""Property-based tests (hypothesis): the period parser, the deadline-phrase parser, the rounding rule,
the masking function and the content check. Whatever the input, they either answer correctly or refuse
with a ValueError whose message is for a user — never another exception, never a wrong answer."""

import datetime as dt

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from lvze.lib import filetypes
from lvze.lib.cn import approx_people
from lvze.lib.deadlines import parse_deadline
from lvze.lib.masking import MaskRegistry
from lvze.lib.periods import Period, periods_between

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

kinds = st.sampled_from(["year", "half", "quarter", "month"])


@st.composite
def periods(draw) -> Period:
    kind = draw(kinds)
    count = {"year": 1, "half": 2, "quarter": 4, "month": 12}[kind]
    return Period(kind, draw(st.integers(2000, 2099)), draw(st.integers(1, count)))


# Periods ----------------------------------------------------------------------------------------------


@FAST
@given(periods())
def test_period_round_trips_through_its_code(period):
    assert Period.parse(str(period)) == period
    assert Period.parse(f"  {period}  ") == period


@FAST
@given(periods())
def test_period_bounds_and_neighbours(period):
    assert period.start <= period.end
    assert period.contains_date(period.start) and period.contains_date(period.end)
    assert not period.contains_date(period.start - dt.timedelta(days=1))
    assert not period.contains_date(period.end + dt.timedelta(days=1))
    assume(2001 <= period.year <= 2098)
    assert period.next().start == period.end + dt.timedelta(days=1)
    assert period.previous().next() == period
    assert period.shifted(3).shifted(-3) == period


@FAST
@given(periods(), kinds)
def test_subperiods_tile_their_period(period, kind):
    try:
        parts = list(period.subperiods(kind))
    except ValueError as exc:  # a coarser kind than the period itself
        assert "不能按" in str(exc)
        return
    assert parts[0].start == period.start and parts[-1].end == period.end
    for before, after in zip(parts, parts[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert all(period.contains(p) for p in parts)


@FAST
@given(periods(), st.integers(0, 30))
def test_periods_between_is_ordered_and_complete(first, steps):
    assume(2000 <= first.year <= 2090)
    last = first.shifted(steps)
    run = list(periods_between(first, last))
    assert run[0] == first and run[-1] == last and len(run) == steps + 1


@FAST
@given(st.text(max_size=20))
@example("2023Q5")
@example("2023-13")
@example("2023H3")
@example("１２３４")
@example("2023-5")
def test_period_parser_accepts_only_codes(text):
    try:
        period = Period.parse(text)
    except ValueError as exc:
        assert "期间" in str(exc)
    else:  # accepted: a code, perhaps unpadded ("2023-5"), that reads back as itself
        assert Period.parse(str(period)) == period
        assert text.strip().startswith(str(period.year))


# Deadline phrases -------------------------------------------------------------------------------------

deadline_words = st.sampled_from(
    ["年", "月", "日", "底", "前", "第", "季度", "上半年", "下半年", "全年", "每", "长期", "坚持", "二", "十", "三",
     "6", "30", "12", "2023", ".", "-", "/", "、", "持续", "中旬", "末", "周", "号", " "]
)


@FAST
@given(st.lists(deadline_words, max_size=8).map("".join), st.one_of(st.none(), st.integers(2000, 2099)))
@example("6月底前", 2023)
@example("2023年2月30日", None)
@example("第五季度", 2023)
@example("每周", 2023)
def test_deadline_parser_answers_or_explains(text, year):
    try:
        deadline = parse_deadline(text, year)
    except ValueError as exc:
        assert str(exc)  # a message for the importer's row error
    else:
        assert deadline.kind in {"date", "recurring", "long_term"}
        assert deadline.describe()
        if deadline.kind == "date":
            assert deadline.due_date is not None
            if year is not None and "20" not in text:
                assert deadline.due_date.year == year


@FAST
@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_written_dates_read_back(day):
    for text in (f"{day.year}年{day.month}月{day.day}日", f"{day.year}.{day.month}.{day.day}", f"{day:%Y-%m-%d}"):
        deadline = parse_deadline(text, None)
        assert (deadline.kind, deadline.due_date) == ("date", day), text


# The rounding rule ------------------------------------------------------------------------------------


@FAST
@given(st.integers(0, 10**8))
def test_approx_people_never_overstates_and_marks_what_it_drops(n):
    shown = approx_people(n)
    exact = not shown.endswith("余")
    figure = shown.removesuffix("余")
    value = float(figure.removesuffix("万")) * 10_000 if figure.endswith("万") else int(figure)
    assert value <= n
    assert exact == (value == n)
    if n < 100:
        assert shown == str(n)
    elif n < 1000:
        assert n - value < 10
    elif n < 10_000:
        assert n - value < 100
    else:
        assert n - value < 1000


@FAST
@given(st.integers(100, 10**7), st.integers(100, 10**7))
def test_approx_people_is_monotonic(a, b):
    def value(n):
        figure = approx_people(n).removesuffix("余")
        return float(figure.removesuffix("万")) * 10_000 if figure.endswith("万") else int(figure)

    if a <= b:
        assert value(a) <= value(b)


# Masking ----------------------------------------------------------------------------------------------

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E60)
names = st.text(cjk, min_size=2, max_size=4)


@FAST
@given(
    st.lists(names, min_size=1, max_size=5, unique=True),
    st.lists(st.text(cjk | st.sampled_from("，。 1a"), max_size=6), max_size=6),
)
def test_masking_leaves_no_registered_name(people, fillers):
    registry = MaskRegistry(people_names=people, generic_words=())
    text = "".join(f"{filler}{people[i % len(people)]}" for i, filler in enumerate(fillers)) or people[0]
    masked, replacements = registry.mask_text(text)
    assert registry.find_leaks(masked) == []
    assert replacements, "every name written into the text was found"
    assert registry.mask_text(masked)[0] == masked, "masking is idempotent"


@FAST
@given(st.lists(names, min_size=1, max_size=5, unique=True), st.text(st.sampled_from("，。 1a的和在"), max_size=40))
def test_text_without_names_is_left_alone(people, text):
    registry = MaskRegistry(people_names=people, generic_words=())
    assert registry.mask_text(text) == (text, [])


@FAST
@given(st.text(max_size=200))
def test_masking_never_fails_on_any_text(text):
    registry = MaskRegistry(people_names=["张三", "李四"], org_names=[("示范区税务局党委", ["区局"])])
    masked, _replacements = registry.mask_text(text)
    assert registry.find_leaks(masked) == []


# The content check ------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=512), st.sampled_from(sorted(filetypes.EXTENSION_KINDS)))
@example(b"PK\x03\x04" + b"\0" * 40, ".docx")
@example(b"%PDF-", ".pdf")
def test_content_check_refuses_cleanly(data, suffix):
    try:
        kind = filetypes.check_content("文件" + suffix, data)
    except filetypes.FileRefused as exc:
        assert str(exc)
    else:
        assert kind == filetypes.EXTENSION_KINDS[suffix] or (suffix == ".zip")


@FAST
@given(st.text(max_size=300))
def test_safe_filename_is_always_safe(name):
    safe = filetypes.safe_filename(name)
    assert safe and len(safe) <= 121
    assert not any(c in safe for c in '/\\<>:"|?*\0\r\n')
    assert not safe.startswith(".")
    assert filetypes.safe_filename(safe) == safe
