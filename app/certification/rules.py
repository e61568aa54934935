"""待遇领取资格认证: the rules as data and pure functions (no database), shared by the terminal and the central server.

Cadence per region (a setting, because the seeds differ):
  内蒙古 — at least once per business year = calendar year [000 §78; 000 §9];
  山西   — within 12 months after the retirement month or the last certification month (rolling) [003 9.6.1].
Methods in order of preference: data comparison, face recognition (kiosk/counter), then home visit, video, a check
by another region [000 §78–§80; 003 9.6.2–9.6.4]. Result lists 具备资格 / 丧失资格 / 待核实 [000 §82; 003 9.6.5].
Uncertified after the deadline → 暂停发放 [000 §67; 002 §27; 003 9.3.3]; re-confirmed → 恢复 and 补发 the suspended
months [001 ch5 L75; 002 §27] (computed by the rules engine's `back_pay` calculator); death → 终止, not suspension
[000 §67]. Missing for more than 6 months → 停发 [004:L9528]. The yearly report names every uncertified person with a
reason, due 11-30 [002 §26]."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Iterable

from app.rules.months import Month


class Cadence(str, Enum):
    calendar_year = "calendar_year"  # 每个业务年度（自然年）至少一次
    rolling_12 = "rolling_12"  # 退休之月或上一次认证月之后至少12个月内一次


CADENCE_LABELS = {Cadence.calendar_year: "每个自然年度至少认证一次", Cadence.rolling_12: "上次认证（或退休）月后12个月内认证一次"}


class Method(str, Enum):
    data_comparison = "data_comparison"  # 信息比对
    face_kiosk = "face_kiosk"  # 自助终端人脸识别
    face_counter = "face_counter"  # 窗口当面认证（人脸识别/人工核对）
    home_visit = "home_visit"  # 上门认证
    video = "video"  # 网络视频认证
    other_region = "other_region"  # 异地协查认证


METHOD_LABELS = {Method.data_comparison: "信息比对", Method.face_kiosk: "自助人脸识别", Method.face_counter: "窗口当面认证",
                 Method.home_visit: "上门认证", Method.video: "网络视频认证", Method.other_region: "异地协查认证"}
METHOD_CITATIONS = {Method.data_comparison: "000 §78–§79；003 9.6.2", Method.face_kiosk: "000 §79；003 9.6.3",
                    Method.face_counter: "000 §79", Method.home_visit: "003 9.6.4", Method.video: "003 9.6.4",
                    Method.other_region: "000 §80；003 9.6.4"}


class ResultList(str, Enum):
    eligible = "eligible"
    lost = "lost"
    to_verify = "to_verify"


LIST_LABELS = {ResultList.eligible: "具备资格", ResultList.lost: "丧失资格", ResultList.to_verify: "待核实"}
LIST_CITATION = "000 §82；003 9.6.5"


class LossKind(str, Enum):
    death = "death"  # 死亡（含宣告死亡）→ 终止
    imprisonment = "imprisonment"  # 判刑收监 / 被司法机关采取强制措施 → 暂停
    other_pension = "other_pension"  # 已领取其他养老保险待遇 → 终止
    duplicate = "duplicate"  # 重复领取 → 暂停
    missing = "missing"  # 下落不明超过6个月 → 暂停
    wanted = "wanted"  # 被通缉（山西）→ 暂停


LOSS_LABELS = {LossKind.death: "死亡", LossKind.imprisonment: "判刑收监（被羁押）", LossKind.other_pension: "领取其他养老保险待遇",
               LossKind.duplicate: "重复领取待遇", LossKind.missing: "下落不明超过6个月", LossKind.wanted: "被通缉"}
LOSS_CITATIONS = {LossKind.death: "000 §67；002 §18", LossKind.imprisonment: "000 §67；004:L9528",
                  LossKind.other_pension: "000 §67", LossKind.duplicate: "000 §67；004:L9528",
                  LossKind.missing: "004:L9528", LossKind.wanted: "003 9.3.2"}
TERMINATING = frozenset({LossKind.death, LossKind.other_pension})
MONTHLY_REPORT_KINDS = frozenset({LossKind.death, LossKind.imprisonment})  # 001 ch5 L74；002 §27
MISSING_MONTHS = 6  # 004:L9528 下落不明超过6个月


class Outcome(str, Enum):
    """What a home visit found."""

    certified = "certified"  # 本人在世，当面认证
    hospitalised = "hospitalised"  # 住院，在医院见到本人
    deceased = "deceased"  # 本人已死亡 → 终止（注销）流程
    not_found = "not_found"  # 未找到本人
    moved = "moved"  # 已迁居 → 异地协查


OUTCOME_LABELS = {Outcome.certified: "本人在世，认证通过", Outcome.hospitalised: "住院，见到本人，认证通过",
                  Outcome.deceased: "本人已死亡", Outcome.not_found: "未找到本人", Outcome.moved: "已迁居"}


@dataclass(frozen=True)
class RegionRule:
    """The certification rule of one region (longest prefix of the 行政区划代码 wins)."""

    prefix: str
    name: str
    cadence: Cadence
    citation: str
    report_due: tuple[int, int] | None = None  # (month, day) of the yearly report (002 §26: 11-30)
    report_citation: str = ""
    back_pay_on_resume: bool = True  # 补发 the suspended months once re-confirmed (001 ch5 L75；002 §27)
    notify_on_suspend: tuple[str, ...] = ()  # who is told of a suspension (山西 003 9.3.3)
    extra_loss_kinds: tuple[LossKind, ...] = ()


DEFAULT_RULES: tuple[RegionRule, ...] = (
    RegionRule("", "默认", Cadence.calendar_year, "000 §78；000 §9"),
    RegionRule("15", "内蒙古自治区", Cadence.calendar_year, "000 §78；000 §9", report_due=(11, 30),
               report_citation="002 §26（11月30日前报送资格认证报告书；自治区其他旗县区沿用，可在 certification.toml 修改）"),
    RegionRule("150404", "赤峰市松山区", Cadence.calendar_year, "000 §78；002 §26", report_due=(11, 30),
               report_citation="002 §26"),
    RegionRule("14", "山西省", Cadence.rolling_12, "003 9.6.1", report_due=None,
               notify_on_suspend=("所在单位或街道（社区）", "亲属"), extra_loss_kinds=(LossKind.wanted,)),
)


class RuleBook:
    """The rules in force: defaults, optionally overridden per region (certification.toml `[regions."14"]`)."""

    def __init__(self, rules: Iterable[RegionRule] = DEFAULT_RULES):
        self._rules = {r.prefix: r for r in rules}

    def rule_for(self, region_code: str) -> RegionRule:
        code = str(region_code or "")
        for n in range(len(code), -1, -1):
            rule = self._rules.get(code[:n])
            if rule is not None:
                return rule
        return DEFAULT_RULES[0]

    def with_override(self, prefix: str, **changes) -> "RuleBook":
        base = self.rule_for(prefix)
        rules = dict(self._rules)
        rules[prefix] = replace(base, prefix=prefix, **changes)
        return RuleBook(rules.values())


RULES = RuleBook()


# --- dates -------------------------------------------------------------------------------------------------------

def month_end(m: Month) -> date:
    return date(m.year, m.month, calendar.monthrange(m.year, m.month)[1])


def next_deadline(rule: RegionRule, anchor: date) -> date:
    """The last day by which the next certification is due, given the anchor (retirement or last certification).

    calendar year: the year after the anchor's year must hold one → 12-31 of that year (test: certified 2021-03 →
    due 2022-12-31) [000 §78, §9]. rolling: the anchor month + 12, to its last day (retired 2021-05 → 2022-05-31;
    certified 2022-02 → 2023-02-28) [003 9.6.1]."""
    if rule.cadence is Cadence.calendar_year:
        return date(anchor.year + 1, 12, 31)
    return month_end(Month.of(anchor) + 12)


def suspension_month(deadline: date) -> Month:
    """Payment stops from the month after the missed deadline."""
    return Month.of(deadline) + 1


# --- a pensioner's facts and their evaluation ----------------------------------------------------------------------

@dataclass(frozen=True)
class LossEvent:
    kind: LossKind
    on: date  # date of death / of custody / since when missing
    source: str = ""  # comparison / counter / field / report
    detail: str = ""


@dataclass(frozen=True)
class Certification:
    on: date
    method: Method
    channel: str = ""  # counter / kiosk / field / comparison
    ref: str = ""  # the record or visit id


@dataclass(frozen=True)
class Pensioner:
    ssn: str
    name: str
    region_code: str
    benefit_start: date  # first month of payment (its approval confirms eligibility for that period)
    scheme: str = "resident"  # resident / employee
    monthly_amount: Decimal | None = None
    certifications: tuple[Certification, ...] = ()
    losses: tuple[LossEvent, ...] = ()
    suspended_from: Month | None = None
    terminated: bool = False
    unverified_reason: str = ""  # why the last attempt did not certify (visit outcome, typed reason)

    def anchor(self, as_of: date | None = None) -> date:
        """Retirement or the last certification on or before `as_of`."""
        dates = [c.on for c in self.certifications if as_of is None or c.on <= as_of]
        return max([self.benefit_start, *dates])

    def last_certification(self, as_of: date | None = None) -> Certification | None:
        found = [c for c in self.certifications if as_of is None or c.on <= as_of]
        return max(found, key=lambda c: c.on) if found else None


@dataclass(frozen=True)
class Standing:
    """Where one pensioner stands on a day."""

    ssn: str
    deadline: date  # next certification due by
    overdue: bool  # the deadline passed uncertified
    days_left: int  # negative when overdue
    suspend_from: Month | None  # when overdue: the month payment stops
    last: Certification | None
    rule: RegionRule


def standing(p: Pensioner, as_of: date, rules: RuleBook = RULES) -> Standing:
    rule = rules.rule_for(p.region_code)
    deadline = next_deadline(rule, p.anchor(as_of))
    overdue = as_of > deadline
    return Standing(p.ssn, deadline, overdue, (deadline - as_of).days, suspension_month(deadline) if overdue else None,
                    p.last_certification(as_of), rule)


@dataclass(frozen=True)
class Classified:
    ssn: str
    name: str
    list: ResultList
    reason: str
    citation: str
    method: Method | None = None
    certified_on: date | None = None
    loss: LossEvent | None = None


def period_bounds(rule: RegionRule, year: int, as_of: date) -> tuple[date, date]:
    """The period a yearly list covers: the calendar year, cut at `as_of` when the year is not over."""
    return date(year, 1, 1), min(date(year, 12, 31), as_of)


def add_months(day: date, months: int) -> date:
    m = Month.of(day) + months
    return date(m.year, m.month, min(day.day, month_end(m).day))


def missing_long_enough(since: date, on: date) -> bool:
    """下落不明超过6个月 [004:L9528]: strictly more than six calendar months after `since`."""
    return on > add_months(since, MISSING_MONTHS)


def effective_losses(p: Pensioner, until: date) -> list[LossEvent]:
    """Loss events that count on `until`; being missing counts only once it lasted more than 6 months [004:L9528]."""
    out = []
    for ev in p.losses:
        if ev.on > until:
            continue
        if ev.kind is LossKind.missing and not missing_long_enough(ev.on, until):
            continue
        out.append(ev)
    return out


def classify(p: Pensioner, year: int, as_of: date, rules: RuleBook = RULES) -> Classified:
    """Put one pensioner on one of the three lists for a year [000 §82; 003 9.6.5].

    丧失资格: a loss event (death, custody, another pension, …) on or before the period's end.
    具备资格: calendar year — a certification (or the start of payment) inside the year; rolling — not overdue at the
    period's end. 待核实: otherwise (no comparison data and no self-certification within the period)."""
    rule = rules.rule_for(p.region_code)
    start, end = period_bounds(rule, year, as_of)
    losses = effective_losses(p, end)
    if losses:
        ev = min(losses, key=lambda e: (e.kind is not LossKind.death, e.on))
        return Classified(p.ssn, p.name, ResultList.lost, f"{LOSS_LABELS[ev.kind]}（{ev.on.isoformat()}）",
                          LOSS_CITATIONS[ev.kind], loss=ev)
    if rule.cadence is Cadence.calendar_year:
        inside = [c for c in p.certifications if start <= c.on <= end]
        if inside:
            c = max(inside, key=lambda c: c.on)
            return Classified(p.ssn, p.name, ResultList.eligible, f"{METHOD_LABELS[c.method]}（{c.on.isoformat()}）",
                              rule.citation, c.method, c.on)
        if start <= p.benefit_start <= end:
            return Classified(p.ssn, p.name, ResultList.eligible, f"当年开始领取待遇（{p.benefit_start.isoformat()}）",
                              rule.citation, None, p.benefit_start)
    else:
        st = standing(p, end, rules)
        if not st.overdue:
            c = st.last
            reason = (f"{METHOD_LABELS[c.method]}（{c.on.isoformat()}），下次应于{st.deadline.isoformat()}前认证" if c
                      else f"开始领取待遇（{p.benefit_start.isoformat()}），应于{st.deadline.isoformat()}前认证")
            return Classified(p.ssn, p.name, ResultList.eligible, reason, rule.citation,
                              c.method if c else None, c.on if c else p.benefit_start)
    reason = p.unverified_reason or "认证期内无比对数据且未自助认证"
    return Classified(p.ssn, p.name, ResultList.to_verify, reason, "003 9.6.5；000 §82")


