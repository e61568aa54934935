"""Catches database work on a thread that must not do any: the GUI thread (issue 13, "every network, device,
database and PDF operation runs off the UI thread"). The GUI marks its thread with `forbid_current_thread()`; every
SQL statement (the store's engine, the local queue) calls `check()`, which records where it came from. Tests assert
the record stays empty; the client in debug mode logs it. No Qt here: the thread is just an ident."""
from __future__ import annotations

import logging
import threading
import traceback
from contextlib import contextmanager

log = logging.getLogger(__name__)

_forbidden: set[int] = set()
_lock = threading.Lock()
violations: list[str] = []  # one short stack (our own frames) per offending statement, oldest first


def forbid_current_thread() -> None:
    _forbidden.add(threading.get_ident())


def allow_current_thread() -> None:
    _forbidden.discard(threading.get_ident())


@contextmanager
def allowed():
    """A test calling a worker's function directly on its own thread."""
    ident = threading.get_ident()
    was = ident in _forbidden
    _forbidden.discard(ident)
    try:
        yield
    finally:
        if was:
            _forbidden.add(ident)


def reset() -> list[str]:
    """Clear and return what was recorded."""
    with _lock:
        seen = list(violations)
        violations.clear()
    return seen


def _ui_frames() -> str:
    """Our frames of the current stack, innermost first, when a screen (ui/) asked for the statement; "" when not
    (a test's own check of the database, start-up before the first window)."""
    frames = [f for f in traceback.extract_stack()[:-3]
              if "/app/" in f.filename or "/ui/" in f.filename or "/devices/" in f.filename]
    if not any("/ui/" in f.filename for f in frames):
        return ""
    return " <- ".join(f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                       for f in reversed(frames[-8:]))


def check() -> None:
    """Called before each statement; cheap when the thread is allowed (a set lookup)."""
    if threading.get_ident() not in _forbidden:
        return
    where = _ui_frames()
    if not where:
        return
    with _lock:
        violations.append(where)
    log.warning("database work on the GUI thread: %s", where)


def on_cursor_execute(*_args) -> None:
    """SQLAlchemy `before_cursor_execute` listener."""
    check()
