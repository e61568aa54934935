"""The calculator framework: input fields (typed, with Chinese labels and checks), the context (parameters, region,
day), the Calculation every calculator returns (result object + Explanation) and the registry the CLI and the
generic screen read."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from app.rules.errors import InvalidInput
from app.rules.explain import Explanation, ParamUse, show
from app.rules.money import FEN, parse_decimal
from app.rules.months import Month
from app.rules.params import ORIGIN_TEXT, ParameterSet

MIN_DAY = date(1900, 1, 1)
MAX_DAY = date(2100, 12, 31)
MONEY_LIMIT = Decimal("100000000000")  # 1 千亿: far above any social-insurance amount, below the 大写 limit


# -- inputs ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One input of a calculator. kind: date, month, money, decimal, int, choice, bool, text, money_list,
    periods (“2020-01~2020-12:350, …”), year_bases (“2019:5000:12, …”)."""

    key: str
    label: str
    kind: str
    required: bool = True
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()   # (value, Chinese label)
    help: str = ""
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")

    def placeholder(self) -> str:
        return {"date": "YYYY-MM-DD", "month": "YYYY-MM", "money": "金额（元）", "money_list": "金额，用逗号分隔",
                "periods": "2020-01~2020-12:350，多段用逗号分隔", "year_bases": "2019:5000:12，多年用逗号分隔",
                "bool": "是/否"}.get(self.kind, self.help)


def _bad(f: Field, what: str) -> InvalidInput:
    return InvalidInput(f"“{f.label}”{what}", f"input {f.key}: {what}", field=f.key)


def _check_range(f: Field, value: Decimal | int) -> None:
    if f.minimum is not None and value < f.minimum:
        raise _bad(f, f"不能小于{show(Decimal(f.minimum))}（当前为{show(Decimal(value))}）")
    if f.maximum is not None and value > f.maximum:
        raise _bad(f, f"不能大于{show(Decimal(f.maximum))}（当前为{show(Decimal(value))}）")


def _money(f: Field, text: str) -> Decimal:
    try:
        value = parse_decimal(text)
    except ValueError:
        raise _bad(f, f"不是有效的金额：{text}") from None
    if value < 0:
        raise _bad(f, f"不能为负数：{text}")
    if value != value.quantize(FEN):
        raise _bad(f, f"最多保留两位小数（到分）：{text}")
    if value >= MONEY_LIMIT:
        raise _bad(f, f"金额过大：{text}")
    _check_range(f, value)
    return value


def _day(f: Field, text: str) -> date:
    try:
        value = text if isinstance(text, date) else date.fromisoformat(str(text).strip())
    except ValueError:
        raise _bad(f, f"不是有效的日期（应为 YYYY-MM-DD）：{text}") from None
    if not MIN_DAY <= value <= MAX_DAY:
        raise _bad(f, f"超出可测算的日期范围（{MIN_DAY.year}–{MAX_DAY.year}年）：{text}")
    return value


def _month(f: Field, text: str) -> Month:
    try:
        value = text if isinstance(text, Month) else Month.parse(str(text))
    except ValueError:
        raise _bad(f, f"不是有效的年月（应为 YYYY-MM）：{text}") from None
    if not Month.of(MIN_DAY) <= value <= Month.of(MAX_DAY):
        raise _bad(f, f"超出可测算的年月范围（{MIN_DAY.year}–{MAX_DAY.year}年）：{text}")
    return value


def parse_value(f: Field, raw: Any) -> Any:
    if f.kind in ("money",):
        return _money(f, raw)
    if f.kind == "decimal":
        try:
            value = parse_decimal(raw)
        except ValueError:
            raise _bad(f, f"不是有效的数值：{raw}") from None
        if value < 0:
            raise _bad(f, f"不能为负数：{raw}")
        _check_range(f, value)
        return value
    if f.kind == "int":
        try:
            value = parse_decimal(raw)
        except ValueError:
            raise _bad(f, f"不是有效的整数：{raw}") from None
        if value != value.to_integral_value():
            raise _bad(f, f"应为整数：{raw}")
        if value < 0:
            raise _bad(f, f"不能为负数：{raw}")
        _check_range(f, value)
        return int(value)
    if f.kind == "date":
        return _day(f, raw)
    if f.kind == "month":
        return _month(f, raw)
    if f.kind == "choice":
        text = str(raw).strip()
        for value, label in f.choices:
            if text in (value, label):
                return value
        raise _bad(f, f"应为以下之一：{'、'.join(label for _, label in f.choices)}（当前为{text}）")
    if f.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "y", "是", "有", "on"):
            return True
        if text in ("0", "false", "no", "n", "否", "无", "off", ""):
            return False
        raise _bad(f, f"应为“是”或“否”（当前为{raw}）")
    if f.kind == "money_list":
        parts = [p for p in str(raw).replace("，", ",").replace("、", ",").split(",") if p.strip()]
        if not parts:
            raise _bad(f, "至少需要一个金额")
        return [_money(f, p) for p in parts]
    if f.kind == "periods":
        return _periods(f, raw)
    if f.kind == "year_bases":
        return _year_bases(f, raw)
    if f.kind == "text":
        return str(raw).strip()
    raise ValueError(f"unknown field kind {f.kind}")