def result_lists(people: Iterable[Pensioner], year: int, as_of: date,
                 rules: RuleBook = RULES) -> dict[ResultList, list[Classified]]:
    out: dict[ResultList, list[Classified]] = {k: [] for k in ResultList}
    for p in people:
        if p.terminated and not p.losses:
            continue
        c = classify(p, year, as_of, rules)
        out[c.list].append(c)
    for rows in out.values():
        rows.sort(key=lambda c: c.ssn)
    return out


# --- suspension, termination, resumption --------------------------------------------------------------------------

@dataclass(frozen=True)
class StatusChange:
    ssn: str
    action: str  # suspend / terminate / resume
    from_month: Month
    reason: str
    citation: str
    notify: tuple[str, ...] = ()
    loss: LossEvent | None = None


def plan_status_changes(people: Iterable[Pensioner], as_of: date, rules: RuleBook = RULES) -> list[StatusChange]:
    """Who must be suspended or terminated on `as_of`: a death or another pension → 终止 (not suspension); custody,
    duplicate receipt, missing > 6 months, wanted → 暂停; a missed certification deadline → 暂停 from the month after
    it [000 §67; 002 §27; 003 9.3.2–9.3.3; 004:L9528]. People already suspended or terminated are left alone."""
    out = []
    for p in people:
        if p.terminated:
            continue
        rule = rules.rule_for(p.region_code)
        losses = effective_losses(p, as_of)
        fatal = [e for e in losses if e.kind in TERMINATING]
        if fatal:
            ev = min(fatal, key=lambda e: e.on)
            out.append(StatusChange(p.ssn, "terminate", Month.of(ev.on) + 1, LOSS_LABELS[ev.kind],
                                    LOSS_CITATIONS[ev.kind], loss=ev))
            continue
        if p.suspended_from is not None:
            continue
        if losses:
            ev = min(losses, key=lambda e: e.on)
            counted = add_months(ev.on, MISSING_MONTHS) if ev.kind is LossKind.missing else ev.on
            start = Month.of(counted) + 1
            out.append(StatusChange(p.ssn, "suspend", max(start, Month.of(as_of)), LOSS_LABELS[ev.kind],
                                    LOSS_CITATIONS[ev.kind], rule.notify_on_suspend, ev))
            continue
        st = standing(p, as_of, rules)
        if st.overdue:
            out.append(StatusChange(p.ssn, "suspend", st.suspend_from,
                                    f"未在{st.deadline.isoformat()}前完成待遇领取资格认证",
                                    "000 §67；002 §27；003 9.3.3", rule.notify_on_suspend))
    return out


