"""The clerk's outbox screen (待上传): filter pending / failed / rejected / conflicts, search by case number, name,
ID number or item, open one to correct and resubmit it; shows the last successful sync and the pending count.

Reads run on a worker thread (app.sync.outbox_view: one indexed page, even with 100,000 items); the table is a model
over that page, never a table widget filled row by row."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from app.clock import format_local
from app.sync import actions, outbox, outbox_view
from ui.bridge import run_in_thread
from ui.outbox.detail import MessageDialog
from ui.outbox.model import MESSAGE_ID_ROLE, OutboxModel
from ui.style import set_state

log = logging.getLogger(__name__)

FILTERS = ("pending", "failed", "rejected", "conflict", "sent", "all")
SEARCH_DELAY_MS = 250
REFRESH_MS = 15_000


class OutboxScreen(QWidget):
    loaded = Signal(int)  # rows shown after a (re)load: tests and status bars

    def __init__(self, runtime, session, parent: QWidget | None = None, *, refresh_ms: int = REFRESH_MS):
        super().__init__(parent)
        self.runtime, self.session = runtime, session
        self.model = OutboxModel(runtime.store, self)
        self._loading = False
        self._again = False
        self.loads = 0

        title = QLabel(self.tr("待上传与上传结果"))
        title.setObjectName("sectionTitle")
        self.filter_group = QButtonGroup(self)
        self.filter_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(title)
        for key in FILTERS:
            b = QPushButton(self.tr(outbox_view.GROUPS[key]))
            b.setCheckable(True)
            b.setObjectName(f"filter_{key}")
            self.filter_group.addButton(b)
            self.filter_buttons[key] = b
            bar.addWidget(b)
        self.filter_buttons["pending"].setChecked(True)
        bar.addStretch(1)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索：受理编号、姓名、身份号码、事项"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(280)
        bar.addWidget(self.search_edit)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda idx: self.open_message(self.model.data(idx, MESSAGE_ID_ROLE)))

        self.summary_label = QLabel()
        self.summary_label.setProperty("role", "status")
        self.count_label = QLabel()
        self.count_label.setProperty("role", "inline")
        self.open_button = QPushButton(self.tr("打开"))
        self.retry_all_button = QPushButton(self.tr("重试全部失败项"))
        self.sync_button = QPushButton(self.tr("立即同步"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.retry_all_button)
        bottom.addWidget(self.sync_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.refresh)
        self.filter_group.buttonClicked.connect(lambda _b: self.refresh())
        self.open_button.clicked.connect(self._open_selected)
        self.retry_all_button.clicked.connect(self.retry_all)
        self.sync_button.clicked.connect(lambda: self.runtime.relay.wake())
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    # -- state ---------------------------------------------------------------------------------------------------
    @property
    def group(self) -> str:
        return next(k for k, b in self.filter_buttons.items() if b.isChecked())

    def set_filter(self, group: str, text: str | None = None) -> None:
        self.filter_buttons[group].setChecked(True)
        if text is not None:
            self.search_edit.blockSignals(True)
            self.search_edit.setText(text)
            self.search_edit.blockSignals(False)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        group, text, store = self.group, self.search_edit.text(), self.runtime.store

        def job():
            return (group, text, outbox_view.search(store, group, text, limit=200),
                    outbox_view.group_counts(store), outbox.last_success(store))

        run_in_thread(job, self._show, self._failed, context=self)

    def _show(self, result) -> None:
        self._loading = False
        group, text, page, counts, last = result
        self.model.show_page(group, text, page)
        for key, b in self.filter_buttons.items():
            b.setText(f"{self.tr(outbox_view.GROUPS[key])} {counts.get(key, 0)}")
        shown = f"{page.total}{'+' if page.capped else ''}"
        self.count_label.setText(self.tr("共 {0} 条").format(shown))
        when = format_local(last) if last else self.tr("尚未成功同步")
        attention = counts["failed"] + counts["rejected"] + counts["conflict"]
        self.summary_label.setText(self.tr("最近一次成功同步：{0}　待上传：{1}　需处理：{2}").format(
            when, counts["pending"], attention))
        set_state(self.summary_label, state="error" if attention else ("warn" if counts["pending"] else "ok"))
        self.retry_all_button.setEnabled(counts["failed"] > 0)
        self.loads += 1
        self.loaded.emit(len(page.rows))
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        log.error("outbox screen could not read the outbox: %r", exc)
        self.count_label.setText(self.tr("读取失败"))

    # -- actions ---------------------------------------------------------------------------------------------------
    def _open_selected(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.open_message(self.model.data(idx, MESSAGE_ID_ROLE))

    def open_message(self, message_id: str | None) -> MessageDialog | None:
        if not message_id:
            return None
        dlg = self.make_dialog(message_id)
        dlg.exec()
        if dlg.changed:
            self.refresh()
        return dlg

    def make_dialog(self, message_id: str) -> MessageDialog:
        return MessageDialog(self.runtime, self.session, message_id, self)

    def retry_all(self) -> None:
        n = actions.retry(self.runtime.store, None, operator_id=self.session.operator_id,
                          terminal_id=self.runtime.settings.terminal.terminal_id)
        if n:
            self.runtime.relay.wake()
        self.refresh()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self._open_selected()
            return
        super().keyPressEvent(event)
