"""HTTP client of the central API (contract: server/openapi.json). Maps transport failures to NetworkUnavailable
(a refused TLS certificate to its subclass TlsRefused) and the server's error envelope to ServerRejected, so callers
never see httpx exceptions. `CentralApi.from_settings` builds the terminal's client: TLS verified against the
configured CA/pins (app.security.transport) and every request signed with the terminal's key
(app.security.terminal_keys)."""
from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import httpx

from app.errors import NetworkUnavailable, ServerRejected
from app.security import transport as tls
from app.version import __version__

if TYPE_CHECKING:
    from app.config import Settings
    from app.security.terminal_keys import TerminalKey

log = logging.getLogger(__name__)
REGISTER_PATH = "/api/v1/terminals/register"


def terminal_client_options(settings: "Settings", data_dir) -> dict[str, Any]:
    """The keyword arguments that make a CentralApi (or subclass) the terminal's own: TLS verification/pinning,
    the request signer and the registration fields (issue 11)."""
    import socket

    from app.security.terminal_keys import TerminalKey

    server, terminal = settings.server, settings.terminal
    registration = {"terminal_id": terminal.terminal_id, "agency_code": terminal.agency_code,
                    "region_code": terminal.region_code, "mode": terminal.mode.value,
                    "hostname": socket.gethostname(), "enrolment_code": server.enrolment_code}
    return {"verify": tls.tls_context(server.ca_file, server.pin_sha256),
            "signer": TerminalKey.load_or_create(data_dir), "terminal_id": terminal.terminal_id,
            "registration": registration}


def _http_options(verify: Any, signer: "TerminalKey | None", terminal_id: str | None) -> dict[str, Any]:
    """httpx.Client options every client of the central API shares: TLS context, request signing, User-Agent."""
    from app.security.terminal_keys import RequestSigner

    kw: dict[str, Any] = {"headers": {"User-Agent": f"yichuang/{__version__}"}}
    if verify is not None:
        kw["verify"] = verify
    if signer is not None and terminal_id:
        kw["auth"] = RequestSigner(signer, terminal_id)
    return kw


def signed_http_client(settings: "Settings", data_dir, **httpx_options: Any) -> httpx.Client:
    """A bare httpx client with the terminal's TLS pinning and request signing, built the same way as CentralApi's,
    for callers that speak their own protocol to the centre (the 社保卡 security module, devices.sscard.secure)."""
    opts = terminal_client_options(settings, data_dir)
    return httpx.Client(**_http_options(opts["verify"], opts["signer"], opts["terminal_id"]), **httpx_options)


