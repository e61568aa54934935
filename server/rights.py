"""社会保险个人权益记录 on the reference server: one person's identity, insurance enrolments, contributions (months,
bases, amounts, years), pension account and — for the 城乡居民养老保险 — the yearly contributions, for a terminal that
prints the 个人权益记录单 (004:L4399, 表 A.1; the kiosk's 社会保险个人权益记录查询打印).

GET /api/v1/rights-records/{ssn} (terminal or operator token; operators need `view_person`, like GET /persons).
Every answer is recorded in `rights_record_views` (who asked, from which terminal, for whom, why, which period): the
centre's own audit of who looked at a person's records.

The reference server holds insurance records (scheme, status, since) and the resident contributions
(server/contributions.py), not payroll: the employee months are derived from the insurance records the way
app.docs.samples does for previews (bases from the average wage, 16 % + 8 % …), deterministic per person. A real
central system answers the same shape from its ledgers."""
from __future__ import annotations

import logging
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.clock import local_today
from app.ids import mask_id_number
from server.api import _E401, ApiError, Authenticated, _check_ssn, _err, _sessions
from server.db import UTCDateTime, utcnow
from server.models import Base, Person

log = logging.getLogger("yichuang.server.rights")
router = APIRouter(prefix="/api/v1/rights-records", tags=["rights"])
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SCHEME_RESIDENT = "城乡居民养老保险"


class RightsRecordView(Base):
    """The centre's audit of rights-record look-ups: one row per answer."""

    __tablename__ = "rights_record_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    principal_kind: Mapped[str] = mapped_column(String(16))  # operator | terminal
    principal: Mapped[str] = mapped_column(String(64))  # operator_id or terminal_id
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)  # whose record (kept in full: this is the audit)
    purpose: Mapped[str] = mapped_column(String(64))
    period_from: Mapped[str] = mapped_column(String(7))
    period_to: Mapped[str] = mapped_column(String(7))


class InsuranceOut(BaseModel):
    scheme: str
    status: str
    since: str
    unit_name: str | None


class FirstEnrolled(BaseModel):
    scheme: str = Field(description="养老 / 医疗 / 失业 / 工伤 / 生育")
    since: str = Field(description="YYYY-MM-DD, empty when never insured")


class MonthOut(BaseModel):
    month: str
    unit_name: str
    base: str = Field(description="个人月缴费基数, yuan")
    pension_unit: str
    pension_personal: str
    medical_unit: str
    medical_personal: str
    unemployment_unit: str
    unemployment_personal: str
    injury: str
    maternity: str
    status: str = Field(description="已到账 / 欠缴 / 补缴")


class AccountYearOut(BaseModel):
    year: int
    opening: str
    credited: str
    paid_out: str
    interest: str
    closing: str


class ResidentYearOut(BaseModel):
    year: int
    grade: int = Field(description="缴费档次 (元/年)")
    amount: str
    paid_on: str


class ResidentOut(BaseModel):
    scheme: str
    status: str
    since: str
    years: list[ResidentYearOut]


class Totals(BaseModel):
    contribution_years: list[int] = Field(description="years with at least one month of 职工养老 paid")
    months_paid: int
    months_owed: int
    personal_total: str
    account_balance: str | None
    resident_years_paid: int


class RightsRecordOut(BaseModel):
    ssn: str
    name: str
    gender: str
    birth_date: str
    unit_name: str
    period_from: str
    period_to: str
    insurances: list[InsuranceOut]
    first_enrolled: list[FirstEnrolled]
    months: list[MonthOut]
    accounts: list[AccountYearOut]
    pension_monthly: str | None
    pension_adjustment: str | None
    resident: ResidentOut | None
    totals: Totals


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value).quantize(Decimal("0.01")), "f")


def default_period_to(today: date | None = None) -> str:
    """The last month whose contributions are due: the month before this one."""
    today = today or local_today()
    return f"{today.year - 1:04d}-12" if today.month == 1 else f"{today.year:04d}-{today.month - 1:02d}"


def _check_month(value: str | None, name: str) -> str | None:
    if value is not None and not MONTH.match(value):
        raise ApiError(422, "validation_error", "查询期间格式应为 YYYY-MM", f"{name}={value!r}")
    return value


