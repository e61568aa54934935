"""Certification at the counter and at the kiosk: identify the pensioner (social security card, ID card or typed
number), capture a live photo, check it is a real face, compare it with the reference photo when a model is
configured, record the result — with the outbox message and the audit record in one transaction.

Counter: the clerk sees the person and the ID card photo, so a live face attested by the clerk certifies (method
窗口当面认证); the photo still goes to the centre, for back-office comparison when no model compared it here.
Kiosk: nobody attests; without a local comparison the record is `pending` until the back office compares the photo.

Deaths and custody reported at the counter (by relatives, 协办员) are recorded for the monthly report
[001 ch5 L71, L74; 002 §27] and sent to the centre, which suspends or terminates the payment."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.certification import messages
from app.certification.evidence import b64, sha256_hex
from app.certification.face import FaceCheck
from app.certification.rules import LOSS_LABELS, METHOD_LABELS, LossKind, Method
from app.clock import as_utc, local_today, utcnow
from app.errors import ValidationFailed, YichuangError
from app.ids import InvalidIdNumber, parse_id_number
from app.security.audit import append_audit
from app.store import Store
from app.store.models import CertLossEvent, CertRecord
from app.sync.outbox import new_message

RESULT_LABELS = {"passed": "认证通过", "pending": "已提交后台比对", "failed": "认证未通过"}


@dataclass(frozen=True)
class Identity:
    ssn: str
    name: str
    source: str  # sscard / idcard / typed
    card_photo: bytes | None = None  # the ID card's photo when the reader decoded it (a reference)

    @classmethod
    def from_sscard(cls, record) -> "Identity":
        if not record.ssn or not record.name:
            raise YichuangError("社保卡未读出姓名和社会保障号码，请改用身份证或手工输入。", "sscard withheld fields",
                                code="identity_incomplete")
        return cls(_check_ssn(record.ssn), record.name, "sscard")

    @classmethod
    def from_idcard(cls, record) -> "Identity":
        if record.problems:
            raise YichuangError("身份证校验未通过：" + "；".join(record.problems), "idcard problems",
                                code="identity_invalid")
        return cls(_check_ssn(record.id_number), record.name, "idcard", record.photo_bmp)

    @classmethod
    def typed(cls, ssn: str, name: str) -> "Identity":
        if not (name or "").strip():
            raise ValidationFailed("请输入姓名。", "name empty", field="name")
        return cls(_check_ssn(ssn), name.strip(), "typed")


def _check_ssn(raw: str) -> str:
    try:
        return parse_id_number(raw).number
    except InvalidIdNumber as exc:
        raise ValidationFailed(f"社会保障号码有误：{exc.reason}", f"bad ssn: {exc.reason}", field="ssn") from None


@dataclass(frozen=True)
class RecordView:
    record_id: str
    ssn: str
    name: str
    method: str
    channel: str
    result: str
    message: str
    certified_at: datetime

    @property
    def result_label(self) -> str:
        return RESULT_LABELS[self.result]


def decide(face: FaceCheck, channel: str, attested: bool) -> str:
    if not face.live:
        return "failed"
    if face.compared:
        if face.match:
            return "passed"
        return "failed" if channel == "kiosk" or not attested else "passed"
    if channel == "counter" and attested:
        return "passed"
    return "pending"


class CertificationService:
    def __init__(self, store: Store, terminal_id: str, agency_code: str = ""):
        self.store = store
        self.terminal_id = terminal_id
        self.agency_code = agency_code

    def record(self, identity: Identity, photo_jpeg: bytes, face: FaceCheck, *, channel: str, operator_id: str,
               attested: bool = False) -> RecordView:
        """Save one certification and queue it for the centre (with the photo as evidence)."""
        if channel not in ("counter", "kiosk"):
            raise ValueError(channel)
        if not photo_jpeg:
            raise YichuangError("请先拍摄现场照片。", "no live photo", code="photo_missing")
        method = Method.face_kiosk if channel == "kiosk" else Method.face_counter
        result = decide(face, channel, attested)
        now = utcnow()
        record_id = str(uuid.uuid4())
        message = {"passed": f"{identity.name}：{METHOD_LABELS[method]}通过",
                   "pending": f"{identity.name}：{face.message or '照片已提交后台人工比对'}",
                   "failed": f"{identity.name}：{face.message or '认证未通过'}"}[result]
        body = {"record_id": record_id, "ssn": identity.ssn, "name": identity.name, "method": method.value,
                "channel": channel, "result": result, "identified_by": identity.source, "attested": attested,
                "operator_id": operator_id, "terminal_id": self.terminal_id, "certified_at": now.isoformat(),
                "face": {k: v for k, v in face.to_dict().items() if k != "metrics"} | {"metrics": face.metrics},
                "photo": b64(photo_jpeg), "photo_sha256": sha256_hex(photo_jpeg)}
        with self.store.session() as s:
            msg = new_message(aggregate_id=record_id, kind=messages.RECORD, method="POST",
                              path=f"{messages.BASE}/records", body=body, now=now)
            s.add(msg)
            s.add(CertRecord(record_id=record_id, ssn=identity.ssn, name=identity.name, method=method.value,
                             channel=channel, result=result, face=face.to_dict(), identified_by=identity.source,
                             operator_id=operator_id, terminal_id=self.terminal_id, certified_at=now,
                             message_id=msg.message_id))
            append_audit(s, at=now, operator_id=operator_id, terminal_id=self.terminal_id,
                         action="certification.record", object_type="person", object_id=identity.ssn,
                         detail={"record_id": record_id, "channel": channel, "result": result,
                                 "compared": face.compared, "queued": face.queued})
        return RecordView(record_id, identity.ssn, identity.name, method.value, channel, result, message, now)

    def report_loss(self, *, ssn: str, name: str, kind: LossKind, on: date, operator_id: str, informant: str = "",
                    note: str = "") -> str:
        """A death or custody reported at the counter: kept for the monthly report and sent to the centre."""
        ssn = _check_ssn(ssn)
        if on > local_today():
            raise ValidationFailed("日期不能晚于今天。", f"loss date {on} in the future", field="on")
        now = utcnow()
        event_id = str(uuid.uuid4())
        body = {"event_id": event_id, "ssn": ssn, "name": name, "kind": kind.value, "on": on.isoformat(),
                "source": "counter", "informant": informant.strip() or None, "note": note.strip() or None,
                "operator_id": operator_id, "terminal_id": self.terminal_id, "at": now.isoformat()}
        with self.store.session() as s:
            msg = new_message(aggregate_id=event_id, kind=messages.LOSS_EVENT, method="POST",
                              path=f"{messages.BASE}/loss-events", body=body, now=now)
            s.add(msg)
            s.add(CertLossEvent(event_id=event_id, ssn=ssn, name=name, kind=kind.value, on_date=on.isoformat(),
                                source="counter", visit_id=None, operator_id=operator_id,
                                terminal_id=self.terminal_id, at=now,
                                detail={"informant": informant.strip() or None}, message_id=msg.message_id))
            append_audit(s, at=now, operator_id=operator_id, terminal_id=self.terminal_id,
                         action="certification.loss_event", object_type="person", object_id=ssn,
                         detail={"kind": kind.value, "event_id": event_id})
        return event_id

    def recent(self, limit: int = 50) -> list[RecordView]:
        with self.store.session() as s:
            rows = s.scalars(select(CertRecord).order_by(CertRecord.certified_at.desc()).limit(limit))
            return [RecordView(r.record_id, r.ssn, r.name, r.method, r.channel, r.result,
                               (r.face or {}).get("message", ""), as_utc(r.certified_at)) for r in rows]

    def loss_events(self, month: str | None = None) -> list[dict]:
        """This terminal's death/custody events (field ones until their visit is wiped, counter ones), optionally those
        recorded in one month (YYYY-MM, local time) — the input of the monthly report (app.certification.reports)."""
        from app.clock import to_local

        with self.store.session() as s:
            rows = list(s.scalars(select(CertLossEvent).order_by(CertLossEvent.at)))
        out = []
        for e in rows:
            recorded = to_local(e.at)
            if month and recorded.strftime("%Y-%m") != month:
                continue
            out.append({"ssn": e.ssn, "name": e.name, "kind": e.kind, "kind_label": LOSS_LABELS[LossKind(e.kind)],
                        "on": e.on_date, "source": e.source, "operator_id": e.operator_id,
                        "recorded_on": recorded.date().isoformat()})
        return out
