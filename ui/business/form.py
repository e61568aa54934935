"""The generic business screen for any catalog item: identification, 办理条件, materials, risk hints and 受理."""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from app.cases.eligibility import evaluate_conditions
from app.cases.journal import record_person_view
from app.catalog import ServiceItem
from app.catalog.model import OfflinePolicy
from app.clock import local_today
from app.errors import ValidationFailed
from app.ids import InvalidIdNumber, normalize_id, parse_id_number
from ui.bridge import run_in_thread
from ui.business.common import actor_for, focus_in, message_label, show_message, show_save_failure
from ui.business.conditions import ConditionsPanel
from ui.business.documents import DocumentDone, DocumentJob, job_for, run_document_job
from ui.business.field_grid import FieldGrid
from ui.business.fields import field_value, lock_field, set_field_value
from ui.business.header import ItemHeader, OnlinePanel
from ui.business.identity import is_identity, live_problem
from ui.business.lookup import PersonLookup
from ui.business.materials import MaterialsPanel
from ui.business.outcome import locked_button_text, outcome_message
from ui.business.risks import RiskBox, counter_risks
from ui.style import set_state
from ui.widgets.choice_buttons import ChoiceButtons

log = logging.getLogger(__name__)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PLAIN_MODIFIERS = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
_CONDITION_KEYS = {"ssn", "enrolment_date", "application_date"}  # what evaluate_conditions reads from the form


