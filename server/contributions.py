"""城乡居民养老保险 缴费情况 on the reference server: for each year the person paid, the chosen 缴费档次 (grade) and
the amount (contributions are yearly and the person chooses a grade: 001 ch3 L33; 002 §7).

GET /api/v1/contributions/resident/{ssn} (terminal or operator token): status of the person's 城乡居民养老保险,
years paid, whether this year is paid, the grade of the last payment, and the yearly rows.

The grade amounts are not in the seeds (rules digest §2.3): the demo grades below are sample values, kept here only
to give the demo persons a history (`seed_demo_contributions`, called by server.demo_data.seed_demo)."""
from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import Date, Engine, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.clock import local_today
from app.ids import mask_id_number
from server.api import _E401, ApiError, Authenticated, _check_ssn, _err, _sessions
from server.models import Base, Insurance, Person

log = logging.getLogger("yichuang.server.contributions")
router = APIRouter(prefix="/api/v1/contributions", tags=["contributions"])

SCHEME = "城乡居民养老保险"
DEMO_GRADES = (200, 300, 500, 800, 1000, 2000, 3000)  # 元/年: sample grades (示例档次，种子文件未给出)
DEMO_LAST_YEAR = 2025  # the demo world's "now" (server.demo_data.REFERENCE_DATE): contributions reach at least it


class ResidentContribution(Base):
    """One year's 城乡居民养老保险 contribution of a person (个人缴费)."""

    __tablename__ = "resident_contributions"
    __table_args__ = (UniqueConstraint("ssn", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[int] = mapped_column(Integer)  # 缴费档次, 元/年
    amount: Mapped[str] = mapped_column(String(16))  # yuan, decimal text
    paid_on: Mapped[date] = mapped_column(Date)


class YearRow(BaseModel):
    year: int
    grade: int = Field(description="缴费档次 (元/年)")
    grade_label: str
    amount: str
    paid_on: str


class ResidentContributions(BaseModel):
    ssn_masked: str
    scheme: str
    insured: bool
    status: str = Field(description="参保缴费 / 暂停缴费 / 终止 / 待遇领取 / 未参保")
    since: str | None
    this_year: int
    this_year_paid: bool
    years_paid: int
    last_grade: int | None
    last_grade_label: str | None
    years: list[YearRow]
    note: str = Field(description="Chinese, for the person")


def grade_label(grade: int) -> str:
    return f"{grade} 元/年"


def _row(r: ResidentContribution) -> dict[str, Any]:
    return {"year": r.year, "grade": r.grade, "grade_label": grade_label(r.grade), "amount": r.amount,
            "paid_on": r.paid_on.isoformat()}


@router.get("/resident/{ssn}", response_model=ResidentContributions,
            responses={**_E401, 404: _err("未查到参保人员 (person_not_found)"), 422: _err("公民身份号码无效 (invalid_ssn)")})
def resident_contributions(ssn: str, request: Request, p: Authenticated) -> dict[str, Any]:
    """城乡居民养老保险缴费情况: years paid, this year paid or not, the grade."""
    number = _check_ssn(ssn)
    this_year = local_today().year
    with _sessions(request)() as s:
        person = s.get(Person, number)
        if person is None:
            raise ApiError(404, "person_not_found", "未查到您的参保信息，请到窗口咨询", f"no person {mask_id_number(number)}")
        ins = s.scalars(select(Insurance).where(Insurance.ssn == number, Insurance.scheme == SCHEME)
                        .order_by(Insurance.since.desc())).first()
        rows = list(s.scalars(select(ResidentContribution).where(ResidentContribution.ssn == number)
                              .order_by(ResidentContribution.year)))
    status = ins.status if ins is not None else "未参保"
    paid_now = any(r.year == this_year for r in rows)
    last = rows[-1] if rows else None
    if ins is None:
        note = "您没有参加城乡居民养老保险。符合条件的可在本机或窗口办理参保登记。"
    elif status == "待遇领取":
        note = "您已按月领取城乡居民养老保险待遇，无需再缴费。"
    elif status == "终止":
        note = "您的城乡居民养老保险关系已终止（如已转入职工养老保险）。"
    elif paid_now:
        note = f"{this_year}年度已缴费。"
    else:
        note = f"{this_year}年度尚未缴费：可通过税务缴费渠道或到窗口缴纳；中断缴费的可以补缴。"
    log.info("resident contributions looked up by %s %s", p.kind, p.subject)
    return {"ssn_masked": mask_id_number(number), "scheme": SCHEME, "insured": ins is not None, "status": status,
            "since": ins.since.isoformat() if ins is not None else None, "this_year": this_year,
            "this_year_paid": paid_now, "years_paid": len(rows), "last_grade": last.grade if last else None,
            "last_grade_label": grade_label(last.grade) if last else None, "years": [_row(r) for r in rows],
            "note": note}


def demo_years(ssn: str, since: date, status: str, last_year: int = DEMO_LAST_YEAR) -> list[tuple[int, int, date]]:
    """(year, grade, paid on) of a demo person: every year from the year of enrolment to `last_year`, fewer when
    暂停缴费 (stopped some years ago) and for a third of the persons the last year not yet paid; the grade is chosen
    per person and sometimes raised."""
    h = hashlib.sha256(ssn.encode()).digest()
    last = last_year if status == "参保缴费" else min(last_year, since.year + 1 + h[0] % 4)
    if status == "参保缴费" and h[1] % 3 == 0:
        last = last_year - 1  # this demo person has not paid the last year yet
    grade_i = h[2] % 4
    out = []
    for n, year in enumerate(range(since.year, last + 1)):
        if n and h[3 + n % 20] % 7 == 0 and grade_i < len(DEMO_GRADES) - 1:
            grade_i += 1
        out.append((year, DEMO_GRADES[grade_i], min(date(year, 3 + h[4] % 8, 1 + h[5] % 28), local_today())))
    return out


def seed_demo_contributions(engine: Engine) -> int:
    """The yearly history of every demo person insured in 城乡居民养老保险 (safe to call again). Returns rows added."""
    added = 0
    last_year = max(DEMO_LAST_YEAR, local_today().year)  # the history reaches the year the demo is set up
    with Session(engine) as s:
        have = set(s.scalars(select(ResidentContribution.ssn).distinct()))
        for ins in s.scalars(select(Insurance).where(Insurance.scheme == SCHEME)):
            if ins.ssn in have or ins.status == "待遇领取":
                continue
            have.add(ins.ssn)
            for year, grade, paid in demo_years(ins.ssn, ins.since, ins.status, last_year):
                s.add(ResidentContribution(ssn=ins.ssn, year=year, grade=grade, amount=f"{grade}.00", paid_on=paid))
                added += 1
        s.commit()
    return added


def create_tables(engine: Engine) -> None:
    """The table of this module (server.api.create_app calls it with the rest of the schema)."""
    Base.metadata.create_all(engine, tables=[ResidentContribution.__table__])
