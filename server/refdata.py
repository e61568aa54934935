"""Reference data down-sync with versions: catalog version, parameters, holiday calendar years, and for field
terminals the persons assigned to their operator. One delta endpoint: everything changed after the cursor the
terminal holds (a change log with a sequence), newest version of each document."""
from __future__ import annotations

import logging
from datetime import date
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.api import _E401, ApiError, Authenticated, _err, _sessions, _settings
from server.db import utcnow
from server.models import FieldAssignment, Operator, Person, RefChange, RefDocument
from server.security import Principal
from server.sync_persons import _person, versioned

log = logging.getLogger("yichuang.server.refdata")
router = APIRouter(prefix="/api/v1")

KINDS = ("catalog", "calendar", "parameter")
ADMIN_ROLES = {"管理员"}
DEFAULT_PARAMETERS = {
    # the terminal's offline guardrails, centrally tunable (app.sync.guardrails reads them when present)
    "sync.guardrails": {"warn_after_days": 2, "block_after_days": 7, "warn_after_items": 300,
                        "block_after_items": 1000},
}


class RefItem(BaseModel):
    kind: Literal["catalog", "calendar", "parameter", "person"]
    key: str
    version: int
    deleted: bool = False
    data: dict[str, Any] | None


class RefDelta(BaseModel):
    cursor: int = Field(description="pass it as `since` next time")
    items: list[RefItem]
    more: bool


class RefDocumentIn(BaseModel):
    data: dict[str, Any]


def _calendar_docs() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((resources.files("resources") / "calendar").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".yaml"):
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))

        def iso(v: Any) -> str:
            return v.isoformat() if isinstance(v, date) else str(v)

        out[str(raw["year"])] = {
            "year": int(raw["year"]), "source": raw.get("source", ""),
            "holidays": [{"from": iso(h["from"]), "to": iso(h["to"]), "name": h.get("name", "")}
                         for h in raw.get("holidays", [])],
            "workdays": [iso(d) for d in raw.get("workdays", [])]}
    return out


def ensure_seeded(s: Session, request: Request) -> None:
    """First use: the server's own catalog version, parameters and calendars become version 1."""
    if s.scalar(select(func.count()).select_from(RefDocument)):
        return
    settings = _settings(request)
    now = utcnow()
    docs = [("catalog", "current", {"catalog_version": settings.catalog_version,
                                    "item_count": settings.catalog_item_count})]
    docs += [("calendar", year, doc) for year, doc in _calendar_docs().items()]
    docs += [("parameter", key, value) for key, value in DEFAULT_PARAMETERS.items()]
    for kind, key, data in docs:
        s.add(RefDocument(kind=kind, key=key, version=1, data=data, updated_at=now))
        s.add(RefChange(kind=kind, key=key, operator_id=None, at=now))
    try:
        s.commit()
    except IntegrityError:
        s.rollback()  # another worker seeded first


def _require_admin(s: Session, p: Principal) -> None:
    op = s.get(Operator, p.subject) if p.kind == "operator" else None
    if op is None or not ADMIN_ROLES.intersection(op.roles or []):
        raise ApiError(403, "forbidden", "只有管理员可以维护参考数据", f"{p.kind} {p.subject} is not an administrator")


