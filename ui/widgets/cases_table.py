"""The 今日业务 table: a 待补正 row opens 继续办理 (double-click, Enter, context menu), others their document."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableWidget, QTableWidgetItem, QWidget

from app.clock import format_local
from app.ids import mask_id_number
from app.workflow.machine import Status
from ui.texts import domain

CASE_ROLE = Qt.ItemDataRole.UserRole
_CORRECTION = QBrush(QColor("#b26a00"))


_translate = QCoreApplication.translate  # lupdate reads _translate("CasesTable", "…")


class CasesTable(QTableWidget):
    resume_requested = Signal(object)  # CaseView of a 待补正 case
    document_requested = Signal(object)  # CaseView with a document

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 6, parent)
        self.setHorizontalHeaderLabels([_translate("CasesTable", "受理编号"), _translate("CasesTable", "事项"), _translate("CasesTable", "申请人"), _translate("CasesTable", "公民身份号码"), _translate("CasesTable", "状态"),
                                        _translate("CasesTable", "上传")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Size columns by the rows near the view, not by every row of the day: each written cell re-measures them.
        header.setResizeContentsPrecision(50)
        self._rows: list = []  # what each row shows (see _row), to write only the rows that changed
        self._memo: dict = {}
        self.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.customContextMenuRequested.connect(self._menu)

    def show_cases(self, cases: list) -> None:
        """Show `cases` (newest first). Updated in place (issue 13, the GUI thread never stalls on a refresh): new
        cases are inserted at the top and only rows whose text changed are written, so a refresh late in the day
        costs a row or two, not the whole day's table."""
        memo = self._memo
        self._memo = {}
        rows = []
        for case in cases:  # formatting 300 rows takes ~10 ms: reuse the rows of cases that did not change
            key = (case.case_id, case.version, case.status, case.sync_state, case.document_path)
            row = self._memo[key] = memo.get(key) or self._row(case)
            rows.append(row)
        old_ids = [row[0] for row in self._rows]
        new_ids = [row[0] for row in rows]
        added = self._new_at_top(old_ids, new_ids)
        if added is not None:  # the usual refresh: new cases on top, the oldest dropped at the end (RECENT_LIMIT)
            for _ in range(added):
                self.insertRow(0)
            self._rows[0:0] = [None] * added
            while self.rowCount() > len(rows):
                self.removeRow(self.rowCount() - 1)
            del self._rows[len(rows):]
        else:  # cases left the list or changed places: rewrite every row
            self.setRowCount(len(rows))
            self._rows = [None] * len(rows)
        for r, (row, case) in enumerate(zip(rows, cases)):
            if self._rows[r] != row:
                self._write(r, row, case)
                self._rows[r] = row

    @staticmethod
    def _new_at_top(old_ids: list, new_ids: list, most: int = 20) -> int | None:
        """How many rows were added on top if the rest is the old list (its end possibly cut off), else None."""
        for added in range(min(most, len(new_ids)) + 1):
            rest = new_ids[added:]
            if rest == old_ids[:len(rest)] and (rest or not old_ids or added == len(new_ids)):
                return added
        return None

    @staticmethod
    def _row(case) -> tuple:
        values = (case.case_no, case.item_name, case.applicant_name, mask_id_number(case.applicant_ssn),
                  domain(case.status_label), domain(case.sync_label))
        tip = _translate("CasesTable", "受理时间 {0}").format(format_local(case.created_at))
        correction = case.status == Status.correction.value
        if correction:
            tip += _translate("CasesTable", "　待补正：双击或回车继续办理")
        return case.case_id, values, tip, correction, case.document_path

    def _write(self, r: int, row: tuple, case) -> None:
        _case_id, values, tip, correction, _document = row
        for c, value in enumerate(values):
            # Always a new item: replacing the Python object held in an existing item's data (setData on a cell
            # already holding a CaseView) corrupts reference counts in PySide 6 and crashes the process.
            cell = QTableWidgetItem(value)
            cell.setData(CASE_ROLE, case)
            cell.setToolTip(tip)
            if correction and c == 4:
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
            menu.addAction(_translate("CasesTable", "继续办理"), lambda: self.resume_requested.emit(case))
        if case.document_path:
            menu.addAction(_translate("CasesTable", "打开文书"), lambda: self.document_requested.emit(case))
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(pos))
