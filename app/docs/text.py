"""Text for printed documents: money in 人民币大写, instants as Asia/Shanghai dates, and calendar days.

大写 rules followed (中国人民银行《支付结算办法》附件“正确填写票据和结算凭证的基本规定”):
- Digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, 元角分. 壹 is always written before 拾 (10 → 壹拾元整).
- A run of zeros between non-zero digits is written as a single 零 (1004 → 壹仟零肆; 6007.14 → 陆仟零柒元壹角肆分),
  including a whole zero 万-group (100001000 → 壹亿零壹仟).
- The rule leaves 零 optional where the 万位 or 元位 is 0 and the next digit (千位 or 角位) is not; we take the
  shorter form: 107000.53 → 壹拾万柒仟元伍角叁分, 1680.32 → 壹仟陆佰捌拾元叁角贰分.
- 角位 0 with 分 non-zero requires 零 after 元: 16409.02 → 壹万陆仟肆佰零玖元零贰分.
- 整 ends an amount with no 分: “元整” (10.00 → 壹拾元整) and, as the rule permits, “角整” (1234.50 → …伍角整).
  An amount ending in 分 has no 整.
- Under one yuan no 元 is written (0.05 → 伍分); zero is 零元整.
Amounts must be non-negative Decimals (or ints) with at most two decimal places and below 1 万亿; anything else is
a programming error (ValueError / TypeError), never silently rounded.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP_UNITS = ("仟", "佰", "拾", "")  # for the 4 digits of a group, most significant first
_GROUP_UNITS = ("", "万", "亿")  # group 0 (units), 1 (万), 2 (亿)
_LIMIT = Decimal(10) ** 12  # 1 万亿; beyond it the unit system would need 万亿, and no social-insurance sum gets there
_CENT = Decimal("0.01")

try:
    SHANGHAI = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # Windows without the tzdata package; China has had no DST since 1991
    SHANGHAI = timezone(timedelta(hours=8), "CST")


def _group_words(group: int) -> str:
    """A 1..9999 group, zeros inside collapsed to one 零, trailing zeros dropped, leading zeros left to the caller."""
    digits = f"{group:04d}"
    out: list[str] = []
    pending_zero = False
    for digit, unit in zip(digits, _IN_GROUP_UNITS):
        if digit == "0":
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[int(digit)] + unit)
    return "".join(out)


def _integer_words(number: int) -> str:
    groups = [(number // 10**(4 * i)) % 10000 for i in range(len(_GROUP_UNITS))]
    out: list[str] = []
    zero_gap = False  # a whole zero group sits between what is written and what comes next
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero_gap = bool(out)
            continue
        if out and (zero_gap or group < 1000):  # the zeros between two non-zero digits span the group boundary
            out.append("零")
        out.append(_group_words(group) + _GROUP_UNITS[index])
        zero_gap = False
    return "".join(out)


def rmb_uppercase(amount: Decimal | int) -> str:
    """Write a yuan amount in 人民币大写, e.g. Decimal("1234.50") → "壹仟贰佰叁拾肆元伍角整" (rules in the module doc)."""
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"amount must be Decimal or int, not {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"amount is not a finite number: {amount!r}")
    if value < 0:
        raise ValueError(f"amount must not be negative: {amount!r}")
    if value >= _LIMIT:
        raise ValueError(f"amount too large for 大写 (must be below 1 万亿): {amount!r}")
    cents_value = value.quantize(_CENT)
    if cents_value != value:
        raise ValueError(f"amount has more than two decimal places: {amount!r}")
    cents = int(cents_value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10

    if cents == 0:
        return "零元整"
    out = _integer_words(yuan) + "元" if yuan else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    else:
        out += "整"
    return out


def to_shanghai(instant: datetime) -> datetime:
    """An aware instant in Beijing time; naive datetimes are refused because their zone is a guess."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime, expected an aware (UTC) instant: {instant!r}")
    return instant.astimezone(SHANGHAI)


def format_cn_datetime(instant: datetime) -> str:
    """e.g. 2026年11月25日 14:03 (Asia/Shanghai)."""
    local = to_shanghai(instant)
    return f"{local:%Y}年{local:%m}月{local:%d}日 {local:%H:%M}"


def format_cn_date(instant: datetime) -> str:
    """e.g. 2026年11月25日 (Asia/Shanghai)."""
    local = to_shanghai(instant)
    return f"{local:%Y}年{local:%m}月{local:%d}日"


def format_cn_day(day: date) -> str:
    """A calendar day (no time, no zone), e.g. 2026年12月09日; a datetime is refused: its day depends on the zone."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, not {type(day).__name__}: use format_cn_date for instants")
    return f"{day:%Y}年{day:%m}月{day:%d}日"
