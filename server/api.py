"""The central HTTP API v1 (FastAPI): routes, authentication, idempotent case intake and the error envelope."""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.ids import InvalidIdNumber, is_valid_uscc, mask_id_number, parse_id_number
from server import schemas
from server.db import create_schema, make_engine, make_sessionmaker, utcnow
from server.models import Case, CaseEvent, EnrolmentCode, IdempotencyKey, Operator, Person, Terminal
from server.security import (
    OPERATOR_TOKEN_TTL,
    TERMINAL_TOKEN_TTL,
    Principal,
    issue_token,
    password_needs_rehash,
    hash_password,
    purge_expired_tokens,
    resolve_token,
    revoke_tokens,
    sha256_hex,
    verify_password,
)

SERVER_VERSION = "0.1.0"
API_VERSION = "1"
log = logging.getLogger("yichuang.server")


@dataclass(frozen=True)
class Settings:
    auto_register_terminals: bool = True
    catalog_version: str = "2024.1"
    catalog_item_count: int = 156
    operator_token_ttl: timedelta = OPERATOR_TOKEN_TTL
    terminal_token_ttl: timedelta = TERMINAL_TOKEN_TTL
    require_signatures: bool = False  # issue 11: every non-open request signed by a registered terminal key


class ApiError(Exception):
    """An error answered with the envelope: `message` is Chinese for the user, `detail` is for support."""

    def __init__(self, status: int, code: str, message: str, detail: str = "", headers: dict[str, str] | None = None):
        super().__init__(f"{code}: {detail or message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail or message
        self.headers = headers


def iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a Z, microsecond precision (the one format of every instant the API returns)."""
    return dt.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _envelope(status: int, code: str, message: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"error": {"code": code, "message": message, "detail": detail}},
        headers=headers,
    )


_HTTP_ERRORS = {
    400: ("bad_request", "请求有误"),
    401: ("unauthorized", "未登录或登录已过期，请重新登录"),
    403: ("forbidden", "没有权限执行此操作"),
    404: ("not_found", "请求的地址不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "数据冲突，请刷新后重试"),
    413: ("payload_too_large", "提交的数据过大"),
    415: ("unsupported_media_type", "不支持的数据格式"),
    422: ("validation_error", "提交的数据格式不正确，请检查后重试"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _envelope(exc.status, exc.code, exc.message, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_ERRORS.get(exc.status_code, (f"http_{exc.status_code}", "请求未能完成"))
        return _envelope(exc.status_code, code, message, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()]
        code, message = _HTTP_ERRORS[422]
        return _envelope(422, code, message, "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _envelope(500, "internal_error", "服务器内部错误，请稍后重试", type(exc).__name__)


# --- dependencies -------------------------------------------------------------------------------------------------

def _sessions(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions


def _settings(request: Request) -> Settings:
    return request.app.state.settings


_bearer = HTTPBearer(auto_error=False, description="operator token (from /auth/login) or terminal token")


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, "unauthorized", _HTTP_ERRORS[401][1], detail, headers={"WWW-Authenticate": "Bearer"})


def require_principal(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if creds is None or not creds.credentials:
        raise _unauthorized("missing bearer token")
    with _sessions(request)() as s:
        principal = resolve_token(s, creds.credentials)
    if principal is None:
        raise _unauthorized("invalid or expired token")
    return principal


Authenticated = Annotated[Principal, Depends(require_principal)]


async def _canonical_body_hash(request: Request) -> str:
    """SHA-256 of the request body as canonical JSON (sorted keys, no spaces), so formatting does not matter."""
    raw = await request.body()
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        canonical = raw.decode("utf-8", "replace")
    return sha256_hex(canonical)


def _err(description: str) -> dict[str, Any]:
    return {"model": schemas.ErrorEnvelope, "description": description}


_E401 = {401: _err("未登录或令牌无效/过期 (unauthorized)")}
_E422 = {422: _err("请求数据校验失败 (validation_error)")}


# --- routes -------------------------------------------------------------------------------------------------------

router = APIRouter(prefix="/api/v1")


@router.get("/health", response_model=schemas.Health, tags=["system"])
def health(request: Request) -> dict[str, Any]:
    """Liveness and versions; no authentication. Clients use it as their network probe."""
    return {
        "status": "ok",
        "server_version": SERVER_VERSION,
        "api_version": API_VERSION,
        "catalog_version": _settings(request).catalog_version,
        "time": iso(utcnow()),
    }


@router.post(
    "/terminals/register",
    response_model=schemas.TerminalRegistered,
    tags=["terminals"],
    responses={403: _err("需要有效的终端登记码 (enrolment_required)；更换签名密钥未获证明 (terminal_key_refused)"), **_E422},
)
def register_terminal(body: schemas.TerminalRegistration, request: Request) -> dict[str, Any]:
    """Register a terminal (or re-register it: the token is rotated and the fields updated)."""
    settings = _settings(request)
    for _attempt in range(3):
        with _sessions(request)() as s:
            now = utcnow()
            fresh_code = False
            if not settings.auto_register_terminals:
                fresh_code = _consume_enrolment_code(s, body, now)
            terminal = s.get(Terminal, body.terminal_id)
            if terminal is None:
                terminal = Terminal(terminal_id=body.terminal_id, registered_at=now)
                s.add(terminal)
            terminal.agency_code = body.agency_code
            terminal.region_code = body.region_code
            terminal.mode = body.mode
            terminal.hostname = body.hostname
            terminal.client_version = body.client_version
            terminal.updated_at = now
            from server import terminal_auth  # issue 11: the terminal's public key (request signatures)

            try:
                key_id = terminal_auth.bind_key(
                    s, body.terminal_id, body.public_key, fresh_enrolment=fresh_code,
                    signed_by_terminal=terminal_auth.signed_terminal(request) == body.terminal_id,
                    open_enrolment=settings.auto_register_terminals)
            except (terminal_auth.KeyRefused, ValueError) as exc:
                raise ApiError(403, "terminal_key_refused", "该终端已登记其他签名密钥，更换密钥需要新的终端登记码",
                               str(exc)) from None
            revoke_tokens(s, "terminal", body.terminal_id)
            token, _expires = issue_token(
                s, "terminal", body.terminal_id, settings.terminal_token_ttl, terminal_id=body.terminal_id
            )
            try:
                s.commit()
            except IntegrityError:
                s.rollback()  # the same terminal registering concurrently: try again over the winner's row
                continue
            log.info("terminal registered: %s (%s, %s)", body.terminal_id, body.agency_code, body.mode)
            return {"terminal_id": terminal.terminal_id, "terminal_token": token,
                    "registered_at": iso(terminal.registered_at), "key_id": key_id}
    raise ApiError(409, "conflict", _HTTP_ERRORS[409][1], "terminal registration kept conflicting")


def _consume_enrolment_code(s: Session, body: schemas.TerminalRegistration, now: datetime) -> bool:
    """Check and bind the code; True when it had not been used before (lets a re-enrolment replace the key)."""
    def refuse(detail: str) -> ApiError:
        return ApiError(403, "enrolment_required", "终端尚未登记，请输入有效的终端登记码", detail)

    if not body.enrolment_code:
        raise refuse("this server requires an enrolment code")
    row = s.get(EnrolmentCode, sha256_hex(body.enrolment_code.strip()))
    if row is None:
        raise refuse("unknown enrolment code")
    if row.expires_at is not None and row.expires_at <= now:
        raise refuse("enrolment code expired")
    if row.agency_code is not None and row.agency_code != body.agency_code:
        raise refuse("enrolment code belongs to another agency")
    if row.terminal_id is not None and row.terminal_id != body.terminal_id:
        raise refuse("enrolment code already used by another terminal")
    fresh = row.used_at is None
    row.terminal_id = body.terminal_id
    row.used_at = now
    return fresh


@router.post(
    "/auth/login",
    response_model=schemas.LoginResponse,
    tags=["auth"],
    responses={
        401: _err("账号或密码错误 (invalid_credentials)"),
        403: _err("账号已锁定或停用 (operator_disabled)"),
        **_E422,
    },
)
def login(body: schemas.LoginRequest, request: Request) -> dict[str, Any]:
    """Operator sign-in at a terminal; returns an operator bearer token."""
    settings = _settings(request)
    with _sessions(request)() as s:
        op = s.get(Operator, body.operator_id)
        if not verify_password(op.password_hash if op else None, body.password):
            log.info("login failed for %r at %s", body.operator_id, body.terminal_id)
            operators_auth.count_password_failure(s, body.operator_id)  # lock-out per agency policy (issue 11)
            raise ApiError(401, "invalid_credentials", "账号或密码错误", "operator id or password does not match")
        if op.status != "active":
            raise ApiError(403, "operator_disabled", "该账号已被锁定或停用，请联系管理员", f"operator status is {op.status}")
        operators_auth.check_login(s, op, body.otp)  # lock-out, TOTP, password expiry (issue 11)
        if password_needs_rehash(op.password_hash):
            op.password_hash = hash_password(body.password)
        purge_expired_tokens(s, "operator", op.operator_id)
        token, expires_at = issue_token(
            s, "operator", op.operator_id, settings.operator_token_ttl, terminal_id=body.terminal_id
        )
        s.commit()
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_at": iso(expires_at),
            "operator": {
                "operator_id": op.operator_id,
                "name": op.name,
                "roles": list(op.roles or []),
                "agency_code": op.agency_code,
            },
        }


def _check_ssn(raw: str) -> str:
    try:
        return parse_id_number(raw).number
    except InvalidIdNumber as exc:
        raise ApiError(422, "invalid_ssn", exc.reason, f"invalid ID number {mask_id_number(raw)}") from None


def _check_applicant(raw: str) -> str:
    """A person applies by 公民身份号码, a unit by 统一社会信用代码 (GB 32100)."""
    if len(raw) == 18 and is_valid_uscc(raw) and not raw[:17].isdigit():
        return raw.upper()
    return _check_ssn(raw)


@router.get(
    "/persons/{ssn}",
    response_model=schemas.PersonOut,
    tags=["persons"],
    responses={
        **_E401,
        404: _err("未找到参保人员 (person_not_found)"),
        422: _err("公民身份号码无效 (invalid_ssn)"),
    },
)
def get_person(ssn: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """A person's base data and insurance records, by 社会保障号码 (= 公民身份号码)."""
    number = _check_ssn(ssn)
    with _sessions(request)() as s:
        operators_auth.require_permission(s, _p, "view_person")  # permission matrix (issue 11)
        person = s.get(Person, number)
        if person is None:
            raise ApiError(
                404, "person_not_found", "未找到该公民身份号码的参保人员信息", f"no person {mask_id_number(number)}"
            )
        return {
            "ssn": person.ssn,
            "name": person.name,
            "gender": person.gender,
            "birth_date": person.birth_date.isoformat(),
            "nation": person.nation,
            "phone": person.phone,
            "hukou_address": person.hukou_address,
            "residence_address": person.residence_address,
            "postcode": person.postcode,
            "region_code": person.region_code,
            "village": person.village,
            "insurances": [
                {
                    "scheme": i.scheme,
                    "status": i.status,
                    "since": i.since.isoformat(),
                    "unit_name": i.unit.name if i.unit else None,
                }
                for i in person.insurances
            ],
        }


def _receipt(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "case_no": case.case_no,
        "server_status": case.server_status,
        "received_at": iso(case.received_at),
        "server_ref": case.server_ref,
    }


def _json_response(body: bytes, status: int, replayed: bool = False) -> Response:
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return Response(content=body, status_code=status, media_type="application/json", headers=headers)


_IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "maxLength": 128},
    "description": "A UUID minted once per submission and kept for its retries. A retry with the same key and body "
    "replays the first response (status and body) with header `Idempotent-Replayed: true`; the same key with "
    "another body is refused (422 idempotency_key_reused). Missing: 400 idempotency_key_required.",
}
_REPLAYED_HEADER = {
    "Idempotent-Replayed": {"description": "`true` when this is the stored first response", "schema": {"type": "string"}}
}


