"""社会保障卡应用状态查询 and 挂失/解挂 on the reference server (004:L4826 状态查询, 004:L5118 挂失与解挂).

Every insured person (a row in `persons`) holds one card; its state is kept in `sscard_cards`, made on first look
(state 正常). The states: normal 正常, temp_lost 临时挂失, formal_lost 正式挂失, cancelled 注销, unactivated 未启用.

- GET  /api/v1/sscard/status/{ssn}          the card's state, in words for the card holder (terminal or operator).
- POST /api/v1/sscard/loss-reports          临时挂失 from any channel; 正式挂失 only at a counter by an operator — the
                                            self-service terminal does only the temporary one (004:L5148).
- POST /api/v1/sscard/loss-releases         解挂: only a temporary loss is lifted; 正式挂失后社会保障卡不可解挂
                                            (004:L5180), so that answers 409 and sends the person to the bank counter.

Both POSTs are exactly-once by `request_id` (a replay answers the first result). Every change is kept in
`sscard_events` (who, where, from which state)."""
from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Date, Engine, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.ids import mask_id_number
from server.api import _E401, _E422, ApiError, Authenticated, _check_ssn, _err, _sessions, iso
from server.db import UTCDateTime, utcnow
from server.models import Base, Person
from server.security import Principal

log = logging.getLogger("yichuang.server.sscard_status")
router = APIRouter(prefix="/api/v1/sscard", tags=["sscard"])

CardState = Literal["normal", "temp_lost", "formal_lost", "cancelled", "unactivated"]
STATE_LABELS: dict[str, str] = {"normal": "正常", "temp_lost": "临时挂失", "formal_lost": "正式挂失",
                                "cancelled": "已注销", "unactivated": "未启用"}
STATE_EXPLAIN: dict[str, str] = {
    "normal": "您的社会保障卡社保功能可以正常使用。",
    "temp_lost": "您的社会保障卡已临时挂失，社保功能暂停使用。找到卡后可在自助机、窗口或手机 app 解挂。",
    "formal_lost": "您的社会保障卡已正式挂失，不能解挂（004:L5180）。请本人持身份证到合作银行网点补领新卡。",
    "cancelled": "您的社会保障卡已注销。如需新卡，请到人社·银行一体化网点申领。",
    "unactivated": "您的社会保障卡尚未启用社保功能。请到人社·银行一体化网点或自助机启用。",
}
BANKS = ("中国农业银行", "中国建设银行", "中国工商银行", "中国银行", "内蒙古农村信用社")
# Demo cards in states other than 正常 (seeded with the demo data): the n-th demo person of a kind gets the state.
DEMO_STATES = (("resident", 0, "temp_lost"), ("resident", 1, "formal_lost"), ("employee", 0, "cancelled"),
               ("employee", 1, "unactivated"))


class SscardCard(Base):
    """One person's current card (the reference server keeps only the latest card of each person)."""

    __tablename__ = "sscard_cards"

    ssn: Mapped[str] = mapped_column(String(18), primary_key=True)
    card_no: Mapped[str] = mapped_column(String(12))
    bank: Mapped[str] = mapped_column(String(32))
    issued_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SscardEvent(Base):
    """A loss report or a release, exactly once by request_id."""

    __tablename__ = "sscard_events"

    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    action: Mapped[str] = mapped_column(String(16))  # temp_loss / formal_loss / release
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))  # operator id or terminal id
    terminal_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class CardStatus(BaseModel):
    ssn_masked: str
    card_no_masked: str
    bank: str
    issued_on: str
    state: CardState
    state_label: str
    explanation: str = Field(description="Chinese, for the card holder")
    can_release: bool = Field(description="a temporary loss can be lifted (解挂)")
    can_report_temporary: bool
    changed_at: str


class LossReportIn(BaseModel):
    request_id: uuid.UUID
    ssn: str = Field(max_length=18)
    kind: Literal["temporary", "formal"] = "temporary"
    channel: Literal["kiosk", "counter", "online"] = "kiosk"
    terminal_id: str = Field(default="", max_length=64)


