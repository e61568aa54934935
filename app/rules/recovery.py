"""Suspension, back pay and recovery: back pay of suspended months once eligibility is re-confirmed (001 ch5 L75,
002 §27), 冒领 after the month of death (002 §18), and recovery offsets against the account balance and funeral
grant (002 §29, 001 ch5 L77) or, for employees, funeral benefit, account and resumed pension in instalments (000 §98)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from app.rules.base import Context, Field, calculator, out, table
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.money import FEN
from app.rules.months import Month, months_inclusive

OUTCOMES = (("eligible", "核实仍具备领取资格"), ("ineligible", "核实已不具备领取资格（死亡等）"))
SCHEMES = (("resident", "城乡居民养老保险"), ("employee", "企业职工养老保险"))
SOURCE_NAMES = {"account": "个人账户余额", "funeral": "丧葬补助金（丧葬待遇）", "pension": "恢复发放的养老金（分期）"}


@dataclass
class BackPayResult:
    outcome: str = out("核实结果")
    resume_month: Month | None = out("恢复发放月份")
    back_pay_months: int = out("补发月数", unit="个月")
    back_pay: Decimal = out("补发金额", unit="元", money=True)
    overpaid_months: int = out("冒领月数", unit="个月")
    overpaid: Decimal = out("冒领金额", unit="元", money=True, headline=True)
    last_entitled: Month | None = out("最后应发月份")


@calculator("back_pay", "暂停发放后的补发或冒领测算",
            "核实仍具备资格的，恢复发放并补发暂停期间待遇；核实死亡的，死亡当月之后已发放的为冒领。",
            (Field("monthly_amount", "月待遇（元）", "money"),
             Field("suspended_from", "暂停发放起始月", "month"),
             Field("suspended_to", "暂停发放终止月", "month"),
             Field("outcome", "核实结果", "choice", choices=OUTCOMES),
             Field("death_month", "死亡（丧失资格）年月", "month", required=False),
             Field("paid_through", "实际已发放至（年月）", "month", required=False, help="不填则为暂停前一个月")),
            citations=("001 ch5 L75", "002 §18", "002 §27", "000 §67"), keywords=("补发", "冒领", "暂停", "恢复"))
def compute_back_pay(inputs: dict, ctx: Context, ex: Explanation) -> BackPayResult:
    amount, start, end = inputs["monthly_amount"], inputs["suspended_from"], inputs["suspended_to"]
    if end < start:
        raise InvalidInput("暂停终止月不能早于起始月", f"{end} < {start}", field="suspended_to")
    paid_through = inputs.get("paid_through") or start - 1
    if paid_through >= start:
        raise InvalidInput("暂停期间不应有已发放月份：实际已发放至应早于暂停起始月", f"paid {paid_through}",
                           field="paid_through")
    zero = Decimal("0.00")
    if inputs["outcome"] == "eligible":
        n = months_inclusive(start, end)
        back = amount * n
        ex.step("恢复发放并补发", "001 ch5 L75；002 §27", "补发金额 = 月待遇 × 暂停月数；自核实次月恢复发放",
                {"月待遇": amount, "暂停": f"{start.cn()}–{end.cn()}"}, {"暂停月数": n}, f"补发{back}元，{(end + 1).cn()}起恢复")
        return BackPayResult(dict(OUTCOMES)["eligible"], end + 1, n, back, 0, zero, None)
    died = inputs.get("death_month")
    if died is None:
        raise InvalidInput("核实已不具备领取资格的，请填写“死亡（丧失资格）年月”", "death month missing",
                           field="death_month")
    overpaid_months = months_inclusive(died + 1, paid_through)
    overpaid = amount * overpaid_months
    ex.step("终止发放，核定冒领", "002 §18；002 §27；000 §67",
            "从符合注销条件的次月起停止发放：最后应发月份 = 死亡当月；冒领 = 死亡次月起已发放的待遇；暂停期间不补发",
            {"死亡年月": died, "实际已发放至": paid_through, "月待遇": amount}, {"冒领月数": overpaid_months},
            f"冒领{overpaid}元" if overpaid_months else "无冒领")
    return BackPayResult(dict(OUTCOMES)["ineligible"], None, 0, zero, overpaid_months, overpaid, died)


@dataclass
class RecoveryResult:
    offset: Decimal = out("抵扣合计", unit="元", money=True)
    to_recover: Decimal = out("需追缴（追缴通知书）", unit="元", money=True, headline=True)
    payable: Decimal = out("抵扣后应支付受益人或继承人", unit="元", money=True)
    instalment_months: int = out("从恢复发放的养老金中分期扣回月数", unit="个月")
    last_instalment: Decimal | None = out("最后一期扣回金额", unit="元", money=True)
    rows: list = table("抵扣明细", ("顺序", "来源", "可抵扣", "抵扣", "剩余冒领"))


@calculator("recovery_offset", "冒领（多领）待遇追回抵扣测算",
            "居民：先从个人账户余额和丧葬补助金中抵扣，不足的发追缴通知书（002 §29）；职工：从丧葬待遇、个人账户余额、恢复发放的养老金中一次性或分期抵扣（000 §98）。",
            (Field("scheme", "险种", "choice", choices=SCHEMES),
             Field("overpaid", "冒领（多领）金额（元）", "money", minimum=Decimal("0.01")),
             Field("account", "个人账户余额（元）", "money", required=False, default="0"),
             Field("funeral", "丧葬补助金（元）", "money", required=False, default="0"),
             Field("instalment", "职工：每月从恢复发放的养老金中扣回（元）", "money", required=False)),
            citations=("002 §29", "001 ch5 L77", "000 §98"), keywords=("追缴", "冒领", "抵扣"))
def compute_recovery(inputs: dict, ctx: Context, ex: Explanation) -> RecoveryResult:
    scheme = inputs["scheme"]
    order = [str(s) for s in ctx.param(ex, "recovery_offset_order", on=ctx.today)[scheme]]
    left = inputs["overpaid"]
    available = {"account": inputs["account"], "funeral": inputs["funeral"]}
    rows, offset = [], Decimal("0.00")
    instalment_months, last = 0, None
    for n, source in enumerate(order, start=1):
        if source == "pension":
            continue
        take = min(left, available[source])
        left -= take
        offset += take
        available[source] -= take
        rows.append((str(n), SOURCE_NAMES[source], available[source] + take, take, left))
    payable = available["account"] + available["funeral"]
    cite = "002 §29；001 ch5 L77" if scheme == "resident" else "000 §98"
    ex.step("清算抵扣", cite, "按顺序从" + "、".join(SOURCE_NAMES[s] for s in order if s != "pension") + "中抵扣冒领金额",
            {"冒领金额": inputs["overpaid"], "个人账户余额": inputs["account"], "丧葬补助金": inputs["funeral"]},
            {"抵扣合计": offset, "剩余冒领": left}, f"抵扣{offset}元，剩余{payable}元支付受益人或继承人")
    if left > 0 and scheme == "employee" and "pension" in order and inputs.get("instalment"):
        step = inputs["instalment"]
        instalment_months = int((left / step).to_integral_value(rounding=ROUND_CEILING))
        last = (left - step * (instalment_months - 1)).quantize(FEN)
        rows.append((str(order.index("pension") + 1), SOURCE_NAMES["pension"], left, left, Decimal("0.00")))
        ex.step("从恢复发放的养老金中分期扣回", "000 §98", "期数 = ⌈剩余冒领 ÷ 每月扣回⌉；最后一期 = 剩余 − 每月扣回 × (期数 − 1)",
                {"剩余冒领": left, "每月扣回": step}, {"期数": instalment_months, "最后一期": last},
                f"分{instalment_months}个月扣回")
        offset += left
        left = Decimal("0.00")
    if left > 0:
        ex.step("不足抵扣部分追缴", cite,
                "向受益人或继承人（或本人及家属）发出《追缴通知书》，签收并限期退还，退还后核销；拒不退还的报人社行政部门",
                {"剩余冒领": left}, {}, f"追缴{left}元")
    return RecoveryResult(offset, left, payable, instalment_months, last, rows)
