"""Idle auto-lock policy (等保 2.0 会话超时锁定): after the agency's configured minutes without input the operator's
screen is locked until the password is entered again; the work on screen stays as it was. Qt-free: the window feeds
input instants in and asks whether to lock; ui/lock.py is the overlay."""
from __future__ import annotations

import time
from collections.abc import Callable


class IdlePolicy:
    """`timeout_seconds` 0 (or less) never locks. `clock` is monotonic seconds (injectable for tests)."""

    def __init__(self, timeout_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.timeout_seconds = timeout_seconds
        self._clock = clock
        self._last_input = clock()
        self.locked = False

    @classmethod
    def from_minutes(cls, minutes: float, clock: Callable[[], float] = time.monotonic) -> IdlePolicy:
        return cls(minutes * 60.0, clock)

    @property
    def enabled(self) -> bool:
        return self.timeout_seconds > 0

    def touch(self) -> None:
        """User input happened (ignored while locked: only the password unlocks)."""
        if not self.locked:
            self._last_input = self._clock()

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def remaining_seconds(self) -> float:
        return max(0.0, self.timeout_seconds - self.idle_seconds())

    def should_lock(self) -> bool:
        return self.enabled and not self.locked and self.idle_seconds() >= self.timeout_seconds

    def lock(self) -> None:
        self.locked = True

    def unlock(self) -> None:
        self.locked = False
        self._last_input = self._clock()
