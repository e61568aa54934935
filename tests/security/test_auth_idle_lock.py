"""Idle auto-lock in the counter window (issue 11 point 1), real widgets under pytest-qt offscreen: after the
configured idle time an overlay asks for the password; the half-filled form keeps its values; input to the form is
swallowed while locked; wrong passwords count towards the lock-out."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.security.idle import IdlePolicy
from app.store.models import AuditRecord
from tests.gui.conftest import bridge, qapp, runtime, session, window  # noqa: F401  (the GUI fixtures)
from tests.gui.helpers import ITEM, NAME, type_text
from ui.lock import install_idle_lock

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _never_block_on_questions(monkeypatch):
    """Closing the window with a half-filled form asks a modal question: answer yes (as tests/gui does)."""
    monkeypatch.setattr("ui.shell.counter.ask_yes_no", lambda *a, **k: True)


def test_idle_policy_counts_only_real_idleness():
    now = [100.0]
    policy = IdlePolicy(60, clock=lambda: now[0])
    now[0] += 59
    assert not policy.should_lock()
    policy.touch()
    now[0] += 59
    assert not policy.should_lock(), "input restarts the count"
    now[0] += 2
    assert policy.should_lock()
    policy.lock()
    policy.touch()  # input while locked does not unlock
    assert policy.locked and not policy.should_lock()
    policy.unlock()
    assert not policy.locked and policy.idle_seconds() == 0
    assert not IdlePolicy(0).should_lock(), "0 minutes = never lock"


def test_window_locks_when_idle_and_keeps_the_half_filled_form(qtbot, window, runtime, session):
    lock = install_idle_lock(window, runtime, session, timeout_seconds=0.4)
    form = window.open_item(ITEM)
    name = form.field_widgets["name"]
    name.setFocus()
    type_text(qtbot, name, NAME)
    with qtbot.waitSignal(lock.locked, timeout=5000):
        pass  # no input: the lock comes by itself
    assert lock.overlay.isVisible() and lock.overlay.geometry() == window.rect()
    assert lock.overlay.password_edit.hasFocus()
    qtbot.keyClicks(name, "X")  # aimed at the form underneath: swallowed
    assert name.text() == NAME

    qtbot.keyClicks(lock.overlay.password_edit, "wrong")
    with qtbot.waitSignal(lock.unlock_refused, timeout=5000):  # checked on a worker (issue 13)
        qtbot.keyClick(lock.overlay.password_edit, Qt.Key.Key_Return)
    assert lock.overlay.isVisible() and lock.overlay.error_label.text() == "密码错误，请重新输入。"
    assert lock.is_locked

    qtbot.keyClicks(lock.overlay.password_edit, "demo1234")
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        qtbot.keyClick(lock.overlay.password_edit, Qt.Key.Key_Return)
    assert not lock.overlay.isVisible() and not lock.is_locked
    assert window.tabs.currentWidget() is form and form.field_widgets["name"].text() == NAME, "work preserved"
    assert name.hasFocus(), "focus goes back where the clerk was typing"
    with runtime.store.session() as s:
        actions = list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    assert actions[-3:] == ["session.locked", "session.unlock_refused", "session.unlocked"]


def test_wrong_passwords_at_the_lock_end_in_lock_out(qtbot, window, runtime, session):
    lock = install_idle_lock(window, runtime, session, timeout_seconds=0.3)
    with qtbot.waitSignal(lock.locked, timeout=5000):
        pass
    for _ in range(runtime.auth.policy().max_failures):
        with qtbot.waitSignal(lock.unlock_refused, timeout=5000):
            lock.try_unlock("guess")
    with qtbot.waitSignal(lock.locked_out, timeout=5000):
        lock.try_unlock("demo1234")
    assert lock.is_locked and lock.overlay.isVisible()
    assert "锁定" in lock.overlay.error_label.text() and lock.is_locked


def test_the_counter_window_installs_the_policy_lock(qtbot, window, runtime, session):
    expected = runtime.auth.policy().idle_lock_minutes * 60
    qtbot.waitUntil(lambda: window.idle_lock.policy.timeout_seconds == expected > 0, timeout=5000)  # read on a worker
