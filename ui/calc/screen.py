"""The generic calculator screen: pick a calculator (or open one directly from a business item), fill its inputs,
compute, read the result with every step and the parameters behind it, and print the 测算单."""
from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QScrollArea, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app.clock import local_today
from app.errors import YichuangError
from app.rules import calculators, calculators_for_item, get_calculator, load_parameters
from app.rules.base import Calculation, CalculatorSpec, Context, Field
from app.rules.errors import InvalidInput
from ui.bridge import run_in_thread
from ui.calc.common import message_label, show_message
from ui.style import set_state

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

log = logging.getLogger(__name__)


def _table(columns: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(columns)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setWordWrap(True)
    t.setAlternatingRowColors(True)
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], tooltips: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(str(text))
            if tooltips:
                item.setToolTip(tooltips[r])
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class CalculatorScreen(QWidget):
    """Any calculator of app.rules. `calculator` fixes the first one shown; the clerk may switch with the picker."""

    computed = Signal(object)        # Calculation
    document_ready = Signal(object)  # Path of the printed 测算单

    def __init__(self, runtime=None, session=None, calculator: str | None = None, parent: QWidget | None = None, *,
                 params=None, today: date | None = None, region: str | None = None,
                 choices: list[CalculatorSpec] | None = None, applicant: dict | None = None):
        super().__init__(parent)
        self.runtime, self.session = runtime, session
        self.applicant = applicant or {}
        self.last_calculation: Calculation | None = None
        self.last_document: Path | None = None
        self._params = params
        self._today = today
        self.specs = choices or calculators()
        self.spec: CalculatorSpec = get_calculator(calculator) if calculator else self.specs[0]
        self.inputs: dict[str, QWidget] = {}

        self.picker = QComboBox()
        self.picker.setObjectName("calculatorPicker")
        for spec in self.specs:
            self.picker.addItem(spec.title, spec.name)
        self.title = QLabel()
        self.title.setObjectName("itemTitle")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("itemFacts")
        self.citations = QLabel()
        self.citations.setObjectName("itemCitation")
        self.citations.setWordWrap(True)
        self.message_label = message_label(self)

        default_region = region or (runtime.settings.terminal.region_code if runtime is not None else "150000")
        self.region_edit = QLineEdit(default_region)
        self.region_edit.setObjectName("regionEdit")
        self.region_edit.setMaxLength(6)
        self.date_edit = QLineEdit((today or local_today()).isoformat())
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setMaxLength(10)
        self.form_box = QGroupBox(self.tr("录入信息"))
        self.form = QFormLayout(self.form_box)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        self.compute_button = QPushButton(self.tr("计算 (Ctrl+Enter)"))
        self.compute_button.setProperty("primary", True)
        self.compute_button.setObjectName("computeButton")
        self.print_button = QPushButton(self.tr("打印测算单"))
        self.print_button.setObjectName("printButton")
        self.print_button.setEnabled(False)
        self.open_button = QPushButton(self.tr("打开测算单"))
        self.open_button.setEnabled(False)

        self.result_table = _table([self.tr("项目"), self.tr("结果")], "resultTable")
        self.detail_box = QGroupBox(self.tr("明细"))
        self.detail_layout = QVBoxLayout(self.detail_box)
        self.detail_box.hide()
        self.steps_table = _table([self.tr("序号"), self.tr("规则"), self.tr("依据"), self.tr("计算")], "stepsTable")
        self.params_table = _table([self.tr("参数"), self.tr("取值"), self.tr("地区及期间"), self.tr("来源"),
                                    self.tr("类别")], "paramsTable")
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("warningsLabel")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setProperty("role", "status")
        self.warnings_label.hide()

        self._build()
        self._wire()
        self.select(self.spec.name)

    # -- construction ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("计算器")))
        top.addWidget(self.picker, 1)
        top.addWidget(QLabel(self.tr("地区代码")))
        top.addWidget(self.region_edit)
        top.addWidget(QLabel(self.tr("测算日期")))
        top.addWidget(self.date_edit)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.form_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.open_button)
        left_layout.addLayout(buttons)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        result_box = QGroupBox(self.tr("测算结果"))
        QVBoxLayout(result_box).addWidget(self.result_table)
        steps_box = QGroupBox(self.tr("计算过程（规则与依据）"))
        QVBoxLayout(steps_box).addWidget(self.steps_table)
        params_box = QGroupBox(self.tr("所用参数及来源"))
        QVBoxLayout(params_box).addWidget(self.params_table)
        right_layout.addWidget(self.warnings_label)
        right_layout.addWidget(result_box, 3)
        right_layout.addWidget(self.detail_box, 2)
        right_layout.addWidget(steps_box, 3)
        right_layout.addWidget(params_box, 2)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.citations)
        layout.addWidget(self.message_label)
        layout.addWidget(split, 1)

    def _wire(self) -> None:
        self.picker.currentIndexChanged.connect(lambda _i: self.select(self.picker.currentData()))
        self.compute_button.clicked.connect(lambda: self.compute())
        self.print_button.clicked.connect(lambda: self.print_estimate())
        self.open_button.clicked.connect(self._open_document)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.compute)

    def _widget_for(self, f: Field) -> QWidget:
        if f.kind == "choice":
            w = QComboBox()
            if not f.required or f.default is not None:
                w.addItem("", "")
            for value, label in f.choices:
                w.addItem(label, value)
            if f.default is not None:
                w.setCurrentIndex(max(0, w.findData(f.default)))
            return w
        if f.kind == "bool":
            w = QCheckBox()
            w.setChecked(str(f.default).lower() in ("true", "1", "是"))
            return w
        w = QLineEdit()
        w.setPlaceholderText(f.placeholder() if f.kind not in ("text", "int", "decimal") else (f.help or ""))
        if f.default is not None and f.kind not in ("bool",):
            default = self.tr("默认 {0}").format(f.default)
            w.setPlaceholderText(self.tr("{0}（{1}）").format(w.placeholderText(), default) if w.placeholderText()
                                 else default)
        return w

    # -- calculator selection and inputs ---------------------------------------------------------------------------
    @Slot(str)
    def select(self, name: str) -> None:
        if not name:
            return
        self.spec = get_calculator(name)
        index = self.picker.findData(name)
        if index >= 0 and index != self.picker.currentIndex():
            self.picker.blockSignals(True)
            self.picker.setCurrentIndex(index)
            self.picker.blockSignals(False)
        self.title.setText(self.spec.title)
        self.summary.setText(self.spec.summary)
        self.citations.setText(self.tr("依据：{0}").format(_translate("CalculatorScreen", "；").join(self.spec.citations)))
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs = {}
        for f in self.spec.fields:
            w = self._widget_for(f)
            w.setObjectName(f"input_{f.key}")
            if f.help:
                w.setToolTip(f.help)
            label = f.label + (" *" if f.required and f.default is None else "")
            self.form.addRow(label, w)
            self.inputs[f.key] = w
        self.set_inputs(self.applicant)
        self._clear_result()

    def set_inputs(self, values: dict) -> None:
        """Prefill inputs (e.g. birth date and group from the applicant on a business screen); unknown keys ignored."""
        for key, value in (values or {}).items():
            w = self.inputs.get(key)
            if w is None or value in (None, ""):
                continue
            if isinstance(w, QComboBox):
                index = w.findData(value)
                if index < 0:
                    index = w.findText(str(value))
                if index >= 0:
                    w.setCurrentIndex(index)
            elif isinstance(w, QCheckBox):
                w.setChecked(str(value).lower() in ("true", "1", "是", "yes"))
            else:
                w.setText(str(value))

    def raw_inputs(self) -> dict[str, object]:
        raw: dict[str, object] = {}
        for key, w in self.inputs.items():
            if isinstance(w, QComboBox):
                raw[key] = w.currentData() or ""
            elif isinstance(w, QCheckBox):
                raw[key] = w.isChecked()
            else:
                raw[key] = w.text()
        return raw

    def parameters(self):
        if self._params is None:
            data_dir = self.runtime.paths.data_dir if self.runtime is not None else None
            self._params = load_parameters(data_dir)
        return self._params

    def reload_parameters(self) -> None:
        self._params = None

    # -- compute ---------------------------------------------------------------------------------------------------
    def _clear_result(self) -> None:
        self.last_calculation = None
        for t in (self.result_table, self.steps_table, self.params_table):
            t.setRowCount(0)
        self._clear_details()
        self.warnings_label.hide()
        self.print_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.message_label.hide()
        for w in self.inputs.values():
            if w.property("invalid"):
                set_state(w, invalid=False)

    def _clear_details(self) -> None:
        while self.detail_layout.count():
            item = self.detail_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.detail_box.hide()

    @Slot()
    def compute(self) -> Calculation | None:
        self._clear_result()
        try:
            day = date.fromisoformat(self.date_edit.text().strip())
        except ValueError:
            show_message(self.message_label, self.tr("测算日期格式错误，应为 YYYY-MM-DD"), "error")
            self.date_edit.setFocus()
            return None
        region = self.region_edit.text().strip()
        try:
            from app.rules.params import region_chain

            region_chain(region)
        except ValueError:
            show_message(self.message_label, self.tr("地区代码应为6位行政区划代码"), "error")
            self.region_edit.setFocus()
            return None
        try:
            calc = self.spec.run(self.raw_inputs(), Context(self.parameters(), region, day))
        except InvalidInput as exc:
            show_message(self.message_label, exc.user_message, "error")
            w = self.inputs.get(exc.field or "")
            if w is not None:
                set_state(w, invalid=True)
                w.setFocus()
            return None
        except YichuangError as exc:
            log.warning("calculation %s failed: %s", self.spec.name, exc.detail)
            show_message(self.message_label, exc.user_message, "error")
            return None
        except Exception:
            log.exception("unexpected error in calculator %s", self.spec.name)
            show_message(self.message_label, self.tr("测算失败：系统内部错误，请联系管理员。"), "error")
            return None
        self.show_calculation(calc)
        return calc

    def show_calculation(self, calc: Calculation) -> None:
        self.last_calculation = calc
        _fill(self.result_table, calc.summary())
        self._clear_details()
        for title, header, rows in calc.tables():
            table = _table(list(header), "detailTable")
            _fill(table, rows)
            self.detail_layout.addWidget(QLabel(title))
            self.detail_layout.addWidget(table)
            self.detail_box.show()
        steps = calc.explanation.steps
        _fill(self.steps_table, [(str(n), s.rule, s.citation, s.text()) for n, s in enumerate(steps, start=1)],
              [s.text() for s in steps])
        _fill(self.params_table, [(p.name, f"{p.value}{p.unit}", f"{p.region_name} {p.period}", p.source,
                                   (self.tr("示例值") if p.sample else p.origin)) for p in calc.explanation.params])
        if calc.explanation.warnings:
            self.warnings_label.setText("\n".join(calc.explanation.warnings))
            set_state(self.warnings_label, state="warn")
            self.warnings_label.show()
        headline = calc.headline()
        text = self.tr("测算完成：{0} {1}元").format(*headline) if headline else self.tr("测算完成")
        if calc.explanation.uses_sample:
            text += self.tr("（含示例参数，仅供演示）")
        show_message(self.message_label, text, "warn" if calc.explanation.uses_sample else "ok")
        self.print_button.setEnabled(self.runtime is not None)
        self.computed.emit(calc)

    # -- the 测算单 -------------------------------------------------------------------------------------------------
    def _document(self, calc: Calculation):
        from app.docs.estimate import EstimateDocument

        terminal = self.runtime.settings.terminal
        return EstimateDocument(
            agency_name=terminal.agency_name, agency_code=terminal.agency_code, calculation=calc,
            operator_id=getattr(self.session, "operator_id", ""), operator_name=getattr(self.session, "name", ""),
            applicant_name=str(self.applicant.get("name", "")),
            applicant_id_number=str(self.applicant.get("ssn", "")),
            printed_at=datetime.now(timezone.utc))

    @Slot()
    def print_estimate(self) -> None:
        """Render the 测算单 off the GUI thread into the documents folder; document_ready(path) when done."""
        calc = self.last_calculation
        if calc is None or self.runtime is None:
            return
        from app.docs.estimate import render_estimate

        doc = self._document(calc)
        stamp = doc.time.strftime("%Y%m%d-%H%M%S")
        target = self.runtime.paths.documents_dir / f"测算单-{calc.calculator}-{stamp}.pdf"  # a file name (data)
        self.print_button.setEnabled(False)
        show_message(self.message_label, self.tr("正在生成测算单…"), "busy")

        def job() -> Path:
            target.parent.mkdir(parents=True, exist_ok=True)
            return render_estimate(doc, target)

        run_in_thread(job, self._printed, self._print_failed, context=self)

    def _printed(self, path: Path) -> None:
        self.last_document = Path(path)
        self.print_button.setEnabled(True)
        self.open_button.setEnabled(True)
        show_message(self.message_label, self.tr("测算单已生成：{0}").format(self.last_document.name), "ok")
        self.document_ready.emit(self.last_document)

    def _print_failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(True)
        reason = getattr(exc, "user_message", None) or QCoreApplication.translate("CalculatorScreen", "系统内部错误")
        log.error("estimate printing failed: %r", exc)
        show_message(self.message_label, self.tr("测算单生成失败：{0}").format(reason), "error")

    @Slot()
    def _open_document(self) -> None:
        if self.last_document is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_document)))


def screens_for_item(runtime, session, item_code: str, applicant: dict | None = None,
                     parent: QWidget | None = None) -> CalculatorScreen | None:
    """The calculator screen a business item offers (e.g. 企业职工正常退休申请 → 养老金测算), limited to the
    item's calculators, prefilled from the applicant; None when the item has no calculator."""
    specs = calculators_for_item(item_code)
    if not specs:
        return None
    return CalculatorScreen(runtime, session, specs[0].name, parent, choices=specs, applicant=applicant)
