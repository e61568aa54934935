"""The client against a real reference server on loopback: offline first, exactly-once delivery, login."""
import socket
import threading
import time
from contextlib import contextmanager

import pytest
import uvicorn
from sqlalchemy import create_engine, func, select, update

from app.bootstrap import bootstrap
from app.config import Settings
from app.errors import AuthError
from app.paths import resolve_paths
from app.store.models import OutboxMessage
from app.sync.client import CentralApi
from server import models as sm
from server.api import create_app
from server.demo_data import demo_person_ssns, seed_demo
from tests.helpers import ACTOR, ALL_MATERIALS, applicant_form


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server_on(port: int, db_url: str):
    app = create_app(db_url)
    seed_demo(app.state.engine)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert t.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        t.join(10)
        app.state.engine.dispose()


@pytest.fixture
def setup(tmp_path):
    port = _free_port()
    db_url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    settings = Settings.model_validate({"server": {"url": f"http://127.0.0.1:{port}", "timeout_seconds": 3}})
    rt = bootstrap(resolve_paths(tmp_path / "client"), settings, console_log=False)
    yield rt, port, db_url
    rt.close()


def _server_case_count(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as c:
            return c.scalar(select(func.count()).select_from(sm.Case))
    finally:
        engine.dispose()


def test_offline_case_reaches_server_exactly_once(setup):
    rt, port, db_url = setup
    ssn = demo_person_ssns("uninsured")[0]
    view = rt.cases.accept("resident_pension_enrolment", applicant_form(ssn), ALL_MATERIALS, ACTOR)

    # server down: the client keeps working, the case waits in the outbox
    assert rt.relay.run_once() == 0
    st = rt.relay.status()
    assert st.online is False and st.pending == 1

    with server_on(port, db_url) as url:
        assert rt.relay.run_once() == 1
        st = rt.relay.status()
        assert st.online is True and st.pending == 0
        synced = rt.cases.get(view.case_id)
        assert synced.sync_state == "synced" and synced.server_ref
        assert CentralApi(url, token=rt.relay.api.token).case(view.case_id)["case_no"] == view.case_no

        # a re-send of the same message (e.g. the reply was lost before the local commit) creates nothing new
        with rt.store.session() as s:
            s.execute(update(OutboxMessage).values(state="pending"))
        assert rt.relay.run_once() == 1
        # and so does the same client case id under a fresh idempotency key
        with rt.store.session() as s:
            msg = s.scalars(select(OutboxMessage)).one()
            body = dict(msg.body)
        status, reply = rt.relay.api.send("POST", "/api/v1/cases", body, "00000000-0000-4000-8000-000000000001")
        assert status in (200, 201) and reply["case_id"] == view.case_id
        assert _server_case_count(db_url) == 1


def test_online_login_then_offline_login(setup):
    rt, port, db_url = setup
    with pytest.raises(AuthError) as err:  # never logged in on this terminal, server down
        rt.auth.login("demo", "demo1234")
    assert "无法离线登录" in err.value.user_message
    with server_on(port, db_url):
        with pytest.raises(AuthError) as err:
            rt.auth.login("demo", "wrong")
        assert "错误" in err.value.user_message
        session = rt.auth.login("demo", "demo1234")
        assert session.online and session.token and "受理员" in session.roles
    offline = rt.auth.login("demo", "demo1234")  # server gone again: the cached verifier works
    assert offline.online is False and offline.name == session.name
    with pytest.raises(AuthError):
        rt.auth.login("demo", "demo12345")


def test_person_lookup_over_http(setup):
    rt, port, db_url = setup
    ssn = demo_person_ssns("uninsured")[0]
    with server_on(port, db_url):
        session = rt.auth.login("demo", "demo1234")
        rt.api.token = session.token
        person = rt.api.person(ssn)
        assert person["ssn"] == ssn and person["name"]


def test_brute_force_locks_the_operator_out(setup):
    rt, port, db_url = setup
    with server_on(port, db_url):
        rt.auth.login("demo", "demo1234")
        for _ in range(5):
            with pytest.raises(AuthError):
                rt.auth.login("demo", "wrong-guess")
        with pytest.raises(AuthError) as err:  # even the right password is refused while locked
            rt.auth.login("demo", "demo1234")
        assert err.value.code == "operator_locked" and "锁定" in err.value.user_message
    with pytest.raises(AuthError) as err:  # offline too: the lock is local state, not a server answer
        rt.auth.login("demo", "demo1234")
    assert err.value.code == "operator_locked"