class ReleaseIn(BaseModel):
    request_id: uuid.UUID
    ssn: str = Field(max_length=18)
    channel: Literal["kiosk", "counter", "online"] = "kiosk"
    terminal_id: str = Field(default="", max_length=64)


class CardChange(BaseModel):
    request_id: str
    action: str
    state: CardState
    state_label: str
    explanation: str
    at: str


def _digits(ssn: str, salt: str, n: int) -> str:
    h = hashlib.sha256(f"{salt}|{ssn}".encode()).hexdigest()
    return "".join(str(int(c, 16) % 10) for c in h[:n])


def _new_card(person: Person) -> SscardCard:
    """A person's card as the issuer would have it: the number and bank follow from the 社会保障号码 (demo world)."""
    pick = int(_digits(person.ssn, "bank", 2))
    year = max(2012, min(2024, person.birth_date.year + 18))
    return SscardCard(ssn=person.ssn, card_no="M" + _digits(person.ssn, "card", 8), bank=BANKS[pick % len(BANKS)],
                      issued_on=date(year, 1 + pick % 12, 1 + pick % 28), state="normal", changed_at=utcnow())


def card_of(s: Session, ssn: str) -> SscardCard:
    card = s.get(SscardCard, ssn)
    if card is not None:
        return card
    person = s.get(Person, ssn)
    if person is None:
        raise ApiError(404, "card_not_found", "未查到您的社会保障卡信息，请到窗口咨询",
                       f"no person {mask_id_number(ssn)}")
    card = _new_card(person)
    s.add(card)
    s.flush()
    return card


def _status(card: SscardCard) -> dict[str, Any]:
    return {"ssn_masked": mask_id_number(card.ssn), "card_no_masked": card.card_no[:3] + "****" + card.card_no[-2:],
            "bank": card.bank, "issued_on": card.issued_on.isoformat(), "state": card.state,
            "state_label": STATE_LABELS[card.state], "explanation": STATE_EXPLAIN[card.state],
            "can_release": card.state == "temp_lost", "can_report_temporary": card.state == "normal",
            "changed_at": iso(card.changed_at)}


def _change(ev: SscardEvent) -> dict[str, Any]:
    return {"request_id": ev.request_id, "action": ev.action, "state": ev.to_state,
            "state_label": STATE_LABELS[ev.to_state], "explanation": STATE_EXPLAIN[ev.to_state], "at": iso(ev.at)}


@router.get("/status/{ssn}", response_model=CardStatus,
            responses={**_E401, 404: _err("未查到社会保障卡 (card_not_found)"), 422: _err("公民身份号码无效 (invalid_ssn)")})
def card_status(ssn: str, request: Request, p: Authenticated) -> dict[str, Any]:
    """社会保障卡应用状态查询 (004:L4826): the state of the person's card, in words for the card holder."""
    number = _check_ssn(ssn)
    with _sessions(request)() as s:
        card = card_of(s, number)
        s.commit()
        log.info("card status looked up by %s %s: %s", p.kind, p.subject, card.state)
        return _status(card)


def _apply(request: Request, p: Principal, request_id: uuid.UUID, ssn: str, action: str, channel: str,
           terminal_id: str, target: str, allowed_from: set[str], refusal: dict[str, tuple[str, str]]) -> JSONResponse:
    rid = str(request_id)
    number = _check_ssn(ssn)
    with _sessions(request)() as s:
        known = s.get(SscardEvent, rid)
        if known is not None:
            if known.ssn != number or known.action != action:
                raise ApiError(409, "request_id_reused", "请求编号重复，请重新办理", f"request {rid} was another change")
            return JSONResponse(status_code=200, content=_change(known))
        card = card_of(s, number)
        if card.state not in allowed_from:
            code, message = refusal.get(card.state, ("card_state_conflict", f"社会保障卡当前状态为{STATE_LABELS[card.state]}，"
                                                                           "不能办理，请到窗口咨询"))
            raise ApiError(409, code, message, f"{action} refused in state {card.state}")
        now = utcnow()
        ev = SscardEvent(request_id=rid, ssn=number, action=action, from_state=card.state, to_state=target,
                         channel=channel, subject=p.subject, terminal_id=p.terminal_id or terminal_id or "", at=now)
        card.state, card.changed_at = target, now
        s.add(ev)
        try:
            s.commit()
        except IntegrityError:  # the same request racing in: answer the winner's result
            s.rollback()
            known = s.get(SscardEvent, rid)
            return JSONResponse(status_code=200, content=_change(known))
        log.info("sscard %s by %s %s via %s: %s -> %s", action, p.kind, p.subject, channel, ev.from_state, target)
        return JSONResponse(status_code=201, content=_change(ev))


