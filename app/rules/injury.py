"""Work-injury amounts (工伤保险条例 2010, as restated by seed 004): own wage clamped to 60 %–300 % (art. 64),
一次性伤残补助金 and 伤残津贴 by grade, 生活护理费 (004:L14038–L14060), death benefits with the dependants' cap
(004:L11894–L11896, 004:L12209), and the 工伤 top-up of a grade 1–4 retiree's pension (000 §66)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.rules.base import Context, Field, calculator, out, table
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.money import allocate, clamp, fmt_percent, to_fen
from app.rules.months import Month, months_inclusive
from app.rules.pension import fen_mode
from app.rules.retirement import GROUPS, retirement_facts

NURSING = (("none", "不需要护理"), ("full", "生活完全不能自理"), ("most", "生活大部分不能自理"),
           ("part", "生活部分不能自理"))
DEATH_TYPES = (("work_death", "因工死亡"), ("during_leave", "停工留薪期内因工伤导致死亡"),
               ("after_leave", "一至四级伤残职工停工留薪期满后死亡"), ("missing", "因工外出或抢险救灾中下落不明"))


def own_wage(ctx: Context, ex: Explanation, inputs: dict, injury_day: date, mode: str) -> Decimal:
    """本人工资 = 受伤前12个月平均月缴费工资, clamped to [60 %, 300 %] of the region's average monthly wage."""
    wages = inputs.get("wages")
    if wages:
        if len(wages) != 12:
            ex.warn(f"填写了{len(wages)}个月的缴费工资（条例规定为受伤前12个月），按实际填写的月数平均。")
        raw = to_fen(sum(wages, Decimal(0)) / len(wages), mode)
        ex.step("本人工资（受伤前12个月平均月缴费工资）", "工伤保险条例 第六十四条", "本人工资 = Σ 月缴费工资 ÷ 月数",
                {"月数": len(wages)}, {"平均": raw}, raw)
    elif inputs.get("own_wage") is not None:
        raw = inputs["own_wage"]
    else:
        raise InvalidInput("请填写“本人工资”或“受伤前12个月缴费工资”", "no own wage", field="own_wage")
    year = injury_day.year - 1
    if inputs.get("avg_wage") is not None:
        avg = ctx.given(ex, "injury_avg_wage_monthly", inputs["avg_wage"], f"{year}年度")
    else:
        avg = Decimal(ctx.param(ex, "injury_avg_wage_monthly", year=year))
    bounds = ctx.param(ex, "injury_own_wage_bounds", on=injury_day)
    lo, hi = to_fen(avg * bounds["lower"], mode), to_fen(avg * bounds["upper"], mode)
    wage = clamp(raw, lo, hi)
    ex.step("本人工资封顶保底", "工伤保险条例 第六十四条",
            "高于统筹地区职工月平均工资300%的按300%，低于60%的按60%",
            {"本人工资": raw, "统筹地区月平均工资": avg}, {"下限": lo, "上限": hi},
            f"{wage}元" + ("（已按下限）" if raw < lo else "（已按上限）" if raw > hi else ""))
    return wage


@dataclass
class DisabilityResult:
    own_wage: Decimal = out("本人工资（核定）", unit="元/月")
    lump_sum_months: int = out("一次性伤残补助金月数", unit="个月")
    lump_sum: Decimal = out("一次性伤残补助金", unit="元", money=True, headline=True)
    allowance: Decimal | None = out("伤残津贴", unit="元/月", money=True)
    nursing: Decimal | None = out("生活护理费", unit="元/月", money=True)
    monthly_total: Decimal = out("按月待遇合计", unit="元/月", money=True)
    start_month: Month = out("待遇发放开始年月")
    allowance_end: Month | None = out("伤残津贴终止年月")
    back_pay: Decimal = out("补发金额", unit="元", money=True)
    back_pay_rows: list = table("补发明细", ("待遇类别", "开始年月", "终止年月", "月数", "金额"))


DISABILITY_FIELDS = (
    Field("grade", "伤残等级（1–10级）", "int", minimum=1, maximum=10),
    Field("injury_date", "受伤（职业病诊断）日期", "date"),
    Field("assessment_date", "劳动能力鉴定日期", "date"),
    Field("own_wage", "本人工资（元/月）", "money", required=False, help="或填写受伤前12个月缴费工资"),
    Field("wages", "受伤前12个月缴费工资（元，逗号分隔）", "money_list", required=False),
    Field("avg_wage", "统筹地区上年度职工月平均工资（用于本人工资封顶保底，元）", "money", required=False,
          help="不填则取参数"),
    Field("job_arranged", "五、六级：用人单位已安排适当工作", "bool", required=False, default=False),
    Field("nursing_level", "生活护理等级", "choice", required=False, default="none", choices=NURSING),
    Field("nursing_avg_wage", "生活护理费基数：统筹地区上年度职工月平均工资（元）", "money", required=False,
          help="不填则取参数"),
    Field("birth_date", "出生日期（用于伤残津贴终止年月）", "date", required=False),
    Field("group", "人员类别（用于法定退休年龄）", "choice", required=False, choices=GROUPS),
    Field("paid_through", "补发计算至（年月）", "month", required=False),
)


