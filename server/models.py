"""ORM tables of the central server: operators, terminals, tokens, persons and insurances, cases, idempotency keys."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from server.db import UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


class Operator(Base):
    __tablename__ = "operators"

    operator_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    agency_code: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | locked | disabled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Terminal(Base):
    __tablename__ = "terminals"

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str] = mapped_column(String(12))
    mode: Mapped[str] = mapped_column(String(16))
    hostname: Mapped[str] = mapped_column(String(255))
    client_version: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EnrolmentCode(Base):
    """A one-terminal enrolment code, stored hashed; bound to the first terminal that uses it."""

    __tablename__ = "enrolment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency_code: Mapped[str | None] = mapped_column(String(32), nullable=True)  # if set, must match
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # operator | terminal
    subject: Mapped[str] = mapped_column(String(64))  # operator_id or terminal_id
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_tokens_kind_subject", "kind", "subject"),)


class Unit(Base):
    """参保单位, keyed by its 统一社会信用代码."""

    __tablename__ = "units"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    region_code: Mapped[str] = mapped_column(String(12))


class Person(Base):
    __tablename__ = "persons"

    ssn: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    nation: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    hukou_address: Mapped[str] = mapped_column(String(255))
    residence_address: Mapped[str] = mapped_column(String(255))
    postcode: Mapped[str] = mapped_column(String(6))
    region_code: Mapped[str] = mapped_column(String(12))
    village: Mapped[str] = mapped_column(String(64))

    insurances: Mapped[list[Insurance]] = relationship(
        back_populates="person", order_by="Insurance.since", cascade="all, delete-orphan"
    )


class Insurance(Base):
    __tablename__ = "insurances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ssn: Mapped[str] = mapped_column(ForeignKey("persons.ssn"), index=True)
    scheme: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    since: Mapped[date] = mapped_column(Date)
    unit_uscc: Mapped[str | None] = mapped_column(ForeignKey("units.uscc"), nullable=True)

    person: Mapped[Person] = relationship(back_populates="insurances")
    unit: Mapped[Unit | None] = relationship(lazy="joined")


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    item_code: Mapped[str] = mapped_column(String(64))
    item_name: Mapped[str] = mapped_column(String(255))
    applicant_ssn: Mapped[str] = mapped_column(String(18), index=True)
    applicant_name: Mapped[str] = mapped_column(String(64))
    agency_code: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    server_status: Mapped[str] = mapped_column(String(32), default="received")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    server_ref: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)

    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.at")


class CaseEvent(Base):
    __tablename__ = "case_events"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    to_status: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    case: Mapped[Case] = relationship(back_populates="events")


class IdempotencyKey(Base):
    """The first response given under a key, replayed byte for byte on a retry with the same body."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """A terminal's audit record, uploaded as is (its hash chain stays verifiable centrally)."""

    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("terminal_id", "local_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    local_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    operator_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CaseRating(Base):
    """好差评 of a case."""

    __tablename__ = "case_ratings"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Certificate(Base):
    """A certificate whose verification code the server issued (server/verify.py): the certified content, its hash
    and the code's parts. The code's HMAC tag is not stored: it is recomputed from the content on every check, so
    an edited row fails verification like a forged code."""

    __tablename__ = "certificates"

    serial: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    key_id: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_count: Mapped[int] = mapped_column(Integer, default=0)


class CertificateKey(Base):
    """HMAC keys of the certificate codes (id 1 made on first use unless YICHUANG_CERTIFICATE_KEY is set)."""

    __tablename__ = "certificate_keys"

    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret_hex: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- offline-first sync (server/sync_*.py, server/attachments.py, server/refdata.py) -----------------------------

class CaseStatusChange(Base):
    """The central verdict on a case (accepted / rejected / needs_correction / resubmit / resubmitted), in the order
    given; terminals pull the changes of their own cases after a cursor (`seq`)."""

    __tablename__ = "case_status_changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    server_status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    operator_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_case_status_changes_terminal_seq", "terminal_id", "seq"),)


