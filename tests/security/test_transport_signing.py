"""Terminal registration with its own Ed25519 key pair and signed requests (issue 11 point 3), against the reference
server on loopback with `require_signatures` on: the terminal's client registers its key on demand and its signed
requests (login, person look-up, case upload through the outbox relay) pass; unsigned, tampered, stale, replayed and
unknown-terminal requests are refused with 401 and a Chinese message; a key is replaced only with proof."""
from __future__ import annotations

import json
import stat
import time

import httpx
import pytest

from app.config import ServerConfig, Settings, TerminalConfig
from app.errors import ServerRejected
from app.security.terminal_keys import KEY_FILE, RequestSigner, TerminalKey
from app.sync.client import CentralApi
from server.demo_data import DEMO_PASSWORD, demo_person_ssns
from server.testing import run_server_in_thread

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def central_server(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('signed') / 'central.db'}"
    with run_server_in_thread(db, seed_demo=True, require_signatures=True) as url:
        yield url, db


@pytest.fixture
def central(central_server) -> str:
    return central_server[0]


def terminal_api(url: str, data_dir, terminal_id: str) -> CentralApi:
    settings = Settings(server=ServerConfig(url=url), terminal=TerminalConfig(terminal_id=terminal_id))
    return CentralApi.from_settings(settings, data_dir, timeout=15)


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_terminal_registers_its_key_on_demand_and_signed_requests_pass(central, tmp_path) -> None:
    api = terminal_api(central, tmp_path, "TSIG01")
    try:
        key_file = tmp_path / KEY_FILE
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert b"PRIVATE KEY" in key_file.read_bytes()
        session = api.login("demo", DEMO_PASSWORD, "TSIG01")  # 401 terminal_unknown → registers → sent again
        api.token = session["access_token"]
        person = api.person(demo_person_ssns("uninsured")[0])
        assert person["ssn"] == demo_person_ssns("uninsured")[0]
        assert api._request("GET", "/api/v1/sync/statuses", params={"since": 0, "limit": 5}).status_code == 200
    finally:
        api.close()
    again = terminal_api(central, tmp_path, "TSIG01")  # next start: the same key from the file, no re-registration
    try:
        assert again.signer.public_key == api.signer.public_key
        assert again.health()["status"] == "ok"
    finally:
        again.close()


def test_unsigned_request_is_refused_even_with_a_valid_token(central, tmp_path) -> None:
    api = terminal_api(central, tmp_path, "TSIG02")
    try:
        token = api.login("demo", DEMO_PASSWORD, "TSIG02")["access_token"]
    finally:
        api.close()
    with httpx.Client(base_url=central, timeout=15) as plain:
        r = plain.get("/api/v1/catalog/version", headers={"Authorization": f"Bearer {token}"})
        assert plain.get("/api/v1/health").status_code == 200  # the probe stays open
    assert r.status_code == 401
    err = r.json()["error"]
    assert err["code"] == "signature_required" and chinese(err["message"])


def test_request_from_an_unregistered_terminal_is_refused(central) -> None:
    stranger = CentralApi(central, 15, signer=TerminalKey.generate(), terminal_id="TSTRANGER")  # never registered
    try:
        with pytest.raises(ServerRejected) as info:
            stranger.login("demo", DEMO_PASSWORD, "TSTRANGER")
    finally:
        stranger.close()
    assert info.value.status == 401 and info.value.code == "terminal_unknown"
    assert chinese(info.value.user_message) and "登记" in info.value.user_message