def _periods(f: Field, raw: Any) -> list[tuple[Month, Month, Decimal | None]]:
    out = []
    for part in [p.strip() for p in str(raw).replace("，", ",").split(",") if p.strip()]:
        span, _, amount = part.partition(":")
        start_text, sep, end_text = span.replace("～", "~").partition("~")
        if not sep:
            raise _bad(f, f"时间段应写成“起始年月~终止年月”，如 2020-01~2020-12：{part}")
        start, end = _month(f, start_text), _month(f, end_text)
        if end < start:
            raise _bad(f, f"终止年月早于起始年月：{part}")
        out.append((start, end, _money(f, amount) if amount.strip() else None))
    if not out:
        raise _bad(f, "至少需要一个时间段")
    return out


def _year_bases(f: Field, raw: Any) -> list[tuple[int, Decimal, int]]:
    out = []
    for part in [p.strip() for p in str(raw).replace("，", ",").replace("：", ":").split(",") if p.strip()]:
        bits = part.split(":")
        if len(bits) != 3:
            raise _bad(f, f"每一年应写成“年度:月缴费工资基数:缴费月数”，如 2019:5000:12：{part}")
        try:
            year, months = int(bits[0]), int(bits[2])
        except ValueError:
            raise _bad(f, f"年度和月数应为整数：{part}") from None
        if not MIN_DAY.year <= year <= MAX_DAY.year:
            raise _bad(f, f"年度超出范围：{part}")
        if not 1 <= months <= 12:
            raise _bad(f, f"一年的缴费月数应在1–12之间：{part}")
        out.append((year, _money(f, bits[1]), months))
    if not out:
        raise _bad(f, "至少需要一个年度")
    years = [y for y, _, _ in out]
    if len(set(years)) != len(years):
        raise _bad(f, "同一年度只能填写一次")
    return out