@calculator("injury_disability", "工伤伤残待遇测算（一次性伤残补助金、伤残津贴、生活护理费）",
            "按伤残等级和本人工资测算一次性伤残补助金、伤残津贴和生活护理费，待遇自鉴定次月起发放。",
            DISABILITY_FIELDS, citations=("工伤保险条例 第三十四条至第三十七条、第六十四条", "004:L14038", "004:L14040",
                                          "004:L14052–L14060"), keywords=("工伤", "伤残", "护理费", "gs"))
def compute_disability(inputs: dict, ctx: Context, ex: Explanation) -> DisabilityResult:
    grade, injured, assessed = inputs["grade"], inputs["injury_date"], inputs["assessment_date"]
    if assessed < injured:
        raise InvalidInput("鉴定日期不能早于受伤日期", f"assessment {assessed} < injury {injured}",
                           field="assessment_date")
    mode = fen_mode(ctx, ex)
    wage = own_wage(ctx, ex, inputs, injured, mode)
    months = int(ctx.param(ex, "injury_lump_sum_months", on=assessed)[grade])
    lump = to_fen(wage * months, mode)
    ex.step("一次性伤残补助金", "工伤保险条例 第三十五条至第三十七条", "一次性伤残补助金 = 本人工资 × 月数（按伤残等级）",
            {"伤残等级": f"{grade}级", "本人工资": wage}, {"月数": months}, f"{lump}元")

    start = Month.of(assessed) + 1
    ex.step("待遇发放开始年月", "004:L14040", "所有待遇发放开始年月在鉴定的下一个月", {"鉴定日期": assessed}, {}, start)
    ratios = ctx.param(ex, "injury_allowance_ratio", on=assessed)
    allowance = None
    end = None
    if grade <= 4 or (grade <= 6 and not inputs.get("job_arranged")):
        ratio = Decimal(ratios[grade])
        allowance = to_fen(wage * ratio, mode)
        cite = "工伤保险条例 第三十五条" if grade <= 4 else "工伤保险条例 第三十六条"
        ex.step("伤残津贴", cite + "；004:L14053", "伤残津贴 = 待遇基数（本人工资）× 待遇系数",
                {"本人工资": wage, "待遇系数": ratio}, {}, f"{allowance}元/月")
        floor = Decimal(ctx.param(ex, "minimum_wage_monthly", on=assessed))
        if allowance < floor:
            ex.step("伤残津贴低于最低工资标准的补足", cite, "伤残津贴实际金额低于当地最低工资标准的，补足差额",
                    {"伤残津贴": allowance, "最低工资标准": floor}, {"补足": floor - allowance}, f"{floor}元/月")
            allowance = floor
        if inputs.get("birth_date") and inputs.get("group"):
            facts = retirement_facts(ctx, ex, inputs["birth_date"], inputs["group"])
            end = facts.month - 1
            ex.step("伤残津贴终止年月", "004:L14038", "伤残津贴根据退休年龄产生终止年月（达到法定退休年龄的上月）",
                    {"法定退休时间": facts.month}, {}, end)
    else:
        ex.step("伤残津贴", "工伤保险条例 第三十六条、第三十七条",
                "一至四级按月发给；五、六级难以安排工作的按月发给；七至十级不发", {"伤残等级": f"{grade}级"}, {}, "不发")

    nursing = None
    level = inputs.get("nursing_level") or "none"
    if level != "none":
        year = assessed.year - 1
        if inputs.get("nursing_avg_wage") is not None:
            base = ctx.given(ex, "injury_avg_wage_monthly", inputs["nursing_avg_wage"], f"{year}年度")
        else:
            base = Decimal(ctx.param(ex, "injury_avg_wage_monthly", year=year))
        ratio = Decimal(ctx.param(ex, "injury_nursing_ratio", on=assessed)[level])
        nursing = to_fen(base * ratio, mode)
        ex.step("生活护理费", "工伤保险条例 第三十四条；004:L14054",
                "生活护理费 = 统筹地区上年度职工月平均工资 × 护理系数（护理费没有终止年月）",
                {"护理等级": dict(NURSING)[level], "月平均工资": base, "护理系数": ratio}, {}, f"{nursing}元/月")
    monthly = (allowance or Decimal("0.00")) + (nursing or Decimal("0.00"))

    rows, back = [], Decimal("0.00")
    through = inputs.get("paid_through")
    if through is not None:
        for label, amount, stop in (("伤残津贴", allowance, end), ("生活护理费", nursing, None)):
            if not amount:
                continue
            last = min(through, stop) if stop else through
            n = months_inclusive(start, last)
            if n:
                rows.append((label, start, last, n, amount * n))
                back += amount * n
        ex.step("补发", "004:L14057–L14060", "补发金额 = 月待遇 × 开始年月至补发截止年月的月数",
                {"开始年月": start, "补发截止": through}, {r[0]: r[4] for r in rows}, f"{back}元")
    return DisabilityResult(wage, months, lump, allowance, nursing, monthly, start, end, back, rows)


