"""Realistic certificate data for previews, tests and benchmarks, derived deterministically from a person's (or a
unit's) insurance records such as server.demo_data's — contribution months, bases, amounts and account interest.

The central system is the source of these figures in production; the reference server holds only insurance records
(scheme, status, since), so this module fills in the months the way the rules would produce them: bases between 60 %
and 300 % of the average wage, 养老 16 % + 8 %, 失业 0.5 % + 0.5 %, 工伤 0.2–1.2 %, interest at the published
个人账户记账利率. Duck-typed on purpose (any object with the attributes), so app code never imports server code.
"""
from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.docs.certificates import (ZERO, ContributionMonth, PensionAccountYear, RightsRecord, UnitCertificate,
                                   UnitMonth, UnitScheme)

SCHEME_EMPLOYEE = "企业职工基本养老保险"
SCHEME_UNEMPLOYMENT = "失业保险"
SCHEME_INJURY = "工伤保险"
SCHEME_RESIDENT = "城乡居民养老保险"
SHORT = {SCHEME_EMPLOYEE: "养老", SCHEME_UNEMPLOYMENT: "失业", SCHEME_INJURY: "工伤"}
# 职工基本养老保险个人账户记账利率 (人社部/财政部 published rates; before 2016 the one-year deposit rate, ~3 %)
ACCOUNT_RATES = {2016: "0.0831", 2017: "0.0712", 2018: "0.0829", 2019: "0.0761", 2020: "0.0604", 2021: "0.0669",
                 2022: "0.0612", 2023: "0.0397", 2024: "0.0262", 2025: "0.0200"}
AGENCY = ("呼和浩特市新城区社会保险事业管理局", "150102001", "内蒙古自治区呼和浩特市新城区兴安北路168号")


