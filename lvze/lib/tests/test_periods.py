import datetime

import pytest

from lvze.lib.periods import Period, period_for, periods_between

D = datetime.date


@pytest.mark.parametrize(
    ("code", "kind", "year", "index"),
    [
        ("2023", "year", 2023, 1),
        ("2023H1", "half", 2023, 1),
        ("2023H2", "half", 2023, 2),
        ("2023Q2", "quarter", 2023, 2),
        ("2023-05", "month", 2023, 5),
        ("2023-12", "month", 2023, 12),
    ],
)
def test_parse_and_canonical_string(code, kind, year, index):
    period = Period.parse(code)
    assert (period.kind, period.year, period.index) == (kind, year, index)
    assert str(period) == code
    assert Period.parse(str(period)) == period


def test_parse_is_lenient_on_case_whitespace_and_month_padding():
    assert Period.parse(" 2023q3 ") == Period("quarter", 2023, 3)
    assert Period.parse("2023h2") == Period("half", 2023, 2)
    assert str(Period.parse("2023-5")) == "2023-05"


@pytest.mark.parametrize(
    "bad", ["", "23", "2023H3", "2023Q5", "2023Q0", "2023-13", "2023-00", "2023年", "abc"]
)
def test_parse_rejects_bad_values_naming_them(bad):
    with pytest.raises(ValueError, match="无法识别的期间") as excinfo:
        Period.parse(bad)
    assert repr(bad) in str(excinfo.value)


def test_constructor_validates():
    with pytest.raises(ValueError, match="期间序号超出范围"):
        Period("quarter", 2023, 5)
    with pytest.raises(ValueError, match="未知的期间类型"):
        Period("week", 2023, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("2023H1", D(2023, 1, 1), D(2023, 6, 30)),
        ("2023H2", D(2023, 7, 1), D(2023, 12, 31)),
        ("2023Q1", D(2023, 1, 1), D(2023, 3, 31)),
        ("2023Q4", D(2023, 10, 1), D(2023, 12, 31)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ],
)
def test_start_and_inclusive_end(code, start, end):
    period = Period.parse(code)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2023", "2023年"),
        ("2023H1", "2023年上半年"),
        ("2023H2", "2023年下半年"),
        ("2023Q2", "2023年第二季度"),
        ("2023Q4", "2023年第四季度"),
        ("2023-05", "2023年5月"),
    ],
)
def test_label(code, label):
    assert Period.parse(code).label() == label


def test_contains_periods():
    q2 = Period.parse("2023Q2")
    assert q2.contains(Period.parse("2023-05"))
    assert q2.contains(q2)
    assert not q2.contains(Period.parse("2023-07"))
    assert not q2.contains(Period.parse("2023H1"))
    assert Period.parse("2023").contains(q2)
    assert not Period.parse("2024").contains(q2)


def test_contains_date_is_inclusive_at_both_ends():
    may = Period.parse("2023-05")
    assert may.contains_date(D(2023, 5, 1))
    assert may.contains_date(D(2023, 5, 31))
    assert not may.contains_date(D(2023, 6, 1))
    assert not may.contains_date(D(2023, 4, 30))


def test_of_date_and_period_for():
    d = D(2023, 8, 15)
    assert str(Period.of_date(d, "year")) == "2023"
    assert str(Period.of_date(d, "half")) == "2023H2"
    assert str(Period.of_date(d, "quarter")) == "2023Q3"
    assert str(Period.of_date(d, "month")) == "2023-08"
    assert period_for("quarter", D(2023, 6, 30)) == Period("quarter", 2023, 2)
    with pytest.raises(ValueError, match="未知的期间类型"):
        Period.of_date(d, "week")  # type: ignore[arg-type]


def test_subperiod_iteration():
    assert [str(p) for p in Period.parse("2023Q2").months()] == ["2023-04", "2023-05", "2023-06"]
    assert [str(p) for p in Period.parse("2023H2").quarters()] == ["2023Q3", "2023Q4"]
    assert [str(p) for p in Period.parse("2023").halves()] == ["2023H1", "2023H2"]
    assert len(list(Period.parse("2023").months())) == 12
    assert list(Period.parse("2023-05").months()) == [Period.parse("2023-05")]
    with pytest.raises(ValueError, match="不能按季度划分"):
        list(Period.parse("2023-05").quarters())


def test_enclosing():
    assert str(Period.parse("2023-05").enclosing("quarter")) == "2023Q2"
    assert str(Period.parse("2023Q3").enclosing("half")) == "2023H2"
    with pytest.raises(ValueError):
        Period.parse("2023").enclosing("month")


@pytest.mark.parametrize(
    ("code", "following", "preceding"),
    [
        ("2023", "2024", "2022"),
        ("2023H2", "2024H1", "2023H1"),
        ("2023Q4", "2024Q1", "2023Q3"),
        ("2023Q1", "2023Q2", "2022Q4"),
        ("2023-12", "2024-01", "2023-11"),
        ("2023-01", "2023-02", "2022-12"),
    ],
)
def test_next_and_previous(code, following, preceding):
    period = Period.parse(code)
    assert str(period.next()) == following
    assert str(period.previous()) == preceding
    assert period.next().previous() == period


def test_ordering_is_chronological_longer_first():
    codes = ["2023-05", "2023Q2", "2022", "2023", "2023H1", "2023Q1", "2023-01", "2023H2"]
    ordered = sorted(Period.parse(c) for c in codes)
    assert [str(p) for p in ordered] == [
        "2022",
        "2023",
        "2023H1",
        "2023Q1",
        "2023-01",
        "2023Q2",
        "2023-05",
        "2023H2",
    ]
    assert Period.parse("2023-05") < Period.parse("2023-06")
    assert max(Period.parse("2023Q1"), Period.parse("2023Q3")) == Period.parse("2023Q3")


def test_periods_are_hashable_values():
    assert len({Period.parse("2023Q2"), Period("quarter", 2023, 2)}) == 1


def test_periods_between():
    assert [str(p) for p in periods_between(Period.parse("2023-11"), Period.parse("2024-02"))] == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
    ]
    with pytest.raises(ValueError, match="期间类型不一致"):
        list(periods_between(Period.parse("2023"), Period.parse("2023Q1")))


def test_nested_periods_are_those_a_record_period_may_take_within():
    from lvze.lib.periods import Period

    codes = [str(p) for p in Period.parse("2023Q2").nested()]
    assert codes == ["2023Q2", "2023-04", "2023-05", "2023-06"]
    year = [str(p) for p in Period.parse("2023").nested()]
    assert len(year) == 1 + 2 + 4 + 12 and year[:3] == ["2023", "2023H1", "2023H2"]
    assert [str(p) for p in Period.parse("2023-05").nested()] == ["2023-05"]
    assert all(Period.parse("2023H2").contains(p) for p in Period.parse("2023H2").nested())