@dataclass(frozen=True)
class Resumption:
    """Certified again after a suspension: payment resumes in the certification month; the suspended months before it
    are back-paid (computed by the rules engine, with its explanation)."""

    ssn: str
    resume_month: Month
    back_pay_months: int
    back_pay: Decimal | None  # None when the monthly amount is unknown here
    explanation: list[dict] = field(default_factory=list)
    citation: str = "001 ch5 L75；002 §27；000 §67"


def plan_resumption(p: Pensioner, certified_on: date, *, rules: RuleBook = RULES, region: str | None = None,
                    today: date | None = None) -> Resumption | None:
    """None when the person was not suspended. Uses the rules engine's `back_pay` calculator (test case 22:
    suspended M..M+2, verified in M+3 → resume M+3, 补发 3 months)."""
    if p.suspended_from is None:
        return None
    rule = rules.rule_for(p.region_code)
    cert = Month.of(certified_on)
    start = p.suspended_from
    if cert <= start or not rule.back_pay_on_resume:
        return Resumption(p.ssn, max(cert, start), 0, Decimal("0.00") if p.monthly_amount is not None else None)
    months = cert - start
    if p.monthly_amount is None:
        return Resumption(p.ssn, cert, months, None)
    from app.rules import run_calculator

    calc = run_calculator("back_pay", {"monthly_amount": str(p.monthly_amount), "suspended_from": str(start),
                                       "suspended_to": str(cert - 1), "outcome": "eligible"},
                          region=region or (p.region_code if len(p.region_code) == 6 else "150000"),
                          today=today or certified_on)
    r = calc.result
    steps = _steps(calc)
    return Resumption(p.ssn, r.resume_month, r.back_pay_months, Decimal(r.back_pay).quantize(Decimal("0.01")), steps)


