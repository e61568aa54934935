"""好差评: the applicant rates the service after 办结 — five big buttons and an optional comment; nothing is saved here."""
from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtWidgets import (QButtonGroup, QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from ui.bridge import run_in_thread
from ui.texts import domain

log = logging.getLogger(__name__)
# 政务服务“好差评”五级: stored as these Chinese words, shown through self.tr
RATING_LEVELS = (QT_TRANSLATE_NOOP("RatingDialog", "非常满意"), QT_TRANSLATE_NOOP("RatingDialog", "满意"),
                 QT_TRANSLATE_NOOP("RatingDialog", "基本满意"), QT_TRANSLATE_NOOP("RatingDialog", "不满意"),
                 QT_TRANSLATE_NOOP("RatingDialog", "非常不满意"))
SCORES = {name: 5 - i for i, name in enumerate(RATING_LEVELS)}
_COLOURS = ("#2e7d32", "#558b2f", "#1f5fa8", "#b26a00", "#c62828")
COMMENT_MAX = 200


class RatingDialog(QDialog):
    """After `exec()` returns Accepted, `rating` is one of RATING_LEVELS and `comment` the optional text;
    `choice()` gives both. The caller persists them."""

    def __init__(self, runtime, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.case_id = case_id
        self.rating: str | None = None
        self.comment = ""
        self.setWindowTitle(self.tr("服务评价"))
        self.setMinimumWidth(820)
        self.setStyleSheet("QPushButton { min-height: 34px; }")  # big targets: the applicant taps them
        title = QLabel(self.tr("请您对本次服务进行评价"))
        title.setObjectName("loginTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.case_label = QLabel(" ")  # filled once the case is read (on a worker, issue 13)
        self.case_label.setObjectName("itemFacts")
        self.case_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.level_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(12)
        for index, (name, colour) in enumerate(zip(RATING_LEVELS, _COLOURS)):
            button = QPushButton(self.tr(name))
            button.setCheckable(True)
            button.setMinimumSize(140, 72)
            button.setObjectName(f"rating_{SCORES[name]}")
            button.setStyleSheet(
                f"QPushButton {{ font-size: 15pt; font-weight: bold; color: {colour}; border: 2px solid {colour};"
                f" min-height: 64px; min-width: 120px;"
                f" border-radius: 6px; background: white; }}"
                f"QPushButton:checked {{ background: {colour}; color: white; }}")
            self.group.addButton(button, index)
            self.level_buttons[name] = button
            row.addWidget(button)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setPlaceholderText(self.tr("意见或建议（选填）"))
        self.comment_edit.setFixedHeight(90)
        self.comment_edit.setTabChangesFocus(True)
        self.submit_button = QPushButton(self.tr("提交评价"))
        self.submit_button.setProperty("primary", True)
        self.submit_button.setMinimumSize(160, 44)
        self.submit_button.setEnabled(False)
        self.skip_button = QPushButton(self.tr("暂不评价"))
        self.skip_button.setMinimumHeight(44)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.skip_button)
        actions.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.case_label)
        layout.addLayout(row)
        layout.addWidget(self.comment_edit)
        layout.addLayout(actions)
        self.group.idClicked.connect(self._chosen)
        self.submit_button.clicked.connect(self.accept)
        self.skip_button.clicked.connect(self.reject)
        cases = runtime.cases
        run_in_thread(lambda: cases.get(case_id), self._show_case,
                      lambda exc: log.warning("case %s for rating could not be read: %r", case_id, exc), context=self)

    def _show_case(self, case) -> None:
        self.case_label.setText(self.tr("受理编号 {0}　　{1}　　{2}").format(case.case_no, case.item_name,
                                                                       domain(case.status_label)))

    @Slot(int)
    def _chosen(self, index: int) -> None:
        self.rating = RATING_LEVELS[index]
        self.submit_button.setEnabled(True)

    def accept(self) -> None:
        if self.rating is None:
            return
        self.comment = self.comment_edit.toPlainText().strip()[:COMMENT_MAX]
        super().accept()

    def reject(self) -> None:
        self.rating, self.comment = None, ""
        super().reject()

    @property
    def score(self) -> int | None:
        return SCORES.get(self.rating) if self.rating else None

    def choice(self) -> tuple[str, str] | None:
        """(rating, comment) after 提交评价; None when the applicant declined."""
        return (self.rating, self.comment) if self.result() == QDialog.DialogCode.Accepted and self.rating else None
