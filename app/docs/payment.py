"""社会保险缴费通知单 (seed 004 表 A.1 at L4225 / L4252: 职业年金, 机关事业单位养老保险): the unit, the fee period,
one line per scheme with contributors, base, rates and amounts due, the total in figures, in 人民币大写 and in the
仟佰拾万仟佰拾元角分 boxes of a bank voucher, the four seals and the 备注 of staff movements and arrears.

The layout follows the seed's table; amounts are Decimals (yuan) and checked to add up before anything is drawn."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from app.docs.blocks import Block, Cell, Gap, Layout, Para, SignBox, SignBoxes, Title, Together
from app.docs.render import render_document
from app.docs.style import PageFurniture
from app.docs.text import format_cn_date, rmb_uppercase, to_shanghai

TITLE = "社会保险缴费通知单"
DIGIT_UNITS = ("仟", "佰", "拾", "万", "仟", "佰", "拾", "元", "角", "分")  # up to 99,999,999.99
ZERO = Decimal("0.00")
NOTES = (
    "1、此表按月核定，一式三份，社保机构、税务机关、缴费单位各一份。此单据本月有效，过期作废。",
    "2、参保单位负责核对缴费人数、缴费基数、缴费本金无误后缴费，否则后果单位自行负责。",
)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _rate(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "—"


@dataclass(frozen=True)
class PaymentLine:
    scheme: str                   # 险种类型, e.g. 职业年金
    kind: str                     # 缴费类型, e.g. 正常应缴
    contributors: int             # 缴费人数
    base: Decimal                 # 缴费基数 (sum)
    unit_rate: Decimal
    personal_rate: Decimal
    unit_principal: Decimal
    personal_principal: Decimal
    unit_interest: Decimal = ZERO
    personal_interest: Decimal = ZERO
    late_fee: Decimal = ZERO      # 滞纳金

    def __post_init__(self) -> None:
        for name in ("base", "unit_principal", "personal_principal", "unit_interest", "personal_interest", "late_fee"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or value < 0 or value != value.quantize(Decimal("0.01")):
                raise ValueError(f"{self.scheme} {name}: a non-negative amount in yuan and fen, not {value!r}")

    @property
    def total(self) -> Decimal:
        return (self.unit_principal + self.personal_principal + self.unit_interest + self.personal_interest
                + self.late_fee)


@dataclass(frozen=True)
class PaymentNotice:
    agency_name: str
    agency_code: str
    notice_no: str                # 征收批次号
    unit_type: str                # 单位类型: 机关 / 事业单位
    unit_code: str                # 单位编号
    unit_name: str
    bank: str                     # 开户银行
    account: str                  # 账号
    fee_period: str               # 费款所属期 YYYY-MM
    settlement_period: str        # 结算期 YYYY-MM
    lines: tuple[PaymentLine, ...]
    issued_at: datetime           # aware; 填表日期
    operator_id: str = ""
    collector: str = "税务局"      # 征收机构
    staff: tuple[int, int, int, int] = (0, 0, 0, 0)   # 期初在职, 本期增加, 本期减少, 期末在职
    arrears: tuple[Decimal, Decimal, Decimal] = (ZERO, ZERO, ZERO)  # 截止上月累计欠缴额, 其中本年, 其中以前年度
    scheme_title: str = ""        # e.g. 职业年金 → “社会保险缴费通知单（职业年金）”
    notes: tuple[str, ...] = field(default=NOTES)

    def __post_init__(self) -> None:
        to_shanghai(self.issued_at)
        if not self.lines:
            raise ValueError("a 缴费通知单 needs at least one line")
        if self.total >= Decimal("100000000"):
            raise ValueError(f"total {self.total} does not fit the 仟万 boxes of the voucher")
        opening, added, removed, closing = self.staff
        if opening + added - removed != closing:
            raise ValueError(f"staff movements do not add up: {self.staff}")
        total, this_year, earlier = self.arrears
        if this_year + earlier != total:
            raise ValueError(f"arrears do not add up: {self.arrears}")

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), ZERO)

    @property
    def title(self) -> str:
        return f"{TITLE}（{self.scheme_title}）" if self.scheme_title else TITLE


def digit_boxes(amount: Decimal, places: int = len(DIGIT_UNITS)) -> tuple[str, ...]:
    """An amount in the 仟佰拾万仟佰拾元角分 boxes: digits right-aligned, “¥” in the box before the first digit,
    boxes further left empty (as a bank voucher is filled by hand)."""
    cents = int((amount * 100).to_integral_value())
    digits = str(cents).rjust(3, "0")  # at least 0.00 → 元 角 分
    if len(digits) > places:
        raise ValueError(f"{amount} needs more than {places} boxes")
    boxes = [""] * (places - len(digits)) + list(digits)
    first = places - len(digits)
    if first > 0:
        boxes[first - 1] = "¥"
    return tuple(boxes)


def payment_blocks(notice: PaymentNotice) -> list[Block]:
    label = dict(style="form_label", shade=True)
    head_style = dict(style="cell_small_head", shade=True)
    small = dict(style="cell_small")
    num = dict(style="cell_num")
    head = (Cell("险种类型", rowspan=2, **head_style), Cell("缴费类型", rowspan=2, **head_style),
            Cell("缴费人数", rowspan=2, **head_style), Cell("缴费基数", rowspan=2, **head_style),
            Cell("缴费费率", span=2, **head_style), Cell("应缴金额", span=5, **head_style),
            Cell("应缴金额合计", rowspan=2, **head_style))
    sub = (Cell("单位", **head_style), Cell("个人", **head_style), Cell("单位本金", **head_style),
           Cell("个人本金", **head_style), Cell("单位利息", **head_style), Cell("个人利息", **head_style),
           Cell("滞纳金", **head_style))
    rows = [
        (Cell("缴费单位", rowspan=2, **label), Cell("单位编号", span=2, **label), Cell(notice.unit_code, span=4),
         Cell("开户银行", **label), Cell(notice.bank, span=4)),
        (Cell("单位名称", span=2, **label), Cell(notice.unit_name, span=4), Cell("账号", **label),
         Cell(notice.account, span=4)),
        (Cell("费款所属期", span=2, **label), Cell(_month(notice.fee_period), span=4), Cell("结算期", span=2, **label),
         Cell(_month(notice.settlement_period), span=4)),
        head, sub,
    ]
    for line in notice.lines:
        rows.append((Cell(line.scheme, **small), Cell(line.kind, **small), Cell(str(line.contributors), **num),
                     Cell(_yuan(line.base), **num), Cell(_rate(line.unit_rate), **num),
                     Cell(_rate(line.personal_rate), **num), Cell(_yuan(line.unit_principal), **num),
                     Cell(_yuan(line.personal_principal), **num), Cell(_yuan(line.unit_interest), **num),
                     Cell(_yuan(line.personal_interest), **num), Cell(_yuan(line.late_fee), **num),
                     Cell(_yuan(line.total), **num)))

    def column(pick) -> str:
        return _yuan(sum((pick(line) for line in notice.lines), ZERO))

    rows.append((Cell("合计", span=2, **label), Cell(str(sum(line.contributors for line in notice.lines)), **num),
                 Cell(column(lambda x: x.base), **num), Cell("—", **num), Cell("—", **num),
                 Cell(column(lambda x: x.unit_principal), **num), Cell(column(lambda x: x.personal_principal), **num),
                 Cell(column(lambda x: x.unit_interest), **num), Cell(column(lambda x: x.personal_interest), **num),
                 Cell(column(lambda x: x.late_fee), **num), Cell(_yuan(notice.total), **num)))
    table = Layout(tuple(rows), widths=(1.5, 1.25, 0.8, 2.0, 0.85, 0.85, 1.65, 1.6, 1.15, 1.15, 1.0, 1.75),
                   min_row_mm=7)

    total = notice.total
    boxes = digit_boxes(total)
    amount = Layout((
        (Cell("合计金额（大写）", rowspan=2, **label), Cell(f"人民币 {rmb_uppercase(total)}", rowspan=2, style="form_value"),
         *(Cell(u, style="cell_center", shade=True) for u in DIGIT_UNITS)),
        tuple(Cell(b, style="cell_center") for b in boxes),
    ), widths=(2.1, 5.6) + (0.55,) * len(DIGIT_UNITS), min_row_mm=7)

    opening, added, removed, closing = notice.staff
    owed, this_year, earlier = notice.arrears
    remarks = (f"备注：期初在职人数 {opening} 人，本期增加 {added} 人，本期减少 {removed} 人，期末在职人数 {closing} 人；"
               f"截止上月累计欠缴额 {_yuan(owed)} 元，其中：本年欠缴额 {_yuan(this_year)} 元，"
               f"以前年度欠缴额 {_yuan(earlier)} 元。")
    return [
        Title(notice.title),
        Para(f"单位类型：{notice.unit_type}　　填表日期：{format_cn_date(notice.issued_at)}　　"
             f"征收批次号：{notice.notice_no}　　征收机构：{notice.collector}", style="note"),
        table,
        Gap(2),
        amount,
        Gap(2),
        Para(remarks, style="body"),
        Together((
            SignBoxes((SignBox("缴费单位（章）", signer="盖章", height_mm=24), SignBox("社保机构（章）", signer="盖章", height_mm=24),
                       SignBox("经办人（章）", signer="签章", height_mm=24), SignBox("审核人（章）", signer="签章", height_mm=24)),
                      per_row=2),
            Gap(2),
            *[Para(n, style="note") for n in notice.notes],
        )),
    ]


def _month(month: str) -> str:
    return f"{month[:4]}年{month[5:7]}月" if len(month) == 7 else month


def render_payment_notice(notice: PaymentNotice, path: Path | str, *, printed_at: datetime | None = None) -> Path:
    furniture = PageFurniture(agency_name=notice.agency_name, agency_code=notice.agency_code, title=notice.title,
                              case_no=notice.notice_no, reference_label="征收批次号", operator_id=notice.operator_id,
                              qr_payload=f"YC-PAY|{notice.notice_no}|{_yuan(notice.total)}", printed_at=printed_at)
    return render_document(furniture, payment_blocks(notice), path)
