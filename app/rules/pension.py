"""Pension estimates: enterprise employees (基础养老金 + 个人账户养老金 + regional 过渡性养老金 plug-in, 国发〔2005〕38号),
urban-rural residents (国发〔2014〕8号), and the retiree account drawdown (000 §43)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.rules.base import Context, Field, calculator, out
from app.rules.errors import InvalidInput, MissingParameter
from app.rules.explain import Explanation
from app.rules.money import ROUNDING_NAMES, fmt_percent, to_fen
from app.rules.months import Month, fmt_age, fmt_years
from app.rules.retirement import GROUPS, min_months_for, retirement_facts

PENSION_CITE = "国发〔2005〕38号 第六条"
RESIDENT_CITE = "国发〔2014〕8号 第八条"


def fen_mode(ctx: Context, ex: Explanation) -> str:
    return str(ctx.param(ex, "fen_rounding", on=ctx.today))


# -- 计发月数 ------------------------------------------------------------------------------------------------------------

def payout_months(table: dict, age_months: int, rule: str) -> Decimal:
    """计发月数 for a retirement age in months: whole_years takes the full-year row; linear interpolates between
    the full-year rows by the extra months, rounded half-up to a whole month."""
    years, extra = divmod(age_months, 12)
    rows = {int(k): Decimal(v) for k, v in table.items()}
    if years not in rows or (rule == "linear" and extra and years + 1 not in rows):
        raise InvalidInput(f"退休年龄{fmt_age(age_months)}超出计发月数表的范围（{min(rows)}–{max(rows)}周岁）",
                           f"age {age_months} months outside payout table", field="retirement_month")
    if rule == "whole_years" or not extra:
        return rows[years]
    if rule != "linear":
        raise ValueError(f"unknown payout interpolation rule {rule!r}")
    value = rows[years] - (rows[years] - rows[years + 1]) * Decimal(extra) / 12
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


# -- 过渡性养老金 plug-ins ------------------------------------------------------------------------------------------

TransitionalFn = Callable[[Context, Explanation, dict], Decimal]
TRANSITIONAL: dict[str, TransitionalFn] = {}


def transitional_method(name: str) -> Callable[[TransitionalFn], TransitionalFn]:
    """Register a regional 过渡性养老金 method; a region picks it with the parameter transitional_pension_method."""
    def wrap(fn: TransitionalFn) -> TransitionalFn:
        TRANSITIONAL[name] = fn
        return fn
    return wrap


@transitional_method("none")
def _no_transitional(ctx: Context, ex: Explanation, facts: dict) -> Decimal:
    ex.step("过渡性养老金", "地区过渡办法（transitional_pension_method = none）", "本地区不计发过渡性养老金",
            {}, {}, Decimal("0.00"))
    return Decimal("0.00")


@transitional_method("deemed_years")
def _deemed_years(ctx: Context, ex: Explanation, facts: dict) -> Decimal:
    months = facts["deemed_months"]
    if not months:
        ex.step("过渡性养老金", "地区过渡办法（deemed_years）", "无视同缴费年限，不计发", {"视同缴费月数": 0}, {},
                Decimal("0.00"))
        return Decimal("0.00")
    coefficient = ctx.param(ex, "transitional_coefficient", on=ctx.today)
    index = facts["deemed_index"]
    amount = to_fen(facts["calc_base"] * index * Decimal(months) / 12 * coefficient, facts["mode"])
    ex.step("过渡性养老金", "地区过渡办法（deemed_years）",
            "过渡性养老金 = 计发基数 × 视同缴费指数 × 视同缴费年限 × 过渡系数",
            {"计发基数": facts["calc_base"], "视同缴费指数": index, "视同缴费年限": fmt_years(months),
             "过渡系数": fmt_percent(coefficient)}, {}, amount)
    return amount


# -- enterprise pension ----------------------------------------------------------------------------------------------

@dataclass
class EnterprisePensionResult:
    retirement_month: Month = out("退休时间")
    retirement_age: str = out("退休年龄")
    total_contribution: str = out("累计缴费年限（含视同）")
    eligible: bool = out("符合按月领取条件")
    months_short: int = out("尚差缴费月数", unit="个月")
    calc_base: Decimal = out("计发基数", unit="元/月")
    indexed_wage: Decimal = out("本人指数化月平均缴费工资", unit="元/月")
    basic_pension: Decimal = out("基础养老金", unit="元/月", money=True)
    payout_months: Decimal = out("计发月数", unit="个月")
    account_pension: Decimal = out("个人账户养老金", unit="元/月", money=True)
    transitional_pension: Decimal = out("过渡性养老金", unit="元/月", money=True)
    total: Decimal = out("月基本养老金（测算）", unit="元/月", money=True, headline=True)
    provisional: bool = out("暂按上年度计发基数预核")


ENTERPRISE_FIELDS = (
    Field("birth_date", "出生日期", "date"),
    Field("group", "人员类别", "choice", choices=GROUPS),
    Field("actual_months", "实际缴费月数", "int", maximum=1200),
    Field("deemed_months", "视同缴费月数", "int", required=False, default=0, maximum=1200),
    Field("avg_index", "平均缴费工资指数", "decimal", minimum=Decimal("0.1"), maximum=Decimal("5"),
          help="历年缴费工资基数与当年平均工资之比的平均值，如 1.0"),
    Field("deemed_index", "视同缴费指数", "decimal", required=False, maximum=Decimal("5"),
          help="不填则按平均缴费工资指数"),
    Field("account_balance", "个人账户储存额（元）", "money"),
    Field("retirement_month", "退休时间", "month", required=False, help="不填则按法定退休时间"),
    Field("allow_provisional", "计发基数未公布时暂按上年度预核", "bool", required=False, default=False),
)


@calculator("enterprise_pension", "企业职工基本养老金测算",
            "按基础养老金、个人账户养老金和地区过渡性养老金办法，测算退休时的月基本养老金。", ENTERPRISE_FIELDS,
            citations=(PENSION_CITE, "000 §64", "000 §71", "延迟退休办法"), keywords=("养老金", "退休", "待遇测算"))
def compute_enterprise_pension(inputs: dict, ctx: Context, ex: Explanation) -> EnterprisePensionResult:
    birth, group = inputs["birth_date"], inputs["group"]
    facts = retirement_facts(ctx, ex, birth, group)
    month = inputs.get("retirement_month") or facts.month
    if month != facts.month:
        ex.warn(f"按选择的退休时间{month.cn()}测算（法定退休时间为{facts.month.cn()}）。")
    age = month - facts.birth
    if age < 40 * 12:
        raise InvalidInput("退休时间过早：退休年龄低于40周岁", f"age {age} months", field="retirement_month")
    mode = fen_mode(ctx, ex)
    deemed, actual = inputs.get("deemed_months") or 0, inputs["actual_months"]
    total_months = actual + deemed
    need = min_months_for(ctx, ex, month.year)
    eligible = total_months >= need
    ex.step("累计缴费年限", "000 §64；004:L5802", "累计缴费月数 = 实际缴费月数 + 视同缴费月数",
            {"实际缴费月数": actual, "视同缴费月数": deemed}, {"累计缴费月数": total_months},
            f"{fmt_years(total_months)}，" + ("满足最低缴费年限" if eligible else
                                              f"不足最低缴费年限{fmt_years(need)}，暂不能按月领取，可延长缴费（000 §64）"))
    if not eligible:
        ex.warn(f"累计缴费不足{fmt_years(need)}，不符合按月领取基本养老金条件；以下金额仅供参考。")

    provisional = False
    try:
        calc_base = Decimal(ctx.param(ex, "pension_calc_base_monthly", year=month.year,
                                      hint="如需暂按上年度计发基数预核（000 §71），请勾选“计发基数未公布时暂按上年度预核”。"))
    except MissingParameter:
        if not inputs.get("allow_provisional"):
            raise
        calc_base = Decimal(ctx.param(ex, "pension_calc_base_monthly", year=month.year - 1))
        provisional = True
        ex.step("计发基数未公布，暂按上年度预核", "000 §71", "计发基数 = 上年度计发基数（公布后重新核定，多退少补）",
                {"退休年度": month.year}, {"暂用计发基数": calc_base}, "预核结果，正式计发基数公布后须重新核定")
        ex.warn(f"{month.year}年度计发基数未公布，已按{month.year - 1}年度暂核（000 §71），公布后须重新核定。")

    index = inputs["avg_index"]
    indexed = to_fen(calc_base * index, mode)
    rate = Decimal(ctx.param(ex, "basic_pension_rate", on=ctx.today))
    basic = to_fen((calc_base + indexed) / 2 * Decimal(total_months) / 12 * rate, mode)
    ex.step("基础养老金", PENSION_CITE,
            "基础养老金 = (计发基数 + 本人指数化月平均缴费工资) ÷ 2 × 缴费年限 × 1%；本人指数化月平均缴费工资 = 计发基数 × 平均缴费工资指数",
            {"计发基数": calc_base, "平均缴费工资指数": index, "缴费年限": fmt_years(total_months),
             "计发比例": fmt_percent(rate)},
            {"本人指数化月平均缴费工资": indexed},
            f"{basic}元/月（{ROUNDING_NAMES.get(mode, mode)}到分）")

    table = ctx.param(ex, "payout_months_table", on=ctx.today)
    rule = str(ctx.param(ex, "payout_months_interpolation", on=ctx.today))
    months = payout_months(table, age, rule)
    balance = inputs["account_balance"]
    account = to_fen(balance / months, mode)
    ex.step("个人账户养老金", PENSION_CITE, "个人账户养老金 = 个人账户储存额 ÷ 计发月数",
            {"个人账户储存额": balance, "退休年龄": fmt_age(age), "计发月数取值办法": rule},
            {"计发月数": months}, f"{account}元/月")

    method = str(ctx.param(ex, "transitional_pension_method", on=ctx.today))
    if method not in TRANSITIONAL:
        raise InvalidInput(f"地区过渡性养老金计发办法“{method}”未实现，请联系管理员",
                           f"no transitional plug-in {method}", field="transitional_pension_method")
    deemed_index = inputs.get("deemed_index")
    if deemed and deemed_index is None:
        deemed_index = index
        ex.warn("未填写视同缴费指数，过渡性养老金按平均缴费工资指数测算。")
    transitional = TRANSITIONAL[method](ctx, ex, {"calc_base": calc_base, "deemed_months": deemed,
                                                  "deemed_index": deemed_index, "mode": mode})
    total = basic + account + transitional
    ex.step("月基本养老金", PENSION_CITE, "基本养老金 = 基础养老金 + 个人账户养老金 + 过渡性养老金",
            {"基础养老金": basic, "个人账户养老金": account, "过渡性养老金": transitional}, {}, f"{total}元/月")
    return EnterprisePensionResult(month, fmt_age(age), fmt_years(total_months), eligible, max(0, need - total_months),
                                   calc_base, indexed, basic, months, account, transitional, total, provisional)


# -- resident pension ------------------------------------------------------------------------------------------------

@dataclass
class ResidentPensionResult:
    start_month: Month = out("待遇起始月")
    eligible: bool = out("符合领取条件")
    reason: str = out("说明")
    basic_national: Decimal = out("基础养老金（全国最低标准）", unit="元/月", money=True)
    basic_regional: Decimal = out("基础养老金（地方提高部分）", unit="元/月", money=True)
    long_bonus: Decimal = out("长缴多得加发", unit="元/月", money=True)
    account_pension: Decimal = out("个人账户养老金", unit="元/月", money=True)
    total: Decimal = out("月养老金（测算）", unit="元/月", money=True, headline=True)


RESIDENT_FIELDS = (
    Field("birth_date", "出生日期", "date"),
    Field("contribution_years", "累计缴费年限（年）", "int", maximum=80),
    Field("account_balance", "个人账户储存额（元）", "money"),
    Field("start_month", "待遇起始月", "month", required=False, help="不填则为年满领取年龄的次月"),
)


@calculator("resident_pension", "城乡居民基本养老金测算",
            "按基础养老金和个人账户养老金（储存额 ÷ 139）测算城乡居民月养老金。", RESIDENT_FIELDS,
            citations=(RESIDENT_CITE, "001 ch5 L54", "002 §22"), keywords=("城乡居民", "养老金", "cxjm"))
def compute_resident_pension(inputs: dict, ctx: Context, ex: Explanation) -> ResidentPensionResult:
    birth = inputs["birth_date"]
    age_needed = int(ctx.param(ex, "resident_pension_age", on=ctx.today))
    min_years = int(ctx.param(ex, "resident_min_contribution_years", on=ctx.today))
    reached = Month.of(birth) + age_needed * 12
    start = inputs.get("start_month") or reached + 1
    years = inputs["contribution_years"]
    problems = []
    if start <= reached:
        problems.append(f"{start.cn()}尚未满{age_needed}周岁的次月（最早{(reached + 1).cn()}）")
    if years < min_years:
        problems.append(f"累计缴费{years}年，不足{min_years}年")
    eligible = not problems
    ex.step("领取条件", "001 ch5 L54；002 §22", f"年满{age_needed}周岁且累计缴费满{min_years}年，从符合条件的次月起发放",
            {"出生年月": Month.of(birth), "累计缴费年限": f"{years}年"}, {"满龄月": reached, "待遇起始月": start},
            "符合" if eligible else "不符合：" + "；".join(problems))
    mode = fen_mode(ctx, ex)
    on = start.first_day()
    national = Decimal(ctx.param(ex, "resident_basic_pension_national", on=on))
    regional = Decimal(ctx.param(ex, "resident_basic_pension_regional", on=on))
    bonus_rule = ctx.param(ex, "resident_long_contribution_bonus", on=on)
    extra_years = max(0, years - int(bonus_rule["beyond_years"]))
    bonus = to_fen(Decimal(bonus_rule["per_year"]) * extra_years, mode)
    ex.step("基础养老金", RESIDENT_CITE, "基础养老金 = 全国最低标准 + 地方提高部分 + 缴费超过规定年限每年加发额",
            {"全国最低标准": national, "地方提高部分": regional, f"超过{bonus_rule['beyond_years']}年的缴费年限": extra_years,
             "每年加发": Decimal(bonus_rule["per_year"])}, {"加发": bonus}, national + regional + bonus)
    divisor = Decimal(ctx.param(ex, "resident_payout_months", on=on))
    account = to_fen(inputs["account_balance"] / divisor, mode)
    ex.step("个人账户养老金", RESIDENT_CITE, "个人账户养老金 = 个人账户全部储存额 ÷ 139",
            {"个人账户储存额": inputs["account_balance"], "计发月数": divisor}, {}, account)
    total = to_fen(national + regional + bonus + account, mode)
    if not eligible:
        ex.warn("不符合领取条件：" + "；".join(problems))
    return ResidentPensionResult(start, eligible, "符合领取条件" if eligible else "；".join(problems), national,
                                 regional, bonus, account, total)


# -- retiree account drawdown (000 §43) ------------------------------------------------------------------------------

@dataclass
class DrawdownResult:
    ratio: Decimal = out("退休时个人账户养老金占基本养老金比例")
    increase_share: Decimal = out("调待增加额中由个人账户支付部分", unit="元/月", money=True)
    monthly_deduction: Decimal = out("每月冲减个人账户储存额", unit="元/月", money=True, headline=True)
    months_covered: int | None = out("储存额可冲减整月数", unit="个月")
    balance_after: Decimal | None = out("冲减整月后剩余储存额", unit="元", money=True)


@calculator("account_drawdown", "退休人员个人账户按月冲减测算",
            "按 000 §43：冲减额 = 退休时月个人账户养老金 + 调待增加额 × (个人账户养老金 ÷ 基本养老金)。",
            (Field("account_pension_at_retirement", "退休时月个人账户养老金（元）", "money"),
             Field("pension_at_retirement", "退休时月基本养老金（元）", "money", minimum=Decimal("0.01")),
             Field("total_increase", "退休后历次调待累计增加的基本养老金（元/月）", "money", required=False, default="0"),
             Field("balance", "当前个人账户储存额（元）", "money", required=False)),
            citations=("000 §43",), keywords=("个人账户", "冲减"))
def compute_drawdown(inputs: dict, ctx: Context, ex: Explanation) -> DrawdownResult:
    p0, b0, delta = inputs["account_pension_at_retirement"], inputs["pension_at_retirement"], inputs["total_increase"]
    if p0 > b0:
        raise InvalidInput("退休时个人账户养老金不能大于基本养老金", f"P0 {p0} > B0 {b0}",
                           field="account_pension_at_retirement")
    mode = fen_mode(ctx, ex)
    share = to_fen(delta * p0 / b0, mode)
    deduct = p0 + share
    ratio = (p0 / b0).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    ex.step("每月冲减个人账户储存额", "000 §43",
            "冲减额 = P0 + ΔB × (P0 ÷ B0)，P0 = 退休时月个人账户养老金，B0 = 退休时月基本养老金，ΔB = 调待累计增加额",
            {"P0": p0, "B0": b0, "ΔB": delta}, {"P0 ÷ B0": ratio, "ΔB × P0 ÷ B0": share}, f"{deduct}元/月")
    months = after = None
    balance = inputs.get("balance")
    if balance is not None and deduct > 0:
        months = int(balance // deduct)
        after = balance - deduct * months
        ex.step("储存额可冲减月数", "000 §43；rules-digest A4", "整月数 = ⌊储存额 ÷ 冲减额⌋",
                {"储存额": balance, "冲减额": deduct}, {"整月数": months, "剩余": after},
                "储存额冲减完后，基本养老金继续由统筹基金支付（假定，见 rules-digest §2.2 A4）")
    return DrawdownResult(ratio, share, deduct, months, after)


# -- resident account interest (001 ch4 L47–L48; 002 §13–§14) -------------------------------------------------------

@dataclass
class InterestResult:
    posted_month: Month = out("记账月份")
    interest_from: Month = out("起息月份")
    months: int = out("当年计息月数", unit="个月")
    rate: Decimal = out("记账利率")
    interest: Decimal = out("当年利息", unit="元", money=True, headline=True)
    posted_on: str = out("利息记账时间")


@calculator("resident_interest", "城乡居民个人账户缴费记账与计息测算",
            "按缴入国库时间记账，次月起计息；计息年度为1月1日至12月31日，年度终了后按记账利率计息记账。",
            (Field("amount", "缴费（补助、资助）金额（元）", "money"),
             Field("arrival_date", "缴入国库日期", "date")),
            citations=("001 ch4 L47", "001 ch4 L48", "002 §13", "002 §14", "000 §48"), keywords=("利息", "记账"))
def compute_resident_interest(inputs: dict, ctx: Context, ex: Explanation) -> InterestResult:
    arrived = inputs["arrival_date"]
    posted = Month.of(arrived)
    start = posted + 1
    months = max(0, 12 - start.month + 1) if start.year == posted.year else 0
    rate = Decimal(ctx.param(ex, "account_interest_rate", year=arrived.year))
    mode = fen_mode(ctx, ex)
    interest = to_fen(inputs["amount"] * rate * months / 12, mode)
    ex.step("记账与起息", "001 ch4 L47–L48；002 §13–§14", "按缴入国库时间记账，次月起计息；当年计息月数 = 起息月至12月的月数",
            {"缴入国库日期": arrived}, {"记账月份": posted, "起息月份": start, "当年计息月数": months},
            f"{months}个月")
    ex.step("年度计息", "001 ch4 L48；000 §48", "利息 = 金额 × 当年记账利率 × 计息月数 ÷ 12；年度终了后记入个人账户",
            {"金额": inputs["amount"], "记账利率": fmt_percent(rate)}, {}, f"{interest}元")
    return InterestResult(posted, start, months, rate, interest, f"{arrived.year}年12月31日计息年度终了后")
