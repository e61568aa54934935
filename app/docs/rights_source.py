"""The 社会保险个人权益记录单 of one person from the centre, for a self-service terminal: fetched from the central API
(GET /api/v1/rights-records/{ssn}, server/rights.py) as the terminal, its verification code issued by the centre
(POST /api/v1/certificates, app.docs.certify / server/verify.py), the PDF written by app.docs.rights_paper. Qt-free
and blocking (the kiosk runs it on a worker thread); errors are YichuangError with Chinese messages for the person.

`RIGHTS_SOURCE_KEY` is where app.bootstrap puts the source for mode = kiosk (`runtime.extras`); ui.kiosk.services
reads it from there (the key lives here, so app never imports ui)."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from app.errors import NetworkUnavailable, ServerRejected, YichuangError
from app.sync.client import CentralApi

if TYPE_CHECKING:
    from app.docs.rights_paper import KioskRightsRecord

log = logging.getLogger(__name__)

RIGHTS_SOURCE_KEY = "kiosk.rights_source"  # runtime.extras key (ui.kiosk.services.RIGHTS_SOURCE_KEY is this)
RIGHTS_PATH = "/api/v1/rights-records/"
NOT_CONNECTED = "暂时无法连接中心系统，个人权益记录单暂不能打印"
UNKNOWN_PERSON = "中心系统未查到您的参保记录，不能打印个人权益记录单"


class RightsRecordUnavailable(YichuangError):
    code = "rights_record_unavailable"


class _TerminalApi(CentralApi):
    """The central API as this terminal: the bearer is the terminal token the outbox relay obtained when it
    registered the terminal, fetched before every call."""

    def __init__(self, base_url: str, token_source: Callable[[], str | None], timeout: float, **options):
        super().__init__(base_url, timeout, **options)
        self._token_source = token_source

    def call(self, method: str, path: str, **kw):
        token = self._token_source()
        if not token:
            raise NetworkUnavailable(NOT_CONNECTED + "。", "no terminal token yet (the relay has not registered)")
        self.token = token
        return self._request(method, path, **kw)

    def post(self, path: str, json: Any = None):  # the httpx-like face app.docs.certify.issue_code expects
        return self.call("POST", path, json=json)


@dataclass
class IssuedRights:
    path: Path
    code: str
    verify_url: str
    title: str


class CentralRightsSource:
    """ui.kiosk.services.RightsRecordSource backed by the centre. `issue(ssn, name, out)` → the PDF path; the last
    verification code is kept in `last_code` (no personal data) for the page and the audit."""

    def __init__(self, api_factory: Callable[[], _TerminalApi], *, agency_name: str, agency_code: str,
                 operator_id: str, purpose: str = "自助终端打印个人权益记录单"):
        self._api_factory = api_factory
        self._api: _TerminalApi | None = None
        self._lock = threading.Lock()
        self.agency_name, self.agency_code, self.operator_id = agency_name, agency_code, operator_id
        self.purpose = purpose
        self.last: IssuedRights | None = None

    @classmethod
    def for_runtime(cls, runtime) -> "CentralRightsSource":
        """The terminal's source: its own HTTP client (built on first use: TLS pinning and request signing as every
        call of this terminal), the relay's terminal token, the terminal's agency."""
        from app.sync.client import terminal_client_options

        settings, paths = runtime.settings, runtime.paths

        def token() -> str | None:
            relay_api = runtime.relay_api or (runtime.relay.api if runtime.relay is not None else None)
            return relay_api.token if relay_api is not None else None

        def factory() -> _TerminalApi:
            return _TerminalApi(settings.server.url, token, settings.server.timeout_seconds,
                                **terminal_client_options(settings, paths.data_dir))

        terminal = settings.terminal
        return cls(factory, agency_name=terminal.agency_name, agency_code=terminal.agency_code,
                   operator_id=f"kiosk-{terminal.terminal_id}")

    @property
    def api(self) -> _TerminalApi:
        with self._lock:
            if self._api is None:
                self._api = self._api_factory()
            return self._api

    @property
    def last_code(self) -> str:
        return self.last.code if self.last is not None else ""

    def close(self) -> None:
        with self._lock:
            if self._api is not None:
                self._api.close()
                self._api = None

    def fetch(self, ssn: str) -> "KioskRightsRecord":
        from app.docs.rights_paper import record_from_json

        try:
            data = self.api.call("GET", RIGHTS_PATH + ssn, params={"purpose": self.purpose}).json()
        except NetworkUnavailable as exc:
            raise RightsRecordUnavailable(NOT_CONNECTED + "。", exc.detail) from None
        except ServerRejected as exc:
            if exc.status == 404:
                raise RightsRecordUnavailable(UNKNOWN_PERSON + "。", exc.detail, code="person_not_found") from None
            raise RightsRecordUnavailable(exc.user_message or "中心系统拒绝了本次查询。", exc.detail) from None
        return record_from_json(data, agency_name=self.agency_name, agency_code=self.agency_code,
                                operator_id=self.operator_id)

    def issue(self, ssn: str, name: str, out_path: Path) -> Path:
        """Fetch, have the code issued, write the PDF at `out_path`. `name` (from the card) is not trusted for the
        paper: the centre's record names the person."""
        from app.docs.certificates import RIGHTS_KIND, Verification
        from app.docs.certify import CertificateIssueError, issue_code
        from app.docs.rights_paper import certified_content, render

        record = self.fetch(ssn)
        if name and record.name != name:
            log.warning("rights record: the card's name differs from the centre's record")
        try:
            issued = issue_code(self.api, RIGHTS_KIND, certified_content(record))
        except NetworkUnavailable as exc:
            raise RightsRecordUnavailable(NOT_CONNECTED + "。", exc.detail) from None
        except ServerRejected as exc:
            raise RightsRecordUnavailable(exc.user_message or "中心系统未能出具验证码。", exc.detail) from None
        except CertificateIssueError as exc:
            raise RightsRecordUnavailable("中心系统未能出具验证码，个人权益记录单暂不能打印。", str(exc)) from None
        pdf = render(record, Verification(issued.code, issued.verify_url), out_path)
        self.last = IssuedRights(Path(pdf), issued.code, issued.verify_url, record.title)
        log.info("rights record issued: code %s, %d months", issued.code, len(record.months))
        return Path(pdf)
