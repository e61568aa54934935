"""The hall's queue (叫号) on the reference central API: tickets drawn per category and local day (A001, A002, …),
called by counters, recalled, finished or skipped. Numbering and calling are atomic under concurrent requests on
SQLite and PostgreSQL: a sequence row per (day, category) is bumped with one UPDATE (the row lock / SQLite's write
lock serialises issuers), and a ticket is claimed with a conditional UPDATE … WHERE status = 'waiting' that only
one caller can win."""
from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Date, Engine, Index, Integer, String, func, inspect, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.clock import LOCAL_TZ
from app.ids import mask_id_number
from server.api import _E401, _E422, ApiError, Authenticated, _err, _sessions, iso
from server.db import UTCDateTime, utcnow
from server.models import Base

log = logging.getLogger("yichuang.server.queue")
router = APIRouter(prefix="/api/v1/queue", tags=["queue"])
STATUSES = ("waiting", "called", "finished", "skipped")


class QueueSequence(Base):
    __tablename__ = "queue_sequences"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(1), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class QueueTicket(Base):
    __tablename__ = "queue_tickets"
    __table_args__ = (Index("ix_queue_waiting", "day", "status", "issued_at"),
                      Index("ux_queue_number", "day", "category", "seq", unique=True))

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(1))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(8))
    item_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    item_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    ssn_masked: Mapped[str | None] = mapped_column(String(32), nullable=True)  # who drew it, masked (lobby stats)
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(64))  # kiosk terminal or operator
    counter_no: Mapped[str | None] = mapped_column(String(8), nullable=True)
    operator_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


def create_tables(engine: Engine) -> None:
    """Create the queue's tables when absent. Several workers may start at once: a loser of that race finds the
    tables made by the winner."""
    tables = [QueueSequence.__table__, QueueTicket.__table__]
    try:
        Base.metadata.create_all(engine, tables=tables)
    except DBAPIError:
        if not all(inspect(engine).has_table(t.name) for t in tables):
            raise


# --- schemas --------------------------------------------------------------------------------------------------------

class TicketIn(BaseModel):
    category: str = Field(pattern=r"^[A-Z]$", description="号段字母")
    item_code: str | None = Field(default=None, max_length=64)
    item_name: str | None = Field(default=None, max_length=128)
    ssn: str | None = Field(default=None, max_length=32, description="取号人的公民身份号码（只保存脱敏值）")


class TicketOut(BaseModel):
    ticket_id: str
    number: str
    category: str
    item_code: str | None
    item_name: str | None
    status: str
    issued_at: str
    counter_no: str | None
    operator_id: str | None
    called_at: str | None
    recalls: int
    case_id: str | None


class CallNextIn(BaseModel):
    counter_no: str = Field(pattern=r"^[A-Za-z0-9-]{1,8}$")
    operator_id: str | None = Field(default=None, max_length=64)
    categories: list[str] | None = Field(default=None, description="只叫这些号段；缺省为全部")


class CallNextOut(BaseModel):
    ticket: TicketOut | None


class FinishIn(BaseModel):
    case_id: str | None = Field(default=None, max_length=36)


class WaitingOut(BaseModel):
    waiting: int
    by_category: dict[str, int]


