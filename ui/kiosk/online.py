"""The kiosk's calls to the central API (Qt-free, blocking: pages run them through ui.bridge.run_in_thread).

The kiosk holds no operator token: it speaks as the terminal, with the token the outbox relay obtained when it
registered the terminal (`runtime.relay.api.token`). Every look-up of a person is audited (who = the kiosk, whom =
the 社会保障号码, why = the item), like a counter look-up (app.cases.journal.record_person_view).

- 社会保障卡应用状态查询 / 临时挂失 / 解挂: server/sscard_status.py
- 城乡居民养老保险缴费情况: server/contributions.py
- 参保证明: the person's insurances (GET /persons/{ssn}) and the verification code (POST /certificates)
- 待遇领取资格认证: the pensioner's standing (app.certification.remote.person_status)"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from app.cases.journal import record_person_view
from app.errors import NetworkUnavailable, ServerRejected, YichuangError
from app.sync.client import CentralApi, terminal_client_options
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

log = logging.getLogger(__name__)

# raised as _translate("KioskOnline", NOT_CONNECTED)
NOT_CONNECTED = QT_TRANSLATE_NOOP("KioskOnline", "本机暂时未连接中心系统，此项业务暂停办理，请稍后再试或到窗口办理。")


class KioskOnlineError(YichuangError):
    code = "kiosk_online"


@dataclass(frozen=True)
class CardStatus:
    state: str  # normal / temp_lost / formal_lost / cancelled / unactivated
    state_label: str
    explanation: str
    card_no_masked: str
    bank: str
    issued_on: str
    can_release: bool
    can_report_temporary: bool

    @classmethod
    def from_json(cls, d: dict) -> "CardStatus":
        return cls(d["state"], d["state_label"], d["explanation"], d["card_no_masked"], d["bank"], d["issued_on"],
                   bool(d["can_release"]), bool(d["can_report_temporary"]))


@dataclass(frozen=True)
class CardChange:
    state: str
    state_label: str
    explanation: str

    @classmethod
    def from_json(cls, d: dict) -> "CardChange":
        return cls(d["state"], d["state_label"], d["explanation"])


@dataclass(frozen=True)
class ContributionYear:
    year: int
    grade_label: str
    amount: str
    paid_on: str


@dataclass(frozen=True)
class ResidentContributions:
    insured: bool
    status: str
    since: str | None
    this_year: int
    this_year_paid: bool
    years_paid: int
    last_grade_label: str | None
    years: tuple[ContributionYear, ...]
    note: str

    @classmethod
    def from_json(cls, d: dict) -> "ResidentContributions":
        return cls(bool(d["insured"]), d["status"], d.get("since"), int(d["this_year"]), bool(d["this_year_paid"]),
                   int(d["years_paid"]), d.get("last_grade_label"),
                   tuple(ContributionYear(int(y["year"]), y["grade_label"], y["amount"], y["paid_on"])
                         for y in d.get("years", [])), d.get("note", ""))


class KioskApi(CentralApi):
    """The central API as the terminal (bearer = the terminal token, fetched before each call)."""

    def __init__(self, base_url: str, token_source: Callable[[], str | None], timeout: float = 8.0, **options):
        super().__init__(base_url, timeout, **options)  # options: app.sync.client.terminal_client_options
        self._token_source = token_source

    def refresh_token(self) -> None:
        token = self._token_source()
        if not token:
            raise KioskOnlineError(_translate("KioskOnline", NOT_CONNECTED),
                                   "no terminal token yet (relay has not registered the terminal)")
        self.token = token

    def call(self, method: str, path: str, **kw) -> Any:
        self.refresh_token()
        return self._request(method, path, **kw)

    def post(self, path: str, json: Any = None):  # the httpx-like face app.docs.certify.issue_code expects
        return self.call("POST", path, json=json)


class KioskOnline:
    """What the kiosk asks the centre, for the card holder of the visit."""

    def __init__(self, runtime, actor, *, api: KioskApi | None = None):
        self.runtime = runtime
        self.actor = actor
        self.api = api or KioskApi(runtime.settings.server.url, lambda: runtime.relay.api.token,
                                   runtime.settings.server.timeout_seconds,
                                   **terminal_client_options(runtime.settings, runtime.paths.data_dir))

    def close(self) -> None:
        self.api.close()

    def _viewed(self, ssn: str, purpose: str) -> None:
        record_person_view(self.runtime.store, ssn=ssn, operator_id=self.actor.operator_id,
                           terminal_id=self.actor.terminal_id, purpose=purpose)

    def _json(self, method: str, path: str, **kw) -> dict:
        try:
            return self.api.call(method, path, **kw).json()
        except NetworkUnavailable as exc:
            raise KioskOnlineError(_translate("KioskOnline", NOT_CONNECTED), exc.detail) from None
        except ServerRejected as exc:
            raise KioskOnlineError(exc.user_message or _translate("KioskOnline", "中心系统拒绝了本次请求，请到窗口办理。"),
                                   exc.detail) from None

    # -- 社会保障卡 ----------------------------------------------------------------------------------------------------
    def card_status(self, ssn: str) -> CardStatus:
        self._viewed(ssn, "自助终端社会保障卡应用状态查询")
        return CardStatus.from_json(self._json("GET", f"/api/v1/sscard/status/{ssn}"))

    def report_temporary_loss(self, ssn: str) -> CardChange:
        """临时挂失 (the kiosk never sends a formal one: that is done at a bank counter, 004:L5148)."""
        self._viewed(ssn, "自助终端社会保障卡临时挂失")
        body = {"request_id": str(uuid.uuid4()), "ssn": ssn, "kind": "temporary", "channel": "kiosk",
                "terminal_id": self.actor.terminal_id}
        return CardChange.from_json(self._json("POST", "/api/v1/sscard/loss-reports", json=body))

    def release_loss(self, ssn: str) -> CardChange:
        self._viewed(ssn, "自助终端社会保障卡解挂")
        body = {"request_id": str(uuid.uuid4()), "ssn": ssn, "channel": "kiosk",
                "terminal_id": self.actor.terminal_id}
        return CardChange.from_json(self._json("POST", "/api/v1/sscard/loss-releases", json=body))

    # -- 城乡居民养老保险 -----------------------------------------------------------------------------------------------
    def resident_contributions(self, ssn: str) -> ResidentContributions:
        self._viewed(ssn, "自助终端城乡居民养老保险缴费情况查询")
        return ResidentContributions.from_json(self._json("GET", f"/api/v1/contributions/resident/{ssn}"))

    # -- 参保证明 ------------------------------------------------------------------------------------------------------
    def person(self, ssn: str, purpose: str = "自助终端参保证明打印") -> dict:
        self._viewed(ssn, purpose)
        return self._json("GET", f"/api/v1/persons/{ssn}")

    # -- 待遇领取资格认证 ------------------------------------------------------------------------------------------------
    def certification_standing(self, ssn: str) -> dict | None:
        """The pensioner's standing, or None when the centre knows no benefit of this person (404)."""
        from app.certification.remote import person_status

        self._viewed(ssn, "自助终端待遇领取资格认证")
        try:
            self.api.refresh_token()
            return person_status(self.api, ssn)
        except ServerRejected as exc:
            if exc.status == 404:
                return None
            raise KioskOnlineError(exc.user_message or _translate("KioskOnline", "暂时查不到您的认证信息。"), exc.detail) from None
        except NetworkUnavailable as exc:
            raise KioskOnlineError(_translate("KioskOnline", NOT_CONNECTED), exc.detail) from None
