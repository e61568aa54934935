"""The third-generation card's online security step: the card's challenge goes to the issuer's security module
(through the central API) and the cryptogram it returns unlocks 姓名, 社会保障号码 and 卡号 for this session.

Central endpoint (to be served by the reference server; the simulator below computes the same answer locally):

    POST {server}/api/v1/sscard/authenticate
    {"card_id": "<卡识别码>", "atr": "<hex>", "challenge": "<16 hex>", "terminal_id": "T01"}
    → 200 {"cryptogram": "<32 hex>"}        (issuer_cryptogram below with the issuer's master key)
    → 4xx/5xx error envelope                 (the client keeps the offline fields and says why)
"""
from __future__ import annotations

import hashlib
import hmac
import logging

from devices.errors import DeviceError

log = logging.getLogger(__name__)

DEMO_MASTER_KEY = b"yichuang-demo-issuer-master-key"  # the simulator's and the demo server's key; never production


def issuer_cryptogram(master_key: bytes, card_id: str, challenge: bytes) -> bytes:
    """16-byte answer to a card's challenge; the card key is derived from the 卡识别码 (same as the virtual card)."""
    card_key = hmac.new(master_key, card_id.encode("ascii"), hashlib.sha256).digest()
    return hmac.new(card_key, challenge + card_id.encode("ascii"), hashlib.sha256).digest()[:16]


class SimSecurityModule:
    """Answers like the central security endpoint, in-process (demo terminals and tests)."""

    def __init__(self, master_key: bytes = DEMO_MASTER_KEY):
        self.master_key = master_key
        self.calls = 0

    def authenticate(self, card_id: str, atr: bytes, challenge: bytes) -> bytes:
        self.calls += 1
        return issuer_cryptogram(self.master_key, card_id, challenge)


class HttpSecurityModule:
    """Asks the central API. `headers` may be a callable returning auth headers (the session token)."""

    PATH = "/api/v1/sscard/authenticate"

    def __init__(self, base_url: str, *, timeout: float = 5.0, terminal_id: str = "", headers=None, client=None):
        """`client`: an httpx.Client carrying the terminal's TLS settings (pinning) and request signing (issue 11);
        without one, a plain request (support CLI, tests)."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.terminal_id = terminal_id
        self.headers = headers
        self.client = client

    def authenticate(self, card_id: str, atr: bytes, challenge: bytes) -> bytes:
        import httpx

        hdrs = self.headers() if callable(self.headers) else (self.headers or {})
        body = {"card_id": card_id, "atr": atr.hex().upper(), "challenge": challenge.hex().upper(),
                "terminal_id": self.terminal_id}
        try:
            post = self.client.post if self.client is not None else httpx.post
            r = post(self.base_url + self.PATH, json=body, headers=hdrs, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeviceError("无法连接中心系统的社保卡安全认证服务", f"POST {self.PATH}: {exc!r}",
                              code="secure_unreachable") from exc
        if r.status_code != 200:
            raise DeviceError(f"中心系统拒绝了社保卡安全认证（HTTP {r.status_code}）",
                              f"POST {self.PATH}: {r.status_code} {r.text[:200]}", code="secure_rejected")
        try:
            return bytes.fromhex(r.json()["cryptogram"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DeviceError("中心系统的社保卡安全认证应答格式错误", f"POST {self.PATH}: {r.text[:200]}",
                              code="secure_bad_reply") from exc