@dataclass
class DeathResult:
    death_type: str = out("工亡情形")
    own_wage: Decimal = out("本人工资（核定）", unit="元/月")
    funeral: Decimal = out("丧葬补助金", unit="元", money=True)
    lump_sum: Decimal | None = out("一次性工亡补助金", unit="元", money=True)
    advance: Decimal | None = out("生活困难可预支（50%）", unit="元", money=True)
    dependants_total: Decimal = out("供养亲属抚恤金合计", unit="元/月", money=True)
    capped: bool = out("抚恤金按本人工资封顶")
    one_off_total: Decimal = out("一次性待遇合计", unit="元", money=True, headline=True)
    dependants: list = table("供养亲属抚恤金", ("亲属", "比例", "核定前（元/月）", "核定（元/月）"))


@calculator("injury_death", "工亡待遇测算（丧葬补助金、一次性工亡补助金、供养亲属抚恤金）",
            "丧葬补助金6个月统筹地区上年度职工月平均工资；一次性工亡补助金为上年度全国城镇居民人均可支配收入的20倍；"
            "供养亲属抚恤金之和不高于本人工资。",
            (Field("death_type", "工亡情形", "choice", choices=DEATH_TYPES),
             Field("death_date", "死亡（事故）日期", "date"),
             Field("own_wage", "本人工资（元/月）", "money", required=False),
             Field("wages", "受伤前12个月缴费工资（元，逗号分隔）", "money_list", required=False),
             Field("avg_wage", "统筹地区上年度职工月平均工资（元）", "money", required=False, help="不填则取参数"),
             Field("income", "上年度全国城镇居民人均可支配收入（元）", "money", required=False, help="不填则取参数"),
             Field("spouse", "有配偶需供养", "bool", required=False, default=False),
             Field("spouse_lone", "配偶为孤寡老人", "bool", required=False, default=False),
             Field("others", "其他供养亲属人数", "int", required=False, default=0, maximum=20),
             Field("others_lone", "其中孤寡老人或孤儿人数", "int", required=False, default=0, maximum=20)),
            citations=("004:L11894–L11896", "004:L11990", "004:L12209", "工伤保险条例 第三十九条、第四十一条"),
            keywords=("工亡", "丧葬", "抚恤金", "gw"))
