"""Unemployment insurance benefit (失业保险金) in Inner Mongolia, from seed 004 (004:L14347 失业保险金申领办事指南):
eligibility (004:L14383), months by contribution years (004:L14403–L14404), monthly amount by period with the
supplements (004:L14410–L14412), heating allowance in the 1st and 4th quarters, continuation until the statutory
retirement age (004:L14406) and the 1st–15th application window (004:L14416, 004:L14420)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.calendar import CalendarGap, load_calendar
from app.rules.base import Context, Field, calculator, out, table
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.money import fmt_percent, to_fen
from app.rules.months import Month, age_years, fmt_years
from app.rules.pension import fen_mode
from app.rules.retirement import GROUPS, retirement_facts

ELIGIBILITY = "004:L14383–L14387"
MONTHS_TABLE = "004:L14403–L14404"
AMOUNTS = "004:L14410–L14412"
CONTINUE = "004:L14406"
WINDOW = "004:L14416；004:L14420"


def entitled_months(contribution_months: int, table: dict) -> int:
    """享受月数 by full contribution years; 10 years or more → the 10-year row; under 1 year → 0."""
    years = contribution_months // 12
    rows = {int(k): int(v) for k, v in table.items()}
    if years < min(rows):
        return 0
    return rows[min(years, max(rows))]


def first_benefit_month(applied: date, window: dict) -> Month:
    """15日之前（含15日）申请的当月审核发放，之后的次月审核发放."""
    month = Month.of(applied)
    return month if applied.day <= int(window["last_day"]) else month + 1


@dataclass
class UnemploymentResult:
    eligible: bool = out("符合领取条件")
    reason: str = out("说明")
    contribution: str = out("累计缴费时间")
    entitled_months: int = out("可领取月数", unit="个月")
    extended_months: int = out("延续发放至法定退休年龄增加月数", unit="个月")
    first_month: Month | None = out("首次发放月份")
    last_month: Month | None = out("最后发放月份")
    supplement: str = out("增发比例")
    first_period_amount: Decimal | None = out("第1-12个月月标准", unit="元/月", money=True)
    later_amount: Decimal | None = out("第13个月起月标准", unit="元/月", money=True)
    heating_months: int = out("取暖补贴月数", unit="个月")
    heating_total: Decimal = out("取暖补贴合计", unit="元", money=True)
    benefit_total: Decimal = out("失业保险金合计", unit="元", money=True)
    total: Decimal = out("预计领取总额", unit="元", money=True, headline=True)
    feedback_due: date | None = out("办理结果反馈期限")
    schedule: list = table("按月发放计划", ("月份", "期间", "失业保险金", "取暖补贴", "合计"))


FIELDS = (
    Field("contribution_months", "失业保险累计缴费月数", "int", maximum=1200),
    Field("involuntary", "非因本人意愿中断就业", "bool"),
    Field("registered", "已办理失业登记并有求职要求", "bool"),
    Field("birth_date", "出生日期", "date"),
    Field("group", "人员类别（用于法定退休年龄）", "choice", choices=GROUPS),
    Field("couple_unemployed", "夫妻双方同时失业", "bool", required=False, default=False),
    Field("application_date", "申领日期", "date", required=False, help="不填则为测算日期"),
)


@calculator("unemployment_benefit", "失业保险金测算",
            "按内蒙古现行标准测算领取资格、领取月数、各期月标准（含增发）、取暖补贴和延续至法定退休年龄的发放。",
            FIELDS, citations=(ELIGIBILITY, MONTHS_TABLE, AMOUNTS, CONTINUE, WINDOW),
            keywords=("失业", "失业保险金", "sybx"))
def compute_unemployment(inputs: dict, ctx: Context, ex: Explanation) -> UnemploymentResult:
    applied = inputs.get("application_date") or ctx.today
    birth = inputs["birth_date"]
    if birth >= applied:
        raise InvalidInput("出生日期应早于申领日期", f"birth {birth} >= applied {applied}", field="birth_date")
    months = inputs["contribution_months"]
    need = int(ctx.param(ex, "unemployment_min_contribution_months", on=applied))
    problems = []
    if months < need:
        problems.append(f"缴费不满{fmt_years(need)}（当前{fmt_years(months)}）")
    if not inputs["involuntary"]:
        problems.append("非因本人意愿中断就业的才可领取")
    if not inputs["registered"]:
        problems.append("须已办理失业登记并有求职要求")
    eligible = not problems
    ex.step("领取条件", ELIGIBILITY, "同时满足：缴费满1年；非因本人意愿中断就业；已办理失业登记并有求职要求",
            {"累计缴费": fmt_years(months), "非本人意愿": inputs["involuntary"], "已失业登记": inputs["registered"]},
            {}, "符合" if eligible else "不符合：" + "；".join(problems))
    zero = Decimal("0.00")
    if not eligible:
        return UnemploymentResult(False, "；".join(problems), fmt_years(months), 0, 0, None, None, "—", None, None,
                                  0, zero, zero, zero, None, [])

    table_rows = ctx.param(ex, "unemployment_months_table", on=applied)
    n = entitled_months(months, table_rows)
    ex.step("领取月数", MONTHS_TABLE, "按累计缴费满整年数查表：1年2个月 … 9年18个月，满10年及以上24个月",
            {"累计缴费满整年数": months // 12}, {}, f"{n}个月")

    window = ctx.param(ex, "benefit_application_window", on=applied)
    start = first_benefit_month(applied, window)
    feedback = None
    try:
        feedback = load_calendar().add_working_days(applied, int(window["feedback_working_days"]))
        feedback_text = f"{feedback.isoformat()}前反馈办理结果"
    except CalendarGap as gap:
        feedback_text = f"{gap.year}年节假日安排未导入，反馈期限请人工按{window['feedback_working_days']}个工作日计算"
        ex.warn(feedback_text)
    ex.step("申领时间与首次发放月份", WINDOW,
            f"每月{window['first_day']}日至{window['last_day']}日办理；{window['last_day']}日之前申请的当月审核发放，之后的次月审核发放",
            {"申领日期": applied}, {"首次发放月份": start}, feedback_text)

    # supplements
    rule = ctx.param(ex, "unemployment_supplements", on=applied)
    male = inputs["group"] == "male"
    age = age_years(birth, applied)
    age_need = int(rule["male_min_age"] if male else rule["female_min_age"])
    long_ok = months >= int(rule["long_min_years"]) * 12 and age >= age_need
    couple = bool(inputs.get("couple_unemployed"))
    rate = Decimal(rule["both"]) if long_ok and couple else Decimal(rule["long_contribution"]) if long_ok \
        else Decimal(rule["couple"]) if couple else Decimal(0)
    which = "两者兼有" if long_ok and couple else "累计缴费满10年且达到年龄" if long_ok else "夫妻双方同时失业" if couple else "无"
    ex.step("增发比例", AMOUNTS,
            f"累计缴费满{rule['long_min_years']}年且男满{rule['male_min_age']}岁、女满{rule['female_min_age']}岁增发"
            f"{fmt_percent(rule['long_contribution'])}；夫妻双方同时失业增发{fmt_percent(rule['couple'])}；两者兼有增发{fmt_percent(rule['both'])}",
            {"累计缴费": fmt_years(months), "申领时年龄": f"{age}周岁", "夫妻同时失业": couple},
            {"适用情形": which}, fmt_percent(rate))

    standard = ctx.param(ex, "unemployment_monthly_standard", on=applied)
    mode = fen_mode(ctx, ex)
    first_n = int(standard["first_period_months"])
    first_amount = to_fen(Decimal(standard["first_period"]) * (1 + rate), mode)
    later_amount = to_fen(Decimal(standard["later"]) * (1 + rate), mode)
    ex.step("月标准", AMOUNTS, "月标准 = 基础标准 × (1 + 增发比例)；第1-12个月基础标准1782元，第13个月起1584元",
            {"第1-12个月基础标准": Decimal(standard["first_period"]), "第13个月起基础标准": Decimal(standard["later"]),
             "增发比例": fmt_percent(rate)}, {"第1-12个月": first_amount, "第13个月起": later_amount},
            f"{first_amount}元/月，第13个月起{later_amount}元/月")

    # continuation until the statutory retirement age
    facts = retirement_facts(ctx, ex, birth, inputs["group"])
    end = start + n - 1
    extended = 0
    retire = facts.month
    if retire <= end:
        n = max(0, retire - start + 1)
        end = start + n - 1
        ex.step("领取期内达到法定退休年龄", "失业保险条例 第十五条；004:L14406",
                "达到法定退休年龄、享受基本养老保险待遇的，停止领取失业保险金", {"法定退休时间": retire},
                {"可领取月数": n}, f"发放至{retire.cn()}")
    else:
        cont = ctx.param(ex, "unemployment_continue_rule", on=(end + 1).first_day())
        remaining = retire - end
        if 0 < remaining < int(cont["remaining_months_below"]):
            extended = remaining
            ex.step("期满距法定退休年龄不足1年，继续发放", CONTINUE,
                    "领取期满仍未就业且距法定退休年龄不足1年的，继续发放至法定退休年龄（发放至达到法定退休年龄的当月）",
                    {"领取期满月份": end, "法定退休时间": retire}, {"距法定退休年龄月数": remaining},
                    f"继续发放{extended}个月，至{retire.cn()}")
            end = retire
        else:
            ex.step("期满距法定退休年龄不足1年的延续发放", CONTINUE, "期满时距法定退休年龄不足1年的才继续发放",
                    {"领取期满月份": end, "法定退休时间": retire}, {"距法定退休年龄月数": remaining}, "不适用")

    heating = ctx.param(ex, "unemployment_heating_allowance", on=applied)
    heat_amount = Decimal(heating["amount"]).quantize(Decimal("0.01"))
    quarters = {int(q) for q in heating["quarters"]}
    schedule, benefit_total, heat_total, heat_months = [], Decimal("0.00"), Decimal("0.00"), 0
    total_months = n + extended
    for i in range(1, total_months + 1):
        month = start + i - 1
        amount = first_amount if i <= first_n else later_amount
        heat = heat_amount if month.quarter in quarters else Decimal("0.00")
        heat_months += 1 if heat else 0
        benefit_total += amount
        heat_total += heat
        schedule.append((month, f"第{i}个月", amount, heat, amount + heat))
    ex.step("取暖补贴", "004:L14410–L14411", "每年第1、4季度的领取月份按月发放取暖补贴（标准按各盟市执行）",
            {"标准": f"{heat_amount}元/月", "季度": "、".join(f"第{q}季度" for q in sorted(quarters))},
            {"取暖补贴月数": heat_months}, f"{heat_total}元")
    total = benefit_total + heat_total
    ex.step("预计领取总额", AMOUNTS, "总额 = Σ 各月失业保险金 + Σ 取暖补贴",
            {"失业保险金合计": benefit_total, "取暖补贴合计": heat_total}, {}, f"{total}元")
    return UnemploymentResult(True, "符合领取条件", fmt_years(months), total_months - extended, extended, start,
                              end if total_months else None, fmt_percent(rate), first_amount, later_amount,
                              heat_months, heat_total, benefit_total, total, feedback, schedule)
