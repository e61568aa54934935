"""The outbox table as a Qt model over one page of rows from an indexed query (app.sync.outbox_view): never the
whole table in widgets. Scrolling to the end fetches the next page (canFetchMore / fetchMore)."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.clock import format_local
from app.sync import outbox_view
from app.sync.outbox_view import OutboxRow
from ui.style import ERROR, WARN
from ui.texts import domain

PAGE = 200
MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole

COLUMNS = (("state", QT_TRANSLATE_NOOP("OutboxModel", "状态")), ("kind", QT_TRANSLATE_NOOP("OutboxModel", "类型")),
           ("subject", QT_TRANSLATE_NOOP("OutboxModel", "受理编号 / 对象")), ("item", QT_TRANSLATE_NOOP("OutboxModel", "事项")),
           ("ssn", QT_TRANSLATE_NOOP("OutboxModel", "身份号码")), ("attempts", QT_TRANSLATE_NOOP("OutboxModel", "发送次数")),
           ("time", QT_TRANSLATE_NOOP("OutboxModel", "时间")), ("problem", QT_TRANSLATE_NOOP("OutboxModel", "原因")))  # headers shown through self.tr


def cell(row: OutboxRow, key: str) -> str:
    if key == "state":
        return domain(row.state_label)
    if key == "kind":
        return domain(row.kind_label)
    if key == "subject":
        return row.subject
    if key == "item":
        return row.item_name or ""
    if key == "ssn":
        return row.masked_ssn
    if key == "attempts":
        return str(row.attempts)
    if key == "time":
        return format_local(row.last_attempt_at or row.created_at)
    return row.problem


class OutboxModel(QAbstractTableModel):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.rows: list[OutboxRow] = []
        self.total = 0
        self.capped = False
        self.group = "pending"
        self.text = ""

    # -- loading (callers may run `query` on a worker thread and hand the page to `show_page`) ------------------
    def query(self, group: str, text: str, offset: int = 0) -> outbox_view.OutboxPage:
        return outbox_view.search(self.store, group, text, limit=PAGE, offset=offset)

    def show_page(self, group: str, text: str, page: outbox_view.OutboxPage) -> None:
        self.beginResetModel()
        self.group, self.text = group, text
        self.rows, self.total, self.capped = list(page.rows), page.total, page.capped
        self.endResetModel()

    def reload(self, group: str | None = None, text: str | None = None) -> None:
        group = self.group if group is None else group
        text = self.text if text is None else text
        self.show_page(group, text, self.query(group, text))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 (Qt API)
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        more = self.query(self.group, self.text, offset=len(self.rows)).rows
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    # -- Qt model --------------------------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "problem":
            return row.last_error or row.remote_reason
        if role == MESSAGE_ID_ROLE:
            return row.message_id
        if role == Qt.ItemDataRole.ForegroundRole and key == "state":
            if row.needs_clerk:
                return QBrush(QColor(ERROR))
            if row.state in ("pending", "inflight"):
                return QBrush(QColor(WARN))
        return None

    def row_at(self, r: int) -> OutboxRow | None:
        return self.rows[r] if 0 <= r < len(self.rows) else None
