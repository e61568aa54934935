"""Event-loop watchdog: a heartbeat timer on the GUI thread and an observer thread that samples the GUI thread's
stack when the heartbeat is late, so every stall longer than the threshold (100 ms) is recorded with where the GUI
thread was. Used by tests (the scripted clerk's day asserts it never fired) and by the client in debug mode.

The observer is a Python thread: while the GUI thread is inside Qt's C++ code (PySide keeps Python's lock there:
layout, style, painting) it cannot sample, and the stall's stack stays empty — which says as much."""
from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger(__name__)
THRESHOLD_MS = 100
HEARTBEAT_MS = 10
GAP_BUCKETS_MS = (25, 50, 75, 100)  # the margin below the threshold, for benchmarks


@dataclass(frozen=True)
class Stall:
    duration_ms: float  # how long the event loop did not run beyond the heartbeat interval
    at: float  # time.monotonic() when the stall ended
    stack: str  # the GUI thread's stack sampled during the stall ("" when it ended before a sample)

    def summary(self) -> str:
        last = [line for line in self.stack.strip().splitlines() if line.strip().startswith("File")][-3:]
        return f"{self.duration_ms:.0f} ms; " + " | ".join(s.strip() for s in last)


class Watchdog(QObject):
    """start() on the GUI thread; `stalls` lists what it saw; `max_gap_ms` is the longest heartbeat gap."""

    def __init__(self, threshold_ms: float = THRESHOLD_MS, heartbeat_ms: int = HEARTBEAT_MS,
                 parent: QObject | None = None, *, log_stalls: bool = False):
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.heartbeat_ms = heartbeat_ms
        self.log_stalls = log_stalls
        self.stalls: list[Stall] = []
        self.max_gap_ms = 0.0
        self.gaps_over: dict[int, int] = {b: 0 for b in GAP_BUCKETS_MS}  # how many gaps exceeded each bound
        self.beats = 0
        self._last = time.monotonic()
        self._sample: str = ""
        self._sampled_for = -1
        self._paused = 0
        self._running = False
        self._gui_ident = threading.get_ident()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(heartbeat_ms)
        self._timer.timeout.connect(self._beat)
        self._observer: threading.Thread | None = None
        self._stop = threading.Event()

    # -- control ---------------------------------------------------------------------------------------------------
    def start(self) -> "Watchdog":
        self._gui_ident = threading.get_ident()
        self._last = time.monotonic()
        self._running = True
        self._timer.start()
        self._stop.clear()
        self._observer = threading.Thread(target=self._observe, name="yichuang-watchdog", daemon=True)
        self._observer.start()
        return self

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._stop.set()
        if self._observer is not None:
            self._observer.join(timeout=2)
            self._observer = None

    @contextmanager
    def paused(self):
        """Not the application's time (e.g. a test inspecting the database between steps): not counted."""
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1
            self._last = time.monotonic()

    def reset(self) -> None:
        self.stalls.clear()
        self.max_gap_ms = 0.0
        self.gaps_over = {b: 0 for b in GAP_BUCKETS_MS}
        self._last = time.monotonic()

    @property
    def fired(self) -> bool:
        return bool(self.stalls)

    def report(self, *, full: bool = False) -> str:
        if full:
            return "\n\n".join(f"{s.duration_ms:.0f} ms\n{s.stack or '(no stack sample)'}" for s in self.stalls) \
                or "no stall"
        return "\n".join(s.summary() for s in self.stalls) or "no stall"

    # -- GUI thread ------------------------------------------------------------------------------------------------
    def _beat(self) -> None:
        now = time.monotonic()
        gap_ms = (now - self._last) * 1000.0 - self.heartbeat_ms
        self._last = now
        self.beats += 1
        if self._paused:
            return
        self.max_gap_ms = max(self.max_gap_ms, gap_ms)
        for bound in GAP_BUCKETS_MS:
            if gap_ms > bound:
                self.gaps_over[bound] += 1
        if gap_ms > self.threshold_ms:
            stall = Stall(gap_ms, now, self._sample)
            self.stalls.append(stall)
            if self.log_stalls:
                log.warning("GUI thread blocked for %.0f ms\n%s", gap_ms, stall.stack or "(no stack sample)")
        self._sample = ""

    # -- observer thread -------------------------------------------------------------------------------------------
    def _observe(self) -> None:
        period = max(0.005, self.heartbeat_ms / 2000.0)
        while not self._stop.wait(period):
            last, beat = self._last, self.beats
            late_ms = (time.monotonic() - last) * 1000.0 - self.heartbeat_ms
            if self._running and not self._paused and late_ms > self.threshold_ms * 0.8 \
                    and self._sampled_for != beat and not self._sample:
                frame = sys._current_frames().get(self._gui_ident)
                if frame is not None:
                    try:
                        self._sample = "".join(traceback.format_stack(frame))
                    except Exception:  # noqa: BLE001 - the frame moved on while we read it: sample next time
                        continue
                    finally:
                        del frame
                    self._sampled_for = beat
