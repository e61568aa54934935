"""Case commands and queries. Each command writes the case, its event, its outbox message and its audit record in one
local transaction, so a crash or power cut leaves all of them or none (transactional outbox)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from sqlalchemy import func, select

from app.calendar import WorkCalendar, load_calendar
from app.cases.eligibility import ConditionResult, Verdict, evaluate_conditions
from app.cases.validation import clean_form
from app.catalog import Catalog, MaterialSpec, ServiceItem
from app.catalog.model import OfflinePolicy
from app.clock import LOCAL_TZ, as_utc, local_today, utcnow
from app.errors import ValidationFailed, YichuangError
from app.security.audit import append_audit
from app.security.permissions import Perm
from app.security.permissions import require as require_permission
from app.store import Store
from app.store.models import Case, CaseEvent, CaseNumberSequence, OperatorItemPref, OutboxMessage
from app.sync.guardrails import enforce_capture_guardrails
from app.workflow.deadlines import Deadline, StatusSpan, compute_deadline
from app.workflow.machine import (ACTION_LABELS, FINAL, STATUS_LABELS, Action, History, Stages, Status, Transition,
                                  plan)
from app.workflow.roles import Role, parse_roles

STATUS_ACCEPTED = Status.accepted.value
SYNC_LABELS = {"pending": "待上传", "synced": "已上传", "failed": "上传失败"}


class MaterialState(str, Enum):
    present = "present"  # 已收取
    missing = "missing"  # 缺
    shared = "shared"  # 通过信息共享获取，不再要求提供（000 §12）
    waived = "waived"  # 告知承诺，以承诺代替证明（000 §119–§121）


MATERIAL_STATE_LABELS = {MaterialState.present: "已收取", MaterialState.missing: "缺少",
                         MaterialState.shared: "信息共享获取", MaterialState.waived: "告知承诺"}


class IntakeOutcome(str, Enum):
    accepted = "accepted"  # 受理（即时办结事项同时办结）
    correction = "correction"  # 材料不齐：一次性告知，待补正
    refused = "refused"  # 不符合条件：不予受理


class StaleCase(YichuangError):
    code = "stale_case"


@dataclass(frozen=True)
class Actor:
    """Who does something, in which role, on which terminal (000 §8 谁办理谁负责)."""

    operator_id: str
    name: str
    role: str
    terminal_id: str
    agency_code: str
    roles: tuple[str, ...] = ()

    def role_set(self) -> tuple[Role, ...]:
        return parse_roles(self.roles or (self.role,))


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
    version: int = 1
    accepted_on: str | None = None
    promised_due: str | None = None

    @property
    def status_label(self) -> str:
        try:
            return STATUS_LABELS[Status(self.status)]
        except ValueError:
            return self.status

    @property
    def sync_label(self) -> str:
        return SYNC_LABELS.get(self.sync_state, self.sync_state)

    @property
    def form(self) -> dict:
        return self.payload.get("form", {})


@dataclass(frozen=True)
class EventView:
    seq: int
    kind: str
    from_status: str | None
    to_status: str
    operator_id: str
    role: str
    at: datetime
    reason: str | None

    @property
    def label(self) -> str:
        try:
            return ACTION_LABELS[Action(self.kind)]
        except ValueError:
            return self.kind


@dataclass(frozen=True)
class IntakeResult:
    outcome: IntakeOutcome
    case: CaseView
    item: ServiceItem
    missing: tuple[MaterialSpec, ...] = ()
    reasons: tuple[ConditionResult, ...] = ()
    deadline: Deadline | None = None


def _view(c: Case) -> CaseView:
    return CaseView(c.case_id, c.case_no, c.item_code, c.item_name, c.applicant_name, c.applicant_ssn, c.status,
                    c.sync_state, as_utc(c.created_at), c.operator_id, dict(c.payload or {}), c.server_ref,
                    c.document_path, c.version or 1, c.accepted_on, c.promised_due)


def _event_view(e: CaseEvent) -> EventView:
    return EventView(e.seq, e.kind, e.from_status, e.to_status, e.operator_id, e.role, as_utc(e.at), e.reason)


def _event_json(e: CaseEvent) -> dict:
    return {"event_id": e.event_id, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
            "operator_id": e.operator_id, "role": e.role, "terminal_id": e.terminal_id,
            "at": as_utc(e.at).isoformat(), "reason": e.reason}


class CaseService:
    def __init__(self, store: Store, catalog: Catalog, calendar: WorkCalendar | None = None,
                 agency_region: str = "150102"):
        self.store = store
        self.catalog = catalog
        self.calendar = calendar or load_calendar()
        self.agency_region = agency_region

    # -- 受理 with its three outcomes -----------------------------------------------------------------------------
    def intake(self, item_code: str, form: dict[str, str], materials: dict[str, str], actor: Actor, *,
               person: dict | None = None, confirmed: dict[int, bool] | None = None, online: bool = True,
               today: date | None = None, channel: str = "counter") -> IntakeResult:
        """Decide 受理 / 一次性告知（补正）/ 不予受理 and record the case. Field errors raise ValidationFailed and
        save nothing. `materials` maps material code → MaterialState; `confirmed` maps condition index → the
        clerk's verdict for conditions the software cannot check; `channel` is how the case came in (counter,
        kiosk, field — 004's 办理渠道), kept in the payload for statistics and the 好差评 source."""
        item = self.catalog.get(item_code)
        today = today or local_today()
        if item.offline.policy is OfflinePolicy.online_only and not online:
            raise ValidationFailed(f"“{item.name}”须联网办理：{item.offline.reason}。请待网络恢复后办理。",
                                   f"online-only item {item.code} while offline", field="offline")
        # least privilege per role and item (resources/security/permissions.yaml, 000 §77): e.g. a kiosk may take in
        # only items of the kiosk channel, fund payments only at the counter — refused before the form is looked at
        require_permission(actor.role_set(), Perm.accept, item=item)
        enforce_capture_guardrails(self.store)  # too much unsent work on this terminal: no new capture (app.sync)
        values = clean_form(item, form, today, check_age=False)
        results = evaluate_conditions(item, values, person, self.agency_region, today)
        confirmed = confirmed or {}
        failed, unconfirmed = [], []
        for r in results:
            if r.verdict is Verdict.failed:
                failed.append(r)
            elif r.verdict is Verdict.confirm:
                if confirmed.get(r.index) is False:
                    failed.append(ConditionResult(r.index, r.condition, Verdict.failed, "经办人核实不符合"))
                elif confirmed.get(r.index) is not True:
                    unconfirmed.append(r)
        if unconfirmed and not failed:
            names = "；".join(r.condition.text for r in unconfirmed)
            raise ValidationFailed(f"请逐项核实办理条件后再受理：{names}", f"{len(unconfirmed)} conditions unconfirmed",
                                   field="conditions")
        states = {code: MaterialState(v) for code, v in materials.items()}
        missing = tuple(m for m in item.required_materials(values)
                        if states.get(m.code, MaterialState.missing) not in (MaterialState.present,
                                                                              MaterialState.waived))
        if failed:
            outcome, status = IntakeOutcome.refused, Status.refused
            reason = "；".join(f"{r.condition.text}（{r.reason}）" for r in failed)
        elif missing:
            outcome, status = IntakeOutcome.correction, Status.correction
            reason = "材料不齐，一次性告知缺：" + "、".join(m.name for m in missing)
        else:
            outcome, status, reason = IntakeOutcome.accepted, Status.accepted, None
        action = {IntakeOutcome.accepted: Action.accept, IntakeOutcome.correction: Action.notify_correction,
                  IntakeOutcome.refused: Action.refuse}[outcome]
        stages = Stages.from_kinds(item.stages_for(values))
        plan(action, None, stages=stages, history=History(), operator_id=actor.operator_id,
             roles=actor.role_set(), reason=reason)  # role check before anything is written
        payload = {"form": values, "channel": channel,
                   "materials": {m.code: states.get(m.code, MaterialState.missing).value for m in item.materials},
                   "missing": [m.code for m in missing],
                   "refusal": [{"condition": r.condition.text, "reason": r.reason, "citation": r.citation}
                               for r in failed],
                   "conditions": {str(r.index): (confirmed.get(r.index) if r.verdict is Verdict.confirm
                                                 else r.verdict is Verdict.met) for r in results}}
        now = utcnow()
        with self.store.session() as s:
            self._refuse_duplicate(s, item, values)
            case = Case(case_id=str(uuid.uuid4()), case_no=self._next_case_no(s, actor, now), item_code=item.code,
                        item_name=item.name, applicant_ssn=values.get("ssn") or values.get("unit_uscc", ""),
                        applicant_name=values.get("name") or values.get("unit_name", ""), status=status.value,
                        payload=payload, operator_id=actor.operator_id, terminal_id=actor.terminal_id,
                        agency_code=actor.agency_code, created_at=now, updated_at=now, sync_state="pending",
                        version=1)
            s.add(case)
            events = [self._event(case, 1, action.value, None, status, actor, now, reason)]
            if (outcome is IntakeOutcome.accepted and item.instant and stages.first_check() is None
                    and (online or item.offline.policy is not OfflinePolicy.limited)):
                events.append(self._event(case, 2, Action.complete.value, status, Status.completed, actor, now,
                                          "即时办结"))  # 即时办结: 受理即办结
                case.status = Status.completed.value
            s.add_all(events)
            s.flush()
            deadline = self._refresh_deadline(case, events, item, now)
            s.add(self._outbox(case, "case.submit", "POST", "/api/v1/cases", _submission(case, events), None, now))
            append_audit(s, at=now, operator_id=actor.operator_id, terminal_id=actor.terminal_id,
                         action=f"case.{outcome.value}", object_type="case", object_id=case.case_id,
                         detail={"item": item.code, "case_no": case.case_no, "status": case.status})
            self._touch_pref(s, actor.operator_id, item.code, now)
            return IntakeResult(outcome, _view(case), item, missing, tuple(failed), deadline)

    def accept(self, item_code: str, form: dict[str, str], materials: dict[str, bool], actor: Actor,
               today: date | None = None) -> CaseView:
        """The strict 受理 of the walking skeleton: every condition confirmed, all materials present, else refused
        with ValidationFailed (nothing saved)."""
        item = self.catalog.get(item_code)
        today = today or local_today()
        values = clean_form(item, form, today)
        missing = [m.name for m in item.required_materials(values) if not materials.get(m.code)]
        if missing:
            raise ValidationFailed("材料不齐，尚缺：" + "、".join(missing) + "。请一次性告知申请人补齐后再受理。",
                                   f"missing materials {missing}", field="materials")
        states = {code: (MaterialState.present if ok else MaterialState.missing).value
                  for code, ok in materials.items()}
        confirmed = {n: True for n in range(len(item.conditions))}
        result = self.intake(item_code, form, states, actor, confirmed=confirmed, today=today)
        if result.outcome is IntakeOutcome.refused:
            raise ValidationFailed("不符合办理条件：" + "；".join(r.reason for r in result.reasons),
                                   "refused", field="ssn")
        return result.case

    # -- later transitions ---------------------------------------------------------------------------------------
    def act(self, case_id: str, action: Action, actor: Actor, *, reason: str | None = None,
            expected_version: int | None = None, materials: dict[str, str] | None = None,
            online: bool = True) -> CaseView:
        """Move a case (审核, 复核, 退回, 补正后继续, 办结 …). Raises WorkflowError / StaleCase with Chinese messages.
        `online`: whether the central system is reachable — items whose offline policy is "limited" may be taken in
        offline but 办结 only once it is (the catalog's offline.reason says why)."""
        now = utcnow()
        with self.store.session() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise YichuangError("找不到该业务件。", f"case {case_id} not found", code="case_not_found")
            if expected_version is not None and case.version != expected_version:
                raise StaleCase("该业务已被其他人员处理，请刷新后查看最新状态。",
                                f"case {case_id} version {case.version} != {expected_version}")
            item = self.catalog.get(case.item_code)
            if action is Action.complete and not online and item.offline.policy is OfflinePolicy.limited:
                raise ValidationFailed(f"“{item.name}”须联网后才能办结：{item.offline.reason}。请待网络恢复后再办结。",
                                       f"limited item {item.code}: complete while offline", field="offline")
            events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)))
            form = dict((case.payload or {}).get("form", {}))
            if action is Action.resume and materials is not None:
                self._apply_materials(case, item, form, materials)
            t: Transition = plan(action, Status(case.status), stages=Stages.from_kinds(item.stages_for(form)),
                                 history=History.from_events(events), operator_id=actor.operator_id, roles=actor.role_set(),
                                 reason=reason)
            event = self._event(case, len(events) + 1, action.value, t.from_status, t.to_status, actor, now, reason,
                                role=t.role.value)
            s.add(event)
            case.status = t.to_status.value
            case.updated_at = now
            case.version = (case.version or 1) + 1
            s.flush()
            self._refresh_deadline(case, [*events, event], item, now)
            previous = s.scalars(select(OutboxMessage.message_id).where(OutboxMessage.aggregate_id == case_id)
                                 .order_by(OutboxMessage.seq.desc()).limit(1)).first()
            s.add(self._outbox(case, "case.event", "POST", f"/api/v1/cases/{case_id}/events",
                               {**_event_json(event), "case_version": case.version}, previous, now))
            append_audit(s, at=now, operator_id=actor.operator_id, terminal_id=actor.terminal_id,
                         action=f"case.{action.value}", object_type="case", object_id=case_id,
                         detail={"from": event.from_status, "to": event.to_status, "role": event.role})
            return _view(case)

    @staticmethod
    def _apply_materials(case: Case, item: ServiceItem, form: dict, materials: dict[str, str]) -> None:
        """补正: record the newly presented materials; refuse to continue while any is still missing."""
        payload = dict(case.payload or {})
        states = dict(payload.get("materials", {}))
        states.update({k: MaterialState(v).value for k, v in materials.items()})
        still = [m for m in item.required_materials(form)
                 if states.get(m.code) not in (MaterialState.present.value, MaterialState.waived.value)]
        if still:
            raise ValidationFailed("材料仍不齐，尚缺：" + "、".join(m.name for m in still), "still missing",
                                   field="materials")
        payload["materials"], payload["missing"] = states, []
        case.payload = payload

    # -- helpers -------------------------------------------------------------------------------------------------
    def _refuse_duplicate(self, s, item: ServiceItem, values: dict) -> None:
        key = values.get("ssn") or values.get("unit_uscc")
        if not key:
            return
        open_states = [st.value for st in Status if st not in FINAL] + [Status.completed.value]
        dup = s.scalar(select(Case.case_no).where(Case.item_code == item.code, Case.applicant_ssn == key,
                                                  Case.status.in_(open_states)))
        if dup and item.group.value == "社会保险登记":
            raise ValidationFailed(f"该人员已在本终端办理过{item.name}（受理编号 {dup}），请勿重复受理。",
                                   f"duplicate case of item {item.code}", field="ssn")

    @staticmethod
    def _event(case: Case, seq: int, kind: str, frm: Status | None, to: Status, actor: Actor, now: datetime,
               reason: str | None, role: str | None = None) -> CaseEvent:
        return CaseEvent(event_id=str(uuid.uuid4()), case_id=case.case_id, seq=seq, kind=kind,
                         from_status=frm.value if frm else None, to_status=to.value, operator_id=actor.operator_id,
                         role=role or actor.role, terminal_id=actor.terminal_id, at=now, reason=reason)

    @staticmethod
    def _outbox(case: Case, kind: str, method: str, path: str, body: dict, depends_on: str | None,
                now: datetime) -> OutboxMessage:
        return OutboxMessage(message_id=str(uuid.uuid4()), aggregate_id=case.case_id, kind=kind, method=method,
                             path=path, body=body, idempotency_key=str(uuid.uuid4()), depends_on=depends_on,
                             state="pending", created_at=now)

    def _refresh_deadline(self, case: Case, events: list[CaseEvent], item: ServiceItem, now: datetime) -> Deadline:
        spans = [StatusSpan(Status(e.to_status), as_utc(e.at)) for e in events]
        promised = compute_deadline(item.time_limit_promised, spans, self.calendar, now)
        statutory = compute_deadline(item.time_limit_statutory, spans, self.calendar, now)
        first = next((sp.start for sp in spans if sp.status is Status.accepted), None)
        case.accepted_on = first.astimezone(LOCAL_TZ).date().isoformat() if first else None
        case.promised_due = promised.due.isoformat() if promised.due else None
        case.statutory_due = statutory.due.isoformat() if statutory.due else None
        return promised

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

    @staticmethod
    def _touch_pref(s, operator_id: str, item_code: str, now: datetime) -> None:
        pref = s.get(OperatorItemPref, (operator_id, item_code))
        if pref is None:
            pref = OperatorItemPref(operator_id=operator_id, item_code=item_code, use_count=0, favourite=False)
            s.add(pref)
        pref.use_count = (pref.use_count or 0) + 1
        pref.last_used_at = now

    # -- queries -------------------------------------------------------------------------------------------------
    def deadline(self, case_id: str, now: datetime | None = None) -> Deadline:
        with self.store.session() as s:
            case = s.get(Case, case_id)
            events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)))
            item = self.catalog.get(case.item_code)
            spans = [StatusSpan(Status(e.to_status), as_utc(e.at)) for e in events]
            return compute_deadline(item.time_limit_promised, spans, self.calendar, now or utcnow())

    def events(self, case_id: str) -> list[EventView]:
        with self.store.session() as s:
            return [_event_view(e) for e in
                    s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq))]

    def queue(self, statuses: list[Status], limit: int = 500) -> list[CaseView]:
        """Cases waiting in these statuses, the nearest promised deadline first (no deadline last)."""
        with self.store.session() as s:
            rows = s.scalars(select(Case).where(Case.status.in_([st.value for st in statuses]))
                             .order_by(Case.promised_due.is_(None), Case.promised_due, Case.created_at).limit(limit))
            return [_view(c) for c in rows]

    def touch_item(self, operator_id: str, item_code: str) -> None:
        with self.store.session() as s:
            self._touch_pref(s, operator_id, item_code, utcnow())

    def set_favourite(self, operator_id: str, item_code: str, favourite: bool) -> None:
        with self.store.session() as s:
            pref = s.get(OperatorItemPref, (operator_id, item_code)) or OperatorItemPref(
                operator_id=operator_id, item_code=item_code, use_count=0)
            pref.favourite = favourite
            s.merge(pref)

    def preferred_items(self, operator_id: str, limit: int = 12) -> tuple[list[str], list[str]]:
        """(favourites, recent) item codes of an operator."""
        with self.store.session() as s:
            favs = list(s.scalars(select(OperatorItemPref.item_code).where(
                OperatorItemPref.operator_id == operator_id, OperatorItemPref.favourite.is_(True))))
            recent = list(s.scalars(select(OperatorItemPref.item_code).where(
                OperatorItemPref.operator_id == operator_id, OperatorItemPref.last_used_at.is_not(None))
                .order_by(OperatorItemPref.last_used_at.desc()).limit(limit)))
            return favs, recent

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
        "events": [_event_json(e) for e in events],
    }
