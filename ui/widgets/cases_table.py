"""The 今日业务 table: a 待补正 row opens 继续办理 (double-click, Enter, context menu), others their document."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableWidget, QTableWidgetItem, QWidget

from app.clock import format_local
from app.ids import mask_id_number
from app.workflow.machine import Status

CASE_ROLE = Qt.ItemDataRole.UserRole
_CORRECTION = QBrush(QColor("#b26a00"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("CasesTable", text)


class CasesTable(QTableWidget):
    resume_requested = Signal(object)  # CaseView of a 待补正 case
    document_requested = Signal(object)  # CaseView with a document

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 6, parent)
        self.setHorizontalHeaderLabels([_tr("受理编号"), _tr("事项"), _tr("申请人"), _tr("公民身份号码"), _tr("状态"),
                                        _tr("上传")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.customContextMenuRequested.connect(self._menu)

    def show_cases(self, cases: list) -> None:
        self.setRowCount(len(cases))
        for r, case in enumerate(cases):
            values = (case.case_no, case.item_name, case.applicant_name, mask_id_number(case.applicant_ssn),
                      case.status_label, case.sync_label)
            tip = _tr("受理时间 {0}").format(format_local(case.created_at))
            if case.status == Status.correction.value:
                tip += _tr("　待补正：双击或回车继续办理")
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(CASE_ROLE, case)
                cell.setToolTip(tip)
                if case.status == Status.correction.value and c == 4:
                    cell.setForeground(_CORRECTION)
                self.setItem(r, c, cell)

    def case_at(self, row: int):
        cell = self.item(row, 0)
        return cell.data(CASE_ROLE) if cell is not None else None

    def open_row(self, row: int) -> None:
        case = self.case_at(row)
        if case is None:
            return
        if case.status == Status.correction.value:
            self.resume_requested.emit(case)
        elif case.document_path:
            self.document_requested.emit(case)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.open_row(self.currentRow())
            return
        super().keyPressEvent(event)

    def _menu(self, pos: QPoint) -> None:
        case = self.case_at(self.rowAt(pos.y()))
        if case is None:
            return
        menu = QMenu(self)
        if case.status == Status.correction.value:
            menu.addAction(_tr("继续办理"), lambda: self.resume_requested.emit(case))
        if case.document_path:
            menu.addAction(_tr("打开文书"), lambda: self.document_requested.emit(case))
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(pos))
