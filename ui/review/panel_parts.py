"""The read-only parts of the review panel: the case read in one go, its form data, materials and history."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QTableWidget, QTableWidgetItem, QWidget)

from app.cases.service import MATERIAL_STATE_LABELS, MaterialState
from app.catalog.model import StageKind
from app.clock import format_local
from app.workflow.machine import STATUS_LABELS, Status
from ui.style import ERROR, SUCCESS
from ui.texts import domain

_CODE_ROLE = Qt.ItemDataRole.UserRole
_STATE_COLOURS = {MaterialState.present: SUCCESS, MaterialState.missing: ERROR, MaterialState.shared: "#1f5fa8",
                  MaterialState.waived: "#6d4c00"}
STAGE_OF_STATUS = {Status.review: StageKind.review, Status.recheck: StageKind.recheck,
                   Status.approval: StageKind.approve}


@dataclass(frozen=True)
class CaseBundle:
    case: object  # CaseView
    item: object | None  # ServiceItem, None when withdrawn from the catalog
    deadline: object  # Deadline
    events: list
    attachments: list


def load_bundle(runtime, case_id: str) -> CaseBundle:
    """Blocking (worker thread): everything the panel shows about one case."""
    case = runtime.cases.get(case_id)
    try:
        item = runtime.catalog.get(case.item_code)
    except KeyError:
        item = None
    attachments = runtime.attachments.list(case_id) if runtime.attachments is not None else []
    return CaseBundle(case, item, runtime.cases.deadline(case_id), runtime.cases.events(case_id), attachments)


def risk_points(item, status: Status) -> list:
    """The item's risk points of the current check stage; for other states those of every check stage."""
    if item is None:
        return []
    stage = STAGE_OF_STATUS.get(status)
    checks = set(STAGE_OF_STATUS.values())
    points = [r for r in item.risk_points if stage is not None and r.stage is stage]
    return points or [r for r in item.risk_points if r.stage in checks]


class FormDetails(QWidget):
    """label: value rows of the filled fields, in catalog order."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("formDetails")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#formDetails { background: white; }")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 6, 8, 6)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}

    def set_form(self, item, form: dict) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.values = {}
        labels = {f.key: f.label for f in item.fields} if item is not None else {}
        keys = [k for k in [*labels, *(k for k in form if k not in labels)] if str(form.get(k, "")).strip()]
        top_left = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        for row, key in enumerate(keys):
            name = QLabel(self.tr("{0}：").format(labels.get(key, key)))
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            name.setStyleSheet("color: #455a64;")
            value = QLabel(str(form[key]))
            value.setWordWrap(True)
            value.setAlignment(top_left)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"value_{key}")
            self.values[key] = value
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(value, row, 1)
        if not keys:
            self.grid.addWidget(QLabel(self.tr("无登记信息")), 0, 0)
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(len(keys), 1)


class MaterialList(QListWidget):
    """Each material the case concerns, with its state and number of scans; a click asks to show its scan."""

    material_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemClicked.connect(lambda it: self.material_clicked.emit(it.data(_CODE_ROLE)))

    def set_materials(self, item, case, attachments) -> None:
        self.clear()
        states = case.payload.get("materials", {})
        scans: dict[str, int] = {}
        for a in attachments:
            scans[a.material_code] = scans.get(a.material_code, 0) + 1
        required = {m.code for m in item.required_materials(case.form)} if item is not None else set()
        specs = list(item.materials) if item is not None else []
        for m in specs:
            state = MaterialState(states.get(m.code, MaterialState.missing.value))
            if m.code not in required and state is MaterialState.missing and not scans.get(m.code):
                continue  # a conditional material this case does not need
            text = self.tr("{0}　【{1}】").format(m.name, domain(MATERIAL_STATE_LABELS[state]))
            if scans.get(m.code):
                text += self.tr("　扫描件 {0} 份").format(scans[m.code])
            entry = QListWidgetItem(text)
            entry.setData(_CODE_ROLE, m.code)
            entry.setForeground(QBrush(QColor(_STATE_COLOURS[state])))
            entry.setToolTip(m.name)
            self.addItem(entry)
        if self.count() == 0:
            self.addItem(QListWidgetItem(self.tr("本业务无需材料")))


class EventTable(QTableWidget):
    """办理记录: who did what, in which role, when, and why."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 6, parent)
        self.setHorizontalHeaderLabels([self.tr("时间"), self.tr("操作"), self.tr("状态变化"), self.tr("岗位"),
                                        self.tr("操作员"), self.tr("原因/意见")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def set_events(self, events) -> None:
        self.setRowCount(len(events))
        for r, e in enumerate(events):
            frm = domain(STATUS_LABELS.get(Status(e.from_status))) if e.from_status else self.tr("新建")
            change = self.tr("{0} → {1}").format(frm, domain(STATUS_LABELS.get(Status(e.to_status), e.to_status)))
            for c, text in enumerate((format_local(e.at), e.label, change, e.role, e.operator_id, e.reason or "")):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.setItem(r, c, cell)
        if events:
            self.scrollToBottom()