@router.post(
    "/cases",
    status_code=201,
    response_model=schemas.CaseReceipt,
    tags=["cases"],
    openapi_extra={"parameters": [_IDEMPOTENCY_HEADER]},
    responses={
        201: {"description": "已接收", "headers": _REPLAYED_HEADER},
        200: {
            "model": schemas.CaseReceipt,
            "description": "该 case_id 已以另一幂等键接收：返回已有记录，不新建",
            "headers": _REPLAYED_HEADER,
        },
        400: _err("缺少 Idempotency-Key (idempotency_key_required)"),
        **_E401,
        403: _err("经办人没有受理该事项的权限 (forbidden, operator_unknown, operator_disabled)"),
        409: _err("受理编号或事件编号已属于其他业务 (case_no_conflict, event_conflict)"),
        422: _err("数据校验失败 (validation_error, invalid_ssn, idempotency_key_reused)"),
    },
)
def submit_case(
    case: schemas.CaseIn,
    request: Request,
    _p: Authenticated,
    body_hash: Annotated[str, Depends(_canonical_body_hash)],
) -> Response:
    """Receive a case accepted at a terminal, exactly once."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise ApiError(400, "idempotency_key_required", "请求缺少幂等键，请升级客户端后重试", "header Idempotency-Key is required")
    if len(key) > 128:
        raise ApiError(422, "validation_error", _HTTP_ERRORS[422][1], "Idempotency-Key longer than 128 characters")
    applicant_ssn = _check_applicant(case.applicant_ssn)
    # Unique constraints decide races: on IntegrityError roll back and look again (the winner's row is then visible).
    for _attempt in range(5):
        with _sessions(request)() as s:
            try:
                return _submit_once(s, key, body_hash, case, applicant_ssn, _p)
            except IntegrityError:
                s.rollback()
    raise ApiError(409, "conflict", _HTTP_ERRORS[409][1], "case submission kept conflicting")


def _submit_once(s: Session, key: str, body_hash: str, case: schemas.CaseIn, applicant_ssn: str,
                 principal: Principal) -> Response:
    seen = s.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if seen is not None:
        if seen.request_hash != body_hash:
            raise ApiError(
                422, "idempotency_key_reused", "幂等键已用于另一笔不同的提交", f"Idempotency-Key {key} was used with another body"
            )
        return _json_response(seen.response_body.encode("utf-8"), seen.response_status, replayed=True)
    # issue 11 hook: the case's operator must hold 受理 for this item (as in POST /cases/batch; replays above pass)
    from server.security import authorize

    authorize(s, principal, "accept", operator_id=case.operator_id, item_code=case.item_code)

    case_id = str(case.case_id)
    now = utcnow()
    existing = s.scalar(select(Case).where(Case.case_id == case_id))
    if existing is not None:
        # the client lost its key: answer with the record already held, and remember this key too
        first = s.scalar(
            select(IdempotencyKey.response_body)
            .where(IdempotencyKey.case_id == case_id, IdempotencyKey.response_status == 201)
            .limit(1)
        )
        body = first.encode("utf-8") if first is not None else _json_bytes(_receipt(existing))
        s.add(IdempotencyKey(key=key, request_hash=body_hash, response_status=200,
                             response_body=body.decode("utf-8"), case_id=case_id, created_at=now))
        s.commit()
        return _json_response(body, 200)

    # Each read sees the latest commit, so a racing twin of this request may have landed since the look-up above:
    # count only rows of *other* cases as conflicts; the twin itself surfaces as an IntegrityError on insert.
    taken_no = select(Case.id).where(Case.case_no == case.case_no, Case.case_id != case_id)
    if s.scalar(taken_no) is not None:
        raise ApiError(409, "case_no_conflict", "受理编号已被其他业务使用", f"case_no {case.case_no} belongs to another case_id")
    event_ids = [str(e.event_id) for e in case.events]
    if len(set(event_ids)) != len(event_ids):
        raise ApiError(422, "validation_error", _HTTP_ERRORS[422][1], "duplicate event_id within the case")
    taken_event = (
        select(CaseEvent.event_id).join(Case).where(CaseEvent.event_id.in_(event_ids), Case.case_id != case_id).limit(1)
    )
    if event_ids and s.scalar(taken_event) is not None:
        raise ApiError(409, "event_conflict", "业务事件编号与其他业务冲突", "an event_id belongs to another case")

    row = Case(
        case_id=case_id,
        case_no=case.case_no,
        item_code=case.item_code,
        item_name=case.item_name,
        applicant_ssn=applicant_ssn,
        applicant_name=case.applicant_name,
        agency_code=case.agency_code,
        terminal_id=case.terminal_id,
        operator_id=case.operator_id,
        status=case.status,
        accepted_at=case.accepted_at if case.accepted_at.tzinfo else case.accepted_at.replace(tzinfo=timezone.utc),
        payload=case.payload,
        server_status="received",
        received_at=now,
    )
    s.add(row)
    s.flush()
    row.server_ref = f"YC{now:%Y%m%d}{row.id:08d}"
    for e in case.events:
        s.add(CaseEvent(
            event_id=str(e.event_id), case_pk=row.id, kind=e.kind, from_status=e.from_status,
            to_status=e.to_status, operator_id=e.operator_id, role=e.role, terminal_id=e.terminal_id,
            at=e.at if e.at.tzinfo else e.at.replace(tzinfo=timezone.utc), reason=e.reason,
        ))
    body = _json_bytes(_receipt(row))
    s.add(IdempotencyKey(key=key, request_hash=body_hash, response_status=201,
                         response_body=body.decode("utf-8"), case_id=case_id, created_at=now))
    s.commit()
    log.info("case received: %s %s (%s)", row.case_no, row.server_ref, row.item_code)
    return _json_response(body, 201)


@router.get(
    "/cases/{case_id}",
    response_model=schemas.CaseOut,
    tags=["cases"],
    responses={**_E401, 403: _err("没有查询参保人员信息的权限 (forbidden)"), 404: _err("未找到该业务 (case_not_found)"),
               **_E422},
)
def get_case(case_id: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """The server's view of a submitted case."""
    not_found = ApiError(404, "case_not_found", "未找到该业务记录", f"no case {case_id}")
    try:
        normalized = str(uuid.UUID(case_id))
    except ValueError:
        raise not_found from None
    with _sessions(request)() as s:
        from server.security import authorize

        authorize(s, _p, "view_person")  # issue 11 hook: a case names a person
        row = s.scalar(select(Case).where(Case.case_id == normalized))
        if row is None:
            raise not_found
        return {
            "case_id": row.case_id,
            "case_no": row.case_no,
            "item_code": row.item_code,
            "status": row.status,
            "server_status": row.server_status,
            "received_at": iso(row.received_at),
            "server_ref": row.server_ref,
        }