def compute_death(inputs: dict, ctx: Context, ex: Explanation) -> DeathResult:
    kind, died = inputs["death_type"], inputs["death_date"]
    if inputs["others_lone"] > inputs["others"]:
        raise InvalidInput("孤寡老人或孤儿人数不能多于其他供养亲属人数", "others_lone > others", field="others_lone")
    mode = fen_mode(ctx, ex)
    wage = own_wage(ctx, ex, inputs, died, mode)
    year = died.year - 1
    if inputs.get("avg_wage") is not None:
        avg = ctx.given(ex, "injury_avg_wage_monthly", inputs["avg_wage"], f"{year}年度")
    else:
        avg = Decimal(ctx.param(ex, "injury_avg_wage_monthly", year=year))
    funeral_months = int(ctx.param(ex, "injury_funeral_months", on=died))
    funeral = to_fen(avg * funeral_months, mode)
    ex.step("丧葬补助金", "004:L11894", "丧葬补助金 = 6 × 统筹地区上年度职工月平均工资",
            {"月平均工资": avg, "月数": funeral_months}, {}, f"{funeral}元")
    lump = advance = None
    if kind == "after_leave":
        ex.step("一次性工亡补助金", "004:L11896；004:L11990",
                "一至四级伤残职工停工留薪期满后死亡的，只享受丧葬补助金和供养亲属抚恤金", {}, {}, "不发")
    else:
        if inputs.get("income") is not None:
            income = ctx.given(ex, "national_urban_disposable_income", inputs["income"], f"{year}年度")
        else:
            income = Decimal(ctx.param(ex, "national_urban_disposable_income", year=year))
        multiple = int(ctx.param(ex, "injury_death_lump_multiple", on=died))
        lump = to_fen(income * multiple, mode)
        ex.step("一次性工亡补助金", "004:L11894–L11896", "一次性工亡补助金 = 上一年度全国城镇居民人均可支配收入 × 20",
                {"人均可支配收入": income, "倍数": multiple}, {}, f"{lump}元")
        if kind == "missing":
            ratio = Decimal(ctx.param(ex, "injury_death_advance_ratio", on=died))
            advance = to_fen(lump * ratio, mode)
            ex.step("下落不明：预支", "004:L11896",
                    "事故发生当月起3个月内照发工资，第4个月起停发工资并按月支付供养亲属抚恤金；生活有困难的可预支一次性工亡补助金的50%",
                    {"一次性工亡补助金": lump, "预支比例": fmt_percent(ratio)}, {}, f"{advance}元")
    ratios = ctx.param(ex, "injury_dependant_ratios", on=died)
    people: list[tuple[str, Decimal]] = []
    if inputs.get("spouse"):
        people.append(("配偶" + ("（孤寡老人）" if inputs.get("spouse_lone") else ""),
                       ratios["spouse"] + (ratios["lone_bonus"] if inputs.get("spouse_lone") else 0)))
    for i in range(inputs["others"]):
        lone = i < inputs["others_lone"]
        people.append((f"其他亲属{i + 1}" + ("（孤寡老人或孤儿）" if lone else ""),
                       ratios["other"] + (ratios["lone_bonus"] if lone else 0)))
    raw = [to_fen(wage * r, mode) for _, r in people]
    total_raw = sum(raw, Decimal("0.00"))
    capped = total_raw > wage
    final = allocate(wage, raw) if capped else raw
    rows = [(name, fmt_percent(r), a, b) for (name, r), a, b in zip(people, raw, final)]
    ex.step("供养亲属抚恤金", "工伤保险条例 第三十九条（二）；004:L12209",
            "配偶40%，其他亲属各30%，孤寡老人或孤儿加10%；各供养亲属抚恤金之和不高于本人工资（超出时按比例核减，分位按最大余数分配）",
            {"本人工资": wage, "供养亲属人数": len(people)}, {"核定前合计": total_raw},
            f"{sum(final, Decimal('0.00'))}元/月" + ("（已按本人工资封顶）" if capped else ""))
    one_off = funeral + (lump or Decimal("0.00"))
    return DeathResult(dict(DEATH_TYPES)[kind], wage, funeral, lump, advance, sum(final, Decimal("0.00")), capped,
                       one_off, rows)


@dataclass
class TopUpResult:
    applies: bool = out("适用工伤保险基金补差")
    difference: Decimal = out("工伤保险基金补足差额", unit="元/月", money=True, headline=True)
    reason: str = out("说明")


@calculator("injury_pension_topup", "一至四级工伤人员养老待遇补差",
            "伤残等级1–4级的工伤人员领取养老待遇后，养老待遇低于工伤待遇的，由工伤保险基金补足差额（000 §66）。",
            (Field("grade", "伤残等级（1–10级）", "int", minimum=1, maximum=10),
             Field("pension", "基本养老金（元/月）", "money"),
             Field("injury_benefit", "伤残津贴（元/月）", "money")),
            citations=("000 §66",), keywords=("工伤", "补差"))
def compute_topup(inputs: dict, ctx: Context, ex: Explanation) -> TopUpResult:
    grade, pension, benefit = inputs["grade"], inputs["pension"], inputs["injury_benefit"]
    if grade > 4:
        ex.step("补差条件", "000 §66", "只适用于伤残等级1–4级", {"伤残等级": f"{grade}级"}, {}, "不适用")
        return TopUpResult(False, Decimal("0.00"), f"{grade}级伤残不适用本规定")
    diff = max(Decimal("0.00"), benefit - pension)
    ex.step("工伤保险基金补足差额", "000 §66", "差额 = max(0, 伤残津贴 − 基本养老金)",
            {"基本养老金": pension, "伤残津贴": benefit}, {}, f"{diff}元/月")
    return TopUpResult(True, diff, "养老待遇低于工伤待遇，由工伤保险基金补足差额" if diff else "养老待遇不低于工伤待遇，无需补差")
