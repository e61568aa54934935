"""Device events (raised on hardware threads) become Qt signals, which Qt queues to the GUI thread: no hardware
thread ever touches a widget. Connect screens to these signals, never to the manager directly."""
from __future__ import annotations

import threading

import logging

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from devices.base import RAW_LOG, DeviceEvent

log = logging.getLogger(__name__)

_BY_NAME = {"sscard.inserted": "sscard_inserted", "sscard.removed": "sscard_removed", "sscard.read": "sscard_read",
            "sscard.failed": "sscard_failed", "idcard.read": "idcard_read", "idcard.failed": "idcard_failed",
            "camera.captured": "camera_captured", "printer.printed": "printer_printed",
            "printer.failed": "printer_failed", "status": "status_changed"}


class DeviceSignals(QObject):
    event = Signal(object)  # every devices.base.DeviceEvent
    status_changed = Signal(object)  # DeviceStatus
    sscard_inserted = Signal(object)  # {"reader", "atr", "at"}
    sscard_removed = Signal(object)  # {"reader", "at"}
    sscard_read = Signal(object)  # devices.sscard.record.SsCardRecord (auto-read after insert)
    sscard_failed = Signal(object)  # devices.errors.DeviceError
    idcard_read = Signal(object)  # devices.idcard.record.IdCardRecord
    idcard_failed = Signal(object)
    camera_captured = Signal(object)  # devices.camera.device.PageCapture
    printer_printed = Signal(object)  # devices.printer.device.PrintResult
    printer_failed = Signal(object)
    raw_line = Signal(str)  # the raw exchange log (APDUs, SAM frames, printer status)

    def __init__(self, manager, parent: QObject | None = None, *, raw_log: bool = False):
        super().__init__(parent)
        self.manager = manager
        self._guard = threading.Lock()
        self._detached = False
        self._unsubscribe = manager.subscribe(self._on_event)
        self._raw_unsubscribe = RAW_LOG.subscribe(self.raw_line.emit) if raw_log else None
        unsub, raw_unsub = self._unsubscribe, self._raw_unsubscribe
        # If the owner goes away without detach(), stop the device threads from emitting into a deleted object.
        self.destroyed.connect(lambda *_: (unsub(), raw_unsub() if raw_unsub else None))

    def _on_event(self, event: DeviceEvent) -> None:  # device thread: only emit
        # The guard makes detach() wait for an emit in flight, so after detach() no device thread touches this
        # object again (a device closing at shutdown reports its state while the window is being destroyed).
        with self._guard:
            if self._detached or not shiboken6.isValid(self):
                return
            self.event.emit(event)
            name = _BY_NAME.get(event.name)
            if name:
                getattr(self, name).emit(event.payload)

    def detach(self) -> None:
        """Stop listening (call before the object goes away)."""
        with self._guard:
            self._detached = True
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if self._raw_unsubscribe:
            self._raw_unsubscribe()
            self._raw_unsubscribe = None


def bgr_to_qimage(frame: np.ndarray) -> QImage:
    """A deep copy, so the QImage owns its pixels once the frame buffer is reused (safe to create off the GUI thread)."""
    frame = np.ascontiguousarray(frame)
    h, w = frame.shape[:2]
    if frame.ndim == 2:
        return QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888).copy()


class CameraFeed(QObject):
    """Frames of a CameraDevice as QImages on the GUI thread, downscaled and rate-limited on the worker thread.
    A frame is dropped while the previous one has not been shown yet, so a busy GUI never builds a queue."""

    frame = Signal(QImage)

    def __init__(self, camera, parent: QObject | None = None, *, max_width: int = 960, max_fps: float = 15.0):
        super().__init__(parent)
        self.camera = camera
        self.max_width, self.max_fps = max_width, max_fps
        self._remove = None
        self._pending = False
        self.frame.connect(self._delivered)

    def start(self) -> None:
        if self._remove is None and hasattr(self.camera, "add_frame_listener"):
            self._remove = self.camera.add_frame_listener(self._on_frame, max_width=self.max_width,
                                                          max_fps=self.max_fps)

    def stop(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None

    def _on_frame(self, frame: np.ndarray) -> None:  # camera worker thread
        if self._pending:
            return
        self._pending = True
        self.frame.emit(bgr_to_qimage(frame))

    def _delivered(self, _image) -> None:
        self._pending = False