@router.post("/loss-reports", status_code=201, response_model=CardChange,
             responses={200: {"model": CardChange, "description": "同一请求编号再次提交：返回首次结果"},
                        **_E401, 403: _err("正式挂失须到银行网点窗口办理 (formal_loss_counter_only)"),
                        404: _err("未查到社会保障卡 (card_not_found)"),
                        409: _err("当前状态不能挂失 (already_lost / card_state_conflict)"), **_E422})
def report_loss(body: LossReportIn, request: Request, p: Authenticated) -> JSONResponse:
    """挂失. 临时挂失 from the kiosk, the app or a counter; 正式挂失 only by an operator at a counter (004:L5148) —
    it cannot be undone (004:L5180)."""
    if body.kind == "formal" and (p.kind != "operator" or body.channel != "counter"):
        raise ApiError(403, "formal_loss_counter_only", "正式挂失不能解挂，须本人持有效身份证件到合作银行网点窗口办理",
                       f"formal loss from {p.kind} via {body.channel}")
    if body.kind == "formal":
        return _apply(request, p, body.request_id, body.ssn, "formal_loss", body.channel, body.terminal_id,
                      "formal_lost", {"normal", "temp_lost"},
                      {"formal_lost": ("already_lost", "该卡已正式挂失")})
    return _apply(request, p, body.request_id, body.ssn, "temp_loss", body.channel, body.terminal_id, "temp_lost",
                  {"normal"}, {"temp_lost": ("already_lost", "该卡已临时挂失，无需重复挂失"),
                               "formal_lost": ("already_lost", "该卡已正式挂失，无需再挂失；请到合作银行网点补领新卡")})


@router.post("/loss-releases", status_code=201, response_model=CardChange,
             responses={200: {"model": CardChange, "description": "同一请求编号再次提交：返回首次结果"},
                        **_E401, 404: _err("未查到社会保障卡 (card_not_found)"),
                        409: _err("正式挂失不可解挂或未挂失 (formal_loss_irreversible / not_lost)"), **_E422})
def release_loss(body: ReleaseIn, request: Request, p: Authenticated) -> JSONResponse:
    """解挂: lifts a temporary loss only. 正式挂失后社会保障卡不可解挂 (004:L5180)."""
    return _apply(request, p, body.request_id, body.ssn, "release", body.channel, body.terminal_id, "normal",
                  {"temp_lost"},
                  {"formal_lost": ("formal_loss_irreversible",
                                   "正式挂失后社会保障卡不可解挂，请本人持身份证到合作银行网点补领新卡"),
                   "normal": ("not_lost", "该卡未挂失，无需解挂")})


def seed_demo_cards(engine: Engine) -> int:
    """Demo cards in the states of DEMO_STATES (safe to call again). Returns how many were set."""
    from server.demo_data import demo_person_ssns

    n = 0
    with Session(engine) as s:
        for kind, index, state in DEMO_STATES:
            ssn = demo_person_ssns(kind)[index]
            card = card_of(s, ssn)
            if card.state == "normal" and not s.scalar(select(SscardEvent.request_id).where(SscardEvent.ssn == ssn)):
                card.state = state
                n += 1
        s.commit()
    return n


def demo_card_ssn(state: str) -> str:
    """The demo person whose card is seeded in `state` (tests and the demo)."""
    from server.demo_data import demo_person_ssns

    kind, index, _state = next(d for d in DEMO_STATES if d[2] == state)
    return demo_person_ssns(kind)[index]


def create_tables(engine: Engine) -> None:
    """The tables of this module (server.api.create_app calls it with the rest of the schema)."""
    Base.metadata.create_all(engine, tables=[SscardCard.__table__, SscardEvent.__table__])
