"""kill -9 at random points while a client captures cases and syncs, again and again; then a normal start drains the
outbox: the server holds exactly the client's cases — none lost, none twice, every scan and rating once."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sync.conftest import tid
from tests.sync.terminal import assert_converged, make_terminal

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not hasattr(os, "fork"), reason="the pre-loaded worker forks (POSIX)")]

KILLS = 60
TIME_BUDGET_S = 60


def _inflight(db: Path) -> int:
    con = sqlite3.connect(db, timeout=10)  # the writer is dead: a plain connection also reads its WAL
    try:
        return con.execute("SELECT count(*) FROM outbox WHERE state = 'inflight'").fetchone()[0]
    finally:
        con.close()


def test_kill_minus_nine_during_capture_and_sync(tmp_path, central):
    terminal_id = tid("K")
    root = Path(__file__).resolve().parents[2]
    worker = subprocess.Popen([sys.executable, "-m", "tests.sync.kill_worker", str(tmp_path), central.url, terminal_id],
                              cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    rng = random.Random(20240601)
    kills, in_flight_kills = 0, 0
    start = time.monotonic()
    try:
        assert worker.stdout.readline().strip() == "ready"
        while kills < KILLS and time.monotonic() - start < TIME_BUDGET_S:
            worker.stdin.write("fork\n")
            worker.stdin.flush()
            lines = {worker.stdout.readline().strip(), worker.stdout.readline().strip()}  # its pid, and "go"
            assert "go" in lines, lines
            pid = int((lines - {"go"}).pop())
            time.sleep(rng.uniform(0.0, 0.35))  # somewhere in capture, claim, send or settle
            os.kill(pid, signal.SIGKILL)
            reaped = worker.stdout.readline().split()
            assert reaped[0] == "reaped"
            assert os.WIFSIGNALED(int(reaped[1])), "the child ended on its own (it crashed?)"
            kills += 1
            if _inflight(tmp_path / terminal_id / "yichuang.sqlite3"):
                in_flight_kills += 1
        worker.stdin.write("quit\n")
        worker.stdin.flush()
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert kills >= 50, f"only {kills} kills in {TIME_BUDGET_S} s"
    assert in_flight_kills >= 3, f"too few kills landed while sending ({in_flight_kills})"

    t = make_terminal(tmp_path, central.url, terminal_id)  # the next normal start
    try:
        assert t.relay.drain(60), t.unsent()
        srv = assert_converged(t, central.db_url)
        assert len(srv["case_ids"]) >= kills // 2, "the children hardly captured anything"
        print(f"\n{kills} kills ({in_flight_kills} with messages in flight), {len(srv['case_ids'])} cases, "
              f"{len(srv['uploads'])} scans, {len(srv['ratings'])} ratings, "
              f"{time.monotonic() - start:.1f} s")
    finally:
        t.close()
