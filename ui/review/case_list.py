"""The shared frame of the back-office lists: filter box, refresh button, auto-refresh read on a worker thread."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.clock import format_local, utcnow
from ui.bridge import run_in_thread
from ui.review.case_table import CaseTable
from ui.review.model import CaseRow
from ui.style import set_state

log = logging.getLogger(__name__)
REFRESH_MS = 30_000


class CaseListBase(QWidget):
    open_case = Signal(str)  # case_id
    rows_loaded = Signal(int)  # number of rows after a refresh (tests, status bars)

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, runtime, session, refresh_ms: int = REFRESH_MS, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session = runtime, session
        self._loading = False
        self._again = False
        self.loads = 0  # completed reads, for tests and "has it loaded yet"

        self.title_label = QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("筛选：受理编号、姓名、身份号码、事项"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(300)
        self.status_label = QLabel()
        self.status_label.setProperty("role", "inline")
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"))
        self.refresh_button.setShortcut(Qt.Key.Key_F5)
        self.table = CaseTable(self.COLUMNS, self.headers())
        self.placeholder = QLabel()
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.placeholder)

        self.top_bar = QHBoxLayout()
        self.top_bar.addWidget(self.title_label)
        self.top_bar.addStretch(1)
        self.top_bar.addWidget(self.status_label)
        self.top_bar.addWidget(self.filter_edit)
        self.top_bar.addWidget(self.refresh_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, 8, 10, 8)
        self.layout_.setSpacing(6)
        self.layout_.addLayout(self.top_bar)
        self.layout_.addWidget(self.stack, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self._auto_refresh)
        self.timer.start()
        self.refresh_button.clicked.connect(self.refresh)
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.returnPressed.connect(self._open_first_visible)
        self.table.open_case.connect(self.open_case)

    # -- subclasses ------------------------------------------------------------------------------------------------
    def headers(self) -> list[str]:
        raise NotImplementedError

    def fetch_job(self):
        """A callable for the worker thread that returns list[CaseRow]; None when there is nothing to read."""
        raise NotImplementedError

    def show_rows(self, rows: list[CaseRow]) -> None:
        self.table.set_rows(rows)

    def empty_text(self) -> str:
        return self.tr("暂无业务")

    # -- refresh ---------------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        if self._loading:
            self._again = True  # read once more after the running read: it may predate a change
            return
        job = self.fetch_job()
        if job is None:
            self._rows_arrived([])
            return
        self._loading = True
        self._set_status(self.tr("正在读取…"), "busy")
        run_in_thread(job, self._rows_arrived, self._rows_failed, context=self)

    @Slot()
    def _auto_refresh(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loading:  # coming back to the tab: show the current state at once
            self.refresh()

    def _rows_arrived(self, rows: list[CaseRow]) -> None:
        self._loading = False
        self.loads += 1
        self.show_rows(rows)
        self._filter(self.filter_edit.text())
        self._set_status(self.tr("更新于 {0}").format(format_local(utcnow(), "%H:%M:%S")), "ok")
        self.rows_loaded.emit(len(rows))
        self._maybe_again()

    def _rows_failed(self, exc: BaseException) -> None:
        self._loading = False
        log.warning("case list could not be read: %r", exc)
        reason = getattr(exc, "user_message", None) or self.tr("系统内部错误")
        self._set_status(self.tr("读取失败：{0}").format(reason), "error")
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _set_status(self, text: str, state: str) -> None:
        self.status_label.setText(text)
        set_state(self.status_label, state=state)

    # -- filter / open ---------------------------------------------------------------------------------------------
    @Slot(str)
    def _filter(self, text: str) -> None:
        visible = self.table.apply_filter(text)
        if visible:
            self.stack.setCurrentWidget(self.table)
        else:
            self.placeholder.setText(self.tr("没有符合筛选条件的业务") if self.table.rows else self.empty_text())
            self.stack.setCurrentWidget(self.placeholder)

    @Slot()
    def _open_first_visible(self) -> None:
        for r in range(self.table.rowCount()):
            if not self.table.isRowHidden(r):
                self.table.selectRow(r)
                self.table.setFocus()
                return

    def open_selected(self) -> None:
        case_id = self.table.current_case_id()
        if case_id:
            self.open_case.emit(case_id)