def _rng(*parts: object) -> random.Random:
    return random.Random(int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16], 16))


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _months(start: str, end: str) -> list[str]:
    y, m = int(start[:4]), int(start[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _avg_wage(year: int) -> Decimal:
    """Rough 全口径城镇单位就业人员月平均工资 of Inner Mongolia: ~600 yuan in 1995 growing to ~7,500 in 2024."""
    return Decimal(600) * Decimal("1.0905") ** (year - 1995)


def contribution_months(ssn: str, insurances: Iterable[Any], unit_names: dict[str, str], period_from: str,
                        period_to: str) -> tuple[ContributionMonth, ...]:
    rng = _rng("months", ssn)
    level = Decimal(str(rng.choice((0.6, 0.8, 1.0, 1.2, 1.6, 2.2))))
    injury_rate = Decimal(str(rng.choice((0.002, 0.004, 0.007, 0.012))))
    held = [i for i in insurances if i.scheme in SHORT]
    pension = next((i for i in held if i.scheme == SCHEME_EMPLOYEE), None)
    if pension is None:
        return ()
    start = max(period_from, f"{pension.since:%Y-%m}")
    owed_from = rng.random() < 0.15  # a few months of arrears late in the period for some
    months = _months(start, period_to)
    out = []
    for index, month in enumerate(months):
        year = int(month[:4])
        base = _yuan(_avg_wage(year) * level)
        schemes = {SHORT[i.scheme] for i in held if f"{i.since:%Y-%m}" <= month}
        status = "已到账"
        if owed_from and index >= len(months) - 2:
            status = "欠缴"
        elif rng.random() < 0.01:
            status = "补缴"
        unit = unit_names.get(pension.unit_uscc or "", "") or "灵活就业"
        out.append(ContributionMonth(
            month=month, unit_name=unit, base=base,
            pension=(_yuan(base * Decimal("0.16")), _yuan(base * Decimal("0.08"))),
            unemployment=((_yuan(base * Decimal("0.005")), _yuan(base * Decimal("0.005")))
                          if "失业" in schemes else (ZERO, ZERO)),
            injury=_yuan(base * injury_rate) if "工伤" in schemes else ZERO,
            status=status))
    return tuple(out)


def pension_accounts(months: Iterable[ContributionMonth]) -> tuple[PensionAccountYear, ...]:
    by_year: dict[int, Decimal] = {}
    for m in months:
        if m.paid:
            by_year[int(m.month[:4])] = by_year.get(int(m.month[:4]), ZERO) + m.pension[1]
    out, balance = [], ZERO
    for year in sorted(by_year):
        rate = Decimal(ACCOUNT_RATES.get(year, "0.03"))
        credited = by_year[year]
        interest = _yuan(balance * rate + credited * rate / 2)
        closing = balance + credited + interest
        out.append(PensionAccountYear(year, balance, credited, ZERO, interest, closing))
        balance = closing
    return tuple(out)


def rights_record(person: Any, units: Iterable[Any], *, period_from: str | None = None, period_to: str = "2024-12",
                  issued_on: date = date(2025, 1, 6), operator_id: str = "demo", case_no: str = "") -> RightsRecord:
    """A person's 权益记录单 over [period_from, period_to] (default: from first enrolment)."""
    names = {u.uscc: u.name for u in units}
    firsts = {SHORT[i.scheme]: i.since.isoformat() for i in person.insurances if i.scheme in SHORT}
    employee = next((i for i in person.insurances if i.scheme == SCHEME_EMPLOYEE), None)
    start = period_from or (f"{employee.since:%Y-%m}" if employee else period_to[:4] + "-01")
    months = contribution_months(person.ssn, person.insurances, names, start, period_to)
    retired = employee is not None and employee.status == "待遇领取"
    pension = None
    if retired:
        rng = _rng("pension", person.ssn)
        pension = _yuan(Decimal(rng.randint(2600, 5200)) + Decimal(rng.randint(0, 99)) / 100)
    return RightsRecord(
        agency_name=AGENCY[0], agency_code=AGENCY[1], agency_address=AGENCY[2], name=person.name, ssn=person.ssn,
        unit_name=names.get(employee.unit_uscc or "", "") if employee and employee.unit_uscc else "—",
        period_from=start, period_to=period_to, issued_on=issued_on,
        first_enrolled=tuple((s, firsts.get(s, "")) for s in ("养老", "医疗", "失业", "工伤", "生育")),
        months=() if retired else months, accounts=() if retired else pension_accounts(months),
        pension_monthly=pension, pension_adjustment=_yuan(pension * Decimal("0.02")) if pension else None,
        operator_id=operator_id, case_no=case_no)


def unit_certificate(unit: Any, persons: Iterable[Any], *, period_from: str = "2024-01", period_to: str = "2024-12",
                     issued_on: date = date(2025, 1, 6), purpose: str = "投标", operator_id: str = "demo",
                     case_no: str = "", unit_code: str | None = None) -> UnitCertificate:
    staff = [(p, i) for p in persons for i in p.insurances if i.unit_uscc == unit.uscc]
    by_scheme: dict[str, list[Any]] = {}
    for person, ins in staff:
        by_scheme.setdefault(ins.scheme, []).append((person, ins))
    if not by_scheme:
        raise ValueError(f"no insured staff at {unit.name}")
    months_all = _months(period_from, period_to)
    monthly: list[UnitMonth] = []
    for month in months_all:
        base_total = unit_amount = person_amount = ZERO
        count = 0
        for person, ins in by_scheme.get(SCHEME_EMPLOYEE, []):
            if f"{ins.since:%Y-%m}" > month:
                continue
            rows = contribution_months(person.ssn, person.insurances, {}, month, month)
            if not rows:
                continue
            m = rows[0]
            count += 1
            base_total += m.base
            unit_amount += m.pension[0] + m.unemployment[0] + m.injury
            person_amount += m.pension[1] + m.unemployment[1]
        monthly.append(UnitMonth(month, count, base_total, unit_amount, person_amount))
    schemes = []
    for scheme, members in by_scheme.items():
        since = min(ins.since for _p, ins in members)
        active = sum(1 for _p, ins in members if ins.status == "参保缴费")
        paid = sum(1 for month in months_all if any(f"{ins.since:%Y-%m}" <= month for _p, ins in members))
        schemes.append(UnitScheme(scheme, since, "参保缴费" if active else "暂停缴费", active, paid))
    registered = min(s.since for s in schemes)
    return UnitCertificate(
        agency_name=AGENCY[0], agency_code=AGENCY[1], agency_address=AGENCY[2], unit_name=unit.name, uscc=unit.uscc,
        unit_code=unit_code or f"15010{int(hashlib.sha256(unit.uscc.encode()).hexdigest()[:6], 16) % 100000:05d}",
        registered_on=registered, period_from=period_from, period_to=period_to, issued_on=issued_on,
        schemes=tuple(sorted(schemes, key=lambda s: s.scheme)), months=tuple(monthly), purpose=purpose,
        operator_id=operator_id, case_no=case_no)
