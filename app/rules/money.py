"""Money as Decimal: parsing, rounding with an explicit mode per rule, and splits that never lose a fen."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, \
    InvalidOperation

FEN = Decimal("0.01")
YUAN = Decimal("1")

ROUNDING_MODES = {
    "HALF_UP": ROUND_HALF_UP,      # 四舍五入
    "HALF_EVEN": ROUND_HALF_EVEN,  # 银行家舍入
    "UP": ROUND_UP,                # 进位（远离零）
    "CEILING": ROUND_CEILING,      # 向上取整
    "DOWN": ROUND_DOWN,            # 截尾
    "FLOOR": ROUND_FLOOR,          # 向下取整
}
ROUNDING_NAMES = {"HALF_UP": "四舍五入", "HALF_EVEN": "银行家舍入", "UP": "进位", "CEILING": "向上取整",
                  "DOWN": "截尾", "FLOOR": "向下取整"}


def rounding(mode: str) -> str:
    try:
        return ROUNDING_MODES[mode]
    except KeyError:
        raise ValueError(f"unknown rounding mode {mode!r}; use one of {sorted(ROUNDING_MODES)}") from None


def to_fen(amount: Decimal, mode: str = "HALF_UP") -> Decimal:
    """Keep an amount to the fen (保留到分) with the given mode."""
    return Decimal(amount).quantize(FEN, rounding=rounding(mode))


def to_yuan(amount: Decimal, mode: str = "HALF_UP") -> Decimal:
    """Keep an amount to whole yuan (保留到元) with the given mode."""
    return Decimal(amount).quantize(YUAN, rounding=rounding(mode))


def ceil_yuan(amount: Decimal) -> Decimal:
    """向上取整，保留到元 (000 §28): 4321.01 → 4322, 4321.00 → 4321."""
    return Decimal(amount).quantize(YUAN, rounding=ROUND_CEILING)


def clamp(value: Decimal, lower: Decimal, upper: Decimal) -> Decimal:
    if lower > upper:
        raise ValueError(f"lower bound {lower} above upper bound {upper}")
    return min(max(value, lower), upper)


def parse_decimal(text: str | int | Decimal) -> Decimal:
    """A finite Decimal from user text (half-width or full-width digits, thousands commas allowed)."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, bool):
        raise ValueError("not a number")
    elif isinstance(text, int):
        value = Decimal(text)
    else:
        cleaned = str(text).strip().translate(_FULL_WIDTH).replace(",", "").replace("，", "").replace("元", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` (whole fen) in proportion to `weights` so that the parts add up to exactly `total`.

    Largest-remainder method on fen: each part gets the floor of its share, and the fen left over go, one each, to
    the parts with the largest remainders (ties to the earlier part). No fen is lost or created.
    """
    total = Decimal(total)
    if total != total.quantize(FEN):
        raise ValueError(f"total must be whole fen: {total}")
    if not weights:
        raise ValueError("no weights to split over")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ValueError("weights add up to zero")
    fen = int(total * 100)
    sign = -1 if fen < 0 else 1
    fen = abs(fen)
    shares = [Decimal(fen) * Decimal(w) / weight_sum for w in weights]
    floors = [int(s.to_integral_value(rounding=ROUND_FLOOR)) for s in shares]
    left = fen - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(sign * f) / 100 for f in floors]


def fmt_money(amount: Decimal) -> str:
    """2 decimals with thousands separators, e.g. 12,345.60."""
    return f"{Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"


def fmt_plain(value: Decimal) -> str:
    """A Decimal without exponent and without trailing zeros beyond what it holds (0.080 → 0.08, 1E+1 → 10)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(YUAN))
    return format(value.normalize(), "f")


def fmt_percent(ratio: Decimal) -> str:
    return f"{fmt_plain(Decimal(ratio) * 100)}%"