def build_record(s: Session, person: Person, period_from: str | None, period_to: str) -> dict[str, Any]:
    """The answer for one person (see the module docstring for where the figures come from)."""
    from app.docs.samples import rights_record
    from server.contributions import ResidentContribution

    units = [i.unit for i in person.insurances if i.unit is not None]
    if period_from is None:  # from the first enrolment (职工养老 first), never after the end
        employee = next((i for i in person.insurances if i.scheme == "企业职工基本养老保险"), None)
        first = employee or min(person.insurances, key=lambda i: i.since, default=None)
        period_from = min(f"{first.since:%Y-%m}" if first else period_to[:4] + "-01", period_to)
    record = rights_record(person, units, period_from=period_from, period_to=period_to, issued_on=local_today())
    resident_ins = next((i for i in sorted(person.insurances, key=lambda i: i.since, reverse=True)
                         if i.scheme == SCHEME_RESIDENT), None)
    resident = None
    if resident_ins is not None:
        rows = s.scalars(select(ResidentContribution).where(ResidentContribution.ssn == person.ssn)
                         .order_by(ResidentContribution.year))
        resident = {"scheme": SCHEME_RESIDENT, "status": resident_ins.status,
                    "since": resident_ins.since.isoformat(),
                    "years": [{"year": r.year, "grade": r.grade, "amount": r.amount, "paid_on": r.paid_on.isoformat()}
                              for r in rows if f"{r.year:04d}" <= record.period_to[:4]]}
    months = [{"month": m.month, "unit_name": m.unit_name, "base": _money(m.base),
               "pension_unit": _money(m.pension[0]), "pension_personal": _money(m.pension[1]),
               "medical_unit": _money(m.medical[0]), "medical_personal": _money(m.medical[1]),
               "unemployment_unit": _money(m.unemployment[0]), "unemployment_personal": _money(m.unemployment[1]),
               "injury": _money(m.injury), "maternity": _money(m.maternity), "status": m.status}
              for m in record.months]
    paid_years = sorted({int(m.month[:4]) for m in record.months if m.paid})
    return {
        "ssn": person.ssn, "name": person.name, "gender": person.gender, "birth_date": person.birth_date.isoformat(),
        "unit_name": record.unit_name or "—", "period_from": record.period_from, "period_to": record.period_to,
        "insurances": [{"scheme": i.scheme, "status": i.status, "since": i.since.isoformat(),
                        "unit_name": i.unit.name if i.unit else None} for i in person.insurances],
        "first_enrolled": [{"scheme": k, "since": v} for k, v in record.first_enrolled],
        "months": months,
        "accounts": [{"year": a.year, "opening": _money(a.opening), "credited": _money(a.credited),
                      "paid_out": _money(a.paid_out), "interest": _money(a.interest), "closing": _money(a.closing)}
                     for a in record.accounts],
        "pension_monthly": _money(record.pension_monthly), "pension_adjustment": _money(record.pension_adjustment),
        "resident": resident,
        "totals": {"contribution_years": paid_years, "months_paid": record.months_paid(),
                   "months_owed": record.months_owed(), "personal_total": _money(record.personal_total()),
                   "account_balance": _money(record.accounts[-1].closing) if record.accounts else None,
                   "resident_years_paid": len(resident["years"]) if resident else 0},
    }


@router.get("/{ssn}", response_model=RightsRecordOut,
            responses={**_E401, 403: _err("没有权限查询参保人员信息 (forbidden)"),
                       404: _err("未查到参保人员 (person_not_found)"),
                       422: _err("公民身份号码无效 (invalid_ssn) / 期间格式不正确 (validation_error)")})
def rights_record(
    ssn: str, request: Request, p: Authenticated,
    period_from: str | None = Query(default=None, description="YYYY-MM; default: the first enrolment"),
    period_to: str | None = Query(default=None, description="YYYY-MM; default: last month"),
    purpose: str = Query(default="个人权益记录单打印", max_length=64, description="why (kept in the audit)"),
) -> dict[str, Any]:
    """社会保险个人权益记录: identity, enrolments, contribution months and bases, account, resident contributions."""
    from server import operators_auth

    number = _check_ssn(ssn)
    start = _check_month(period_from, "period_from")
    end = _check_month(period_to, "period_to") or default_period_to()
    if start is not None and start > end:
        raise ApiError(422, "validation_error", "查询期间的起始月份不能晚于截止月份", f"{start} > {end}")
    with _sessions(request)() as s:
        operators_auth.require_permission(s, p, "view_person")  # the permission matrix, as GET /persons
        person = s.get(Person, number)
        if person is None:
            raise ApiError(404, "person_not_found", "中心系统未查到您的参保记录",
                           f"no person {mask_id_number(number)}")
        body = build_record(s, person, start, end)
        s.add(RightsRecordView(at=utcnow(), principal_kind=p.kind, principal=p.subject, terminal_id=p.terminal_id,
                               ssn=number, purpose=purpose, period_from=body["period_from"],
                               period_to=body["period_to"]))
        s.commit()
    log.info("rights record served to %s %s (%d months)", p.kind, p.subject, len(body["months"]))
    return body


def create_tables(engine: Engine) -> None:
    """The table of this module (server.api.create_app and server.db.create_schema call it)."""
    Base.metadata.create_all(engine, tables=[RightsRecordView.__table__])
