"""The issuer's security step for third-generation social security cards (社保卡安全认证): a terminal forwards the
card's challenge, the server answers the cryptogram that unlocks 姓名, 社会保障号码 and 卡号 for that card session.

POST /api/v1/sscard/authenticate (terminal or operator token). The reference server plays the issuer's security
module with the master key in YICHUANG_SSCARD_MASTER_KEY (text), or the demo key the virtual card and the simulator
use (devices.sscard.secure.DEMO_MASTER_KEY) when it is not set — a real deployment forwards to the provincial
card management system's HSM instead. The cryptogram is computed by devices.sscard.secure.issuer_cryptogram, the
same function the virtual card checks against."""
from __future__ import annotations

import logging
import os
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from devices.sscard.secure import DEMO_MASTER_KEY, issuer_cryptogram
from server.api import _E401, _E422, Authenticated

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1")
ENV_KEY = "YICHUANG_SSCARD_MASTER_KEY"


class AuthenticateIn(BaseModel):
    card_id: str = Field(pattern=r"^[0-9A-Za-z]{8,32}$", description="卡识别码 read from EF05 tag 01")
    atr: str = Field(default="", pattern=r"^[0-9A-Fa-f]{0,66}$", description="the card's ATR, hex (logged form only)")
    challenge: str = Field(pattern=r"^[0-9A-Fa-f]{16}$", description="8-byte GET CHALLENGE answer of the card, hex")
    terminal_id: str = Field(default="", max_length=32)


class AuthenticateOut(BaseModel):
    cryptogram: str = Field(description="16 bytes, hex upper case, for the card's EXTERNAL AUTHENTICATE")


def master_key() -> bytes:
    env = os.environ.get(ENV_KEY, "")
    return env.encode("utf-8") if env else DEMO_MASTER_KEY


@router.post("/sscard/authenticate", response_model=AuthenticateOut, tags=["sscard"], responses={**_E401, **_E422})
def authenticate_card(body: AuthenticateIn, principal: Authenticated) -> dict[str, Any]:
    """Answer a third-generation card's challenge with the issuer cryptogram (the card then releases the personal
    fields for this session). A wrong key gives a cryptogram the card refuses; the client then keeps the fields it
    could read offline and says why."""
    cryptogram = issuer_cryptogram(master_key(), body.card_id, bytes.fromhex(body.challenge))
    # the 卡识别码 is no personal data, but only its issuing region is needed to follow a problem up
    log.info("sscard security step for a card of region %s at terminal %s (%s %s)", body.card_id[:6],
             principal.terminal_id or body.terminal_id or "-", principal.kind, principal.subject)
    return {"cryptogram": cryptogram.hex().upper()}
