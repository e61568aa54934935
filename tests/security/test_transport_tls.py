"""TLS to the central API (issue 11 point 3): the reference server under uvicorn with certificates made by trustme;
the terminal's client trusts the configured CA and/or pin. The right certificate works; a MITM certificate (another
CA, or a trusted CA's certificate for another key when a pin is set) is refused in the handshake, before any request
leaves, with a Chinese error and a precise log line."""
from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import trustme
import uvicorn

from app.config import ServerConfig, Settings, TerminalConfig, load_settings
from app.errors import ConfigError, NetworkUnavailable
from app.security.transport import TLS_REFUSED_MESSAGE, TlsRefused, parse_pin, pin_of_pem
from app.sync.client import CentralApi
from server.api import create_app
from server.demo_data import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.integration


class _Counter:
    """ASGI wrapper counting the HTTP requests that reached the app."""

    def __init__(self, app):
        self.app, self.requests = app, 0

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


@contextmanager
def tls_server(app, cert: trustme.LeafCert, tmp: Path) -> Iterator[str]:
    key_file = tmp / f"server-{id(cert)}.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(key_file))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           ssl_certfile=str(key_file), ssl_keyfile=str(key_file)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "TLS test server did not start"
        time.sleep(0.01)
    try:
        yield f"https://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tls")
    app = create_app(f"sqlite:///{tmp / 'central.db'}")
    seed_demo(app.state.engine)
    counted = _Counter(app)
    ca = trustme.CA()
    ca_file = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    yield {"tmp": tmp, "app": counted, "ca": ca, "ca_file": ca_file}
    app.state.engine.dispose()


def client(url: str, tmp: Path, **server) -> CentralApi:
    settings = Settings(server=ServerConfig(url=url, **server), terminal=TerminalConfig(terminal_id="TTLS1"))
    return CentralApi.from_settings(settings, tmp / "terminal", timeout=10)


def test_right_certificate_from_the_configured_ca_works(central) -> None:
    cert = central["ca"].issue_cert("localhost", "127.0.0.1")
    with tls_server(central["app"], cert, central["tmp"]) as url:
        api = client(url, central["tmp"], ca_file=str(central["ca_file"]))
        try:
            assert api.health()["status"] == "ok"
            assert api.login("demo", DEMO_PASSWORD, "TTLS1")["operator"]["operator_id"] == "demo"
        finally:
            api.close()


def test_right_pin_alone_anchors_a_private_certificate(central) -> None:
    private_ca = trustme.CA()  # in no trust store at all: only the pin vouches for the server
    cert = private_ca.issue_cert("localhost")
    pin = pin_of_pem(cert.cert_chain_pems[0].bytes())
    with tls_server(central["app"], cert, central["tmp"]) as url:
        api = client(url, central["tmp"], pin_sha256=[pin])
        try:
            assert api.health()["status"] == "ok"
        finally:
            api.close()


def test_mitm_certificate_from_another_ca_is_refused(central, caplog) -> None:
    mitm = trustme.CA().issue_cert("localhost")
    with tls_server(central["app"], mitm, central["tmp"]) as url:
        api = client(url, central["tmp"], ca_file=str(central["ca_file"]))
        before = central["app"].requests
        try:
            with caplog.at_level(logging.ERROR, logger="app.security.transport"):
                with pytest.raises(TlsRefused) as info:
                    api.login("demo", DEMO_PASSWORD, "TTLS1")
        finally:
            api.close()
    assert isinstance(info.value, NetworkUnavailable)  # the outbox keeps the work, the relay keeps probing
    assert info.value.user_message == TLS_REFUSED_MESSAGE and "证书" in info.value.user_message
    assert info.value.code == "tls_refused"
    assert central["app"].requests == before, "the password must not reach a server that failed verification"
    lines = [r.getMessage() for r in caplog.records if "TLS refused" in r.getMessage()]
    assert lines and "unable to get local issuer certificate" in lines[0] and url in lines[0]
    assert DEMO_PASSWORD not in caplog.text


def test_mitm_with_a_trusted_ca_certificate_is_refused_by_the_pin(central, caplog) -> None:
    """A certificate the CA really issued (a compromised or coerced CA) but for the attacker's key."""
    genuine = central["ca"].issue_cert("localhost")
    attacker = central["ca"].issue_cert("localhost")
    pin = pin_of_pem(genuine.cert_chain_pems[0].bytes())
    with tls_server(central["app"], attacker, central["tmp"]) as url:
        api = client(url, central["tmp"], ca_file=str(central["ca_file"]), pin_sha256=[pin])
        before = central["app"].requests
        try:
            with caplog.at_level(logging.ERROR, logger="app.security.transport"):
                with pytest.raises(TlsRefused):
                    api.health()
        finally:
            api.close()
    assert central["app"].requests == before
    line = next(r.getMessage() for r in caplog.records if "TLS refused" in r.getMessage())
    assert "does not match the configured pin" in line and "sha256/" in line


def test_plain_http_on_loopback_still_works_without_tls_settings(tmp_path) -> None:
    from server.testing import run_server_in_thread

    with run_server_in_thread(f"sqlite:///{tmp_path / 'c.db'}") as url:
        api = client(url, tmp_path)
        try:
            assert url.startswith("http://127.0.0.1") and api.health()["status"] == "ok"
        finally:
            api.close()


def test_tls_settings_are_validated_with_chinese_messages(tmp_path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[server]\nurl = "http://si.example.gov.cn"\npin_sha256 = ["sha256/' + "A" * 43 + '="]\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, environ={})
    assert "https://" in info.value.user_message
    cfg.write_text('[server]\nurl = "https://si.example.gov.cn"\npin_sha256 = ["not-a-pin"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, environ={})
    assert "server.pin_sha256" in info.value.user_message and "SHA-256" in info.value.user_message
    env = {"YICHUANG_SERVER__URL": "https://x.test", "YICHUANG_SERVER__PIN_SHA256": "sha256/" + "B" * 43 + "=," + "ab" * 32}
    assert [parse_pin(p) for p in load_settings(None, environ=env).server.pin_sha256][1] == bytes.fromhex("ab" * 32)
    missing = Settings(server=ServerConfig(url="https://x.test", ca_file=str(tmp_path / "nope.pem")))
    with pytest.raises(ConfigError) as info:
        CentralApi.from_settings(missing, tmp_path)
    assert "server.ca_file" in info.value.user_message
