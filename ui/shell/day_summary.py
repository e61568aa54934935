"""今日工作小结 (F12): the clerk's day in figures — taken in, outcomes, open, overdue, printed, waiting to upload —
read off the GUI thread by app.cases.day_summary."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.cases.day_summary import DaySummary, day_summary
from ui.bridge import run_in_thread


class DaySummaryView(QWidget):
    def __init__(self, runtime, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session = runtime, session
        self.summary: DaySummary | None = None
        self.setAccessibleName(self.tr("今日工作小结"))
        self.title = QLabel(self.tr("正在统计…"))
        self.title.setObjectName("sectionTitle")
        self.form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QDialogButtonBox()
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        store, operator = self.runtime.store, self.session.operator_id
        self.refresh_button.setEnabled(False)
        run_in_thread(lambda: day_summary(store, operator), self._show, self._failed, context=self)

    def _show(self, summary: DaySummary) -> None:
        self.summary = summary
        self.refresh_button.setEnabled(True)
        self.title.setText(self.tr("{0} 柜员 {1} 今日工作小结").format(summary.day.isoformat(), self.session.name))
        for label, value in summary.lines():
            if label not in self.values:
                shown = QLabel(value)
                shown.setAccessibleName(label)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                              | Qt.TextInteractionFlag.TextSelectableByMouse)
                self.values[label] = shown
                self.form.addRow(label, shown)
            self.values[label].setText(value)
        overdue = self.values.get(self.tr("已超期"))
        if overdue is not None:
            overdue.setStyleSheet("color: #c62828; font-weight: bold;" if summary.overdue else "")

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.title.setText(getattr(exc, "user_message", None) or self.tr("统计失败：无法读取本机业务数据，请稍后按 F5 重试；"
                                                                         "仍失败请联系管理员。"))
