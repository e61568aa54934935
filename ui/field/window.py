"""The field-mode window (mode = field): the visit list and, for one visit, the capture screen; the sync status in
the status bar. When the relay reports progress, visits the centre confirmed are wiped from the laptop."""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from app.certification.field import Staff
from ui.bridge import run_in_thread
from ui.field.visit_capture import VisitCaptureScreen
from ui.field.visit_list import VisitListWidget
from ui.style import set_state

log = logging.getLogger(__name__)


class FieldWindow(QMainWindow):
    closed = Signal()

    def __init__(self, field_service, session, *, camera=None, api_factory: Callable[[], object] | None = None,
                 relay=None, bridge=None, keystore=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("一窗 · 上门认证（外勤）— {0}").format(session.name))
        self.field, self.session, self.camera, self.keystore = field_service, session, camera, keystore
        self.primary = Staff(session.operator_id, session.name)
        self.stack = QStackedWidget()
        self.list = VisitListWidget(field_service, session.operator_id, api_factory=api_factory, relay=relay)
        self.stack.addWidget(self.list)
        self.setCentralWidget(self.stack)
        self.capture: VisitCaptureScreen | None = None
        self.sync_label = QLabel(self.tr("同步：未知"))
        self.sync_label.setProperty("role", "status")
        self.statusBar().addPermanentWidget(self.sync_label)
        self.list.open_visit.connect(self.open_visit)
        if bridge is not None:
            bridge.sync_status.connect(self.on_sync_status)
            if bridge.last_sync is not None:
                self.on_sync_status(bridge.last_sync)

    @Slot(str)
    def open_visit(self, visit_id: str) -> None:
        """The visit and its reference photo (an unsealed evidence file) are read on a worker (issue 13); the
        capture screen opens when they are there."""
        field = self.field
        self.statusBar().showMessage(self.tr("正在打开走访…"), 3000)
        run_in_thread(lambda: (field.visit(visit_id), field.reference_photo(visit_id)),
                      lambda loaded: self._show_visit(visit_id, *loaded), self._open_failed, context=self)

    def _show_visit(self, visit_id: str, visit, reference: bytes | None) -> None:
        self._close_capture()
        self.capture = VisitCaptureScreen(self.field, visit_id, self.primary, camera=self.camera,
                                          keystore=self.keystore, visit=visit, reference=reference)
        self.capture.saved.connect(lambda _r: self._back())
        self.capture.cancelled.connect(self._back)
        self.stack.addWidget(self.capture)
        self.stack.setCurrentWidget(self.capture)

    def _open_failed(self, exc: BaseException) -> None:
        log.error("visit could not be opened: %r", exc)
        self.statusBar().showMessage(getattr(exc, "user_message", None) or
                                     self.tr("无法打开该走访，请重新下载名单；仍不行请联系管理员。"), 8000)

    def _close_capture(self) -> None:
        if self.capture is not None:
            self.capture.release_camera()
            self.stack.removeWidget(self.capture)
            self.capture.deleteLater()
            self.capture = None

    @Slot()
    def _back(self) -> None:
        self._close_capture()
        self.stack.setCurrentWidget(self.list)
        self.list.refresh()

    @Slot(object)
    def on_sync_status(self, status) -> None:
        if status.online:
            text, state = self.tr("在线；待上传 {0} 条").format(status.pending), "ok"
        else:
            text, state = self.tr("离线；待上传 {0} 条（已加密保存在本机）").format(status.pending), "warn"
        if status.failed:
            text += self.tr("；{0} 条被拒").format(status.failed)
            state = "error"
        self.sync_label.setText(text)
        set_state(self.sync_label, state=state)
        run_in_thread(self.field.wipe_confirmed, lambda n: n and self.list.refresh(), lambda _e: None, context=self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._close_capture()
        self.closed.emit()
        super().closeEvent(event)
