"""Tables of the terminal's local database: operators, cases (业务件), case events, attachments, outbox, audit log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Operator(Base):
    """An operator known to this terminal; `password_verifier` is an Argon2id hash kept for offline login."""

    __tablename__ = "operators"
    operator_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    roles: Mapped[list] = mapped_column(JSON, default=list)
    agency_code: Mapped[str] = mapped_column(String(12))
    password_verifier: Mapped[str | None] = mapped_column(String(255))
    last_online_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled: Mapped[bool] = mapped_column(default=False)


class Case(Base):
    """A 业务件: one application for one service item, minted on this terminal with a UUID."""

    __tablename__ = "cases"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_no: Mapped[str] = mapped_column(String(48), unique=True)  # 受理编号
    item_code: Mapped[str] = mapped_column(String(64), index=True)
    item_name: Mapped[str] = mapped_column(String(128))
    applicant_ssn: Mapped[str] = mapped_column(String(18), index=True)
    applicant_name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    operator_id: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sync_state: Mapped[str] = mapped_column(String(16), default="pending")  # pending / synced / failed
    server_ref: Mapped[str | None] = mapped_column(String(64))
    document_path: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by every change (optimistic concurrency)
    accepted_on: Mapped[str | None] = mapped_column(String(10))
    promised_due: Mapped[str | None] = mapped_column(String(10), index=True)
    statutory_due: Mapped[str | None] = mapped_column(String(10))


class CaseEvent(Base):
    """One transition of a case: who, in which role, on which terminal, when and why."""

    __tablename__ = "case_events"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("case_id", "seq"),)


class Attachment(Base):
    """Metadata of a scanned or photographed material; the bytes live in the attachments dir."""

    __tablename__ = "attachments"
    attachment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    material_code: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxMessage(Base):
    """A request to the central API, committed in the same transaction as the change it carries."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # send order
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    aggregate_id: Mapped[str] = mapped_column(String(36), index=True)  # the case it belongs to
    kind: Mapped[str] = mapped_column(String(48))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(255))
    body: Mapped[dict] = mapped_column(JSON)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    depends_on: Mapped[str | None] = mapped_column(String(36))
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending / sent / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    server_status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # schema 0005 (app.sync): why it failed, what the server answered, its verdict on the case, who claimed it
    error_code: Mapped[str | None] = mapped_column(String(64))
    response: Mapped[dict | None] = mapped_column(JSON)  # reply on success; the server's version on a conflict
    remote_status: Mapped[str | None] = mapped_column(String(24))  # received/accepted/rejected/needs_correction/…
    remote_reason: Mapped[str | None] = mapped_column(Text)
    remote_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_id: Mapped[str | None] = mapped_column(String(36))  # the relay pass that has it in flight
    replaced_by: Mapped[str | None] = mapped_column(String(36))  # superseded by this message (resubmit, conflict)


class AuditRecord(Base):
    """Append-only audit log; each row hashes the previous one so a deletion or edit shows."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    operator_id: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # never raw personal data
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    uploaded: Mapped[bool] = mapped_column(default=False)  # sent to the central audit store (schema 0004)


class ArchivePackage(Base):
    """The electronic archive package built when a case is 办结 (000 §112–§115; schema 0004)."""

    __tablename__ = "archive_packages"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), primary_key=True)
    archive_no: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    missing: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Rating(Base):
    """好差评: the applicant's rating of the service (000 §19 评价机制; schema 0004)."""

    __tablename__ = "ratings"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)  # 5 非常满意 … 1 非常不满意
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))  # counter / kiosk / field
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseNumberSequence(Base):
    """Per-terminal, per-day counter behind the human case number (added in schema 0002)."""

    __tablename__ = "case_number_sequences"
    terminal_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class OperatorItemPref(Base):
    """An operator's recent and favourite service items (schema 0003)."""

    __tablename__ = "operator_item_prefs"
    operator_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    use_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    favourite: Mapped[bool] = mapped_column(default=False)


class LocalSetting(Base):
    """Small key/value state of this terminal (its registration token, last catalog version) (schema 0002)."""

    __tablename__ = "local_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_outbox_state_seq", OutboxMessage.state, OutboxMessage.seq)