@dataclass(frozen=True)
class Termination:
    ssn: str
    last_entitled: Month
    stop_from: Month
    overpaid_months: int
    overpaid: Decimal | None
    explanation: list[dict] = field(default_factory=list)
    citation: str = "002 §18；002 §27；002 §29；000 §67"


def plan_termination(p: Pensioner, death: date, paid_through: Month, *, today: date | None = None) -> Termination:
    """Death found (e.g. on a home visit): the last entitled month is the month of death; whatever was paid for later
    months is 冒领 (test case 19/23), computed by the `back_pay` calculator with outcome ineligible."""
    died = Month.of(death)
    stop = max(died + 1, paid_through + 1)
    if p.monthly_amount is None or paid_through <= died:
        months = max(0, paid_through - died)
        return Termination(p.ssn, died, stop, months, None if months and p.monthly_amount is None else Decimal("0.00"))
    from app.rules import run_calculator

    calc = run_calculator("back_pay", {"monthly_amount": str(p.monthly_amount), "suspended_from": str(stop),
                                       "suspended_to": str(stop), "outcome": "ineligible", "death_month": str(died),
                                       "paid_through": str(paid_through)},
                          region=p.region_code if len(p.region_code) == 6 else "150000", today=today or death)
    r = calc.result
    steps = _steps(calc)
    return Termination(p.ssn, died, stop, r.overpaid_months, Decimal(r.overpaid).quantize(Decimal("0.01")), steps)


def _steps(calc) -> list[dict]:
    return [{"rule": s.rule, "citation": s.citation, "formula": s.formula, "result": s.result}
            for s in calc.explanation.steps]


# --- reports ---------------------------------------------------------------------------------------------------------

def report_due_date(rule: RegionRule, year: int) -> date | None:
    return date(year, *rule.report_due) if rule.report_due else None

