"""No way out for the public: an application-wide event filter that swallows the shortcuts and system keys Qt still
sees (Alt+F4, Alt+Tab, Ctrl+W/Q, Escape, function keys, the Windows key, right clicks and context menus), notes
every touch as activity for the page timeouts, and recognises the administrator's hidden gesture (five taps in the
top-left corner within a few seconds).

Keys the window system grabs before Qt (Ctrl+Alt+Del, a compositor's own bindings) cannot be stopped from inside the
application: the terminal's operating-system kiosk profile has to (a single-application session such as cage on Linux,
Assigned Access on Windows), with the client restarted by it if it ever ends."""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

_FUNCTION_KEYS = {getattr(Qt.Key, f"Key_F{n}") for n in range(1, 36)}
_SYSTEM_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Menu,
                Qt.Key.Key_Close, Qt.Key.Key_Sleep, Qt.Key.Key_PowerOff, Qt.Key.Key_Suspend, Qt.Key.Key_Hibernate,
                Qt.Key.Key_Launch0, Qt.Key.Key_LaunchMail, Qt.Key.Key_Explorer, Qt.Key.Key_HomePage,
                Qt.Key.Key_Print, Qt.Key.Key_SysReq, Qt.Key.Key_Help, Qt.Key.Key_Back, Qt.Key.Key_Forward}
_MODIFIER_KEYS = {Qt.Key.Key_Alt, Qt.Key.Key_Control, Qt.Key.Key_AltGr}
_BLOCKING_MODIFIERS = (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.MetaModifier)
_KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut}
_CONTEXT_EVENTS = {QEvent.Type.ContextMenu, QEvent.Type.Wheel}
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress, QEvent.Type.TabletPress}


def is_blocked_key(event: QKeyEvent) -> bool:
    """Keys the public must not use. Plain printable keys and Enter still pass: a keyboard-wedge QR scanner types
    through them."""
    key = Qt.Key(event.key())
    if key in _FUNCTION_KEYS or key in _SYSTEM_KEYS or key in _MODIFIER_KEYS:
        return True
    if key == Qt.Key.Key_Tab or key == Qt.Key.Key_Backtab:  # Alt+Tab / focus wandering to hidden widgets
        return True
    return bool(event.modifiers() & _BLOCKING_MODIFIERS)


class CornerTaps:
    """Counts taps in a corner square; `needed` taps within `window_s` seconds fire `on_gesture`."""

    def __init__(self, on_gesture: Callable[[], None], *, size: int = 120, needed: int = 5, window_s: float = 4.0):
        self.on_gesture = on_gesture
        self.size, self.needed, self.window_s = size, needed, window_s
        self._taps: list[float] = []

    def tap(self, pos: QPoint, now: float | None = None) -> bool:
        """`pos` in the shell's coordinates; True when this tap completed the gesture."""
        now = time.monotonic() if now is None else now
        if not (0 <= pos.x() < self.size and 0 <= pos.y() < self.size):
            self._taps.clear()  # a tap elsewhere breaks the sequence: ordinary use never triggers it
            return False
        self._taps = [t for t in self._taps if now - t <= self.window_s] + [now]
        if len(self._taps) >= self.needed:
            self._taps.clear()
            self.on_gesture()
            return True
        return False

    def reset(self) -> None:
        self._taps.clear()


class Lockdown(QObject):
    """Installed on the QApplication while the kiosk shell runs. `on_activity` is called for every touch or key
    press (the page timeout restarts); `shell` is the window whose top-left corner hides the exit gesture."""

    def __init__(self, shell: QWidget, on_activity: Callable[[], None], on_gesture: Callable[[], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.shell = shell
        self.on_activity = on_activity
        self.corner = CornerTaps(on_gesture)
        self.swallowed = 0  # for tests and the support log: how many events the public could not use

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        etype = event.type()
        if etype in _KEY_EVENTS and isinstance(event, QKeyEvent):
            if is_blocked_key(event):
                self.swallowed += 1
                event.accept()
                return True
            if etype == QEvent.Type.KeyPress:
                self.on_activity()
            return False
        if etype in _CONTEXT_EVENTS:
            self.swallowed += 1
            return True
        if etype in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick) and isinstance(event, QMouseEvent):
            if event.button() != Qt.MouseButton.LeftButton:
                self.swallowed += 1
                return True
            if etype == QEvent.Type.MouseButtonPress and isinstance(watched, QWidget) and event.spontaneous():
                # The widget under the finger gets the press as a spontaneous event; its parents get non-spontaneous
                # copies when it ignores it. Count it once, there.
                self.on_activity()
                if watched.window() is self.shell:
                    self.corner.tap(self.shell.mapFromGlobal(event.globalPosition().toPoint()))
            return False
        if etype in _ACTIVITY:
            self.on_activity()
        return False