@router.get("/refdata/delta", response_model=RefDelta, tags=["refdata"], responses=_E401)
def delta(request: Request, _p: Authenticated, since: Annotated[int, Query(ge=0)] = 0,
          operator_id: Annotated[str | None, Query(max_length=64)] = None,
          limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> dict[str, Any]:
    """Reference data changed after `since`: the current version of each changed document, and with `operator_id`
    the persons assigned to that field operator (`deleted` when an assignment ended)."""
    with _sessions(request)() as s:
        ensure_seeded(s, request)
        assigned = select(FieldAssignment.ssn).where(FieldAssignment.operator_id == operator_id,
                                                     FieldAssignment.active.is_(True))
        visible = RefChange.kind != "person"
        if operator_id:
            visible = or_(visible, RefChange.operator_id == operator_id,
                          and_(RefChange.kind == "person", RefChange.operator_id.is_(None), RefChange.key.in_(assigned)))
        rows = list(s.execute(select(RefChange.seq, RefChange.kind, RefChange.key)
                              .where(RefChange.seq > since, visible).order_by(RefChange.seq).limit(limit)).all())
        latest: dict[tuple[str, str], int] = {}
        for seq, kind, key in rows:
            latest[(kind, key)] = seq
        items = []
        for (kind, key), _seq in sorted(latest.items(), key=lambda kv: kv[1]):
            if kind == "person":
                fa = s.get(FieldAssignment, (operator_id, key)) if operator_id else None
                person = s.get(Person, key)
                if fa is None or not fa.active or person is None:
                    items.append({"kind": "person", "key": key, "version": 0, "deleted": True, "data": None})
                else:
                    v = versioned(s, person)
                    items.append({"kind": "person", "key": key, "version": v["version"], "deleted": False,
                                  "data": v["data"]})
                continue
            doc = s.get(RefDocument, (kind, key))
            if doc is not None:
                items.append({"kind": kind, "key": key, "version": doc.version, "deleted": False, "data": doc.data})
        return {"cursor": rows[-1][0] if rows else since, "items": items, "more": len(rows) == limit}


@router.put("/refdata/{kind}/{key}", response_model=RefItem, tags=["refdata"],
            responses={**_E401, 403: _err("非管理员 (forbidden)"), 404: _err("未知的参考数据类别 (not_found)")})
def put_document(kind: str, key: str, body: RefDocumentIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """Publish a new version of a reference document (administrators); terminals pick it up with the next delta."""
    if kind not in KINDS:
        raise ApiError(404, "not_found", "未知的参考数据类别", f"kind {kind}")
    with _sessions(request)() as s:
        _require_admin(s, p)
        ensure_seeded(s, request)
        now = utcnow()
        doc = s.get(RefDocument, (kind, key))
        if doc is None:
            doc = RefDocument(kind=kind, key=key, version=1, data=body.data, updated_at=now)
            s.add(doc)
        else:
            doc.version, doc.data, doc.updated_at = doc.version + 1, body.data, now
        s.add(RefChange(kind=kind, key=key, operator_id=None, at=now))
        s.commit()
        return {"kind": kind, "key": key, "version": doc.version, "deleted": False, "data": doc.data}


@router.put("/field-assignments/{operator_id}/{ssn}", response_model=RefItem, tags=["refdata"],
            responses={**_E401, 403: _err("非管理员 (forbidden)"), 404: _err("未找到参保人员 (person_not_found)")})
def assign(operator_id: str, ssn: str, request: Request, p: Authenticated) -> dict[str, Any]:
    """Assign a person to a field operator (their terminal receives the person with the next delta)."""
    with _sessions(request)() as s:
        _require_admin(s, p)
        person = _person(s, ssn)
        now = utcnow()
        fa = s.get(FieldAssignment, (operator_id, person.ssn))
        if fa is None:
            s.add(FieldAssignment(operator_id=operator_id, ssn=person.ssn, active=True, assigned_at=now))
        else:
            fa.active, fa.assigned_at = True, now
        s.add(RefChange(kind="person", key=person.ssn, operator_id=operator_id, at=now))
        s.commit()
        v = versioned(s, person)
        return {"kind": "person", "key": person.ssn, "version": v["version"], "deleted": False, "data": v["data"]}


@router.delete("/field-assignments/{operator_id}/{ssn}", status_code=204, tags=["refdata"],
               responses={**_E401, 403: _err("非管理员 (forbidden)")})
def unassign(operator_id: str, ssn: str, request: Request, p: Authenticated) -> None:
    """End an assignment; the operator's terminal drops its copy of the person with the next delta."""
    with _sessions(request)() as s:
        _require_admin(s, p)
        fa = s.get(FieldAssignment, (operator_id, ssn))
        if fa is not None and fa.active:
            fa.active = False
            s.add(RefChange(kind="person", key=ssn, operator_id=operator_id, at=utcnow()))
            s.commit()
