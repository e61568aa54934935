"""Parameters for administrators: every value the calculators use with its region, period, source and whether it
is a sample; and importing an official parameter file (checked first; nothing is installed when it is invalid)."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.errors import YichuangError
from app.rules.base import jsonable
from app.rules.explain import show
from app.rules.params import ORIGIN_TEXT, import_parameter_file, load_parameters
from ui.calc.common import message_label, show_message

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

log = logging.getLogger(__name__)
COLUMNS = (QT_TRANSLATE_NOOP("ParameterAdminScreen", "参数"), QT_TRANSLATE_NOOP("ParameterAdminScreen", "代码"),
           QT_TRANSLATE_NOOP("ParameterAdminScreen", "地区"), QT_TRANSLATE_NOOP("ParameterAdminScreen", "期间"),
           QT_TRANSLATE_NOOP("ParameterAdminScreen", "取值"), QT_TRANSLATE_NOOP("ParameterAdminScreen", "来源"),
           QT_TRANSLATE_NOOP("ParameterAdminScreen", "类别"))  # headers shown through self.tr


def choose_file(parent: QWidget) -> str:
    """Ask for the parameter file (module-level so tests can replace the modal dialog)."""
    path, _ = QFileDialog.getOpenFileName(parent, parent.tr("选择官方参数文件"), "", parent.tr("参数文件 (*.yaml *.yml)"))
    return path


class ParameterAdminScreen(QWidget):
    parameters_changed = Signal()

    def __init__(self, runtime, session=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session = runtime, session
        self.params = None
        self.title = QLabel(self.tr("测算参数管理"))
        self.title.setObjectName("itemTitle")
        hint = QLabel(self.tr("标为“示例值”的参数不是官方公布值。请导入自治区（或盟市、旗县）公布的官方参数文件；"
                              "导入的值优先于内置值，新年度只需导入新的数据文件。"))
        hint.setWordWrap(True)
        hint.setObjectName("itemFacts")
        self.message_label = message_label(self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("parameterFilter")
        self.filter_edit.setPlaceholderText(self.tr("按参数名称、代码或地区筛选"))
        self.samples_only = QCheckBox(self.tr("只看示例值"))
        self.import_button = QPushButton(self.tr("导入官方参数文件…"))
        self.import_button.setProperty("primary", True)
        self.import_button.setObjectName("importButton")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("parametersTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.samples_only)
        bar.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addWidget(hint)
        layout.addWidget(self.message_label)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self.filter_edit.textChanged.connect(lambda _t: self.refresh())
        self.samples_only.toggled.connect(lambda _c: self.refresh())
        self.import_button.clicked.connect(lambda: self.import_file())
        self.reload()

    def reload(self) -> None:
        try:
            self.params = load_parameters(self.runtime.paths.data_dir)
        except YichuangError as exc:
            show_message(self.message_label, exc.user_message, "error")
            return
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self.params is None:
            return
        text = self.filter_edit.text().strip().lower()
        rows = []
        for e in self.params.entries():
            region = self.params.region_name(e.region)
            if text and not any(text in s.lower() for s in (e.name, e.key, region, e.region)):
                continue
            if self.samples_only.isChecked() and not e.sample:
                continue
            value = show(e.value) if not isinstance(e.value, (dict, list)) else str(jsonable(e.value))
            rows.append((e.name, e.key, _translate("ParameterAdminScreen", "{0}（{1}）").format(region, e.region),
                         e.period(), f"{value}{e.unit}",
                         e.source + (_translate("ParameterAdminScreen", "；{0}").format(e.note) if e.note else ""),
                         self.tr("示例值") if e.sample else self.tr(ORIGIN_TEXT[e.layer])))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(cell))
        self.table.resizeRowsToContents()

    @Slot()
    def import_file(self, path: str | None = None) -> bool:
        path = path or choose_file(self)
        if not path:
            return False
        try:
            target, entries = import_parameter_file(Path(path), self.runtime.paths.data_dir)
        except YichuangError as exc:
            log.warning("parameter import refused: %s", exc.detail)
            show_message(self.message_label, self.tr("导入失败，未做任何更改：{0}").format(exc.user_message), "error")
            return False
        except OSError as exc:
            show_message(self.message_label, self.tr("导入失败：无法读取或保存文件（{0}）").format(exc.strerror or exc),
                         "error")
            return False
        samples = sum(1 for e in entries if e.sample)
        text = self.tr("已导入 {0} 项参数（{1}）。").format(len(entries), Path(path).name)
        if samples:
            text += self.tr("其中 {0} 项仍标为示例值。").format(samples)
        show_message(self.message_label, text, "warn" if samples else "ok")
        log.info("parameters imported from %s into %s (%d entries)", path, target, len(entries))
        self.reload()
        self.parameters_changed.emit()
        return True
