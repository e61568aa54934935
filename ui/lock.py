"""Idle auto-lock of an operator's window: after the agency's configured minutes without input an overlay covers the
window and asks for the password again; what is on screen (a half-filled form, open tabs) stays untouched underneath.
The policy is app.security.idle; the password is checked by the Authenticator (local verifier, lock-out counted)."""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QInputEvent, QInputMethodEvent
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from app.errors import AuthError
from app.security.idle import IdlePolicy
from ui.bridge import run_in_thread

log = logging.getLogger(__name__)

_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
                 QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.Shortcut,
                 QEvent.Type.ShortcutOverride, QEvent.Type.InputMethod}
# The same input as classes, for the filter that runs on every event of the application: one isinstance check
# (key, mouse, wheel, touch, tablet events and IME commits) is ~1 µs where type() + set lookup + parent walk were ~10.
_INPUT_CLASSES = (QInputEvent, QInputMethodEvent)


class LockOverlay(QFrame):
    """Covers the whole window; only its password field takes input."""

    unlock_requested = Signal(str)

    def __init__(self, window: QWidget, operator_text: str):
        super().__init__(window)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockOverlay { background-color: rgba(30, 40, 55, 235); }"
                           "#lockOverlay QLabel { color: white; }")
        title = QLabel(self.tr("屏幕已锁定"))
        title.setObjectName("loginTitle")
        who = QLabel(self.tr("柜员 {0} 长时间未操作，请输入密码解锁。未保存的业务已保留。").format(operator_text))
        who.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("请输入密码"))
        self.password_edit.setMaxLength(128)
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setProperty("primary", True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        box = QFrame(self)
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(who)
        row = QHBoxLayout()
        row.addWidget(self.password_edit, 1)
        row.addWidget(self.unlock_button)
        inner.addLayout(row)
        inner.addWidget(self.error_label)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.password_edit.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        self.hide()

    @Slot()
    def _submit(self) -> None:
        self.unlock_requested.emit(self.password_edit.text())

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.password_edit.clear()
        self.password_edit.setFocus()


class _LockedGuard(QObject):
    """Installed on the application only while the window is locked: swallows input aimed at the window except the
    overlay's (keys at the form underneath, its shortcuts). Unlocked, no such per-event work is done."""

    def __init__(self, lock: "IdleLock"):
        super().__init__(lock)
        self._lock = lock

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() not in _INPUT_EVENTS:
            return False
        lock = self._lock
        return lock._inside(obj, lock.window) and not lock._inside(obj, lock.overlay)


class _OverlayFollower(QObject):
    """Installed on the window itself (not the application): keeps the overlay covering the window on resize."""

    def __init__(self, lock: "IdleLock"):
        super().__init__(lock)
        self._lock = lock

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        overlay = self._lock.overlay
        if event.type() == QEvent.Type.Resize and overlay.isVisible():
            overlay.setGeometry(self._lock.window.rect())
        return False


class IdleLock(QObject):
    """Watches input; locks `window` after `policy` says so. `locked_out` fires when the password was wrong
    too often (the account is locked: the owner should end the session). Any input to the application counts as the
    clerk being present (its dialogs and tool windows too).

    Issue 13: an application-wide event filter written in Python runs for every event of the GUI thread, and each
    call must take Python's lock, which a worker rendering a PDF holds for milliseconds at a time: with the filter
    always installed, laying out a new business screen waited for that lock thousands of times. So the filter is
    only armed when needed: the first input after arming is noted and disarms it, and it is armed again `rearm_ms`
    later (1/20 of the timeout, at most 10 s). The lock can therefore come at most `rearm_ms` early, never late."""

    locked = Signal()
    unlocked = Signal()
    locked_out = Signal(str)
    unlock_refused = Signal(str)  # the message shown on the overlay

    def __init__(self, window: QWidget, auth, session, policy: IdlePolicy, check_ms: int = 1000):
        super().__init__(window)
        self.window, self.auth, self.session, self.policy = window, auth, session, policy
        self.overlay = LockOverlay(window, self.tr("{0}（{1}）").format(session.name, session.operator_id))
        self.overlay.unlock_requested.connect(self.try_unlock)
        self._focus_before: QWidget | None = None
        self._checking = False  # a password is being verified on a worker
        self._check_ms = check_ms
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self._guard = _LockedGuard(self)
        self._follower = _OverlayFollower(self)
        window.installEventFilter(self._follower)
        self._armed = False
        self._rearm = QTimer(self)
        self._rearm.setSingleShot(True)
        self._rearm.timeout.connect(self._arm)
        self._apply_timeout()
        window.destroyed.connect(self._detach)

    @property
    def is_locked(self) -> bool:
        return self.policy.locked

    def _detach(self, *_args) -> None:
        self.timer.stop()
        self._rearm.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            app.removeEventFilter(self._guard)

    @Slot()
    def _arm(self) -> None:
        app = QApplication.instance()
        if not self._armed and app is not None and not self.policy.locked:
            app.installEventFilter(self)
            self._armed = True

    def _disarm(self) -> None:
        app = QApplication.instance()
        if self._armed and app is not None:
            app.removeEventFilter(self)  # allowed from inside eventFilter()
        self._armed = False

    def _inside(self, obj: QObject, root: QWidget) -> bool:
        while obj is not None:
            if obj is root:
                return True
            obj = obj.parent()
        return False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Armed, this runs for every event of the application: the first input is noted, then it steps aside.
        if isinstance(event, _INPUT_CLASSES):
            self.policy.touch()
            self._disarm()
            self._rearm.start()
        return False

    @Slot()
    def _tick(self) -> None:
        if self.policy.should_lock():
            self.lock()

    def lock(self) -> None:
        if self.policy.locked:
            return
        self.policy.lock()
        self._rearm.stop()
        self._disarm()
        app = QApplication.instance()
        if app is not None:  # only the overlay takes input now; shortcuts and keys at the form are swallowed
            app.installEventFilter(self._guard)
        self._focus_before = QApplication.focusWidget()
        self.overlay.setGeometry(self.window.rect())
        self.overlay.error_label.hide()
        self.overlay.password_edit.clear()
        self.overlay.show()
        self.overlay.raise_()
        self.overlay.password_edit.setFocus()
        auth, session = self.auth, self.session  # the audit line is database work: a worker's (issue 13)
        run_in_thread(lambda: auth.record_idle_lock(session), None,
                      lambda exc: log.warning("idle lock not audited: %r", exc), context=self)
        log.info("window locked after %.0f s idle", self.policy.timeout_seconds)
        self.locked.emit()

    @Slot(str)
    def try_unlock(self, password: str) -> None:
        """Check the password on a worker (a deliberately slow hash and an audit line: issue 13 keeps both off the
        GUI thread); the answer comes as `unlocked`, or as `unlock_refused` with the message shown."""
        if not password:
            self._refuse(QCoreApplication.translate("IdleLock", "请输入密码。"))
            return
        if self._checking:
            return
        self._checking = True
        self.overlay.password_edit.setEnabled(False)
        self.overlay.error_label.setText(QCoreApplication.translate("IdleLock", "正在验证…"))
        self.overlay.error_label.show()
        auth, session = self.auth, self.session
        run_in_thread(lambda: auth.verify_unlock(session, password), self._answer, self._answer_failed,
                      context=self)

    def _answer(self, ok: bool) -> None:
        self._checking = False
        self.overlay.password_edit.setEnabled(True)
        if not ok:
            self._refuse(QCoreApplication.translate("IdleLock", "密码错误，请重新输入。"))
            return
        self.overlay.password_edit.clear()
        self.overlay.error_label.hide()
        self.overlay.hide()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._guard)
        self.policy.unlock()
        self._arm()
        if self._focus_before is not None:
            self._focus_before.setFocus()
        self.unlocked.emit()

    def _answer_failed(self, exc: BaseException) -> None:
        self._checking = False
        self.overlay.password_edit.setEnabled(True)
        if isinstance(exc, AuthError):
            self._refuse(exc.user_message)
            self.locked_out.emit(exc.user_message)
        else:
            log.error("unlock check failed: %r", exc)
            self._refuse(QCoreApplication.translate("IdleLock", "无法验证密码，请重试；仍不行请联系管理员。"))

    def _refuse(self, message: str) -> None:
        self.overlay.show_error(message)
        self.overlay.password_edit.setFocus()
        self.unlock_refused.emit(message)

    def set_timeout(self, seconds: float) -> None:
        """The agency's idle minutes, read after the window opened (from the store, on a worker)."""
        if seconds != self.policy.timeout_seconds:
            self.policy.timeout_seconds = seconds
            self._apply_timeout()

    def _apply_timeout(self) -> None:
        seconds = self.policy.timeout_seconds
        self.timer.setInterval(max(50, min(self._check_ms, int(seconds * 250) or self._check_ms)))
        self._rearm.setInterval(int(min(10_000.0, max(20.0, seconds * 1000 / 20))))
        if self.policy.enabled:
            self._arm()
            self.timer.start()
        else:
            self.timer.stop()
            self._rearm.stop()
            self._disarm()


def install_idle_lock(window: QWidget, runtime, session, *, timeout_seconds: float | None = None) -> IdleLock:
    """The hook for an operator's window: minutes from the agency's policy (cached at the last online login). Until
    that is read from the store (on a worker, issue 13) the terminal's default policy applies."""
    if timeout_seconds is not None:
        return IdleLock(window, runtime.auth, session, IdlePolicy(timeout_seconds))
    auth, agency = runtime.auth, session.agency_code
    lock = IdleLock(window, auth, session, IdlePolicy(auth.default_policy.idle_lock_minutes * 60.0))
    run_in_thread(lambda: auth.policy(agency).idle_lock_minutes * 60.0, lock.set_timeout,
                  lambda exc: log.warning("idle-lock policy not read: %r", exc), context=lock)
    return lock