@router.get("/catalog/version", response_model=schemas.CatalogVersion, tags=["catalog"], responses=_E401)
def catalog_version(request: Request, _p: Authenticated) -> dict[str, Any]:
    """The service-item catalogue the server expects clients to hold."""
    settings = _settings(request)
    return {"catalog_version": settings.catalog_version, "item_count": settings.catalog_item_count}


from server import operators_auth  # noqa: E402  (issue 11; imports this module, so it comes after the routes)

# --- factory ------------------------------------------------------------------------------------------------------

def create_app(
    database_url: str,
    *,
    auto_register_terminals: bool = True,
    catalog_version: str = "2024.1",
    catalog_item_count: int = 156,
    create_tables: bool = True,
    require_signatures: bool = False,
) -> FastAPI:
    """Build the app over `database_url`; all state lives in that database, so several workers may share it."""
    engine = make_engine(database_url)
    if create_tables:
        create_schema(engine)
    app = FastAPI(
        title="Yichuang central API",
        version=SERVER_VERSION,
        summary="一窗 reference central server: terminals, operators, persons, cases (API v1).",
        description="Every error answers `{\"error\": {\"code\", \"message\", \"detail\"}}`; `message` is Chinese "
        "for the user, `detail` is for support.",
    )
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.settings = Settings(
        auto_register_terminals=auto_register_terminals,
        catalog_version=catalog_version,
        catalog_item_count=catalog_item_count,
        require_signatures=require_signatures,
    )
    install_error_handlers(app)
    from server import terminal_auth  # issue 11: terminal keys and request signatures

    terminal_auth.create_tables(engine)
    app.add_middleware(terminal_auth.TerminalSignatureMiddleware)
    app.include_router(router)
    from server.events import router as events_router

    app.include_router(events_router)
    from server.verify import router as verify_router

    app.include_router(verify_router)
    from server.updates import router as updates_router

    app.include_router(updates_router)
    from server import attachments, refdata, sync_cases, sync_persons  # offline-first sync (issue 5)

    for sync_module in (sync_cases, sync_persons, attachments, refdata):
        app.include_router(sync_module.router)
    app.include_router(__import__("server.certification", fromlist=["_"]).router)  # 资格认证 (issue 9)
    app.include_router(__import__("server.sscard", fromlist=["_"]).router)  # 三代社保卡安全认证 (issue 6)
    operators_auth.install(app)  # TOTP, password change, auth policy (issue 11): its tables if absent, its routes
    from server import queue as hall_queue  # 叫号 (issue 13): its own tables, created if absent (also for workers)

    hall_queue.create_tables(engine)
    app.include_router(hall_queue.router)
    from server import contributions, sscard_status  # 自助终端 items (issue 10): card status/loss, 居民缴费情况
    from server import rights, service_ratings  # issue 10: 个人权益记录, 好差评 of visits without a case

    for kiosk_module in (sscard_status, contributions, rights, service_ratings):
        if create_tables:
            kiosk_module.create_tables(engine)
        app.include_router(kiosk_module.router)
    return app
