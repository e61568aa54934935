"""人民币大写 amounts and Beijing-time formatting used by printed forms."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from app.docs.text import format_cn_date, format_cn_datetime, rmb_uppercase


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.00", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("0.55", "伍角伍分"),
        ("10.00", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("100.10", "壹佰元壹角整"),
        ("1004.00", "壹仟零肆元整"),
        ("10000000.00", "壹仟万元整"),
        ("101000.01", "壹拾万壹仟元零壹分"),
        ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        ("1234.50", "壹仟贰佰叁拾肆元伍角整"),
        # the examples of the People's Bank rule (our choice where 零 is optional: leave it out)
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # zeros across group boundaries
        ("1000100", "壹佰万零壹佰元整"),
        ("100000001", "壹亿零壹元整"),
        ("100001000", "壹亿零壹仟元整"),
        ("100010000", "壹亿零壹万元整"),
        ("1010000000", "壹拾亿壹仟万元整"),
        ("110000", "壹拾壹万元整"),
        ("20000", "贰万元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("1.500", "壹元伍角整"),  # trailing zeros beyond cents are exact, so accepted
    ],
)
def test_uppercase(amount: str, words: str) -> None:
    assert rmb_uppercase(Decimal(amount)) == words


def test_int_accepted() -> None:
    assert rmb_uppercase(300) == "叁佰元整"


@pytest.mark.parametrize("amount", [Decimal("-0.01"), Decimal("-100"), -1])
def test_negative_refused(amount) -> None:
    with pytest.raises(ValueError, match="negative"):
        rmb_uppercase(amount)


@pytest.mark.parametrize("amount", [Decimal("1.005"), Decimal("NaN"), Decimal("Infinity"), Decimal("1000000000000")])
def test_unwritable_amounts_refused(amount: Decimal) -> None:
    with pytest.raises(ValueError):
        rmb_uppercase(amount)


@pytest.mark.parametrize("amount", [12.5, "12.50", True])
def test_non_decimal_refused(amount) -> None:
    # floats are inexact and strings unchecked: money must arrive as Decimal
    with pytest.raises(TypeError):
        rmb_uppercase(amount)


def test_beijing_time() -> None:
    late_utc = datetime(2026, 11, 25, 16, 30, tzinfo=timezone.utc)
    assert format_cn_datetime(late_utc) == "2026年11月26日 00:30"
    assert format_cn_date(late_utc) == "2026年11月26日"


def test_naive_time_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_cn_datetime(datetime(2026, 11, 25, 8, 0))
