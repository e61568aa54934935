"""The single-terminal queue fallback (app.queue.local) on a real SQLite file: numbering per series and day,
order of calling, state rules, restarts, and many threads drawing at once."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from app.config import Settings
from app.queue import build_queue
from app.queue.local import LocalQueueSystem
from app.queue.model import QueueError, QueueSystem, TicketStatus, category_for_item


def test_numbers_order_states_and_restart(tmp_path):
    q = LocalQueueSystem(tmp_path / "q.sqlite3", item_names={"x": "某业务"}.get)
    assert isinstance(q, QueueSystem)
    a1, a2, b1 = q.issue_ticket("A", "x", "150102198005170235"), q.issue_ticket("A"), q.issue_ticket("B")
    assert (a1.number, a2.number, b1.number) == ("A001", "A002", "B001")
    assert a1.item_name == "某业务" and a1.business == "某业务" and a2.business == "参保登记与缴费申报"
    assert q.waiting() == 3 and q.waiting("A") == 2
    assert q.call_next("1", "demo", ["B"]).number == "B001"
    called = q.call_next("1", "demo")
    assert called.number == "A001" and called.status is TicketStatus.called and called.counter_no == "1"
    assert q.skip(called).status is TicketStatus.skipped
    assert q.recall(called).recalls == 1
    assert q.finish(called, "case-1").case_id == "case-1"
    with pytest.raises(QueueError) as info:
        q.skip(called)
    assert "已办结" in info.value.user_message
    again = LocalQueueSystem(tmp_path / "q.sqlite3")  # a restart keeps the day's series
    assert again.issue_ticket("A").number == "A003"
    with pytest.raises(QueueError):
        q.issue_ticket("ab")


def test_a_new_day_starts_each_series_at_one(tmp_path):
    now = [datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)]
    q = LocalQueueSystem(tmp_path / "q.sqlite3", clock=lambda: now[0])
    assert q.issue_ticket("A").number == "A001"
    now[0] += timedelta(days=1)
    assert q.waiting() == 0  # yesterday's ticket is not called today
    assert q.issue_ticket("A").number == "A001"


def test_threads_never_share_a_number_or_a_ticket(tmp_path):
    q = LocalQueueSystem(tmp_path / "q.sqlite3")
    numbers, called = [], []
    threads = [threading.Thread(target=lambda: numbers.extend(q.issue_ticket("C").number for _ in range(20)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [f"C{n:03d}" for n in range(1, 81)]

    def caller():
        while (t := q.call_next("9", "demo")) is not None:
            called.append(t.number)
    threads = [threading.Thread(target=caller) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(called) == sorted(numbers)


def test_configuration_picks_the_backend(tmp_path):
    from app.catalog import load_catalog

    assert build_queue(Settings.model_validate({"queue": {"backend": "none"}}), tmp_path) is None
    local = build_queue(Settings.model_validate({"queue": {"backend": "local"}}), tmp_path)
    assert isinstance(local, LocalQueueSystem)
    s = Settings.model_validate({"queue": {"categories": "A,B", "counter_no": "12"}})
    assert s.queue.categories == ["A", "B"] and s.queue.backend == "server"
    with pytest.raises(Exception):
        Settings.model_validate({"queue": {"categories": ["ab"]}})
    item = load_catalog().get("resident_pension_enrolment")
    assert category_for_item(item) == "A"  # 社会保险登记


def test_one_connection_for_the_life_of_the_queue(tmp_path):
    """Each call used to open a connection that `with` never closed: left to the cyclic collector, which then closed
    SQLite files in the middle of whatever thread it ran on (GUI stalls, issue 13)."""
    import gc
    import sqlite3

    q = LocalQueueSystem(tmp_path / "q.sqlite3")
    gc.collect()
    gc.disable()
    try:
        for _ in range(20):
            t = q.issue_ticket("A")
            q.call_next("1", "op")
            q.finish(t)
            q.waiting()
        open_connections = [o for o in gc.get_objects() if isinstance(o, sqlite3.Connection)]
        assert len(open_connections) <= 1
    finally:
        gc.enable()
    q.close()
    q.close()  # twice is harmless
    again = LocalQueueSystem(tmp_path / "q.sqlite3")
    assert again.waiting() == 0 and again.ticket(t.ticket_id).status.value == "finished"
    again.close()
