"""Contribution base and amount due: clamping to the bounds and rounding up to whole yuan (000 §28), the flexible
workers' 60 %–300 % choice (000 §30), the unit base as the sum of staff bases (003 7.2.2), the yearly average wage
kept to the yuan (004:L6488) and the settlement of provisional contributions (000 §29)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.rules.base import Context, Field, calculator, out
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.money import ROUNDING_NAMES, ceil_yuan, clamp, fmt_percent, to_fen, to_yuan
from app.rules.pension import fen_mode

KINDS = (("employee", "企业职工"), ("flexible", "灵活就业人员"))


def clamp_base(declared: Decimal, lower: Decimal, upper: Decimal) -> Decimal:
    """基数 = ⌈min(max(申报工资, 下限), 上限)⌉ to the yuan (000 §28). Idempotent for whole-yuan bounds."""
    return ceil_yuan(clamp(Decimal(declared), Decimal(lower), Decimal(upper)))


def base_bounds(ctx: Context, ex: Explanation, kind: str, year: int, avg_wage: Decimal | None,
                lower: Decimal | None, upper: Decimal | None) -> tuple[Decimal, Decimal]:
    if lower is not None and upper is not None:
        if lower > upper:
            raise InvalidInput("缴费基数下限不能高于上限", f"lower {lower} > upper {upper}", field="lower")
        ctx.given(ex, "employee_base_bounds" if kind == "employee" else "flexible_base_bounds",
                  {"下限": lower, "上限": upper}, f"{year}年度")
        return lower, upper
    if avg_wage is None:
        w = Decimal(ctx.param(ex, "avg_wage_monthly", year=year - 1,
                              hint="上年度月平均工资未公布前，可暂按上年度缴费基数预核预缴（000 §29）。"))
    else:
        w = ctx.given(ex, "avg_wage_monthly", avg_wage, f"{year - 1}年度")
    key = "employee_base_bounds" if kind == "employee" else "flexible_base_bounds"
    ratios = ctx.param(ex, key, on=ctx.today)
    lo, hi = ceil_yuan(w * ratios["lower"]), ceil_yuan(w * ratios["upper"])
    ex.step("缴费基数上下限", "000 §30" if kind == "flexible" else "000 §28",
            "下限 = 上年度全口径城镇单位就业人员月平均工资 × 下限比例；上限 = 月平均工资 × 上限比例（取整到元）",
            {"上年度月平均工资": w, "下限比例": fmt_percent(ratios["lower"]), "上限比例": fmt_percent(ratios["upper"])},
            {"下限": lo, "上限": hi}, f"{lo}–{hi}元")
    return (lower if lower is not None else lo), (upper if upper is not None else hi)


@dataclass
class ContributionResult:
    kind_name: str = out("参保身份")
    lower: Decimal = out("缴费基数下限", unit="元")
    upper: Decimal = out("缴费基数上限", unit="元")
    accepted: bool = out("申报基数可用")
    reason: str = out("说明")
    base: Decimal | None = out("核定缴费基数", unit="元/月")
    unit_due: Decimal | None = out("单位应缴（月）", unit="元", money=True)
    person_due: Decimal | None = out("个人应缴（月）", unit="元", money=True)
    monthly_due: Decimal | None = out("月应缴金额合计", unit="元", money=True)
    months: int = out("缴费月数", unit="个月")
    total_due: Decimal | None = out("应缴金额合计", unit="元", money=True, headline=True)
    account_credit: Decimal | None = out("每月记入个人账户", unit="元", money=True)


@calculator("contribution_base", "缴费基数核定与应缴金额测算",
            "按上下限核定缴费基数（向上取整到元）并计算应缴金额（保留到分）；灵活就业人员在60%–300%之间选择基数。",
            (Field("kind", "参保身份", "choice", choices=KINDS),
             Field("declared", "申报工资 / 选择的缴费基数（元/月）", "money"),
             Field("year", "缴费年度", "int", required=False, minimum=1990, maximum=2100, help="不填则为测算日期所在年度"),
             Field("months", "缴费月数", "int", required=False, default=1, minimum=1, maximum=600),
             Field("avg_wage", "上年度全口径城镇单位就业人员月平均工资（元）", "money", required=False,
                   help="不填则取参数"),
             Field("lower", "缴费基数下限（元）", "money", required=False, help="与上限一起填写时直接使用"),
             Field("upper", "缴费基数上限（元）", "money", required=False)),
            citations=("000 §28", "000 §29", "000 §30"), keywords=("缴费基数", "应缴", "灵活就业", "jfjs"))
def compute_contribution(inputs: dict, ctx: Context, ex: Explanation) -> ContributionResult:
    kind, declared = inputs["kind"], inputs["declared"]
    year = inputs.get("year") or ctx.today.year
    months = inputs["months"]
    lower, upper = base_bounds(ctx, ex, kind, year, inputs.get("avg_wage"), inputs.get("lower"), inputs.get("upper"))
    kind_name = dict(KINDS)[kind]
    if kind == "flexible":
        accepted = lower <= declared <= upper
        reason = "在可选范围内" if accepted else (f"低于下限{lower}元" if declared < lower else f"高于上限{upper}元")
        ex.step("灵活就业人员选择缴费基数", "000 §30", "下限 ≤ 选择的基数 ≤ 上限",
                {"选择的基数": declared, "下限": lower, "上限": upper}, {}, ("可用：" if accepted else "不可用：") + reason)
        if not accepted:
            return ContributionResult(kind_name, lower, upper, False, f"选择的基数{reason}，请在{lower}–{upper}元之间重新选择",
                                      None, None, None, None, months, None, None)
        base = ceil_yuan(declared)
        ex.step("缴费基数取整", "000 §28", "基数向上取整，保留到元", {"选择的基数": declared}, {}, base)
    else:
        base = clamp_base(declared, lower, upper)
        clamped = clamp(declared, lower, upper)
        why = "低于下限，按下限" if declared < lower else ("高于上限，按上限" if declared > upper else "在上下限之间")
        ex.step("缴费基数核定", "000 §28", "基数 = ⌈min(max(申报工资, 下限), 上限)⌉（向上取整，保留到元）",
                {"申报工资": declared, "下限": lower, "上限": upper}, {"封顶保底后": clamped}, f"{why}：{base}元")
        accepted, reason = True, why
    mode = fen_mode(ctx, ex)
    rates = ctx.param(ex, "contribution_rates", on=ctx.today)
    if kind == "flexible":
        unit_due = None
        person_due = to_fen(base * rates["flexible"], mode)
        monthly = person_due
        formula = f"月应缴 = 基数 × {fmt_percent(rates['flexible'])}"
    else:
        unit_due = to_fen(base * rates["unit"], mode)
        person_due = to_fen(base * rates["person"], mode)
        monthly = unit_due + person_due
        formula = f"单位 = 基数 × {fmt_percent(rates['unit'])}，个人 = 基数 × {fmt_percent(rates['person'])}"
    total = monthly * months
    ex.step("应缴金额", "000 §28", formula + "；应缴金额保留到分",
            {"核定基数": base, "月数": months, "舍入方式": ROUNDING_NAMES.get(mode, mode)},
            {"单位应缴": unit_due, "个人应缴": person_due, "月合计": monthly}, f"{total}元")
    credit = to_fen(base * Decimal(ctx.param(ex, "account_credit_ratio", on=ctx.today)), mode)
    ex.step("记入个人账户", "003 8.2.2；rules-digest A1", "每月记账额 = 个人缴费基数 × 记账比例", {"核定基数": base}, {},
            f"{credit}元/月")
    return ContributionResult(kind_name, lower, upper, accepted, reason, base, unit_due, person_due, monthly, months,
                              total, credit)


@dataclass
class UnitBaseResult:
    staff: int = out("职工人数", unit="人")
    unit_base: Decimal = out("单位缴费基数", unit="元/月", money=True, headline=True)


@calculator("unit_base", "单位缴费基数核定", "单位缴费基数 = 本单位职工个人缴费基数之和（003 7.2.2）。",
            (Field("staff_bases", "职工个人缴费基数（元，逗号分隔）", "money_list"),),
            citations=("003 7.2.1", "003 7.2.2"), keywords=("单位基数",))
def compute_unit_base(inputs: dict, ctx: Context, ex: Explanation) -> UnitBaseResult:
    bases = inputs["staff_bases"]
    total = sum(bases, Decimal(0))
    ex.step("单位缴费基数", "003 7.2.2", "单位缴费基数 = Σ 职工个人缴费基数",
            {f"职工{n}": b for n, b in enumerate(bases, start=1)}, {}, f"{total}元")
    return UnitBaseResult(len(bases), total)


@dataclass
class AverageWageResult:
    average: Decimal = out("年度项目内月平均工资", unit="元/月", money=True, headline=True)
    exact: Decimal = out("未取整的平均数", unit="元")


@calculator("average_wage", "年度项目内月平均工资计算",
            "年度项目内月平均工资 = 年度项目内工资总额 ÷ 年度发放工资月数，平均数保留到元（004:L6488）。",
            (Field("total_wages", "年度项目内工资总额（元）", "money"),
             Field("months", "年度发放工资月数", "int", minimum=1, maximum=12)),
            citations=("004:L6488",), keywords=("平均工资", "工资申报"))
def compute_average_wage(inputs: dict, ctx: Context, ex: Explanation) -> AverageWageResult:
    mode = str(ctx.param(ex, "avg_wage_rounding", on=ctx.today))
    exact = inputs["total_wages"] / inputs["months"]
    average = to_yuan(exact, mode)
    ex.step("月平均工资", "004:L6488", "月平均工资 = 年度项目内工资总额 ÷ 年度发放工资月数，保留到元",
            {"工资总额": inputs["total_wages"], "发放月数": inputs["months"], "舍入方式": ROUNDING_NAMES.get(mode, mode)},
            {"平均数": exact.quantize(Decimal("0.0001"))}, f"{average}元")
    return AverageWageResult(average, exact.quantize(Decimal("0.0001")))


@dataclass
class SettlementResult:
    prepaid_monthly: Decimal = out("预缴月应缴金额", unit="元", money=True)
    final_monthly: Decimal = out("清算后月应缴金额", unit="元", money=True)
    months: int = out("清算月数", unit="个月")
    settlement: Decimal = out("清算金额（正数补缴，负数退还）", unit="元", headline=False)


@calculator("contribution_settlement", "预核预缴清算测算",
            "上年度月平均工资公布后按新基数重算，清算金额 = Σ(新应缴 − 已预缴)（000 §29）。",
            (Field("kind", "参保身份", "choice", choices=KINDS),
             Field("prepaid_base", "预缴时使用的缴费基数（元/月）", "money"),
             Field("final_base", "重新核定的缴费基数（元/月）", "money"),
             Field("months", "清算月数", "int", minimum=1, maximum=12)),
            citations=("000 §29",), keywords=("清算", "预缴"))
def compute_settlement(inputs: dict, ctx: Context, ex: Explanation) -> SettlementResult:
    mode = fen_mode(ctx, ex)
    rates = ctx.param(ex, "contribution_rates", on=ctx.today)
    rate = rates["flexible"] if inputs["kind"] == "flexible" else rates["unit"] + rates["person"]

    def due(base: Decimal) -> Decimal:
        if inputs["kind"] == "flexible":
            return to_fen(base * rates["flexible"], mode)
        return to_fen(base * rates["unit"], mode) + to_fen(base * rates["person"], mode)

    old, new, months = due(inputs["prepaid_base"]), due(inputs["final_base"]), inputs["months"]
    settlement = (new - old) * months
    ex.step("预核预缴清算", "000 §29", "清算金额 = Σ(按新基数应缴 − 已预缴)",
            {"预缴基数": inputs["prepaid_base"], "新基数": inputs["final_base"], "缴费比例合计": fmt_percent(rate),
             "月数": months}, {"预缴月应缴": old, "新月应缴": new},
            f"{'补缴' if settlement > 0 else '退还' if settlement < 0 else '无差额'} {abs(settlement)}元")
    return SettlementResult(old, new, months, settlement)


@dataclass
class ArrearsResult:
    months: int = out("连续欠缴月数", unit="个月")
    may_flag: bool = out("可标识为缴费异常单位")
    reason: str = out("说明")


@calculator("arrears_flag", "缴费异常单位标识条件",
            "连续欠缴超过6个月（或登记地址无法联系）的单位可标识为缴费异常，标识后不再生成应缴金额（000 §33）。",
            (Field("arrears_from", "连续欠缴起始月", "month"),
             Field("arrears_to", "连续欠缴截至月", "month"),
             Field("unreachable", "按登记地址无法联系", "bool", required=False, default=False)),
            citations=("000 §33",), keywords=("欠费", "缴费异常"))
def compute_arrears(inputs: dict, ctx: Context, ex: Explanation) -> ArrearsResult:
    from app.rules.months import months_inclusive

    start, end = inputs["arrears_from"], inputs["arrears_to"]
    if end < start:
        raise InvalidInput("截至月不能早于起始月", f"{end} < {start}", field="arrears_to")
    n = months_inclusive(start, end)
    limit = int(ctx.param(ex, "arrears_flag_months", on=ctx.today))
    may = n > limit or bool(inputs.get("unreachable"))
    reason = (f"连续欠缴{n}个月，超过{limit}个月" if n > limit else f"连续欠缴{n}个月，未超过{limit}个月") + \
        ("；按登记地址无法联系" if inputs.get("unreachable") else "")
    ex.step("缴费异常标识", "000 §33", f"连续欠缴超过{limit}个月或无法联系 → 经办人可标识（标识后不再生成应缴金额）",
            {"欠缴": f"{start.cn()}–{end.cn()}", "无法联系": bool(inputs.get("unreachable"))}, {"连续欠缴月数": n},
            ("可标识：" if may else "不可标识：") + reason)
    return ArrearsResult(n, may, reason)
