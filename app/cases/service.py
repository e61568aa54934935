"""The 受理 command and case queries. A case, its event, its outbox message and its audit record are written in one
local transaction, so a crash or power cut leaves either all of them or none."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.cases.validation import clean_form
from app.catalog import Catalog, ServiceItem
from app.clock import LOCAL_TZ, as_utc, local_today, utcnow
from app.errors import ValidationFailed
from app.security.audit import append_audit
from app.store import Store
from app.store.models import Case, CaseEvent, CaseNumberSequence, OutboxMessage

STATUS_ACCEPTED = "accepted"  # 已受理
STATUS_LABELS = {"accepted": "已受理", "completed": "已办结", "returned": "已退回", "terminated": "已终止"}
SYNC_LABELS = {"pending": "待上传", "synced": "已上传", "failed": "上传失败"}


@dataclass(frozen=True)
class Actor:
    """Who does something, in which role, on which terminal (000 §8 谁办理谁负责)."""

    operator_id: str
    name: str
    role: str
    terminal_id: str
    agency_code: str


@dataclass(frozen=True)
class CaseView:
    case_id: str
    case_no: str
    item_code: str
    item_name: str
    applicant_name: str
    applicant_ssn: str
    status: str
    sync_state: str
    created_at: datetime
    operator_id: str
    payload: dict
    server_ref: str | None
    document_path: str | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def sync_label(self) -> str:
        return SYNC_LABELS.get(self.sync_state, self.sync_state)


def _view(c: Case) -> CaseView:
    return CaseView(c.case_id, c.case_no, c.item_code, c.item_name, c.applicant_name, c.applicant_ssn, c.status,
                    c.sync_state, as_utc(c.created_at), c.operator_id, dict(c.payload or {}), c.server_ref,
                    c.document_path)


class CaseService:
    def __init__(self, store: Store, catalog: Catalog):
        self.store = store
        self.catalog = catalog

    def accept(self, item_code: str, form: dict[str, str], materials: dict[str, bool], actor: Actor,
               today: date | None = None) -> CaseView:
        """受理: validate, then write case + event + outbox + audit atomically. Raises ValidationFailed."""
        item = self.catalog.get(item_code)
        today = today or local_today()
        values = clean_form(item, form, today)
        missing = [m.name for m in item.required_materials(values) if not materials.get(m.code)]
        if missing:
            raise ValidationFailed("材料不齐，尚缺：" + "、".join(missing) + "。请一次性告知申请人补齐后再受理。",
                                   f"missing materials {missing}", field="materials")
        now = utcnow()
        case_id = str(uuid.uuid4())
        with self.store.session() as s:
            dup = s.scalar(select(Case.case_no).where(Case.item_code == item.code, Case.applicant_ssn == values["ssn"],
                                                      Case.status != "terminated"))
            if dup:
                raise ValidationFailed(f"该人员已在本终端办理过{item.name}（受理编号 {dup}），请勿重复受理。",
                                       f"duplicate case of item {item.code}", field="ssn")
            case_no = self._next_case_no(s, actor, now)
            case = Case(case_id=case_id, case_no=case_no, item_code=item.code, item_name=item.name,
                        applicant_ssn=values["ssn"], applicant_name=values.get("name", ""), status=STATUS_ACCEPTED,
                        payload={"form": values, "materials": {m.code: bool(materials.get(m.code))
                                                               for m in item.materials}},
                        operator_id=actor.operator_id, terminal_id=actor.terminal_id, agency_code=actor.agency_code,
                        created_at=now, updated_at=now, sync_state="pending")
            event = CaseEvent(event_id=str(uuid.uuid4()), case_id=case_id, seq=1, kind="accept", from_status=None,
                              to_status=STATUS_ACCEPTED, operator_id=actor.operator_id, role=actor.role,
                              terminal_id=actor.terminal_id, at=now, reason=None)
            s.add_all([case, event])
            s.flush()
            s.add(OutboxMessage(message_id=str(uuid.uuid4()), aggregate_id=case_id, kind="case.submit",
                                method="POST", path="/api/v1/cases", body=_submission(case, [event]),
                                idempotency_key=str(uuid.uuid4()), state="pending", created_at=now))
            append_audit(s, at=now, operator_id=actor.operator_id, terminal_id=actor.terminal_id, action="case.accept",
                         object_type="case", object_id=case_id, detail={"item": item.code, "case_no": case_no})
            return _view(case)

    @staticmethod
    def _next_case_no(s, actor: Actor, now: datetime) -> str:
        """受理编号 = agency-terminal-day-sequence: unique across terminals because the terminal id is in it."""
        day = now.astimezone(LOCAL_TZ).strftime("%Y%m%d")
        row = s.get(CaseNumberSequence, (actor.terminal_id, day))
        if row is None:
            row = CaseNumberSequence(terminal_id=actor.terminal_id, day=day, last_value=0)
            s.add(row)
        row.last_value += 1
        return f"{actor.agency_code}-{actor.terminal_id}-{day}-{row.last_value:04d}"

    def set_document(self, case_id: str, path: str) -> None:
        with self.store.session() as s:
            s.get(Case, case_id).document_path = path

    def get(self, case_id: str) -> CaseView:
        with self.store.session() as s:
            return _view(s.get(Case, case_id))

    def recent(self, limit: int = 50) -> list[CaseView]:
        with self.store.session() as s:
            rows = s.scalars(select(Case).order_by(Case.created_at.desc()).limit(limit))
            return [_view(c) for c in rows]

    def pending_outbox(self) -> int:
        with self.store.session() as s:
            return s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "pending"))


def _submission(case: Case, events: list[CaseEvent]) -> dict:
    """The body of POST /api/v1/cases (server/openapi.json)."""
    return {
        "case_id": case.case_id, "case_no": case.case_no, "item_code": case.item_code, "item_name": case.item_name,
        "applicant_ssn": case.applicant_ssn, "applicant_name": case.applicant_name, "agency_code": case.agency_code,
        "terminal_id": case.terminal_id, "operator_id": case.operator_id, "status": case.status,
        "accepted_at": as_utc(case.created_at).isoformat(), "payload": case.payload,
        "events": [{"event_id": e.event_id, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
                    "operator_id": e.operator_id, "role": e.role, "terminal_id": e.terminal_id,
                    "at": as_utc(e.at).isoformat(), "reason": e.reason} for e in events],
    }