def test_tampered_stale_and_replayed_requests_are_refused(central, tmp_path) -> None:
    api = terminal_api(central, tmp_path, "TSIG03")
    try:
        api.register_terminal(**api.registration)
    finally:
        api.close()
    key = TerminalKey.load_or_create(tmp_path)
    body = json.dumps({"operator_id": "demo", "password": DEMO_PASSWORD, "terminal_id": "TSIG03"}).encode()
    path = b"/api/v1/auth/login"
    with httpx.Client(base_url=central, timeout=15, headers={"Content-Type": "application/json"}) as c:
        good = key.signed_headers("TSIG03", "POST", path, b"", body)
        assert c.post("/api/v1/auth/login", content=body, headers=good).status_code == 200
        replay = c.post("/api/v1/auth/login", content=body, headers=good)
        tampered = c.post("/api/v1/auth/login", content=body.replace(b"TSIG03", b"TSIG99"),
                          headers=key.signed_headers("TSIG03", "POST", path, b"", body))
        other_path = c.post("/api/v1/auth/login?x=1", content=body,
                            headers=key.signed_headers("TSIG03", "POST", path, b"", body))
        stale = c.post("/api/v1/auth/login", content=body,
                       headers=key.signed_headers("TSIG03", "POST", path, b"", body, now=time.time() - 3600))
        impostor = c.post("/api/v1/auth/login", content=body,
                          headers=TerminalKey.generate().signed_headers("TSIG03", "POST", path, b"", body))
    codes = {name: (r.status_code, r.json()["error"]["code"]) for name, r in
             {"replay": replay, "tampered": tampered, "other_path": other_path, "stale": stale,
              "impostor": impostor}.items()}
    assert codes == {"replay": (401, "signature_replayed"), "tampered": (401, "signature_invalid"),
                     "other_path": (401, "signature_invalid"), "stale": (401, "signature_stale"),
                     "impostor": (401, "signature_invalid")}
    assert "时间" in stale.json()["error"]["message"]


def test_a_new_key_needs_proof_on_an_enrolment_server(tmp_path) -> None:
    from sqlalchemy.orm import Session

    from server.db import make_engine
    from server.security import add_enrolment_code

    db = f"sqlite:///{tmp_path / 'enrol.db'}"
    with run_server_in_thread(db, auto_register_terminals=False, require_signatures=True) as url:
        engine = make_engine(db)
        with Session(engine) as s:
            add_enrolment_code(s, "CODE-1")
            add_enrolment_code(s, "CODE-2")
            s.commit()
        engine.dispose()
        fields = dict(terminal_id="TSIG04", agency_code="150102", region_code="150102", mode="counter",
                      hostname="pc", enrolment_code="CODE-1")
        first = CentralApi(url, 15, signer=TerminalKey.generate(), terminal_id="TSIG04")
        assert first.register_terminal(**fields)["key_id"] == first.signer.key_id
        thief = CentralApi(url, 15, signer=TerminalKey.generate(), terminal_id="TSIG04")
        with pytest.raises(ServerRejected) as info:  # the used code again, signed by another key
            thief.register_terminal(**fields)
        assert info.value.status == 403 and info.value.code == "terminal_key_refused"
        # rotation: the new key's registration signed by the old key
        new_key = TerminalKey.generate()
        rotate = httpx.post(f"{url}/api/v1/terminals/register",
                            json={**fields, "client_version": "x", "public_key": new_key.public_key},
                            auth=RequestSigner(first.signer, "TSIG04"), timeout=15)
        assert rotate.status_code == 200 and rotate.json()["key_id"] == new_key.key_id
        # re-enrolment by the administrator: a fresh code lets a rebuilt terminal bring its own new key
        rebuilt = CentralApi(url, 15, signer=TerminalKey.generate(), terminal_id="TSIG04")
        assert rebuilt.register_terminal(**{**fields, "enrolment_code": "CODE-2"})["key_id"] == rebuilt.signer.key_id
        for api in (first, thief, rebuilt):
            api.close()


def test_outbox_relay_delivers_through_the_signing_client(central_server, tmp_path) -> None:
    from tests.sync.terminal import assert_converged, make_terminal

    central, db = central_server
    t = make_terminal(tmp_path, central, "TSIG05")
    t.relay.api.close()
    t.relay.api = terminal_api(central, tmp_path / "keys", "TSIG05")  # as app.bootstrap builds it
    try:
        t.new_case()
        t.new_case()
        assert t.relay.run_once() >= 2
        assert_converged(t, db)
    finally:
        t.close()
