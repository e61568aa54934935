"""Fault injection through a TCP proxy between the client and a real uvicorn server. After every scenario: the
server's records equal the client's cases — no duplicates, no losses, every scan verified, every rating once."""
from __future__ import annotations

import threading
import time
import zlib

import pytest

from app.cases.journal import rate_case
from tests.sync.conftest import tid
from tests.sync.proxy import FaultProxy, random_policy
from tests.sync.terminal import assert_converged, make_terminal

pytestmark = pytest.mark.integration

SCENARIOS = {
    "drop_before_forwarding": {"drop_before": 0.3},
    "drop_after_the_server_committed": {"drop_after": 0.35},
    "http_500_502_503": {"500": 0.12, "502": 0.12, "503": 0.06, "replace_502": 0.15},
    "truncated_answers": {"truncate": 0.3},
    "delays_and_timeouts": {"delay:0.15": 0.3, "hang": 0.05, "hang_after": 0.1},
    "everything_at_once": {"drop_before": 0.08, "drop_after": 0.08, "500": 0.05, "502": 0.05, "replace_502": 0.05,
                           "truncate": 0.05, "hang_after": 0.04, "delay:0.1": 0.1},
}


def _work(t, n: int, *, scans_every: int = 4, rate_every: int = 5) -> None:
    for i in range(n):
        v = t.new_case()
        if i % scans_every == 0:
            t.attachments.add(v.case_id, "id_document", f"scan {i} ".encode() * 900, "image/png", f"scan{i}.png")
        if i % rate_every == 0:
            rate_case(t.store, case_id=v.case_id, rating=5 - i % 3, comment=None, channel="counter",
                      operator_id="demo", terminal_id=t.terminal_id)
        if i % 7 == 3:
            t.relay.run_once()  # some leave while others are still being captured


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_fault_scenario_converges(scenario, tmp_path, central):
    proxy = FaultProxy(central.url).start()
    t = make_terminal(tmp_path, proxy.url, tid("F"), timeout=0.6, batch_size=8)
    try:
        proxy.set_policy(random_policy(zlib.crc32(scenario.encode()), SCENARIOS[scenario]))
        _work(t, 24)
        assert t.relay.drain(90), f"not drained under {scenario}: {t.unsent()} {dict(proxy.stats)}"
        assert_converged(t, central.db_url)
        faults = sum(v for k, v in proxy.stats.items() if k != "pass")
        assert faults >= 3, f"the scenario injected too few faults: {dict(proxy.stats)}"
    finally:
        t.close()
        proxy.stop()


def test_network_cut_then_restored_with_the_relay_thread(tmp_path, central):
    """The real background thread: the clerk keeps capturing while the line is cut; the relay notices (probe),
    pauses, and drains once the probe succeeds again."""
    proxy = FaultProxy(central.url).start()
    t = make_terminal(tmp_path, proxy.url, tid("N"), timeout=0.5, batch_size=10)
    seen_offline = threading.Event()

    def on_status(st):
        if st.online is False:
            seen_offline.set()

    t.relay.on_status = on_status
    t.relay.start()
    try:
        _work(t, 6, scans_every=3)
        t.relay.wake()
        proxy.cut()
        _work(t, 10, scans_every=4)  # offline capture
        assert seen_offline.wait(10), "the relay never noticed the network was gone"
        time.sleep(0.3)
        assert t.relay.status().pending > 0
        proxy.restore()
        t.relay.wake()
        deadline = time.monotonic() + 60
        while t.unsent() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert t.relay.online is True
        t.relay.stop()
        assert_converged(t, central.db_url)
        assert proxy.stats["refused"] > 0
    finally:
        t.close()
        proxy.stop()
