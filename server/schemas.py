"""Request and response bodies of API v1 (pydantic); they define the published OpenAPI contract."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="snake_case error code, stable for programs")
    message: str = Field(description="中文提示，可直接展示给用户")
    detail: str = Field(description="precise detail for support and logs")


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok"]
    server_version: str
    api_version: str
    catalog_version: str
    time: str = Field(description="server time, ISO 8601 UTC")


class TerminalRegistration(BaseModel):
    terminal_id: str = Field(min_length=1, max_length=64)
    agency_code: str = Field(min_length=1, max_length=32)
    region_code: str = Field(min_length=1, max_length=12)
    mode: Literal["counter", "kiosk", "field"]
    hostname: str = Field(max_length=255)
    client_version: str = Field(max_length=64)
    enrolment_code: str | None = None
    # issue 11: the terminal's Ed25519 public key (base64 of the 32 raw bytes); its requests are signed with it
    public_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9+/]{43}=$")


class TerminalRegistered(BaseModel):
    terminal_id: str
    terminal_token: str
    registered_at: str
    key_id: str | None = None  # issue 11: the registered public key's id (None when none was sent)


class LoginRequest(BaseModel):
    operator_id: str = Field(min_length=1, max_length=64)
    password: str = Field(max_length=256)
    terminal_id: str = Field(min_length=1, max_length=64)
    otp: str | None = Field(default=None, max_length=16,
                            description="动态口令 (TOTP, 6 digits) when the agency's policy requires it (issue 11)")


class OperatorInfo(BaseModel):
    operator_id: str
    name: str
    roles: list[str]
    agency_code: str


class LoginResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"]
    expires_at: str
    operator: OperatorInfo


class InsuranceRecord(BaseModel):
    scheme: str = Field(description="险种, e.g. 城乡居民养老保险, 企业职工基本养老保险, 失业保险, 工伤保险")
    status: Literal["参保缴费", "暂停缴费", "待遇领取", "终止"]
    since: str = Field(description="YYYY-MM-DD")
    unit_name: str | None


class PersonOut(BaseModel):
    ssn: str
    name: str
    gender: Literal["男", "女"]
    birth_date: str = Field(description="YYYY-MM-DD")
    nation: str
    phone: str | None
    hukou_address: str
    residence_address: str
    postcode: str
    region_code: str
    village: str
    insurances: list[InsuranceRecord]


class CaseEventIn(BaseModel):
    event_id: UUID
    kind: str = Field(min_length=1, max_length=32)
    from_status: str | None = Field(default=None, max_length=32)
    to_status: str = Field(min_length=1, max_length=32)
    operator_id: str = Field(min_length=1, max_length=64)
    role: str = Field(min_length=1, max_length=32)
    terminal_id: str = Field(min_length=1, max_length=64)
    at: datetime
    reason: str | None = None


class CaseIn(BaseModel):
    """A case accepted (受理) at a terminal, with its events so far."""

    case_id: UUID = Field(description="minted by the client")
    case_no: str = Field(min_length=1, max_length=64, description="受理编号, unique across terminals")
    item_code: str = Field(min_length=1, max_length=64)
    item_name: str = Field(min_length=1, max_length=255)
    applicant_ssn: str = Field(min_length=1, max_length=32)
    applicant_name: str = Field(min_length=1, max_length=64)
    agency_code: str = Field(min_length=1, max_length=32)
    terminal_id: str = Field(min_length=1, max_length=64)
    operator_id: str = Field(min_length=1, max_length=64)
    status: str = Field(min_length=1, max_length=32)
    accepted_at: datetime
    payload: dict[str, Any]
    events: list[CaseEventIn] = Field(default_factory=list)


class CaseReceipt(BaseModel):
    case_id: str
    case_no: str
    server_status: str
    received_at: str
    server_ref: str


class CaseOut(BaseModel):
    case_id: str
    case_no: str
    item_code: str
    status: str
    server_status: str
    received_at: str
    server_ref: str


class CatalogVersion(BaseModel):
    catalog_version: str
    item_count: int
