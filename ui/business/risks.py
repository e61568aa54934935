"""The amber box of 风险点 to mind while accepting (risk points of the apply/accept stage), next to the 受理 button."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.catalog import ServiceItem
from app.catalog.model import RiskPoint, StageKind

COUNTER_STAGES = (None, StageKind.apply, StageKind.accept)


def counter_risks(item: ServiceItem) -> list[RiskPoint]:
    return [r for r in item.risk_points if r.stage in COUNTER_STAGES]


class RiskBox(QFrame):
    def __init__(self, item: ServiceItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("businessRisks")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(1)
        self.labels: list[QLabel] = []
        for risk in counter_risks(item):
            text = self.tr("⚠ 风险点：{0}").format(risk.text)
            if risk.control:
                text += self.tr("　防控：{0}").format(risk.control)
            label = QLabel(text, self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels.append(label)
            layout.addWidget(label)
        self.setVisible(bool(self.labels))