class BusinessForm(QWidget):
    case_saved = Signal(object)  # CaseView
    document_ready = Signal(object)  # Path of the PDF handed to the applicant

    def __init__(self, runtime, session, item: ServiceItem, parent: QWidget | None = None, *,
                 online: bool | None = None):
        super().__init__(parent)
        self.runtime, self.session, self.item = runtime, session, item
        self.last_case = None
        self.last_result = None
        self.last_archive = None
        self.last_document: Path | None = None
        self._online = bool(online if online is not None else getattr(runtime.relay, "online", None))
        self._person: dict | None = None  # the central record of the applicant, once looked up
        self._person_ssn = ""
        self._auto_filled: set[str] = set()  # keys we filled (lookup, ID number); the clerk's own typing wins
        self._typed: set[str] = set()  # keys the clerk edited by hand
        self._touched = False  # a material state, condition answer or scan was set
        self._job: DocumentJob | None = None
        self._document_failed = False
        self._saving = False  # 受理 is on its way on a worker
        self._today = local_today()
        keys = {f.key for f in item.fields}
        self.id_key = "ssn" if "ssn" in keys else None
        self._visibility_keys = {m.condition_field for m in item.materials if m.condition_field}

        # Every widget is made with its final parent (top-down): re-parenting a built subtree makes Qt resolve the
        # style sheet of each widget in it again, which doubled the time to open a screen.
        self.message_label = message_label(self)
        self.save_button = QPushButton(self.tr("受理 (Ctrl+S)"), self)
        self.save_button.setProperty("primary", True)
        self.save_button.setMinimumWidth(150)
        self.open_document_button = QPushButton(self.tr("打开文书"), self)
        self.open_document_button.setEnabled(False)
        self.header = ItemHeader(item, self)
        self.online_panel: OnlinePanel | None = None  # made when the item cannot be handled here
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setAccessibleName(self.tr("{0}：办理表单").format(item.name))  # screen readers (issue 13)
        self.setAccessibleName(item.name)
        body = QWidget()
        self._scroll.setWidget(body)  # while still empty
        self.grid = FieldGrid(item, self._today, self.id_key, body)
        self.lookup_button = self.grid.lookup_button
        self.field_widgets = self.grid.widgets
        self.lookup_status = self.grid.status.get(self.id_key) if self.id_key else QLabel(self)
        self.conditions = ConditionsPanel(item, body)
        self.materials = MaterialsPanel.for_item(item, body)
        self.risks = RiskBox(item, self) if counter_risks(item) else None
        self.lookup = PersonLookup(runtime.api, lambda: self._value(self.id_key or ""), self,
                                   audit=lambda ssn: record_person_view(
                                       runtime.store, ssn=ssn, operator_id=session.operator_id,
                                       terminal_id=runtime.settings.terminal.terminal_id,
                                       purpose=f"受理：{item.name}"))

        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 4, 0)
        body_layout.setSpacing(10)
        for part in (self.grid, self.conditions, self.materials):
            body_layout.addWidget(part)
        body_layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.open_document_button)
        from ui.calc.launch import calculator_button  # 测算 for items with calculators (issue 7, owned by ui/calc)

        self.calc_screen = None  # the item's calculator window, once opened
        self.calc_button = calculator_button(self)
        if self.calc_button is not None:
            actions.addWidget(self.calc_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(self.message_label)
        layout.addWidget(self._scroll, 1)
        layout.addStretch(0)  # takes the height instead of the form when the 网上办理 panel replaces it
        if self.risks is not None:
            layout.addWidget(self.risks)
        layout.addLayout(actions)

        self._wire()
        self.reevaluate()
        self.materials.update_visibility(self.form_values())
        self.set_online(self._online)

    # -- construction ----------------------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.lookup_button.clicked.connect(lambda: self.lookup_person())
        self.save_button.clicked.connect(lambda: self.save())
        self.open_document_button.clicked.connect(lambda: self._open_or_retry_document())
        # Ctrl+S only reaches the form that holds the focus, i.e. the current tab.
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        self.lookup.message.connect(lambda text, state: self.grid.say(self.id_key, text, state))
        self.lookup.busy_changed.connect(lambda busy: self.lookup_button.setEnabled(not busy and not self.last_case))
        self.lookup.found.connect(self._lookup_done)
        for key, widget in self.field_widgets.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, k=key: self._clerk_edited(k))
                widget.textChanged.connect(lambda _t, k=key: self._field_changed(k))
            elif isinstance(widget, QComboBox):
                widget.activated.connect(lambda _i, k=key: self._clerk_edited(k))
                widget.currentTextChanged.connect(lambda _t, k=key: self._field_changed(k))
        self.conditions.changed.connect(self._on_touched)
        self.materials.changed.connect(self._on_touched)
        self.materials.problem.connect(lambda text: show_message(self.message_label, text, "error"))
        tab_order: list[QWidget] = []
        for key, widget in self.field_widgets.items():
            tab_order.append(widget)
            if key == self.id_key:
                tab_order.append(self.lookup_button)
        tab_order += [self.save_button, self.open_document_button]
        for first, second in zip(tab_order, tab_order[1:]):
            QWidget.setTabOrder(first, second)

    # -- network ---------------------------------------------------------------------------------------------------
    def set_online(self, online: bool | None) -> None:
        """The relay's view of the central system: items that must be online show the 网上办理 panel instead."""
        self._online = bool(online)
        blocked = self.blocked()
        if blocked:
            panel = self._panel()
            panel.show_online_only() if self.item.online_only else panel.show_needs_network()
        if self.online_panel is not None:
            self.online_panel.setVisible(blocked)
        self._scroll.setVisible(not blocked)
        if self.risks is not None:
            self.risks.setVisible(not blocked)
        self.save_button.setVisible(not self.item.online_only)
        self.open_document_button.setVisible(not self.item.online_only)
        self.save_button.setEnabled(not blocked and self.last_case is None)

    def _panel(self) -> OnlinePanel:
        if self.online_panel is None:
            self.online_panel = OnlinePanel(self.item, self)
            self.layout().insertWidget(2, self.online_panel)
        return self.online_panel

    def blocked(self) -> bool:
        needs_network = self.item.offline.policy is OfflinePolicy.online_only and not self._online
        return self.item.online_only or needs_network

    # -- keyboard --------------------------------------------------------------------------------------------------
    def _stops(self) -> list:
        """The Enter chain: fields, then conditions to confirm, then materials on screen, then 受理."""
        fields = [w for w in self.field_widgets.values()
                  if w.isEnabled() and not getattr(w, "isReadOnly", lambda: False)()]
        return [*fields, *self.conditions.confirm_selectors(), *self.materials.selectors(), self.save_button]

    def _tab_stops(self) -> list:
        """Tab order in screen order (issue 13): fields (with 查询 after the ID number), the questions and materials
        on screen, then 受理 and the buttons beside it. Rebuilt each time: questions appear as answers change."""
        stops: list = []
        for key, widget in self.field_widgets.items():
            stops.append(widget)
            if key == self.id_key:
                stops.append(self.lookup_button)
        stops += [*self.conditions.confirm_selectors(), *self.materials.selectors(), self.save_button,
                  self.open_document_button]
        calc = getattr(self, "calc_button", None)
        if calc is not None:
            stops.append(calc)
        return [s for s in stops if isinstance(s, ChoiceButtons)
                or (s.isEnabled() and s.isVisibleTo(self) and s.focusPolicy() & Qt.FocusPolicy.TabFocus)]

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        focused = QApplication.focusWidget()
        stops = self._tab_stops()
        index = next_index = None
        for n, stop in enumerate(stops):
            if stop is focused or (isinstance(stop, ChoiceButtons) and stop.owns(focused)):
                index = n
                break
        if index is not None:
            next_index = index + (1 if next else -1)
        if next_index is None or not 0 <= next_index < len(stops):
            return super().focusNextPrevChild(next)
        self._focus(stops[next_index])
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves on. Line edits, closed drop-downs, radio buttons and (outside dialogs) push buttons ignore
        Enter, so it bubbles up to here: no event filter on each of the screen's widgets."""
        focused = QApplication.focusWidget()
        if event.key() in _ENTER_KEYS and event.modifiers() in _PLAIN_MODIFIERS and focused is not None \
                and self.isAncestorOf(focused):
            if focused is self.save_button:
                self.save_button.click()
                return
            if self.id_key and focused is self.field_widgets.get(self.id_key):
                self.lookup_person(quiet=True)
            if self._focus_next(focused):
                return
        super().keyPressEvent(event)

    def _focus_next(self, current: QObject) -> bool:
        stops = self._stops()
        index = next((n for n, s in enumerate(stops)
                      if s is current or (isinstance(s, ChoiceButtons) and s.owns(current))), None)
        if index is None:
            return False
        if index + 1 < len(stops):
            self._focus(stops[index + 1])
        return True

    def _focus(self, target) -> None:
        focus_in(self._scroll, target.focus_target() if isinstance(target, ChoiceButtons) else target)

    def focus_first_field(self) -> None:
        if self.field_widgets and not self.blocked():
            self._focus(next(iter(self.field_widgets.values())))

    # -- live checks and auto-fill ---------------------------------------------------------------------------------
    def _value(self, key: str) -> str:
        widget = self.field_widgets.get(key)
        return field_value(widget) if widget is not None else ""

    def _clerk_edited(self, key: str) -> None:
        self._auto_filled.discard(key)
        self._typed.add(key)
        self._mark_invalid(key, False)

    def _on_touched(self) -> None:
        self._touched = True

    def _field_changed(self, key: str) -> None:
        spec = self.item.field(key)
        if is_identity(spec):
            self._live_check(key)
        if key == self.id_key:
            self._id_changed()
        elif key in _CONDITION_KEYS:
            self.reevaluate()
        if key in self._visibility_keys:
            self.materials.update_visibility(self.form_values())

    def _live_check(self, key: str) -> None:
        spec = self.item.field(key)
        problem = live_problem(spec, self._value(key), self._today)
        self._mark_invalid(key, problem is not None)
        if problem:
            self.grid.say(key, problem, "error")
        elif key != self.id_key or self.lookup.running is None:
            self.grid.say(key, "", "")

    def _id_changed(self) -> None:
        """A new number: the earlier look-up is about someone else; derive what GB 11643 encodes."""
        number = normalize_id(self._value(self.id_key))
        if self._person is not None and self._person_ssn != number:
            self._person = None
        try:
            facts = parse_id_number(number, self._today)
        except InvalidIdNumber:
            facts = None
        if facts is not None:
            self._fill({"gender": facts.gender, "birth_date": facts.birth_date.isoformat()})
        self.reevaluate()

    def reevaluate(self) -> None:
        """Re-check the 办理条件 against the form and the looked-up person (cheap: no I/O)."""
        results = evaluate_conditions(self.item, self.form_values(), self._person,
                                      self.runtime.cases.agency_region, self._today)
        self.conditions.show_results(results)

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
            if field_value(widget) == str(value):
                continue
            if set_field_value(widget, str(value)):
                self._auto_filled.add(spec.key)
                filled += 1
        return filled

    @Slot()
    def lookup_person(self, quiet: bool = False) -> None:
        """查询: fetch the person from the central system off the GUI thread and pre-fill what the clerk left empty."""
        if not self.id_key or self.last_case is not None:
            return
        if not self.lookup.start(self._value(self.id_key), self._today, quiet) and not quiet:
            self._focus(self.field_widgets[self.id_key])

    def _lookup_done(self, number: str, person: dict) -> None:
        self._person, self._person_ssn = person, number
        filled = self._fill({k: str(v) for k, v in person.items() if isinstance(v, (str, int))})
        self.grid.say(self.id_key, self.tr("已查到 {0}，带出 {1} 项信息，请核对。").format(
            person.get("name") or "", filled), "ok")
        self.reevaluate()

    # -- 受理 ------------------------------------------------------------------------------------------------------
    def form_values(self) -> dict[str, str]:
        return {key: field_value(w) for key, w in self.field_widgets.items()}

    def material_states(self) -> dict[str, str]:
        return self.materials.states()

    def has_unsaved_input(self) -> bool:
        if self.last_case is not None:
            return False
        return self._touched or any(self._value(k) for k in self._typed)

    def is_saving(self) -> bool:
        return self._saving

    @Slot()
    def save(self) -> None:
        """受理: the rules and the local transaction (app.cases, a few ms of SQLite with a FULL-sync commit) run on a
        worker — no database work on the GUI thread (issue 13); the button says 正在受理 meanwhile, and F10 pressed
        again is ignored, so a case is never accepted twice. The PDF then goes to a worker too."""
        if self.last_case is not None or self._saving:
            return
        if self.item.online_only:
            show_message(self.message_label, self._panel().title.text(), "error")
            return
        runtime, code = self.runtime, self.item.code
        values, states = self.form_values(), self.material_states()
        actor, person = actor_for(runtime, self.session), self._person
        confirmed, online = self.conditions.confirmed(), self._online
        self._set_saving(True)
        run_in_thread(lambda: runtime.cases.intake(code, values, states, actor, person=person, confirmed=confirmed,
                                                   online=online),
                      lambda result: self._saved(result, values), self._save_failed, context=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText(self.tr("正在受理…") if saving else self.tr("受理 (Ctrl+S)"))
        if saving:
            show_message(self.message_label, self.tr("正在受理，请稍候…"), "busy")

    def _saved(self, result, values: dict[str, str]) -> None:
        self._saving = False
        for key, value in values.items():  # a key typed while the worker saved: the screen shows what was saved
            widget = self.field_widgets.get(key)
            if widget is not None and field_value(widget) != value:
                set_field_value(widget, value)
        self.last_result, self.last_case = result, result.case
        self._lock(locked_button_text(result))
        show_message(self.message_label, *outcome_message(result, "pending"))
        self.runtime.relay.wake()
        self.case_saved.emit(result.case)
        self._render(job_for(self.runtime, self.session, result, self.materials.pending_scans()))

    def _save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        show_save_failure(self.message_label, exc, "saved")
        if isinstance(exc, ValidationFailed):
            self._focus_problem(exc.field)
        self.save_button.setEnabled(not self.blocked())

    def _focus_problem(self, field: str | None) -> None:
        if field == "conditions":
            target = self.conditions.first_problem()
        elif field == "materials":
            target = self.materials.first_problem([c for c, s in self.material_states().items() if s == "missing"])
        elif field == "offline":
            self.set_online(False)
            return
        elif field in self.field_widgets:
            self._mark_invalid(field, True)
            target = self.field_widgets[field]
        else:
            return
        if target is not None:
            self._focus(target)

    def _mark_invalid(self, key: str, invalid: bool) -> None:
        widget = self.field_widgets.get(key)
        if widget is not None and bool(widget.property("invalid")) != invalid:
            set_state(widget, invalid=invalid)

    def _lock(self, button_text: str) -> None:
        for widget in self.field_widgets.values():
            lock_field(widget)
        self.conditions.set_locked(True)
        self.materials.set_locked(True)
        self.lookup_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_button.setText(button_text)

    # -- the paper -------------------------------------------------------------------------------------------------
    def _render(self, job: DocumentJob) -> None:
        self._job, self._document_failed = job, False
        self.open_document_button.setEnabled(False)
        self.open_document_button.setText(self.tr("打开{0}").format(job.title))
        runtime = self.runtime
        run_in_thread(lambda: run_document_job(runtime, job), self._document_done, self._document_error,
                      context=self)

    def _document_done(self, done: DocumentDone) -> None:
        self.last_document = done.path
        self.open_document_button.setEnabled(True)
        self.open_document_button.setFocus()
        text, state = outcome_message(self.last_result, "ready")
        if done.scan_errors:
            text += self.tr("　扫描件未保存：{0}").format(self.tr("；").join(done.scan_errors))
            state = "error"
        show_message(self.message_label, text, state)
        self.document_ready.emit(self.last_document)
        if self.last_case is not None and self.last_case.status == "completed":
            self._archive(self.last_case)

    archived = Signal(object)  # app.cases.archive.ArchiveResult of a case 办结 at the counter (即时办结)

    def _archive(self, case) -> None:
        """即时办结: the receipt and scans are final, so the electronic archive package is built now (000 §112)."""
        from app.docs.render import case_documents

        runtime, session = self.runtime, self.session
        docs = case_documents(runtime.paths.documents_dir, case.case_no)
        terminal = runtime.settings.terminal.terminal_id
        run_in_thread(lambda: runtime.archiver.package(case.case_id, docs, session.operator_id, terminal),
                      self._archived, lambda exc: log.error("archive of %s failed: %r", case.case_no, exc),
                      context=self)

    def _archived(self, result) -> None:
        self.last_archive = result
        self.archived.emit(result)

    def _document_error(self, exc: BaseException) -> None:
        reason = getattr(exc, "user_message", None) or self.tr("系统内部错误")
        log.error("%s failed for %s: %r", self._job.title, self.last_case.case_no, exc)
        self._document_failed = True
        self.open_document_button.setText(self.tr("重新生成{0}").format(self._job.title))
        self.open_document_button.setEnabled(True)
        show_message(self.message_label, outcome_message(self.last_result, "failed", reason)[0], "error")

    @Slot()
    def _open_or_retry_document(self) -> None:
        if self._document_failed:
            self._render(replace(self._job, scans=()))  # the scans were stored before the PDF failed
        elif self.last_document is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_document)))
