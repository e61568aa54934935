"""继续办理 of a 待补正 case: the materials the 一次性告知书 listed, 继续受理, and the 受理回执."""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from app.clock import format_local, utcnow
from app.errors import ValidationFailed
from app.ids import mask_id_number
from app.workflow.machine import Action
from ui.bridge import run_in_thread
from ui.business.common import actor_for, focus_in, message_label, show_message, show_save_failure
from ui.business.documents import DocumentDone, DocumentJob, promised_day, receipt_job, run_document_job
from ui.business.header import ItemHeader
from ui.business.materials import MaterialsPanel
from ui.business.outcome import promise_text
from ui.texts import domain

log = logging.getLogger(__name__)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ResumeForm(QWidget):
    case_saved = Signal(object)  # CaseView after 继续办理
    document_ready = Signal(object)  # Path of the 受理回执

    def __init__(self, runtime, session, case, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session, self.case = runtime, session, case
        self.item = runtime.catalog.get(case.item_code)
        self.last_case = None
        self.last_result = None
        self.last_document: Path | None = None
        self._job: DocumentJob | None = None
        self._document_failed = False
        self._touched = False
        self._saving = False  # 继续受理 is on its way on a worker
        codes = list(case.payload.get("missing", []))
        missing = [m for m in self.item.materials if m.code in codes]

        facts = QLabel(self.tr("受理编号 {0}　　申请人 {1}（{2}）　　一次性告知时间 {3}　　当前状态：{4}").format(
            case.case_no, case.applicant_name, mask_id_number(case.applicant_ssn), format_local(case.created_at),
            domain(case.status_label)), self)
        facts.setObjectName("resumeFacts")
        facts.setWordWrap(True)
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = message_label(self)
        self.save_button = QPushButton(self.tr("继续受理 (Ctrl+S)"), self)
        self.save_button.setProperty("primary", True)
        self.save_button.setMinimumWidth(150)
        self.open_document_button = QPushButton(self.tr("打开受理回执"), self)
        self.open_document_button.setEnabled(False)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self._scroll.setWidget(body)
        self.materials = MaterialsPanel(missing, body, demanded=True, title=self.tr(
            "补正材料（一次性告知书所列，逐项核验；告知承诺视同已收取）"))
        self.materials.changed.connect(self._on_touched)
        self.materials.problem.connect(lambda text: show_message(self.message_label, text, "error"))

        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 4, 0)
        body_layout.addWidget(self.materials)
        body_layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.open_document_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(ItemHeader(self.item, self))
        layout.addWidget(facts)
        layout.addWidget(self.message_label)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(actions)

        self.save_button.clicked.connect(lambda: self.resume())
        self.open_document_button.clicked.connect(lambda: self._open_or_retry_document())
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.resume)

    def focus_first_field(self) -> None:
        selectors = self.materials.selectors()
        focus_in(self._scroll, selectors[0].focus_target() if selectors else self.save_button)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a material's state buttons (which ignore it) moves to the next material, then to 继续受理."""
        focused = QApplication.focusWidget()
        if event.key() in _ENTER_KEYS and focused is not None:
            if focused is self.save_button:
                self.save_button.click()
                return
            stops = self.materials.selectors()
            index = next((n for n, s in enumerate(stops) if s.owns(focused)), None)
            if index is not None:
                focus_in(self._scroll, stops[index + 1].focus_target() if index + 1 < len(stops)
                         else self.save_button)
                return
        super().keyPressEvent(event)

    def _on_touched(self) -> None:
        self._touched = True

    def has_unsaved_input(self) -> bool:
        return self.last_case is None and self._touched

    def is_saving(self) -> bool:
        return self._saving

    @Slot()
    def resume(self) -> None:
        """继续受理: the case's transition runs on a worker (issue 13: no database work on the GUI thread)."""
        if self.last_case is not None or self._saving:
            return
        runtime, case_id = self.runtime, self.case.case_id
        actor, states = actor_for(runtime, self.session), self.materials.states()
        self._saving = True
        self.save_button.setEnabled(False)
        show_message(self.message_label, self.tr("正在受理，请稍候…"), "busy")
        run_in_thread(lambda: runtime.cases.act(case_id, Action.resume, actor, materials=states),
                      self._resumed, self._resume_failed, context=self)

    def _resume_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        show_save_failure(self.message_label, exc, "resumed")
        if isinstance(exc, ValidationFailed):
            target = self.materials.first_problem(
                [c for c, s in self.materials.states().items() if s == "missing"])
            if target is not None:
                focus_in(self._scroll, target)

    def _resumed(self, view) -> None:
        self._saving = False
        self.last_case = self.last_result = view
        self.materials.set_locked(True)
        self.save_button.setEnabled(False)
        self.save_button.setText(domain(view.status_label))
        show_message(self.message_label, self._head() + self.tr("正在生成受理回执…"), "ok")
        self.runtime.relay.wake()
        self.case_saved.emit(view)
        self._render(receipt_job(self.runtime, self.session, self.item, view, promised_day(view),
                                 self.materials.pending_scans(), accepted_at=utcnow()))

    def _head(self) -> str:
        view = self.last_case
        return self.tr("补正材料已齐，继续受理：受理编号 {0}，当前状态 {1}，{2}。").format(
            view.case_no, domain(view.status_label), promise_text(self.item, promised_day(view)))

    def _render(self, job: DocumentJob) -> None:
        self._job, self._document_failed = job, False
        self.open_document_button.setEnabled(False)
        runtime = self.runtime
        run_in_thread(lambda: run_document_job(runtime, job), self._document_done, self._document_error,
                      context=self)

    def _document_done(self, done: DocumentDone) -> None:
        self.last_document = done.path
        self.open_document_button.setText(self.tr("打开受理回执"))
        self.open_document_button.setEnabled(True)
        self.open_document_button.setFocus()
        show_message(self.message_label, self._head() + self.tr("受理回执已生成，请打开打印交申请人。"), "ok")
        self.document_ready.emit(self.last_document)

    def _document_error(self, exc: BaseException) -> None:
        reason = getattr(exc, "user_message", None) or self.tr("系统内部错误")
        log.error("receipt failed for resumed case %s: %r", self.case.case_no, exc)
        self._document_failed = True
        self.open_document_button.setText(self.tr("重新生成受理回执"))
        self.open_document_button.setEnabled(True)
        show_message(self.message_label, self._head() + self.tr("但受理回执生成失败：{0}").format(reason), "error")

    @Slot()
    def _open_or_retry_document(self) -> None:
        if self._document_failed:
            self._render(replace(self._job, scans=()))
        elif self.last_document is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_document)))
