"""好差评 of a service visit that made no case: a person at a self-service terminal printed a record, looked something
up, reported a card lost or took a queue ticket, and rated the visit (a case's own rating stays
POST /cases/{case_id}/rating in server/events.py).

POST /api/v1/service-ratings (terminal or operator token). The terminal mints `rating_id` once per visit and sends it
through its outbox, so a retry — the network failing after the server stored it, a restart — stores nothing twice:
the first rating of an id stands and is answered again."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import JSON, Engine, Integer, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from server.api import _E401, _E422, Authenticated, _sessions, iso
from server.db import UTCDateTime, utcnow
from server.models import Base

log = logging.getLogger("yichuang.server.service_ratings")
router = APIRouter(prefix="/api/v1", tags=["ratings"])

Activity = Literal["rights_record", "certificate", "contributions", "card_status", "card_loss", "certify",
                   "enrolment", "queue", "progress"]


class ServiceRating(Base):
    __tablename__ = "service_ratings"

    rating_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    activities: Mapped[list[str]] = mapped_column(JSON)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the person tapped (terminal clock)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_from: Mapped[str] = mapped_column(String(64))  # the token's subject


class ServiceRatingIn(BaseModel):
    rating_id: uuid.UUID = Field(description="minted once per visit by the terminal")
    rating: int = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    channel: Literal["kiosk", "counter", "online"] = "kiosk"
    terminal_id: str = Field(min_length=1, max_length=64)
    activities: list[Activity] = Field(min_length=1, max_length=20, description="what the visit did")
    at: datetime = Field(description="when the person rated (ISO 8601 with offset)")


class ServiceRatingOut(BaseModel):
    rating_id: str
    rating: int
    received_at: str
    replayed: bool


@router.post("/service-ratings", status_code=201, response_model=ServiceRatingOut,
             responses={200: {"model": ServiceRatingOut, "description": "已收到过该评价：返回原评价"}, **_E401, **_E422})
def rate_service(body: ServiceRatingIn, request: Request, p: Authenticated) -> Any:
    """好差评 of a visit without a case; the first rating of a `rating_id` stands (a retry is answered with it)."""
    key = str(body.rating_id)
    with _sessions(request)() as s:
        row = s.get(ServiceRating, key)
        status = 200
        if row is None:
            row = ServiceRating(rating_id=key, rating=body.rating, channel=body.channel, terminal_id=body.terminal_id,
                                activities=sorted(set(body.activities)), rated_at=body.at, received_at=utcnow(),
                                received_from=p.subject)
            s.add(row)
            try:
                s.commit()
                status = 201
                log.info("service rating %s from %s: %d", key, body.terminal_id, body.rating)
            except IntegrityError:  # the same visit's rating racing in: theirs stands
                s.rollback()
                row = s.get(ServiceRating, key)
        return JSONResponse(status_code=status, content={"rating_id": row.rating_id, "rating": row.rating,
                                                         "received_at": iso(row.received_at),
                                                         "replayed": status == 200})


def create_tables(engine: Engine) -> None:
    """The table of this module (server.api.create_app and server.db.create_schema call it)."""
    Base.metadata.create_all(engine, tables=[ServiceRating.__table__])
