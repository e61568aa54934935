"""The materials checklist: per material 已收取/缺少/告知承诺, shared and conditional rows, scans held in memory."""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from app.cases.service import MATERIAL_STATE_LABELS, MaterialState
from app.catalog import MaterialSpec, ServiceItem
from ui.bridge import run_in_thread
from ui.business.look import FAILED_COLOR, MUTED_COLOR
from ui.widgets.choice_buttons import ChoiceButtons

SELECTABLE = (MaterialState.present, MaterialState.missing, MaterialState.waived)
_SELECTOR_WIDTH = 250


@dataclass(frozen=True)
class PendingScan:
    material_code: str
    data: bytes
    mime_type: str
    file_name: str


def choose_file(parent: QWidget, title: str) -> str:
    """A file dialog for a scan or photo; module-level so tests can replace it."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, title, "", QCoreApplication.translate("Materials", "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"))
    return path


def read_scan(code: str, path: str) -> PendingScan:
    """Worker thread: read the chosen file (it may sit on a slow network share)."""
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return PendingScan(code, Path(path).read_bytes(), mime, Path(path).name)


def material_title(m: MaterialSpec) -> str:
    return _translate("BusinessMaterials", "{0}（{1}×{2}）").format(m.name, m.form.value, m.count)


_translate = QCoreApplication.translate  # lupdate reads _translate("Materials", "…")


def material_note(m: MaterialSpec) -> str:
    if not m.condition:
        return ""
    if m.required:
        return _translate("Materials", "说明：{0}").format(m.condition)
    if m.condition_field or m.shared:
        return _translate("Materials", "仅当：{0}").format(m.condition)
    return _translate("Materials", "按情形提供（不作为受理条件）：{0}").format(m.condition)


class MaterialRow(QObject):
    """One material in the panel's grid: its description, then its state buttons and 扫描/附件 (or, for a shared
    material, the words 信息共享获取)."""

    changed = Signal()
    attach_clicked = Signal(str)

    def __init__(self, m: MaterialSpec, row: int, panel: QWidget, grid: QGridLayout, demanded: bool | None):
        super().__init__(panel)
        self.spec = m
        self.scans: list[PendingScan] = []
        self.shown = True
        self.required = (m.required or bool(m.condition_field)) if demanded is None else demanded
        self.label = QLabel(panel)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self._flagged = False
        self._paint()
        grid.addWidget(self.label, row, 0)
        self.selector: ChoiceButtons | None = None
        self.attach_button: QPushButton | None = None
        if m.shared:
            self.shared_label = QLabel(self.tr("信息共享获取（无需提供）"), panel)
            self.shared_label.setObjectName("sharedLabel")
            grid.addWidget(self.shared_label, row, 1, 1, 2, Qt.AlignmentFlag.AlignTop)
            self._widgets = (self.label, self.shared_label)
            return
        self.selector = ChoiceButtons([(s.value, MATERIAL_STATE_LABELS[s]) for s in SELECTABLE],
                                      MaterialState.missing.value, parent=panel)
        self.selector.setObjectName(f"material_{m.code}")
        self.selector.setFixedWidth(_SELECTOR_WIDTH)
        self.selector.changed.connect(self._on_changed)
        self.attach_button = QPushButton(self.tr("扫描/附件"), panel)
        self.attach_button.setObjectName(f"attach_{m.code}")
        self.attach_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Enter/Tab walk the states, not the scanner
        self.attach_button.clicked.connect(lambda: self.attach_clicked.emit(m.code))
        grid.addWidget(self.selector, row, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.attach_button, row, 2, Qt.AlignmentFlag.AlignTop)
        self._widgets = (self.label, self.selector, self.attach_button)

    def _paint(self) -> None:
        m = self.spec
        title = escape(("* " if self.required and not m.shared else "") + material_title(m))
        if self._flagged:
            title = f'<b style="color:{FAILED_COLOR}">{title}</b>'
        note = material_note(m)
        self.label.setText(title + (f'<br><span style="color:{MUTED_COLOR}">{escape(note)}</span>' if note else ""))

    def _on_changed(self, _value: str) -> None:
        if self._flagged:
            self._flagged = False
            self._paint()
        self.changed.emit()

    def set_shown(self, shown: bool) -> None:
        if shown != self.shown:
            self.shown = shown
            for widget in self._widgets:
                widget.setVisible(shown)

    def state(self) -> str:
        return MaterialState.shared.value if self.selector is None else self.selector.value()

    def set_state(self, state: MaterialState | str) -> None:
        if self.selector is not None:
            self.selector.set_value(MaterialState(state).value)

    def add_scan(self, scan: PendingScan) -> None:
        self.scans.append(scan)
        if self.attach_button is not None:
            self.attach_button.setText(self.tr("扫描/附件（{0}）").format(len(self.scans)))
        if self.state() == MaterialState.missing.value:
            self.set_state(MaterialState.present)  # a scanned paper is a received paper

    def flag(self) -> None:
        self._flagged = True
        self._paint()

    def set_locked(self, locked: bool) -> None:
        for widget in (self.selector, self.attach_button):
            if widget is not None:
                widget.setEnabled(not locked)


class MaterialsPanel(QGroupBox):
    changed = Signal()
    problem = Signal(str)  # e.g. a chosen scan could not be read

    def __init__(self, materials: tuple[MaterialSpec, ...] | list[MaterialSpec], parent: QWidget | None = None, *,
                 title: str | None = None, demanded: bool | None = None):
        super().__init__(title or _translate("Materials", "收取材料（* 为须收取；缺少的将列入一次性告知书，告知承诺视同已收取）"), parent)
        self.setObjectName("materialsPanel")
        self.rows: dict[str, MaterialRow] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 18, 14, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(0, 1)
        for n, m in enumerate(materials):
            row = MaterialRow(m, n, self, grid, demanded)
            row.changed.connect(self.changed)
            row.attach_clicked.connect(self._choose_scan)
            self.rows[m.code] = row
        if not self.rows:
            grid.addWidget(QLabel(self.tr("本事项无需收取材料"), self), 0, 0)

    @classmethod
    def for_item(cls, item: ServiceItem, parent: QWidget | None = None) -> "MaterialsPanel":
        return cls(item.materials, parent)

    def update_visibility(self, values: dict[str, str]) -> None:
        """Conditional materials appear only while the deciding field holds a value that requires them."""
        for row in self.rows.values():
            m = row.spec
            if m.condition_field:
                row.set_shown(values.get(m.condition_field, "") in m.condition_values)

    def visible_rows(self) -> list[MaterialRow]:
        return [row for row in self.rows.values() if row.shown]

    def states(self) -> dict[str, str]:
        """MaterialState values of the materials currently on screen (hidden conditional ones are not asked for)."""
        return {code: row.state() for code, row in self.rows.items() if row.shown}

    def selectors(self) -> list[ChoiceButtons]:
        return [row.selector for row in self.visible_rows() if row.selector is not None]

    def all_selectors(self) -> list[ChoiceButtons]:
        return [row.selector for row in self.rows.values() if row.selector is not None]

    def pending_scans(self) -> list[PendingScan]:
        return [scan for row in self.visible_rows() for scan in row.scans]

    def attach(self, code: str, data: bytes, mime_type: str, file_name: str) -> None:
        """Keep a scan for `code` until the case is saved (tests inject bytes here instead of a file dialog)."""
        self.rows[code].add_scan(PendingScan(code, data, mime_type, file_name))
        self.changed.emit()

    def _choose_scan(self, code: str) -> None:
        path = choose_file(self, self.tr("选择“{0}”的扫描件").format(self.rows[code].spec.name))
        if path:
            run_in_thread(lambda: read_scan(code, path),
                          lambda scan: self.attach(scan.material_code, scan.data, scan.mime_type, scan.file_name),
                          lambda exc: self.problem.emit(self.tr("扫描件读取失败：{0}").format(Path(path).name)),
                          context=self)

    def first_problem(self, codes: list[str]) -> QWidget | None:
        """Flag the named materials (e.g. those still missing) and return the first one's buttons to focus."""
        rows = [self.rows[c] for c in codes if c in self.rows and self.rows[c].shown]
        for row in rows:
            row.flag()
        first = next((r for r in rows if r.selector is not None), None)
        return first.selector.focus_target() if first else None

    def set_locked(self, locked: bool) -> None:
        for row in self.rows.values():
            row.set_locked(locked)
