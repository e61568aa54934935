"""The printable estimate (测算单): inputs, result (with the headline amount in 大写), every calculation step with its
citation, the parameters used with their sources, warnings about sample values, and a disclaimer — built from
blocks in the house style like every other document."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from app.docs.blocks import Block, Gap, Grid, Heading, KeyValues, Para, Signatures, Title, Together
from app.docs.render import render_document
from app.docs.style import PageFurniture
from app.docs.text import format_cn_date, rmb_uppercase, to_shanghai
from app.ids import mask_id_number
from app.rules.base import Calculation
from app.rules.explain import show

DISCLAIMER = ("本测算单根据经办人录入的信息和测算时适用的政策参数计算，仅供参考，不作为待遇核定、支付或缴费的依据；"
              "实际金额以社会保险经办机构按国家和自治区规定审核确定的为准。")
SAMPLE_NOTICE = "注意：本次测算使用了示例参数（非官方公布值），结果仅作演示，不能作为对申请人的待遇预期。"


def estimate_title(calc: Calculation) -> str:
    base = calc.title.split("（")[0]
    return (base[:-2] if base.endswith("测算") else base) + "测算单"


@dataclass(frozen=True)
class EstimateDocument:
    agency_name: str
    calculation: Calculation
    agency_code: str = ""
    operator_id: str = ""
    operator_name: str = ""
    applicant_name: str = ""
    applicant_id_number: str = ""   # raw; only ever printed masked
    reference: str = ""             # e.g. the case number when printed from a business screen
    printed_at: datetime | None = None

    @classmethod
    def for_calculation(cls, calc: Calculation, **kw) -> "EstimateDocument":
        return cls(calculation=calc, **kw)

    def __post_init__(self) -> None:
        if self.printed_at is not None:
            to_shanghai(self.printed_at)  # refuse a naive time

    @property
    def title(self) -> str:
        return estimate_title(self.calculation)

    @property
    def time(self) -> datetime:
        return self.printed_at or datetime.now(timezone.utc)


def estimate_blocks(doc: EstimateDocument) -> list[Block]:
    calc = doc.calculation
    spec_fields = {}
    try:
        from app.rules import get_calculator

        spec_fields = {f.key: f for f in get_calculator(calc.calculator).fields}
    except Exception:
        pass
    facts = [("测算事项", calc.title), ("测算日期", f"{calc.on.year}年{calc.on.month}月{calc.on.day}日"),
             ("适用地区", f"{calc.region_name}（{calc.region}）")]
    if doc.applicant_name:
        facts.append(("申请人", doc.applicant_name))
    if doc.applicant_id_number:
        facts.append(("公民身份号码", mask_id_number(doc.applicant_id_number)))
    if doc.operator_id or doc.operator_name:
        facts.append(("经办人", f"{doc.operator_name}（工号 {doc.operator_id}）" if doc.operator_id else doc.operator_name))
    inputs = []
    for key, value in calc.inputs.items():
        if value is None or key in ("ssn",):
            continue
        f = spec_fields.get(key)
        label = f.label if f else key
        text = dict(f.choices).get(value, show(value)) if f and f.choices else show(value)
        inputs.append((label, text))
    blocks: list[Block] = [
        Title(doc.title),
        KeyValues(tuple(facts)),
        Heading("录入信息"),
        KeyValues(tuple(inputs), pairs_per_row=2, label_width_mm=34),
        Heading("测算结果"),
        KeyValues(tuple(calc.summary()), pairs_per_row=1, label_width_mm=60),
    ]
    headline = calc.headline()
    if headline and headline[1] >= 0:
        label, amount = headline
        blocks.append(Para(f"{label}（大写）：人民币{rmb_uppercase(amount.quantize(Decimal('0.01')))}"))
    for title, header, rows in calc.tables():
        blocks.append(Together((Heading(title or "明细"), Grid(header=header, rows=tuple(rows)))))
    steps = calc.explanation.steps
    blocks += [
        Together((Heading("计算过程"), Grid(header=("序号", "规则", "计算", "依据"),
             rows=tuple((str(n), s.rule, s.text(), s.citation) for n, s in enumerate(steps, start=1)),
             widths=(0.8, 3.0, 7.0, 2.6), align=("center", "left", "left", "left")))),
        Together((Heading("所用参数"), Grid(header=("参数", "取值", "地区及期间", "来源"),
             rows=tuple((p.name + ("（示例值）" if p.sample else ""), f"{p.value}{p.unit}",
                         f"{p.region_name} {p.period}", p.source + (f"；{p.note}" if p.note else ""))
                        for p in calc.explanation.params),
             widths=(3.2, 2.8, 2.8, 4.6), empty_text="未使用参数"))),
    ]
    if calc.explanation.warnings:
        blocks.append(Heading("提示"))
        blocks += [Para(w, style="note") for w in calc.explanation.warnings]
    closing: list[Block] = []
    if calc.explanation.uses_sample:
        closing.append(Para(SAMPLE_NOTICE))
    closing += [
        Para(DISCLAIMER),
        Signatures(("经办人", "申请人（已知悉）")),
        Gap(4),
        Para(doc.agency_name, style="sign_off"),
        Para(format_cn_date(doc.time), style="sign_off"),
    ]
    blocks += [Gap(3), Together(tuple(closing))]
    return blocks


def render_estimate(doc: EstimateDocument, path: Path | str) -> Path:
    furniture = PageFurniture(
        agency_name=doc.agency_name,
        title=doc.title,
        case_no=doc.reference,
        operator_id=doc.operator_id,
        qr_payload=f"YC|EST|{doc.calculation.calculator}|{doc.time.strftime('%Y%m%d%H%M%S')}",
        printed_at=doc.time,
        agency_code=doc.agency_code,
        reference_label="受理编号" if doc.reference else "",
    )
    return render_document(furniture, estimate_blocks(doc), path)
