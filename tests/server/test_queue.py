"""The hall queue (叫号) of the reference server: numbers per category and day, calling order, atomic numbering and
calling under concurrent requests, state changes — on SQLite and PostgreSQL (the `live_server` parametrisation)."""
from __future__ import annotations

import threading
import uuid
from collections import Counter

import httpx
import pytest

from app.queue.http import HttpQueueSystem
from app.queue.model import QueueError, TicketStatus
from app.sync.client import CentralApi
from tests.server.conftest import assert_envelope

pytestmark = pytest.mark.integration


_used: dict[str, set[str]] = {}


@pytest.fixture
def series(live_server, authed) -> str:
    """A series (letter) no other test of this module used on this database (one server per database)."""
    used = _used.setdefault(live_server.base_url, set())
    for letter in "QRSTUVWXYZGHJKLMNP":
        if letter not in used:
            used.add(letter)
            assert authed.get("/api/v1/queue/waiting", params={"category": letter}).json()["waiting"] == 0
            return letter
    raise AssertionError("no free series left")


def _issue(c: httpx.Client, category: str, **extra) -> dict:
    r = c.post("/api/v1/queue/tickets", json={"category": category, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def test_numbers_run_per_category_and_the_oldest_is_called_first(authed, series):
    first = _issue(authed, series, item_code="resident_pension_enrolment", item_name="城乡居民养老保险参保登记",
                   ssn="150102198005170235")
    second = _issue(authed, series)
    assert (first["number"], second["number"]) == (f"{series}001", f"{series}002")
    assert first["status"] == "waiting" and first["item_name"] == "城乡居民养老保险参保登记"
    assert "ssn" not in first
    assert authed.get("/api/v1/queue/waiting", params={"category": series}).json()["waiting"] == 2
    r = authed.post("/api/v1/queue/next", json={"counter_no": "3", "categories": [series]})
    called = r.json()["ticket"]
    assert called["number"] == f"{series}001" and called["status"] == "called"
    assert called["counter_no"] == "3" and called["operator_id"] == "demo"  # from the operator's token
    assert called["item_code"] == "resident_pension_enrolment"
    assert authed.get("/api/v1/queue/waiting", params={"category": series}).json()["waiting"] == 1


def test_recall_skip_and_finish_follow_the_ticket_states(authed, series):
    t = _issue(authed, series)
    called = authed.post("/api/v1/queue/next", json={"counter_no": "1", "categories": [series]}).json()["ticket"]
    assert called["ticket_id"] == t["ticket_id"]
    again = authed.post(f"/api/v1/queue/tickets/{t['ticket_id']}/recall").json()
    assert again["recalls"] == 1 and again["status"] == "called"
    skipped = authed.post(f"/api/v1/queue/tickets/{t['ticket_id']}/skip").json()
    assert skipped["status"] == "skipped"
    back = authed.post(f"/api/v1/queue/tickets/{t['ticket_id']}/recall").json()
    assert back["status"] == "called" and back["recalls"] == 2
    case_id = str(uuid.uuid4())
    done = authed.post(f"/api/v1/queue/tickets/{t['ticket_id']}/finish", json={"case_id": case_id}).json()
    assert done["status"] == "finished" and done["case_id"] == case_id
    err = assert_envelope(authed.post(f"/api/v1/queue/tickets/{t['ticket_id']}/skip"), 409, "ticket_state")
    assert "已办结" in err["message"]
    assert_envelope(authed.post(f"/api/v1/queue/tickets/{uuid.uuid4()}/recall"), 404, "ticket_not_found")


def test_nobody_waiting_answers_null_and_bad_input_is_refused(authed, series, client):
    assert authed.post("/api/v1/queue/next", json={"counter_no": "1", "categories": [series]}).json() == {"ticket": None}
    assert_envelope(authed.post("/api/v1/queue/tickets", json={"category": "a1"}), 422, "validation_error")
    assert_envelope(client.post("/api/v1/queue/tickets", json={"category": series}), 401, "unauthorized")


def test_concurrent_issuers_and_callers_never_share_a_number_or_a_ticket(live_server, operator_token, authed, series):
    headers = {"Authorization": f"Bearer {operator_token}"}
    issued: list[str] = []
    called: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def issuer():
        try:
            with httpx.Client(base_url=live_server.base_url, headers=headers, timeout=60) as c:
                for _ in range(10):
                    number = _issue(c, series)["number"]
                    with lock:
                        issued.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=issuer) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(issued) == [f"{series}{n:03d}" for n in range(1, 61)]

    def caller(counter: str):
        try:
            with httpx.Client(base_url=live_server.base_url, headers=headers, timeout=60) as c:
                while True:
                    ticket = c.post("/api/v1/queue/next", json={"counter_no": counter, "categories": [series]}
                                    ).json()["ticket"]
                    if ticket is None:
                        return
                    with lock:
                        called.append(ticket["number"])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=caller, args=(str(n),)) for n in range(1, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    counts = Counter(called)
    assert len(called) == 60 and max(counts.values()) == 1, "a ticket was handed to two counters"


def test_http_queue_system_speaks_the_protocol(live_server, operator_token, series):
    names = {"resident_pension_enrolment": "城乡居民养老保险参保登记"}
    queue = HttpQueueSystem(CentralApi(live_server.base_url, 10), token_source=lambda: operator_token,
                            item_names=names.get)
    try:
        t = queue.issue_ticket(series, "resident_pension_enrolment", "150102198005170235")
        assert t.number == f"{series}001" and t.item_name == "城乡居民养老保险参保登记"
        assert t.status is TicketStatus.waiting and t.issued_at is not None and t.issued_at.tzinfo
        assert queue.waiting(series) == 1
        called = queue.call_next("7", "demo", [series])
        assert called.ticket_id == t.ticket_id and called.status is TicketStatus.called
        assert called.business == "城乡居民养老保险参保登记"
        assert queue.recall(called).recalls == 1
        assert queue.finish(called, None).status is TicketStatus.finished
        assert queue.call_next("7", "demo", [series]) is None
        with pytest.raises(QueueError) as info:
            queue.skip(called)
        assert "已办结" in info.value.user_message
    finally:
        queue.close()


def test_an_unreachable_queue_says_what_to_do():
    queue = HttpQueueSystem(CentralApi("http://127.0.0.1:9", 2), token_source=lambda: "x")
    with pytest.raises(QueueError) as info:
        queue.call_next("1", "demo")
    assert "无法连接叫号系统" in info.value.user_message
    queue.close()
