"""Statutory retirement age and month under the 2024 gradual-retirement decision, flexible retirement, and the
minimum contribution years for the retirement year (../shared/notes/domain.md “Retirement age”)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.rules.base import Context, Field, calculator, out
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.months import Month, fmt_age, fmt_years

GROUPS = (
    ("male", "男职工"),
    ("female_cadre", "女职工（原法定退休年龄55周岁）"),
    ("female_worker", "女职工（原法定退休年龄50周岁）"),
)
GROUP_NAMES = dict(GROUPS)
DECISION = "延迟退休决定及办法 第二条"
MIN_YEARS_CITE = "延迟退休办法 第四条"
FLEX_CITE = "延迟退休办法 第三条"


@dataclass(frozen=True)
class RetirementFacts:
    group: str
    birth: Month
    original_age_months: int
    delay_months: int
    start_birth: Month
    step_birth_months: int

    @property
    def age_months(self) -> int:
        return self.original_age_months + self.delay_months

    @property
    def month(self) -> Month:
        """退休时间 = 出生年月 + 法定退休年龄."""
        return self.birth + self.age_months

    @property
    def original_month(self) -> Month:
        return self.birth + self.original_age_months


def statutory_retirement(birth: date | Month, group: str, rules: dict) -> RetirementFacts:
    """Pure rule: delay = ⌊(出生月 − 起始月) / 步长⌋ + 1 months for births from the start month on, capped at
    (目标年龄 − 原年龄); none before it."""
    if group not in rules:
        raise InvalidInput(f"人员类别不正确：{group}", f"unknown group {group}", field="group")
    r = rules[group]
    born = birth if isinstance(birth, Month) else Month.of(birth)
    original = int(r["original_age"]) * 12
    cap = (int(r["target_age"]) - int(r["original_age"])) * 12
    start = Month.parse(str(r["start_birth"]))
    step = int(r["step_birth_months"])
    delay = 0 if born < start else min(cap, (born - start) // step + 1)
    return RetirementFacts(group, born, original, delay, start, step)


def min_contribution_months(year: int, rule: dict) -> int:
    """Months of contributions needed for a monthly pension when retiring in `year` (15 years until 2029, then +6
    months a year up to 20 years from 2030)."""
    base, until = int(rule["base_months"]), int(rule["until_year"])
    step, cap = int(rule["step_months"]), int(rule["max_months"])
    if year <= until:
        return base
    return min(cap, base + step * (year - until))


def retirement_facts(ctx: Context, ex: Explanation, birth: date, group: str) -> RetirementFacts:
    """The statutory retirement with its explanation step (used by other calculators too)."""
    rules = ctx.param(ex, "retirement_age_rules", on=ctx.today)
    facts = statutory_retirement(birth, group, rules)
    r = rules[group]
    if facts.delay_months == 0 and facts.birth < facts.start_birth:
        how = f"出生于{facts.start_birth.cn()}之前，不延迟，按原法定退休年龄"
    elif facts.delay_months == 0:
        how = "本人适用的规则未延迟"
    else:
        how = (f"自{facts.start_birth.cn()}出生起每{facts.step_birth_months}个月延迟1个月，"
               f"最多延迟至{int(r['target_age'])}周岁")
    ex.step("法定退休年龄与退休时间", DECISION,
            "延迟月数 = min(⌊(出生年月 − 起始出生年月) ÷ 步长⌋ + 1, 最多延迟月数)；退休时间 = 出生年月 + 法定退休年龄",
            {"出生年月": facts.birth, "人员类别": GROUP_NAMES[group], "原法定退休年龄": fmt_age(facts.original_age_months)},
            {"延迟月数": facts.delay_months, "法定退休年龄": fmt_age(facts.age_months)},
            f"{how}；法定退休年龄{fmt_age(facts.age_months)}，{facts.month.cn()}达到")
    return facts


def min_months_for(ctx: Context, ex: Explanation, year: int) -> int:
    rule = ctx.param(ex, "min_contribution_rule", on=ctx.today)
    months = min_contribution_months(year, rule)
    ex.step("按月领取基本养老金的最低缴费年限", MIN_YEARS_CITE,
            "2029年及以前15年；2030年起每年提高6个月，最高20年",
            {"退休年份": year}, {"最低缴费月数": months}, fmt_years(months))
    return months


@dataclass
class RetirementResult:
    group_name: str = out("人员类别")
    original_age: str = out("原法定退休年龄")
    delay_months: int = out("延迟月数", unit="个月")
    statutory_age: str = out("法定退休年龄")
    statutory_month: Month = out("法定退休时间")
    min_contribution: str = out("退休当年最低缴费年限")
    min_contribution_months: int = out("最低缴费月数", unit="个月")
    earliest_flexible: Month | None = out("弹性提前退休最早时间")
    latest_flexible: Month | None = out("弹性延迟退休最晚时间")
    contribution_met: bool | None = out("已满足最低缴费年限")
    months_short: int | None = out("尚差缴费月数", unit="个月")
    chosen_month: Month | None = out("选择的退休时间")
    chosen_allowed: bool | None = out("选择的退休时间可行")
    chosen_reason: str | None = out("说明")


FIELDS = (
    Field("birth_date", "出生日期", "date"),
    Field("group", "人员类别", "choice", choices=GROUPS),
    Field("contribution_months", "累计缴费月数（含视同）", "int", required=False, maximum=1200,
          help="用于核对最低缴费年限和弹性提前退休"),
    Field("chosen_month", "选择的退休时间（弹性退休）", "month", required=False),
)


@calculator("retirement_age", "法定退休年龄与退休时间测算",
            "按渐进式延迟法定退休年龄规定，测算法定退休年龄、退休时间、弹性退休区间和最低缴费年限。", FIELDS,
            citations=(DECISION, FLEX_CITE, MIN_YEARS_CITE, "000 §64"), keywords=("退休", "延迟退休", "txnl"))
def compute_retirement(inputs: dict, ctx: Context, ex: Explanation) -> RetirementResult:
    birth, group = inputs["birth_date"], inputs["group"]
    if birth > ctx.today:
        raise InvalidInput("出生日期不能晚于测算日期", f"birth {birth} after {ctx.today}", field="birth_date")
    facts = retirement_facts(ctx, ex, birth, group)
    need = min_months_for(ctx, ex, facts.month.year)

    earliest = latest = None
    if ctx.params.has("flexible_retirement_max_months", ctx.region, on=ctx.today):
        flex = int(ctx.param(ex, "flexible_retirement_max_months", on=ctx.today))
        earliest_age = max(facts.original_age_months, facts.age_months - flex)
        earliest, latest = facts.birth + earliest_age, facts.month + flex
        ex.step("弹性退休区间", FLEX_CITE,
                "最早 = 出生年月 + max(原法定退休年龄, 法定退休年龄 − 3年)；最晚 = 法定退休时间 + 3年",
                {"法定退休年龄": fmt_age(facts.age_months), "最长弹性月数": flex},
                {"最早": earliest, "最晚": latest},
                "弹性提前须达到最低缴费年限，且不得低于原法定退休年龄；弹性延迟须经单位与职工协商一致")
    else:
        ex.step("弹性退休区间", FLEX_CITE, "测算日期适用的规定中没有弹性退休（2025年1月1日起施行）",
                {"测算日期": ctx.today}, {}, "不适用")

    result = RetirementResult(GROUP_NAMES[group], fmt_age(facts.original_age_months), facts.delay_months,
                              fmt_age(facts.age_months), facts.month, fmt_years(need), need, earliest, latest,
                              None, None, None, None, None)
    months = inputs.get("contribution_months")
    if months is not None:
        result.contribution_met = months >= need
        result.months_short = max(0, need - months)
        reached = facts.month + result.months_short
        ex.step("缴费年限核对", "000 §64；003 7.4.4",
                "已缴月数 ≥ 最低缴费月数 → 可按月领取；不足的可延长缴费至满足，从满足的次月起发放",
                {"累计缴费月数": months, "最低缴费月数": need},
                {"尚差月数": result.months_short},
                "已满足" if result.contribution_met else
                f"不足，按月连续缴费需延长至{reached.cn()}，{(reached + 1).cn()}起发放（000 §64）")
    chosen = inputs.get("chosen_month")
    if chosen is not None:
        result.chosen_month = chosen
        reasons = []
        if earliest is None:
            reasons.append("测算日期适用的规定中没有弹性退休")
        elif chosen < earliest:
            reasons.append(f"早于弹性提前退休最早时间{earliest.cn()}")
        if latest is not None and chosen > latest:
            reasons.append(f"晚于弹性延迟退休最晚时间{latest.cn()}")
        chosen_need = min_contribution_months(chosen.year, ctx.param(ex, "min_contribution_rule", on=ctx.today))
        if chosen < facts.month and months is not None and months < chosen_need:
            reasons.append(f"弹性提前退休须已满最低缴费年限{fmt_years(chosen_need)}（当前{fmt_years(months)}）")
        if chosen < facts.month and months is None:
            reasons.append("弹性提前退休须核实已满最低缴费年限（请填写累计缴费月数）")
        result.chosen_allowed = not reasons
        kind = "弹性提前" if chosen < facts.month else ("弹性延迟" if chosen > facts.month else "按法定退休时间")
        result.chosen_reason = "；".join(reasons) if reasons else f"{kind}退休，可行"
        ex.step("弹性退休时间核对", FLEX_CITE, "最早 ≤ 选择的退休时间 ≤ 最晚",
                {"选择的退休时间": chosen, "最早": earliest, "最晚": latest},
                {"退休年龄": fmt_age(chosen - facts.birth)}, result.chosen_reason)
    return result


@dataclass
class ExtensionResult:
    min_months: int = out("最低缴费月数", unit="个月")
    months_short: int = out("尚差缴费月数", unit="个月")
    can_extend: bool = out("可延长缴费至满最低年限")
    lump_sum_offered: bool = out("可一次性缴费至满最低年限")
    reason: str = out("说明")


@calculator("extension_options", "达到退休年龄缴费不足的处理方式",
            "缴费不足最低年限的可延长缴费至满；社会保险法施行前参保、延长缴费5年后仍不足的，可一次性缴费至满（003 7.4.4）。",
            (Field("birth_date", "出生日期", "date"),
             Field("group", "人员类别", "choice", choices=GROUPS),
             Field("contribution_months", "累计缴费月数（含视同）", "int", maximum=1200),
             Field("insured_date", "首次参保日期", "date"),
             Field("extension_months", "已延长缴费月数", "int", required=False, default=0, maximum=600)),
            citations=("003 7.4.4", "000 §64", "000 §68"), keywords=("延长缴费", "一次性补缴"))
def compute_extension(inputs: dict, ctx: Context, ex: Explanation) -> ExtensionResult:
    facts = retirement_facts(ctx, ex, inputs["birth_date"], inputs["group"])
    need = min_months_for(ctx, ex, facts.month.year)
    months, extended = inputs["contribution_months"], inputs["extension_months"]
    short = max(0, need - months)
    rule = ctx.param(ex, "extension_rule", on=ctx.today)
    law = date.fromisoformat(str(rule["law_commencement"]))
    before_law = inputs["insured_date"] < law
    lump = bool(short) and before_law and extended >= int(rule["extension_months_before_lump_sum"])
    if not short:
        reason = "已满足最低缴费年限，可按月领取"
    elif lump:
        reason = f"社会保险法施行（{law.isoformat()}）前参保、已延长缴费满5年仍不足，可一次性缴费{short}个月至满"
    elif before_law:
        left = int(rule["extension_months_before_lump_sum"]) - extended
        reason = f"可继续延长缴费；再延长{left}个月后仍不足的，可一次性缴费至满"
    else:
        reason = "可延长缴费至满最低年限（社会保险法施行后参保，不适用一次性缴费）；也可转入城乡居民养老保险或终止并退还个人账户（000 §68）"
    ex.step("延长缴费与一次性缴费", "003 7.4.4；000 §64",
            "缴费不足的可延长缴费至满；施行前参保且延长满5年仍不足的可一次性缴费至满；从满足条件的次月起发放",
            {"累计缴费月数": months, "最低缴费月数": need, "首次参保日期": inputs["insured_date"],
             "已延长缴费月数": extended}, {"尚差月数": short, "施行前参保": before_law}, reason)
    return ExtensionResult(need, short, bool(short), lump, reason)
