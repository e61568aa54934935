"""The field operator's visit list: download it before leaving (needs the network and an online login), see what is
waiting, what was captured and waits for upload, what the centre confirmed (then wiped from the laptop)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app.ids import mask_id_number
from ui.bridge import run_in_thread
from ui.style import set_state
from ui.texts import domain

COLUMNS = (QT_TRANSLATE_NOOP("VisitListWidget", "姓名"), QT_TRANSLATE_NOOP("VisitListWidget", "社会保障号码"), QT_TRANSLATE_NOOP("VisitListWidget", "地址"),
           QT_TRANSLATE_NOOP("VisitListWidget", "认证期限"), QT_TRANSLATE_NOOP("VisitListWidget", "走访原因"), QT_TRANSLATE_NOOP("VisitListWidget", "状态"))


class VisitListWidget(QWidget):
    open_visit = Signal(str)

    def __init__(self, field_service, operator_id: str, *, api_factory: Callable[[], object] | None = None,
                 relay=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.field, self.operator_id = field_service, operator_id
        self.api_factory, self.relay = api_factory, relay
        self._visits: list = []
        title = QLabel(self.tr("上门认证走访名单"))
        title.setObjectName("itemTitle")
        self.counts = QLabel()
        self.counts.setObjectName("itemFacts")
        self.download_button = QPushButton(self.tr("下载走访名单"))
        self.download_button.setToolTip(self.tr("出发前联网下载：人员、地址、参考照片、上次认证情况"))
        self.download_button.setEnabled(api_factory is not None)
        self.upload_button = QPushButton(self.tr("上传已采集记录"))
        self.upload_button.setEnabled(relay is not None)
        self.open_button = QPushButton(self.tr("开始走访"))
        self.open_button.setProperty("primary", True)
        self.reopen_button = QPushButton(self.tr("重新采集被拒记录"))
        self.reopen_button.setToolTip(self.tr("中心拒收的走访（如证据包校验失败）：清除本机记录后重新采集"))
        self.reopen_button.setVisible(False)
        self.message = QLabel(self.tr("已采集的走访加密保存在本机，联网后自动上传；中心确认收到后自动从本机清除。"))
        self.message.setProperty("role", "message")
        self.message.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.download_button)
        top.addWidget(self.upload_button)
        top.addWidget(self.reopen_button)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.download_button.clicked.connect(self.download)
        self.upload_button.clicked.connect(self.upload)
        self.open_button.clicked.connect(self._open_selected)
        self.reopen_button.clicked.connect(self._reopen_selected)
        self.table.cellDoubleClicked.connect(lambda row, _c: self._open_row(row))
        self.refresh()

    def _say(self, text: str, state: str) -> None:
        self.message.setText(text)
        set_state(self.message, state=state)

    @Slot()
    def refresh(self) -> None:
        run_in_thread(lambda: self.field.visits(self.operator_id), self._show, self._failed, context=self)

    def _show(self, visits) -> None:
        self._visits = list(visits)
        self.table.setRowCount(len(self._visits))
        for row, v in enumerate(self._visits):
            values = (v.name, mask_id_number(v.ssn) if v.ssn else "", v.person.get("address") or "",
                      v.person.get("deadline") or "", v.reason, domain(v.state_label) + (self.tr("（{0}）").format(domain(v.outcome_label))
                                                             if v.outcome else ""))
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.visit_id)
                self.table.setItem(row, col, item)
        todo = sum(1 for v in self._visits if v.state == "assigned")
        queued = sum(1 for v in self._visits if v.state == "captured")
        failed = sum(1 for v in self._visits if v.state == "failed")
        text = self.tr("待走访 {0} 人；已采集待上传 {1} 人").format(todo, queued)
        if failed:
            text += self.tr("；上传被中心拒绝 {0} 人（请联系管理员）").format(failed)
        self.counts.setText(text)
        self.open_button.setEnabled(todo > 0)
        self.reopen_button.setVisible(failed > 0)

    def visit_ids(self) -> list[str]:
        return [v.visit_id for v in self._visits]

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self._visits) and self._visits[row].state == "assigned":
            self.open_visit.emit(self._visits[row].visit_id)

    @Slot()
    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._open_row(rows[0].row())
            return
        first = next((i for i, v in enumerate(self._visits) if v.state == "assigned"), None)
        if first is not None:
            self._open_row(first)

    @Slot()
    def _reopen_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        failed = [self._visits[r.row()] for r in rows if self._visits[r.row()].state == "failed"]
        if not failed:
            self._say(self.tr("请先选中一条“上传被拒”的走访。"), "error")
            return
        field, visit_id, operator_id = self.field, failed[0].visit_id, self.operator_id

        def done(_result) -> None:
            self._say(self.tr("已清除被拒记录，请重新走访采集。"), "ok")
            self.refresh()

        run_in_thread(lambda: field.reopen(visit_id, operator_id), done, self._failed, context=self)

    @Slot()
    def download(self) -> None:
        if self.api_factory is None:
            return
        self.download_button.setEnabled(False)
        self._say(self.tr("正在下载走访名单…"), "busy")

        def work():
            api = self.api_factory()
            try:
                return self.field.download(api, self.operator_id)
            finally:
                close = getattr(api, "close", None)
                if close:
                    close()

        run_in_thread(work, self._downloaded, self._failed, context=self)

    def _downloaded(self, result: dict) -> None:
        self.download_button.setEnabled(True)
        self._say(self.tr("已下载 {0} 人（新增 {1}，更新 {2}，撤销 {3}），可离线走访。")
                  .format(result["total"], result["added"], result["updated"], result["removed"]), "ok")
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.download_button.setEnabled(self.api_factory is not None)
        self._say(getattr(exc, "user_message", None) or self.tr("操作失败，请重试。"), "error")

    @Slot()
    def upload(self) -> None:
        if self.relay is not None:
            self.relay.wake()
            self._say(self.tr("已开始上传；网络恢复后自动完成，中心确认后本机记录自动清除。"), "busy")