class CentralApi:
    def __init__(self, base_url: str, timeout: float = 8.0, token: str | None = None,
                 transport: httpx.BaseTransport | None = None, *, verify: Any = None,
                 signer: "TerminalKey | None" = None, terminal_id: str | None = None,
                 registration: dict | None = None):
        """`verify`: an SSLContext from app.security.transport.tls_context (None = httpx's default store);
        `signer` + `terminal_id`: sign every request; `registration`: the fields of register_terminal, so a request
        the server refuses as from an unknown terminal registers this one (with its public key) and is sent again."""
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.signer = signer
        self.terminal_id = terminal_id
        self.registration = registration
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                  **_http_options(verify, signer, terminal_id))

    @classmethod
    def from_settings(cls, settings: "Settings", data_dir, *, timeout: float | None = None,
                      token: str | None = None, transport: httpx.BaseTransport | None = None) -> "CentralApi":
        """The terminal's client: TLS per [server] ca_file/pin_sha256, requests signed with the key pair under
        `data_dir` (made on first use), and registration on demand."""
        return cls(settings.server.url, timeout or settings.server.timeout_seconds, token, transport,
                   **terminal_client_options(settings, data_dir))

    def close(self) -> None:
        self._http.close()

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value

    def _request(self, method: str, path: str, *, json: Any = None, headers: dict | None = None,
                 timeout: float | None = None, content: bytes | None = None,
                 params: dict | None = None, _registered: bool = False) -> httpx.Response:
        hdrs = dict(headers or {})
        if self._token:
            hdrs["Authorization"] = f"Bearer {self._token}"
        try:
            kw: dict[str, Any] = {"timeout": timeout} if timeout else {}
            if content is not None:
                kw["content"] = content
            else:
                kw["json"] = json
            if params:
                kw["params"] = params
            resp = self._http.request(method, path, headers=hdrs, **kw)
        except httpx.TransportError as exc:
            failure = tls.tls_failure(exc)
            if failure is not None:  # wrong certificate (MITM?) or pin: nothing was sent
                raise tls.refused(method, self.base_url, failure) from None
            raise NetworkUnavailable("无法连接中心系统，业务已保存在本机，网络恢复后自动上传。",
                                     f"{method} {self.base_url}{path}: {type(exc).__name__}: {exc}") from None
        if resp.status_code >= 400:
            rejection = _rejection(method, path, resp)
            if (rejection.status == 401 and rejection.code == "terminal_unknown" and self.registration
                    and not _registered and path != REGISTER_PATH):
                log.info("central API does not know this terminal's key: registering it")
                self.register_terminal(**self.registration)
                return self._request(method, path, json=json, headers=headers, timeout=timeout, content=content,
                                     params=params, _registered=True)
            raise rejection
        return resp

    def health(self, timeout: float | None = 3.0) -> dict:
        return self._request("GET", "/api/v1/health", timeout=timeout).json()

    def register_terminal(self, *, terminal_id: str, agency_code: str, region_code: str, mode: str, hostname: str,
                          enrolment_code: str | None) -> dict:
        """Register (or re-register) the terminal; a signing client also registers its public key, and signs the
        request, which lets the server accept a new key from the holder of the old one."""
        body = {"terminal_id": terminal_id, "agency_code": agency_code, "region_code": region_code, "mode": mode,
                "hostname": hostname, "client_version": __version__, "enrolment_code": enrolment_code}
        if self.signer is not None:
            body["public_key"] = self.signer.public_key
        return self._request("POST", REGISTER_PATH, json=body).json()

    def login(self, operator_id: str, password: str, terminal_id: str) -> dict:
        return self._request("POST", "/api/v1/auth/login", json={
            "operator_id": operator_id, "password": password, "terminal_id": terminal_id}).json()

    def person(self, ssn: str) -> dict:
        return self._request("GET", f"/api/v1/persons/{ssn}").json()

    def send(self, method: str, path: str, body: dict, idempotency_key: str) -> tuple[int, dict]:
        resp = self._request(method, path, json=body, headers={"Idempotency-Key": idempotency_key})
        return resp.status_code, resp.json()

    def upload_audit(self, terminal_id: str, records: list[dict]) -> dict:
        return self._request("POST", "/api/v1/audit", json={"terminal_id": terminal_id, "records": records}).json()

    def case(self, case_id: str) -> dict:
        return self._request("GET", f"/api/v1/cases/{case_id}").json()

    # -- offline-first sync (server/sync_cases.py, attachments.py, sync_persons.py, refdata.py) --------------------
    def send_batch(self, items: list[tuple[str, dict]]) -> list[dict]:
        """POST /cases/batch: [(idempotency_key, case body)] → per item {status, body, replayed} in the same order."""
        resp = self._request("POST", "/api/v1/cases/batch",
                             json={"items": [{"idempotency_key": k, "case": b} for k, b in items]})
        return resp.json()["results"]

    def send_batch_raw(self, items: list[tuple[str, str]]) -> list[dict]:
        """The same with each case body as the JSON text the outbox stored (no decode/encode round trip)."""
        parts = ",".join('{"idempotency_key":%s,"case":%s}' % (json.dumps(k), body) for k, body in items)
        resp = self._request("POST", "/api/v1/cases/batch", content=f'{{"items":[{parts}]}}'.encode("utf-8"),
                             headers={"Content-Type": "application/json"})
        return resp.json()["results"]

    def statuses(self, since: int, limit: int = 500) -> dict:
        return self._request("GET", "/api/v1/sync/statuses", params={"since": since, "limit": limit}).json()

    def refdata_delta(self, since: int, operator_id: str | None = None, limit: int = 500) -> dict:
        params: dict[str, Any] = {"since": since, "limit": limit}
        if operator_id:
            params["operator_id"] = operator_id
        return self._request("GET", "/api/v1/refdata/delta", params=params).json()

    def versioned_person(self, ssn: str) -> dict:
        return self._request("GET", f"/api/v1/sync/persons/{ssn}").json()

    def attachment_declare(self, attachment_id: str, meta: dict) -> dict:
        return self._request("PUT", f"/api/v1/attachments/{attachment_id}", json=meta).json()

    def attachment_status(self, attachment_id: str) -> dict:
        return self._request("GET", f"/api/v1/attachments/{attachment_id}").json()

    def attachment_chunk(self, attachment_id: str, index: int, data: bytes, sha256: str) -> dict:
        return self._request("PUT", f"/api/v1/attachments/{attachment_id}/chunks/{index}", content=data,
                             headers={"X-Chunk-SHA256": sha256,
                                      "Content-Type": "application/octet-stream"}).json()

    def attachment_complete(self, attachment_id: str) -> dict:
        return self._request("POST", f"/api/v1/attachments/{attachment_id}/complete").json()

    def attachment_content(self, attachment_id: str) -> bytes:
        return self._request("GET", f"/api/v1/attachments/{attachment_id}/content").content


def _rejection(method: str, path: str, resp: httpx.Response) -> ServerRejected:
    code, message, detail, payload = "http_error", "", "", None
    try:
        payload = resp.json()
        err = payload.get("error") or {}
        code, message, detail = err.get("code", code), err.get("message", ""), err.get("detail", "")
    except (ValueError, AttributeError):
        detail = resp.text[:300]
        payload = None
    if not message:
        message = "中心系统暂时无法处理该请求，请稍后重试。" if resp.status_code >= 500 else "中心系统拒绝了该请求。"
    exc = ServerRejected(message, f"{method} {path} -> {resp.status_code} {code}: {detail}", code=code,
                         status=resp.status_code)
    exc.payload = payload if isinstance(payload, dict) else None  # e.g. `current` of a person_conflict
    return exc
