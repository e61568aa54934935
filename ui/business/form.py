"""The generic business screen: built from one catalog ServiceItem, it collects materials and form data and 受理s."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from app.cases.service import Actor
from app.catalog import ServiceItem
from app.catalog.model import CHANNEL_LABELS, FieldType
from app.clock import local_today
from app.errors import NetworkUnavailable, ValidationFailed, YichuangError
from app.ids import InvalidIdNumber, parse_id_number
from ui.bridge import run_in_thread
from ui.business.fields import field_value, lock_field, make_field_widget, set_field_value
from ui.business.receipt import build_receipt, citation_text, render_receipt_job
from ui.style import ERROR, set_state

log = logging.getLogger(__name__)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PLAIN_MODIFIERS = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class BusinessForm(QWidget):
    case_saved = Signal(object)  # CaseView
    document_ready = Signal(object)  # Path of the 受理回执 PDF

    def __init__(self, runtime, session, item: ServiceItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session, self.item = runtime, session, item
        self.field_widgets: dict[str, QWidget] = {}
        self.material_boxes: dict[str, QCheckBox] = {}
        self.last_case = None
        self.last_document: Path | None = None
        self._auto_filled: set[str] = set()  # keys we filled (lookup, ID number); the clerk's own typing wins
        self._typed: set[str] = set()  # keys the clerk edited by hand
        self._lookup_ssn: str | None = None
        self._receipt_failed = False
        self._today = local_today()
        self.id_key = next((f.key for f in item.fields if f.type is FieldType.id_number), None)

        self.message_label = QLabel()
        self.message_label.setProperty("role", "message")
        self.message_label.setWordWrap(True)
        self.message_label.setContentsMargins(10, 4, 10, 4)  # margins, not QSS padding: word-wrap height honours them
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.lookup_button = QPushButton(self.tr("查询"))
        self.lookup_status = QLabel()
        self.lookup_status.setProperty("role", "inline")
        self.save_button = QPushButton(self.tr("保存并受理 (Ctrl+S)"))
        self.save_button.setProperty("primary", True)
        self.save_button.setMinimumWidth(170)
        self.open_receipt_button = QPushButton(self.tr("打开回执"))
        self.open_receipt_button.setEnabled(False)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 4, 0)
        body_layout.setSpacing(10)
        body_layout.addWidget(self._build_fields())
        body_layout.addWidget(self._build_materials())
        body_layout.addStretch(1)
        scroll.setWidget(body)
        self._scroll = scroll

        actions = QHBoxLayout()
        actions.addWidget(self.open_receipt_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self._build_header())
        layout.addWidget(self.message_label)
        layout.addWidget(scroll, 1)
        layout.addLayout(actions)

        self._wire()

    # -- construction ----------------------------------------------------------------------------------------------
    def _build_header(self) -> QWidget:
        item = self.item
        frame = QFrame()
        frame.setObjectName("itemHeader")
        title = QLabel(item.name)
        title.setObjectName("itemTitle")
        facts = QLabel(self.tr("事项类别：{0}　　承诺时限：{1}　　收费：{2}").format(
            item.group.value, item.time_limit_promised.label(), item.fee.text))
        facts.setObjectName("itemFacts")
        conditions = QLabel(self.tr("办理条件：") + "；".join(c.text for c in item.conditions))
        conditions.setWordWrap(True)
        notes = [self.tr("风险点：{0}").format("；".join(r.text for r in item.risk_points))] if item.risk_points else []
        controls = [r.control for r in item.risk_points if r.control]
        if controls:
            notes.append(self.tr("防控措施：{0}").format("；".join(controls)))
        notes.append(self.tr("办理渠道：{0}").format("、".join(CHANNEL_LABELS[c] for c in item.channels)))
        risk = QLabel("　　".join(notes))
        risk.setObjectName("itemRisk")
        risk.setWordWrap(True)
        citation = QLabel(self.tr("依据：{0}").format(citation_text(self.item)))
        citation.setObjectName("itemCitation")
        citation.setWordWrap(True)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(facts)
        layout.addLayout(top)
        layout.addWidget(conditions)
        layout.addWidget(risk)
        layout.addWidget(citation)
        return frame

    def _label(self, text: str, required: bool) -> QLabel:
        # The asterisk is rich text so only it is red; the label still reads normally to a screen reader.
        label = QLabel(f'<span style="color:{ERROR}">*</span>&nbsp;{text}' if required else text)
        label.setTextFormat(Qt.TextFormat.RichText if required else Qt.TextFormat.PlainText)
        return label

    def _build_fields(self) -> QWidget:
        """Two label/input columns, filled top to bottom in catalog order, so a 10-field form needs no scrolling."""
        box = QGroupBox(self.tr("登记信息（带 * 为必填项）"))
        grid = QGridLayout(box)
        grid.setContentsMargins(14, 18, 14, 10)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        grid.setColumnMinimumWidth(2, 18)  # gutter between the two columns
        specs = list(self.item.fields)
        per_column = (len(specs) + 1) // 2
        row = {0: 0, 1: 0}
        for index, spec in enumerate(specs):
            column = 0 if index < per_column else 1
            col = column * 3
            widget = make_field_widget(spec, self._today)
            widget.setObjectName(f"field_{spec.key}")
            self.field_widgets[spec.key] = widget
            label = self._label(spec.label, spec.required)
            label.setBuddy(widget)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row[column], col)
            if spec.key == self.id_key:
                line = QHBoxLayout()
                line.setSpacing(6)
                line.addWidget(widget, 1)
                line.addWidget(self.lookup_button)
                grid.addLayout(line, row[column], col + 1)
                row[column] += 1
                grid.addWidget(self.lookup_status, row[column], col + 1)
            elif spec.type in (FieldType.choice, FieldType.date, FieldType.postcode):
                widget.setMinimumWidth(160)
                line = QHBoxLayout()  # short values get short boxes; the rest of the cell stays empty
                line.addWidget(widget)
                line.addStretch(1)
                grid.addLayout(line, row[column], col + 1)
            else:
                grid.addWidget(widget, row[column], col + 1)
            row[column] += 1
        self.lookup_status.hide()
        if self.id_key is None:
            self.lookup_button.hide()
        return box

    def _build_materials(self) -> QWidget:
        box = QGroupBox(self.tr("收取材料（带 * 为必需，请逐项核验后勾选）"))
        grid = QGridLayout(box)
        grid.setContentsMargins(14, 18, 14, 10)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        columns = 2
        for index, m in enumerate(self.item.materials):
            text = self.tr("{0}（{1}）").format(m.name, m.form.value)
            if m.required:
                text = "* " + text
            if m.condition:
                text += self.tr("　仅当：{0}").format(m.condition)
            check = QCheckBox(text)
            check.setObjectName(f"material_{m.code}")
            self.material_boxes[m.code] = check
            grid.addWidget(check, index // columns, index % columns)
        grid.setColumnStretch(columns, 1)
        if not self.item.materials:
            grid.addWidget(QLabel(self.tr("本事项无需收取材料")), 0, 0)
        return box

    def _wire(self) -> None:
        self.lookup_button.clicked.connect(lambda: self.lookup_person())
        self.save_button.clicked.connect(lambda: self.save())
        self.open_receipt_button.clicked.connect(lambda: self._open_or_retry_receipt())
        # Ctrl+S only reaches the form that holds the focus, i.e. the current tab.
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        for key, widget in self.field_widgets.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, k=key: self._clerk_edited(k))
            elif isinstance(widget, QComboBox):
                widget.activated.connect(lambda _i, k=key: self._clerk_edited(k))
        if self.id_key:
            self.field_widgets[self.id_key].editingFinished.connect(self._derive_from_id)
        for box in self.material_boxes.values():
            box.toggled.connect(self._clear_materials_error)
        # Keyboard-first: Enter walks fields → materials → save; Tab follows the same order (with 查询 after the ID).
        self._enter_chain: list[QWidget] = [*self.field_widgets.values(), *self.material_boxes.values(),
                                            self.save_button]
        for widget in self._enter_chain:
            widget.installEventFilter(self)
        tab_order = []
        for key, widget in self.field_widgets.items():
            tab_order.append(widget)
            if key == self.id_key:
                tab_order.append(self.lookup_button)
        tab_order += [*self.material_boxes.values(), self.save_button, self.open_receipt_button]
        for first, second in zip(tab_order, tab_order[1:]):
            QWidget.setTabOrder(first, second)

    # -- keyboard --------------------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in _ENTER_KEYS \
                and event.modifiers() in _PLAIN_MODIFIERS:
            if obj is self.save_button:
                self.save_button.click()
                return True
            if isinstance(obj, QComboBox) and obj.view().isVisible():
                return False  # Enter picks from an open drop-down
            if self.id_key and obj is self.field_widgets.get(self.id_key):
                self.lookup_person(quiet=True)
            self._focus_next(obj)
            return True
        return super().eventFilter(obj, event)

    def _focus_next(self, current: QWidget) -> None:
        chain = [w for w in self._enter_chain if w.isEnabled() and not getattr(w, "isReadOnly", lambda: False)()]
        if current in chain:
            index = chain.index(current)
            if index + 1 < len(chain):
                self._focus(chain[index + 1])

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(widget)
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def focus_first_field(self) -> None:
        if self.field_widgets:
            self._focus(next(iter(self.field_widgets.values())))

    # -- auto-fill -------------------------------------------------------------------------------------------------
    def _clerk_edited(self, key: str) -> None:
        self._auto_filled.discard(key)
        self._typed.add(key)
        self._mark_invalid(key, False)

    def _fill(self, values: dict[str, str]) -> int:
        """Fill fields from a person record (keyed like FieldSpec.from_person); never overwrite the clerk's input."""
        filled = 0
        for spec in self.item.fields:
            value = values.get(spec.from_person or "")
            widget = self.field_widgets[spec.key]
            if not value or spec.key == self.id_key:
                continue
            if field_value(widget) and spec.key not in self._auto_filled:
                continue
            if set_field_value(widget, str(value)):
                self._auto_filled.add(spec.key)
                filled += 1
        return filled

    @Slot()
    def _derive_from_id(self) -> None:
        """GB 11643 encodes birth date and gender: offer them as soon as the number is complete and valid."""
        try:
            facts = parse_id_number(field_value(self.field_widgets[self.id_key]), self._today)
        except InvalidIdNumber:
            return
        self._fill({"gender": facts.gender, "birth_date": facts.birth_date.isoformat()})

    @Slot()
    def lookup_person(self, quiet: bool = False) -> None:
        """查询: fetch the person from the central system off the GUI thread and pre-fill what the clerk left empty."""
        if not self.id_key or self.last_case is not None:
            return
        raw = field_value(self.field_widgets[self.id_key])
        try:
            number = parse_id_number(raw, self._today).number
        except InvalidIdNumber as exc:
            if not quiet:  # Enter on an unfinished number just moves on; the save check will name the problem
                self._lookup_message(exc.reason, "error")
                self._focus(self.field_widgets[self.id_key])
            return
        if self._lookup_ssn == number:
            return  # the same look-up is already running
        self._lookup_ssn = number
        self.lookup_button.setEnabled(False)
        self._lookup_message(self.tr("正在查询中心系统…"), "busy")
        api = self.runtime.api
        run_in_thread(lambda: api.person(number), lambda person: self._lookup_done(number, person),
                      lambda exc: self._lookup_failed(number, exc), context=self)

    def _lookup_still_current(self, number: str) -> bool:
        self._lookup_ssn = None
        self.lookup_button.setEnabled(self.last_case is None)
        current = field_value(self.field_widgets[self.id_key]).upper().replace(" ", "")
        return current == number  # the clerk typed another number meanwhile: this answer is stale

    def _lookup_done(self, number: str, person: dict) -> None:
        if not self._lookup_still_current(number):
            return
        self._derive_from_id()
        filled = self._fill({k: str(v) for k, v in (person or {}).items() if isinstance(v, (str, int))})
        name = person.get("name") or ""
        self._lookup_message(self.tr("已查到 {0}，带出 {1} 项信息，请核对。").format(name, filled), "ok")

    def _lookup_failed(self, number: str, exc: BaseException) -> None:
        if not self._lookup_still_current(number):
            return
        if isinstance(exc, NetworkUnavailable):
            text = self.tr("中心系统离线，请手工录入")
        elif isinstance(exc, YichuangError):
            text = exc.user_message.rstrip("。") + self.tr("，请手工录入")
        else:
            text = self.tr("查询失败，请手工录入")
        self._lookup_message(text, "error")

    def _lookup_message(self, text: str, state: str) -> None:
        self.lookup_status.setText(text)
        set_state(self.lookup_status, state=state)
        self.lookup_status.show()

    # -- save ------------------------------------------------------------------------------------------------------
    def form_values(self) -> dict[str, str]:
        return {key: field_value(w) for key, w in self.field_widgets.items()}

    def material_values(self) -> dict[str, bool]:
        return {code: box.isChecked() for code, box in self.material_boxes.items()}

    def has_unsaved_input(self) -> bool:
        if self.last_case is not None:
            return False
        typed = any(field_value(self.field_widgets[k]) for k in self._typed)
        return typed or any(self.material_values().values())

    @Slot()
    def save(self) -> None:
        """保存并受理: one local transaction in app.cases (a few ms, fine on the GUI thread); the PDF goes to a worker."""
        if self.last_case is not None or not self.save_button.isEnabled():
            return
        s, terminal = self.session, self.runtime.settings.terminal
        actor = Actor(s.operator_id, s.name, s.primary_role, terminal.terminal_id, terminal.agency_code)
        materials = self.material_values()
        try:
            case = self.runtime.cases.accept(self.item.code, self.form_values(), materials, actor)
        except ValidationFailed as exc:
            self._show_message(exc.user_message, "error")
            self._focus_problem(exc.field)
            return
        except YichuangError as exc:
            log.error("case could not be saved: %s", exc.detail)
            self._show_message(exc.user_message, "error")
            return
        except Exception:
            log.exception("unexpected error while saving a case")
            self._show_message(self.tr("保存失败：系统内部错误，业务未受理。请联系管理员。"), "error")
            return
        self.last_case = case
        self._lock()
        self._show_message(self.tr("已受理，受理编号 {0}。正在生成受理回执…").format(case.case_no), "ok")
        self.runtime.relay.wake()
        self.case_saved.emit(case)
        self._render_receipt(materials)

    def _focus_problem(self, field: str | None) -> None:
        if field == "materials":
            missing = [self.material_boxes[m.code] for m in self.item.materials
                       if m.required and not self.material_boxes[m.code].isChecked()]
            for box in missing:
                set_state(box, invalid=True)
            if missing:
                self._focus(missing[0])
        elif field in self.field_widgets:
            self._mark_invalid(field, True)
            self._focus(self.field_widgets[field])

    def _mark_invalid(self, key: str, invalid: bool) -> None:
        widget = self.field_widgets.get(key)
        if widget is not None and bool(widget.property("invalid")) != invalid:
            set_state(widget, invalid=invalid)

    @Slot()
    def _clear_materials_error(self) -> None:
        for box in self.material_boxes.values():
            if box.property("invalid"):
                set_state(box, invalid=False)

    def _show_message(self, text: str, state: str) -> None:
        self.message_label.setText(text)
        set_state(self.message_label, state=state)
        self.message_label.show()

    def _lock(self) -> None:
        for widget in self.field_widgets.values():
            lock_field(widget)
        for box in self.material_boxes.values():
            box.setEnabled(False)
        self.lookup_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_button.setText(self.tr("已受理"))

    # -- receipt ---------------------------------------------------------------------------------------------------
    def _render_receipt(self, materials: dict[str, bool] | None = None) -> None:
        case = self.last_case
        materials = materials if materials is not None else self.material_values()
        receipt = build_receipt(self.runtime, self.session, self.item, case, materials)
        runtime = self.runtime
        self._receipt_failed = False
        self.open_receipt_button.setEnabled(False)
        self.open_receipt_button.setText(self.tr("打开回执"))
        run_in_thread(lambda: render_receipt_job(runtime, receipt, case.case_id), self._receipt_done,
                      self._receipt_error, context=self)

    def _receipt_done(self, path: Path) -> None:
        self.last_document = Path(path)
        self.open_receipt_button.setEnabled(True)
        self.open_receipt_button.setFocus()
        self._show_message(self.tr("已受理，受理编号 {0}。受理回执已生成，可打开打印交申请人。")
                           .format(self.last_case.case_no), "ok")
        self.document_ready.emit(self.last_document)

    def _receipt_error(self, exc: BaseException) -> None:
        reason = getattr(exc, "user_message", None) or self.tr("系统内部错误")
        log.error("acceptance receipt failed for %s: %r", self.last_case.case_no, exc)
        self._receipt_failed = True
        self.open_receipt_button.setText(self.tr("重新生成回执"))
        self.open_receipt_button.setEnabled(True)
        self._show_message(self.tr("已受理，受理编号 {0}；但受理回执生成失败：{1}").format(
            self.last_case.case_no, reason), "error")

    @Slot()
    def _open_or_retry_receipt(self) -> None:
        if self._receipt_failed:
            self._render_receipt()
        elif self.last_document is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_document)))