# --- schema 0005: offline-first sync (app.sync) -----------------------------------------------------------------

class OutboxDependency(Base):
    """Extra ordering edges beyond `outbox.depends_on`: `message_id` leaves only after `depends_on` was delivered
    (a case's scans before the case)."""

    __tablename__ = "outbox_dependencies"
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    depends_on: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


class SyncPerson(Base):
    """A person's base data as last known from the central system (`version` is the server's), plus local edits
    not yet confirmed. Field terminals hold the persons assigned to their operator (reference data down-sync)."""

    __tablename__ = "sync_persons"
    ssn: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)  # 0 = never seen by the server
    assigned_to: Mapped[str | None] = mapped_column(String(32), index=True)
    pending_edit: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RefDocument(Base):
    """Reference data pulled from the central system with its version: catalog version, parameters, holidays."""

    __tablename__ = "sync_ref_documents"
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)  # catalog / calendar / parameter
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxCount(Base):
    """Messages per state (and `rejected`), kept by triggers on `outbox` (schema 0005): O(1) counts."""

    __tablename__ = "outbox_counts"
    key: Mapped[str] = mapped_column(String(24), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


Index("ix_outbox_remote_status", OutboxMessage.remote_status, OutboxMessage.state)
Index("ix_outbox_claim", OutboxMessage.claim_id)
Index("ix_outbox_depends_on", OutboxMessage.depends_on)
Index("ix_cases_applicant_name", Case.applicant_name)  # outbox screen: 1–2 character name search (schema 0005)
# schema 0005 also creates `cases_search` (FTS5, trigram) kept by triggers on `cases`; see app.sync.outbox_view


# --- schema 0006: 待遇领取资格认证 and field mode (app.certification) ---------------------------------------------
from sqlalchemy import LargeBinary  # noqa: E402


class CertVisit(Base):
    """A home visit (上门认证) assigned to a field operator, downloaded before leaving; the person's data and reference
    photo stay in the (encrypted) database until the server confirmed the visit's evidence bundle, then are wiped."""

    __tablename__ = "cert_visits"
    visit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    operator_id: Mapped[str] = mapped_column(String(32), index=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(64))
    person: Mapped[dict] = mapped_column(JSON, default=dict)  # address, phone, scheme, state, last certification …
    ref_photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason: Mapped[str] = mapped_column(Text, default="")
    due_by: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(16), default="assigned", index=True)  # assigned/captured/confirmed/wiped
    outcome: Mapped[str | None] = mapped_column(String(16))
    seq: Mapped[int | None] = mapped_column(Integer)  # this terminal's bundle sequence
    bundle_sha256: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(36))
    downloaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    captured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    wiped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CertEvidence(Base):
    """One evidence file (photo, signature) of a visit or a counter certification: AES-GCM sealed on disk with the DEK;
    `sha256` is of the plain bytes, as listed in the signed manifest."""

    __tablename__ = "cert_evidence"
    evidence_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(36), index=True)  # visit_id or record_id
    kind: Mapped[str] = mapped_column(String(16))  # person / with_staff / document / signature / live
    file_name: Mapped[str] = mapped_column(String(64))
    path: Mapped[str | None] = mapped_column(Text)  # relative to the evidence dir; None once wiped
    mime_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CertRecord(Base):
    """A certification done at the counter or the kiosk (identify, live photo, face check), queued for the centre."""

    __tablename__ = "cert_records"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))  # counter / kiosk
    result: Mapped[str] = mapped_column(String(16))  # passed / pending (back-office comparison) / failed
    face: Mapped[dict] = mapped_column(JSON, default=dict)
    identified_by: Mapped[str] = mapped_column(String(16))  # sscard / idcard / typed
    operator_id: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(16))
    certified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[str | None] = mapped_column(String(36))


class CertLossEvent(Base):
    """A death, custody or similar event learnt at the counter or on a visit (monthly report, 001 ch5 L74)."""

    __tablename__ = "cert_loss_events"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[str] = mapped_column(String(10), index=True)
    source: Mapped[str] = mapped_column(String(16))  # counter / field
    visit_id: Mapped[str | None] = mapped_column(String(36))
    operator_id: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    message_id: Mapped[str | None] = mapped_column(String(36))
