"""Third-generation 社保卡 completed through the real reference server's security step (server/sscard.py):
pcscd + vpcd + the virtual card, the client runtime built by app.bootstrap (which wires HttpSecurityModule), and
uvicorn on loopback. With the server down the read keeps what the card gives offline and says why."""
from __future__ import annotations

import socket
from datetime import date

import httpx
import pytest

from app.bootstrap import bootstrap
from app.config import Settings
from app.paths import resolve_paths
from devices.sim.virtual_sscard import VirtualSsCard, issuer_cryptogram as card_side_cryptogram
from devices.sscard.secure import DEMO_MASTER_KEY, HttpSecurityModule
from server.testing import run_server_in_thread

from .conftest import READER

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    db = tmp_path_factory.mktemp("central") / "central.sqlite3"
    with run_server_in_thread(f"sqlite:///{db}", seed_demo=True) as url:
        yield url


def _runtime(tmp_path, url: str):
    settings = Settings.model_validate({
        "terminal": {"terminal_id": "T31"},
        "server": {"url": url, "timeout_seconds": 3},
        "devices": {"sscard": "real", "sscard_reader": READER, "sscard_auto_read": False, "idcard": "none",
                    "camera": "none", "receipt_printer": "none", "a4_printer": "none",
                    "monitor_interval_seconds": 0},
    })
    return bootstrap(resolve_paths(tmp_path / "client"), settings, console_log=False)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _terminal_token(url: str) -> str:
    r = httpx.post(f"{url}/api/v1/terminals/register", json={
        "terminal_id": "T32", "agency_code": "150102", "region_code": "150102", "mode": "counter",
        "hostname": "test", "client_version": "test"})
    r.raise_for_status()
    return r.json()["terminal_token"]


def test_bootstrap_wires_the_central_security_step(tmp_path, central):
    rt = _runtime(tmp_path, central)
    try:
        security = rt.devices.sscard.security
        assert isinstance(security, HttpSecurityModule)
        assert security.base_url == central and security.terminal_id == "T31"
        assert security.timeout <= rt.settings.devices.io_timeout_seconds / 2
    finally:
        rt.close()


def test_third_generation_card_completed_through_the_reference_server(tmp_path, central, plug_card):
    rt = _runtime(tmp_path, central)
    try:
        rt.relay.run_once()  # registers the terminal: the security step is asked with the terminal's token
        assert rt.relay.api.token
        plug_card(VirtualSsCard(generation=3))
        record = rt.devices.sscard.read_card()
        assert record.generation == 3 and record.completed_online and record.complete
        assert (record.name, record.ssn, record.card_number) == ("乌兰", "15010219800517231X", "M15012345")
        assert record.birth_date == date(1980, 5, 17) and not record.withheld and not record.withheld_reason
    finally:
        rt.close()


def test_third_generation_with_the_server_down_shows_what_is_known(tmp_path, plug_card):
    rt = _runtime(tmp_path, f"http://127.0.0.1:{_closed_port()}")
    try:
        plug_card(VirtualSsCard(generation=3))
        record = rt.devices.sscard.read_card()
        assert not record.complete and not record.completed_online
        assert record.name is None and record.ssn is None and record.card_number is None
        assert record.card_id == "150102D156000005" and record.expiry_date == date(2031, 3, 14)
        assert "无法连接中心系统" in record.withheld_reason and "须联网" in record.withheld_reason
    finally:
        rt.close()


def test_without_a_token_the_server_refuses_and_the_read_says_so(tmp_path, central, plug_card):
    rt = _runtime(tmp_path, central)  # the relay has not registered the terminal, nobody signed in
    try:
        plug_card(VirtualSsCard(generation=3))
        record = rt.devices.sscard.read_card()
        assert not record.complete and record.ssn is None
        assert "拒绝" in record.withheld_reason and "401" in record.withheld_reason
    finally:
        rt.close()


def test_endpoint_answers_the_cryptogram_the_card_expects(central):
    token = _terminal_token(central)
    challenge = bytes.fromhex("0102030405060708")
    r = httpx.post(f"{central}/api/v1/sscard/authenticate", headers={"Authorization": f"Bearer {token}"},
                   json={"card_id": "150102D156000005", "atr": "3B8F80", "challenge": challenge.hex(),
                         "terminal_id": "T32"})
    assert r.status_code == 200
    assert bytes.fromhex(r.json()["cryptogram"]) == card_side_cryptogram(DEMO_MASTER_KEY, "150102D156000005",
                                                                         challenge)


def test_endpoint_refuses_anonymous_and_malformed_requests(central):
    body = {"card_id": "150102D156000005", "challenge": "0102030405060708"}
    r = httpx.post(f"{central}/api/v1/sscard/authenticate", json=body)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    token = _terminal_token(central)
    for bad in ({**body, "challenge": "0102"}, {**body, "card_id": "卡号"}, {"card_id": "150102D156000005"}):
        r = httpx.post(f"{central}/api/v1/sscard/authenticate", json=bad,
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


def test_a_server_with_another_issuer_key_is_refused_by_the_card(tmp_path, monkeypatch, plug_card):
    monkeypatch.setenv("YICHUANG_SSCARD_MASTER_KEY", "another-province-key")
    with run_server_in_thread(f"sqlite:///{tmp_path / 'other.sqlite3'}") as url:
        token = _terminal_token(url)
        from devices.sscard.device import PcscSscardDevice

        dev = PcscSscardDevice(reader=READER, auto_read=False, security=HttpSecurityModule(
            url, timeout=2.0, headers={"Authorization": f"Bearer {token}"}))
        plug_card(VirtualSsCard(generation=3))
        record = dev.read_card()
        assert not record.complete and "认证未通过" in record.withheld_reason