def _local_day(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def _out(t: QueueTicket) -> dict[str, Any]:
    return {"ticket_id": t.ticket_id, "number": t.number, "category": t.category, "item_code": t.item_code,
            "item_name": t.item_name, "status": t.status, "issued_at": iso(t.issued_at), "counter_no": t.counter_no,
            "operator_id": t.operator_id, "called_at": iso(t.called_at) if t.called_at else None,
            "recalls": t.recalls, "case_id": t.case_id}


def _next_seq(s: Session, day: date, category: str) -> int:
    """Bump the (day, category) sequence inside the caller's transaction; the row stays locked until commit."""
    bumped = s.execute(update(QueueSequence).where(QueueSequence.day == day, QueueSequence.category == category)
                       .values(last_seq=QueueSequence.last_seq + 1))
    if bumped.rowcount == 0:
        s.add(QueueSequence(day=day, category=category, last_seq=1))
        s.flush()  # a racing first ticket of the series raises IntegrityError here: the caller retries
        return 1
    return s.scalar(select(QueueSequence.last_seq).where(QueueSequence.day == day,
                                                         QueueSequence.category == category))


_CONFLICT = ApiError(409, "conflict", "叫号系统繁忙，请重试", "queue operation kept conflicting")


@router.post("/tickets", status_code=201, response_model=TicketOut, responses={**_E401, **_E422})
def issue_ticket(body: TicketIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """取号: the next number of the category's series today."""
    masked = mask_id_number(body.ssn) if body.ssn else None
    for _attempt in range(10):
        with _sessions(request)() as s:
            now = utcnow()
            day = _local_day(now)
            try:
                seq = _next_seq(s, day, body.category)
                ticket = QueueTicket(ticket_id=str(uuid.uuid4()), day=day, category=body.category, seq=seq,
                                     number=f"{body.category}{seq:03d}", item_code=body.item_code,
                                     item_name=body.item_name, ssn_masked=masked, status="waiting", issued_at=now,
                                     issued_by=p.subject, recalls=0)
                s.add(ticket)
                s.commit()
            except IntegrityError:
                s.rollback()
                continue
            log.info("queue ticket issued: %s (%s)", ticket.number, body.item_code or "-")
            return _out(ticket)
    raise _CONFLICT


@router.post("/next", response_model=CallNextOut, responses={**_E401, **_E422})
def call_next(body: CallNextIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """叫号: the longest-waiting ticket of today (of the given series), now called to this counter; none waiting →
    `{"ticket": null}`. Concurrent calls never hand out the same ticket."""
    operator_id = p.subject if p.kind == "operator" else body.operator_id
    for _attempt in range(20):
        with _sessions(request)() as s:
            now = utcnow()
            oldest = (select(QueueTicket.ticket_id)
                      .where(QueueTicket.day == _local_day(now), QueueTicket.status == "waiting")
                      .order_by(QueueTicket.issued_at, QueueTicket.seq).limit(1))
            if body.categories:
                oldest = oldest.where(QueueTicket.category.in_(body.categories))
            # One statement: SQLite takes its write lock first; PostgreSQL re-checks status = 'waiting' on the row
            # after a concurrent claim, so the loser updates nothing and looks again.
            claimed = s.scalar(update(QueueTicket)
                               .where(QueueTicket.ticket_id == oldest.scalar_subquery(),
                                      QueueTicket.status == "waiting")
                               .values(status="called", counter_no=body.counter_no, operator_id=operator_id,
                                       called_at=now)
                               .returning(QueueTicket.ticket_id))
            s.commit()
            if claimed is not None:
                ticket = s.get(QueueTicket, claimed)
                log.info("queue ticket called: %s to counter %s", ticket.number, body.counter_no)
                return {"ticket": _out(ticket)}
            if s.scalar(oldest) is None:
                return {"ticket": None}
            # another counter claimed the oldest between our look and our update: take the next one
    raise _CONFLICT


def _change(request: Request, ticket_id: str, allowed: set[str], **values: Any) -> dict[str, Any]:
    with _sessions(request)() as s:
        current = s.get(QueueTicket, ticket_id)  # for values computed from the row (case_id kept when none given)
        if current is None:
            raise ApiError(404, "ticket_not_found", "该号码不存在，请重新叫号", f"no queue ticket {ticket_id}")
        changes = {k: (v(current) if callable(v) else v) for k, v in values.items()}
        s.rollback()  # end the read before writing (SQLite cannot upgrade a stale read transaction)
        done = s.execute(update(QueueTicket)
                         .where(QueueTicket.ticket_id == ticket_id, QueueTicket.status.in_(allowed))
                         .values(**changes)).rowcount
        s.commit()
        ticket = s.get(QueueTicket, ticket_id, populate_existing=True)
        if not done:
            labels = {"waiting": "等候中", "called": "已叫号", "finished": "已办结", "skipped": "过号"}
            raise ApiError(409, "ticket_state", f"{ticket.number} 当前为“{labels.get(ticket.status)}”，不能执行此操作",
                           f"ticket {ticket.number} is {ticket.status}")
        return _out(ticket)


_E404 = {404: _err("号码不存在 (ticket_not_found)"), 409: _err("号码状态不允许该操作 (ticket_state)")}


@router.post("/tickets/{ticket_id}/recall", response_model=TicketOut, responses={**_E401, **_E404})
def recall(ticket_id: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """重呼: announce again; a skipped ticket comes back as called."""
    return _change(request, ticket_id, {"called", "skipped"}, status="called", called_at=utcnow(),
                   recalls=QueueTicket.recalls + 1)


@router.post("/tickets/{ticket_id}/finish", response_model=TicketOut, responses={**_E401, **_E404, **_E422})
def finish(ticket_id: str, body: FinishIn, request: Request, _p: Authenticated) -> dict[str, Any]:
    """办结: the citizen was served (optionally with the case opened for them)."""
    return _change(request, ticket_id, {"called", "finished"}, status="finished", finished_at=utcnow(),
                   case_id=lambda t: body.case_id or t.case_id)


@router.post("/tickets/{ticket_id}/skip", response_model=TicketOut, responses={**_E401, **_E404})
def skip(ticket_id: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """过号: the citizen did not come."""
    return _change(request, ticket_id, {"called", "skipped"}, status="skipped")


@router.get("/waiting", response_model=WaitingOut, responses={**_E401, **_E422})
def waiting(request: Request, _p: Authenticated,
            category: str | None = Query(default=None, pattern=r"^[A-Z]$")) -> dict[str, Any]:
    """How many tickets of today wait, in all and per series."""
    with _sessions(request)() as s:
        rows = s.execute(select(QueueTicket.category, func.count())
                         .where(QueueTicket.day == _local_day(utcnow()), QueueTicket.status == "waiting")
                         .group_by(QueueTicket.category)).all()
    by = {c: int(n) for c, n in rows}
    return {"waiting": by.get(category, 0) if category else sum(by.values()), "by_category": by}