def parse_inputs(fields: tuple[Field, ...], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed inputs from text (CLI options, screen fields): missing required ones and bad values are Chinese errors."""
    known = {f.key for f in fields}
    unknown = [k for k, v in raw.items() if k not in known and v not in (None, "")]
    if unknown:
        raise InvalidInput(f"不认识的输入项：{'、'.join(unknown)}", f"unknown inputs {unknown}", field=unknown[0])
    out: dict[str, Any] = {}
    for f in fields:
        value = raw.get(f.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if f.required and f.default is None:
                raise InvalidInput(f"请填写“{f.label}”", f"input {f.key} is required", field=f.key)
            out[f.key] = parse_value(f, f.default) if f.default is not None else None
            continue
        out[f.key] = parse_value(f, value)
    return out


# -- context, result, registry ---------------------------------------------------------------------------------------

@dataclass
class Context:
    params: ParameterSet
    region: str
    today: date

    def param(self, ex: Explanation, key: str, *, on: date | None = None, year: int | None = None,
              region: str | None = None, hint: str = "") -> Any:
        """The parameter's value; the use (value, region, period, source, sample flag) is recorded in `ex`."""
        entry = self.params.get(key, region or self.region, on=on, year=year, hint=hint)
        ex.record(ParamUse(entry.key, entry.name, show(entry.value), entry.unit, entry.region,
                           self.params.region_name(entry.region), entry.period(), entry.source, entry.sample,
                           entry.note, ORIGIN_TEXT[entry.layer]))
        return entry.value

    def given(self, ex: Explanation, key: str, value: Any, period: str = "") -> Any:
        """A parameter the clerk typed in (e.g. an official figure not yet imported): recorded as 本次输入."""
        d = self.params.definition(key)
        ex.record(ParamUse(key, d.name, show(value), d.unit, self.region, self.params.region_name(self.region),
                           period, "经办人本次输入", False, "", "本次输入"))
        return value


def out(label: str, **meta: Any) -> Any:
    """A result field with its Chinese label; meta: unit="元", money=True (an amount), headline=True (the amount a
    printout also writes in 大写), hide_empty=True."""
    return field(metadata={"label": label, **meta})


def table(title: str, header: tuple[str, ...]) -> Any:
    """A result field holding rows (tuples) shown as a table on the screen and the printout."""
    return field(metadata={"title": title, "table": header})


def internal() -> Any:
    """A result field kept for scripts (JSON) but not shown as a labelled row."""
    return field(metadata={})


@dataclass
class Calculation:
    calculator: str
    title: str
    inputs: dict[str, Any]
    result: Any
    explanation: Explanation
    region: str
    on: date
    region_name: str = ""

    def summary(self) -> list[tuple[str, str]]:
        """(label, text) for each labelled result field, in declaration order."""
        rows = []
        for f in dataclasses.fields(self.result):
            label = f.metadata.get("label")
            if not label or f.metadata.get("table"):
                continue
            value = getattr(self.result, f.name)
            if value is None or (isinstance(value, (list, tuple)) and not value and f.metadata.get("hide_empty")):
                continue
            text = show(value)
            unit = f.metadata.get("unit")
            if unit and value is not None and not isinstance(value, bool):
                text += unit
            rows.append((label, text))
        return rows

    def tables(self) -> list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]]:
        """(label, header, rows as text) for each result field marked table=(header…), e.g. a payment schedule."""
        out = []
        for f in dataclasses.fields(self.result):
            header = f.metadata.get("table")
            rows = getattr(self.result, f.name)
            if header and rows:
                out.append((f.metadata.get("title", ""), tuple(header), [tuple(show(c) for c in r) for r in rows]))
        return out

    def money_fields(self) -> list[tuple[str, Decimal]]:
        return [(f.metadata["label"], getattr(self.result, f.name)) for f in dataclasses.fields(self.result)
                if f.metadata.get("money") and isinstance(getattr(self.result, f.name), Decimal)]

    def headline(self) -> tuple[str, Decimal] | None:
        """The amount a printout writes in 大写 (the field marked headline=True), if any."""
        for f in dataclasses.fields(self.result):
            value = getattr(self.result, f.name)
            if f.metadata.get("headline") and isinstance(value, Decimal):
                return f.metadata["label"], value
        return None

    def to_json(self) -> dict:
        return {
            "calculator": self.calculator,
            "title": self.title,
            "region": self.region,
            "region_name": self.region_name,
            "on": self.on.isoformat(),
            "inputs": jsonable(self.inputs),
            "result": jsonable(self.result),
            "summary": [{"label": k, "value": v} for k, v in self.summary()],
            "explanation": self.explanation.to_json(),
            "parameters": [p.to_json() for p in self.explanation.params],
            "warnings": list(self.explanation.warnings),
        }


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, Month)):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


@dataclass(frozen=True)
class CalculatorSpec:
    name: str
    title: str
    summary: str
    fields: tuple[Field, ...]
    compute: Callable[[dict[str, Any], Context, Explanation], Any]
    citations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    printable: bool = True

    def run(self, raw: Mapping[str, Any], ctx: Context) -> Calculation:
        inputs = parse_inputs(self.fields, raw)
        ex = Explanation(self.title)
        result = self.compute(inputs, ctx, ex)
        return Calculation(self.name, self.title, inputs, result, ex, ctx.region, ctx.today,
                           ctx.params.region_name(ctx.region))


REGISTRY: dict[str, CalculatorSpec] = {}


def calculator(name: str, title: str, summary: str, fields: tuple[Field, ...], citations: tuple[str, ...] = (),
               keywords: tuple[str, ...] = ()) -> Callable:
    """Decorator: register `compute(inputs, ctx, ex) -> result dataclass` under `name`."""
    def wrap(fn: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"calculator {name} registered twice")
        REGISTRY[name] = CalculatorSpec(name, title, summary, fields, fn, citations, keywords)
        return fn
    return wrap
