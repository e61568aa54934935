"""The 办理条件 panel: each condition 符合, 不符合 (reason, citation) or 待核实 with 符合/不符合 buttons for the clerk."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QWidget

from app.cases.eligibility import ConditionResult, Verdict
from app.catalog import ServiceItem
from ui.business.look import CONFIRM_COLOR, FAILED_COLOR, MET_COLOR, MUTED_COLOR
from ui.style import set_state
from ui.widgets.choice_buttons import ChoiceButtons

YES, NO = "yes", "no"
_GENERIC_REASON = "请核实"
_STATE_WIDTH = 170


class ConditionRow(QObject):
    """One condition: a rich-text line (icon, text, reason and citation) and, on the right, its state — a label, or
    the 符合/不符合 buttons, made only when the clerk has to answer."""

    changed = Signal()
    selector_created = Signal(object)  # ChoiceButtons

    def __init__(self, index: int, text: str, citation: str, panel: QWidget, grid: QGridLayout):
        super().__init__(panel)
        self.index, self.condition_text, self.citation = index, text, citation
        self.verdict: Verdict | None = None
        self.reason = ""
        self.flagged = False
        self._panel, self._grid = panel, grid
        self.label = QLabel(panel)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.state = QLabel(panel)
        self.state.setObjectName("conditionState")
        self.state.setFixedWidth(_STATE_WIDTH)
        self.choice: ChoiceButtons | None = None
        grid.addWidget(self.label, index, 0)
        grid.addWidget(self.state, index, 1, Qt.AlignmentFlag.AlignTop)

    def _ensure_choice(self) -> ChoiceButtons:
        if self.choice is None:
            self.choice = ChoiceButtons([(YES, self.tr("符合")), (NO, self.tr("不符合"))], parent=self._panel)
            self.choice.setObjectName(f"condition_{self.index}")
            self.choice.setFixedWidth(_STATE_WIDTH)
            self.choice.changed.connect(self._answered)
            self._grid.addWidget(self.choice, self.index, 1, Qt.AlignmentFlag.AlignTop)
            self.selector_created.emit(self.choice)
        return self.choice

    def show_result(self, result: ConditionResult) -> None:
        if result.verdict is self.verdict and result.reason == self.reason:
            return
        self.verdict, self.reason = result.verdict, result.reason
        asking = result.verdict is Verdict.confirm
        if asking:
            self._ensure_choice().show()
        elif self.choice is not None:
            self.choice.hide()
        self.state.setVisible(not asking)
        if result.verdict is Verdict.met:
            self.state.setText(self.tr("符合（系统核验）"))
            set_state(self.state, state="met")
        elif result.verdict is Verdict.failed:
            self.state.setText(self.tr("不符合"))
            set_state(self.state, state="failed")
        self._paint()

    def _answered(self, _value: str) -> None:
        self.flagged = False
        self._paint()
        self.changed.emit()

    def answer(self) -> str | None:
        return self.choice.value() if self.choice is not None and self.verdict is Verdict.confirm else None

    def _paint(self) -> None:
        verdict, answer = self.verdict, self.answer()
        if verdict is Verdict.met or answer == YES:
            icon, color = "✔", MET_COLOR
        elif verdict is Verdict.failed or answer == NO:
            icon, color = "✘", FAILED_COLOR
        else:
            icon, color = self.tr("？"), CONFIRM_COLOR
        basis = self.tr("依据 {0}").format(self.citation) if self.citation else ""
        if verdict is Verdict.failed:
            detail, detail_color = "　".join(t for t in (self.reason, basis) if t), FAILED_COLOR
        elif verdict is Verdict.confirm and answer is not None:
            said = self.tr("经办人核实符合") if answer == YES else self.tr("经办人核实不符合")
            detail, detail_color = "　".join(t for t in (said, basis) if t), MUTED_COLOR
        elif verdict is Verdict.confirm:
            hint = "" if self.reason == _GENERIC_REASON else self.tr("：") + self.reason
            detail, detail_color = "　".join(t for t in (self.tr("待核实") + hint, basis) if t), MUTED_COLOR
        else:
            detail, detail_color = basis, MUTED_COLOR
        text = escape(self.condition_text)
        if self.flagged:
            text = f'<b style="color:{FAILED_COLOR}">{text}</b>'
        self.label.setText(f'<table cellspacing="0" cellpadding="0"><tr><td width="20" style="color:{color}">'
                           f'<b>{icon}</b></td><td>{text}<br><span style="color:{detail_color}">{escape(detail)}'
                           f'</span></td></tr></table>')

    @property
    def unanswered(self) -> bool:
        return self.verdict is Verdict.confirm and self.answer() is None

    def flag(self) -> None:
        self.flagged = True
        self._paint()


class ConditionsPanel(QGroupBox):
    changed = Signal()
    selector_created = Signal(object)  # the 符合/不符合 buttons of a condition, made when first needed

    def __init__(self, item: ServiceItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conditionsPanel")
        self.rows: list[ConditionRow] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 18, 14, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(0, 1)
        for n, cond in enumerate(item.conditions):
            row = ConditionRow(n, cond.text, str(cond.source) if cond.source else "", self, grid)
            row.changed.connect(self._on_changed)
            row.selector_created.connect(self.selector_created)
            self.rows.append(row)
        self.setVisible(bool(self.rows))
        self._retitle()

    def show_results(self, results: list[ConditionResult]) -> None:
        for result in results:
            self.rows[result.index].show_result(result)
        self._retitle()

    def _on_changed(self) -> None:
        self._retitle()
        self.changed.emit()

    def _retitle(self) -> None:
        met = confirm = failed = 0
        for row in self.rows:
            answer = row.answer()
            if row.verdict is Verdict.met or answer == YES:
                met += 1
            elif row.verdict is Verdict.failed or answer == NO:
                failed += 1
            elif row.verdict is Verdict.confirm:
                confirm += 1
        self.setTitle(self.tr("办理条件（符合 {0} 项，待核实 {1} 项，不符合 {2} 项）").format(met, confirm, failed))

    def confirmed(self) -> dict[int, bool]:
        """The clerk's verdicts on the conditions the software could not decide."""
        return {row.index: row.answer() == YES for row in self.rows if row.answer() is not None}

    def confirm_selectors(self) -> list[ChoiceButtons]:
        return [row.choice for row in self.rows if row.verdict is Verdict.confirm and row.choice is not None]

    def first_problem(self) -> QWidget | None:
        """Flag every unanswered condition and return the first one's button to focus."""
        unanswered = [row for row in self.rows if row.unanswered]
        for row in unanswered:
            row.flag()
        return unanswered[0].choice.focus_target() if unanswered else None

    def set_locked(self, locked: bool) -> None:
        for row in self.rows:
            if row.choice is not None:
                row.choice.setEnabled(not locked)
