"""The explanation every calculator returns with its result: ordered steps (rule, citation, inputs, intermediate
values, formula) in Chinese for the clerk, the parameters used with their sources, and warnings (sample values)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from app.rules.money import fmt_plain
from app.rules.months import Month


def show(value: Any) -> str:
    """A value as the clerk reads it."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f") if value.as_tuple().exponent in (-1, -2) and value.is_finite() and \
            len(format(value, "f").split(".")[-1]) == 2 else fmt_plain(value)
    if isinstance(value, (date, Month)):
        return value.cn() if isinstance(value, Month) else f"{value.year}年{value.month}月{value.day}日"
    if value is None:
        return "—"
    if isinstance(value, Mapping):
        return "；".join(f"{k}：{show(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(show(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ParamUse:
    key: str
    name: str
    value: str
    unit: str
    region: str
    region_name: str
    period: str
    source: str
    sample: bool
    note: str = ""
    origin: str = "内置参数"   # 内置参数 / 管理员导入 / 本次输入

    def to_json(self) -> dict:
        return {"key": self.key, "name": self.name, "value": self.value, "unit": self.unit, "region": self.region,
                "region_name": self.region_name, "period": self.period, "source": self.source,
                "sample": self.sample, "note": self.note, "origin": self.origin}


@dataclass(frozen=True)
class Step:
    rule: str                                   # what is decided, e.g. “缴费基数封顶保底并向上取整到元”
    citation: str                               # e.g. “000 §28” or “004:L14403”
    formula: str = ""                           # e.g. “基数 = ⌈min(max(申报工资, 下限), 上限)⌉”
    inputs: tuple[tuple[str, str], ...] = ()    # (label, value) the step reads
    values: tuple[tuple[str, str], ...] = ()    # (label, value) it computes
    result: str = ""                            # one-line outcome

    def to_json(self) -> dict:
        return {"rule": self.rule, "citation": self.citation, "formula": self.formula,
                "inputs": dict(self.inputs), "values": dict(self.values), "result": self.result}

    def text(self) -> str:
        """The step as one paragraph (screen tooltip, printout)."""
        parts = []
        if self.inputs:
            parts.append("输入：" + "，".join(f"{k} {v}" for k, v in self.inputs))
        if self.formula:
            parts.append("公式：" + self.formula)
        if self.values:
            parts.append("计算：" + "，".join(f"{k} = {v}" for k, v in self.values))
        if self.result:
            parts.append("结果：" + self.result)
        return "；".join(parts)


@dataclass
class Explanation:
    title: str
    steps: list[Step] = field(default_factory=list)
    params: list[ParamUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def step(self, rule: str, citation: str, formula: str = "", inputs: Mapping[str, Any] | None = None,
             values: Mapping[str, Any] | None = None, result: Any = "") -> Step:
        s = Step(rule, citation, formula,
                 tuple((k, show(v)) for k, v in (inputs or {}).items()),
                 tuple((k, show(v)) for k, v in (values or {}).items()),
                 show(result) if result != "" else "")
        self.steps.append(s)
        return s

    def record(self, use: ParamUse) -> None:
        if any(p.key == use.key and p.region == use.region and p.period == use.period and p.origin == use.origin
               for p in self.params):
            return
        self.params.append(use)
        if use.sample:
            self.warn(f"参数“{use.name}”使用的是示例值（{use.value}{use.unit}），不是官方公布值，测算结果仅作演示。"
                      "请管理员导入官方值。")

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    @property
    def uses_sample(self) -> bool:
        return any(p.sample for p in self.params)

    def to_json(self) -> dict:
        return {"title": self.title, "steps": [s.to_json() for s in self.steps]}
