"""A read-only table of cases with their deadlines: red when overdue, amber when due soon; Enter opens a case."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.clock import to_local
from app.ids import mask_id_number
from app.workflow.deadlines import Urgency
from ui.review.model import CaseRow, remaining_text
from ui.style import ERROR, WARN
from ui.texts import domain

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
CASE_ID_ROLE = Qt.ItemDataRole.UserRole


def _cell_values(row: CaseRow) -> dict[str, str]:
    c, d = row.case, row.deadline
    return {"case_no": c.case_no, "item": c.item_name, "name": c.applicant_name,
            "ssn": mask_id_number(c.applicant_ssn) if c.applicant_ssn else "", "status": domain(c.status_label),
            "accepted": c.accepted_on or to_local(c.created_at).date().isoformat(),
            "due": d.due.isoformat() if d.due else (c.promised_due or ""),
            "remaining": remaining_text(d, row.working_days, row.paused), "operator": c.operator_id}


class CaseTable(QTableWidget):
    open_case = Signal(str)  # case_id

    def __init__(self, keys: tuple[str, ...], headers: list[str], parent: QWidget | None = None):
        """`keys` as in `_cell_values`, `headers` their column titles."""
        super().__init__(0, len(keys), parent)
        self.keys = list(keys)
        self.rows: list[CaseRow] = []
        self.setHorizontalHeaderLabels(headers)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if "item" in self.keys:
            header.setSectionResizeMode(self.keys.index("item"), QHeaderView.ResizeMode.Stretch)
        self.cellDoubleClicked.connect(lambda r, _c: self._open_row(r))

    def set_rows(self, rows: list[CaseRow]) -> None:
        """Replace the rows, keeping the selected case selected."""
        keep = self.current_case_id()
        self.rows = list(rows)
        self.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            values = _cell_values(row)
            colour = {Urgency.overdue: ERROR, Urgency.due_soon: WARN}.get(row.deadline.urgency)
            for c, key in enumerate(self.keys):
                cell = QTableWidgetItem(values[key])
                cell.setData(CASE_ID_ROLE, row.case.case_id)
                if key == "name":
                    cell.setToolTip(self.tr("受理时间 {0}").format(to_local(row.case.created_at)
                                                               .strftime("%Y-%m-%d %H:%M")))
                if key == "remaining" and colour:
                    cell.setForeground(QBrush(QColor(colour)))
                    cell.setFont(bold)
                self.setItem(r, c, cell)
            if row.case.case_id == keep:
                self.selectRow(r)

    def current_case_id(self) -> str | None:
        cell = self.item(self.currentRow(), 0) if self.currentRow() >= 0 else None
        return cell.data(CASE_ID_ROLE) if cell else None

    def row_of(self, case_id: str) -> int:
        return next((r for r, row in enumerate(self.rows) if row.case.case_id == case_id), -1)

    def apply_filter(self, text: str) -> int:
        """Hide rows that do not contain `text` (受理编号, 事项, 姓名, 身份号码, 状态); return the visible count."""
        needle = text.strip().upper()
        visible = 0
        for r, row in enumerate(self.rows):
            c = row.case
            hay = " ".join((c.case_no, c.item_name, c.applicant_name, c.applicant_ssn, c.status_label)).upper()
            hidden = bool(needle) and needle not in hay
            self.setRowHidden(r, hidden)
            visible += not hidden
        return visible

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS and self.currentRow() >= 0:
            self._open_row(self.currentRow())
            return
        super().keyPressEvent(event)

    def _open_row(self, row: int) -> None:
        cell = self.item(row, 0)
        if cell is not None and not self.isRowHidden(row):
            self.open_case.emit(cell.data(CASE_ID_ROLE))