class AttachmentUpload(Base):
    """A scan being uploaded in chunks; `complete` once the whole file matched its declared SHA-256 and size."""

    __tablename__ = "attachment_uploads"

    attachment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)  # the case may arrive after its scans
    material_code: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    chunk_size: Mapped[int] = mapped_column(Integer)
    chunk_count: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="uploading")  # uploading | complete
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AttachmentChunk(Base):
    """One verified chunk of an upload (the blob store of the reference server is its database)."""

    __tablename__ = "attachment_chunks"

    attachment_id: Mapped[str] = mapped_column(ForeignKey("attachment_uploads.attachment_id"), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PersonVersion(Base):
    """Optimistic concurrency of person data: an update names the version it was made on; a stale one is refused."""

    __tablename__ = "person_versions"

    ssn: Mapped[str] = mapped_column(ForeignKey("persons.ssn"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RefDocument(Base):
    """Versioned reference data terminals copy: catalog version, parameters, holiday calendar years."""

    __tablename__ = "ref_documents"

    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RefChange(Base):
    """Change log behind the delta endpoint: terminals ask for everything after the last `seq` they saw."""

    __tablename__ = "ref_changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))
    key: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # set for field assignments
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class FieldAssignment(Base):
    """A person a field operator serves (上门服务); their terminal keeps a copy for offline work."""

    __tablename__ = "field_assignments"

    operator_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ssn: Mapped[str] = mapped_column(ForeignKey("persons.ssn"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- 待遇领取资格认证 and field mode (server/certification.py) ----------------------------------------------------

class CertBenefit(Base):
    """A pensioner's benefit as certification sees it: region, start, monthly amount, payment state."""

    __tablename__ = "certification_benefits"

    ssn: Mapped[str] = mapped_column(ForeignKey("persons.ssn"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16))  # employee / resident
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    benefit_start: Mapped[date] = mapped_column(Date)
    monthly_amount: Mapped[str | None] = mapped_column(String(16), nullable=True)  # decimal as text
    state: Mapped[str] = mapped_column(String(16), default="active")  # active / suspended / terminating / terminated
    suspended_from: Mapped[str | None] = mapped_column(String(7), nullable=True)  # YYYY-MM
    state_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    paid_through: Mapped[str | None] = mapped_column(String(7), nullable=True)
    unverified_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    ref_photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CertEvent(Base):
    """One certification attempt: data comparison, counter, kiosk, home visit …; `passed` ones certify."""

    __tablename__ = "certification_events"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    method: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(String(16), index=True)  # passed / pending / failed / rejected / to_verify
    certified_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    operator_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    second_operator_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)  # visit or record id
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reviewed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CertVisitRow(Base):
    """A home visit assigned to a field operator, and — once received — its verified evidence bundle."""

    __tablename__ = "certification_visits"

    visit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    operator_id: Mapped[str] = mapped_column(String(64), index=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    due_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_by: Mapped[str] = mapped_column(String(64))
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="assigned", index=True)  # assigned / received / cancelled
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    result_list: Mapped[str | None] = mapped_column(String(16), nullable=True)
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bundle_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    manifest: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    signature: Mapped[str | None] = mapped_column(Text, nullable=True)
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CertFile(Base):
    """An evidence file (visit photo, signature, live photo of a counter/kiosk certification), verified on arrival."""

    __tablename__ = "certification_files"

    owner_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    mime_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CertTerminalKey(Base):
    """A terminal's Ed25519 public key for evidence bundles (registered before its first bundle)."""

    __tablename__ = "certification_terminal_keys"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    public_key: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CertLoss(Base):
    """Death, custody, another pension, long absence: learnt at a counter, on a visit or by data comparison."""

    __tablename__ = "certification_loss_events"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))
    visit_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    operator_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CertStatusChange(Base):
    """Suspension, termination or resumption of a benefit, with the rule and (for a resumption) the back pay."""

    __tablename__ = "certification_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ssn: Mapped[str] = mapped_column(String(18), index=True)
    action: Mapped[str] = mapped_column(String(16))  # suspend / terminate / resume
    from_month: Mapped[str] = mapped_column(String(7))
    reason: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CertReport(Base):
    """A submitted yearly 资格认证报告书 (002 §26)."""

    __tablename__ = "certification_reports"

    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
