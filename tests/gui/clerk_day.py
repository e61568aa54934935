"""The scripted clerk's day, shared by tests/gui/test_clerk_day.py and bench/clerk_day.py: citizens called with F8
from the hall queue (tickets from the kiosk carry their business; the others are found with Ctrl+F), forms filled
with the keyboard only (key clicks, Hanzi as input-method commits, Enter to move on, 1 to answer), 受理 with F10,
print preview with F11 and printing with Ctrl+P, Esc, Ctrl+W. No mouse. Each key is delivered from inside the event
loop's turn, so the watchdog measures the application's own work."""
from __future__ import annotations

import time

import shiboken6
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit

from app.catalog.model import FieldType, OfflinePolicy
from app.cases.validation import clean_form
from app.clock import local_today
from app.ids import make_id_number, uscc_check_char
from app.queue import category_for_item



def uscc_for(n: int) -> str:
    """A distinct unit per case (the same unit twice for one item is refused as a duplicate)."""
    body = "12150102MB%07d" % (12345 + n)
    return body + uscc_check_char(body)


def ssn_for(n: int) -> str:
    return make_id_number("150102", date(1966 + n % 30, 1 + n % 12, 1 + n % 28), 100 + n % 800, n % 2 == 0)


def value_for(spec, n: int, today: date) -> str:
    t = spec.type
    if t is FieldType.id_number:
        return ssn_for(n)
    if t is FieldType.uscc:
        return uscc_for(n)
    if t is FieldType.phone:
        return "139047%05d" % (n % 100000)
    if t is FieldType.date:
        return today.isoformat()
    if t is FieldType.month:
        return today.strftime("%Y-%m")
    if t is FieldType.postcode:
        return "010010"
    if t is FieldType.number:
        return "1"
    if t is FieldType.money:
        return "100.00"
    if t is FieldType.bank_account:
        return "6228480010000000000"
    if t in (FieldType.choice, FieldType.bool):
        return spec.options[0] if t is FieldType.choice else "否"
    return "乌兰" if "name" in spec.key else "呼和浩特市新城区海东路1号"


def day_items(catalog, count: int = 20) -> list:
    """Items a counter can finish offline whose generated values pass the form rules, and that the finder puts
    first for their own name (so typing the name and Enter opens them)."""
    today = local_today()
    chosen = []
    for item in catalog.items:
        if item.online_only or item.offline.policy is OfflinePolicy.online_only or not item.fields:
            continue
        try:
            clean_form(item, {f.key: value_for(f, 1, today) for f in item.fields}, today)
        except Exception:  # noqa: BLE001 - a rule our generic values do not meet: pick another item
            continue
        found = catalog.search(item.name, 3)
        if not found or found[0].code != item.code:
            continue
        chosen.append(item)
        if len(chosen) == count:
            break
    return chosen


@dataclass
class DayStats:
    cases: int = 0
    saved: list = field(default_factory=list)  # CaseView
    outcomes: dict = field(default_factory=dict)
    printed: int = 0
    opened_by_ticket: int = 0
    opened_by_finder: int = 0
    seconds: float = 0.0


class ClerkDay:
    def __init__(self, qtbot, window, runtime, *, print_every: int = 10, on_case=None):
        self.qtbot, self.window, self.runtime = qtbot, window, runtime
        self.print_every = print_every
        self.on_case = on_case  # called with (n, stats) after each case (the bench samples memory)
        self.today = local_today()
        self.stats = DayStats()

    # -- keyboard --------------------------------------------------------------------------------------------------
    def _spin(self) -> None:
        QTest.qWait(0)

    def key(self, key, modifier=Qt.KeyboardModifier.NoModifier, widget=None) -> None:
        target = widget or QApplication.focusWidget() or self.window
        QTest.keyClick(target, key, modifier)
        self._spin()

    def type(self, text: str, widget=None) -> None:
        target = widget or QApplication.focusWidget()
        for char in text:  # one key (or one IME commit) per turn of the event loop, as a clerk types
            if char.isascii():
                QTest.keyClicks(target, char)
            else:
                event = QInputMethodEvent("", [])
                event.setCommitString(char)
                QApplication.sendEvent(target, event)
            self._spin()

    def wait_until(self, predicate, timeout: int = 60000) -> None:
        self.qtbot.waitUntil(predicate, timeout=timeout)

    # -- the day ---------------------------------------------------------------------------------------------------
    def issue_tickets(self, items: list, cases: int) -> None:
        """The lobby kiosk's 取号 before the clerk starts: even tickets name their business, odd ones only a series."""
        queue = self.runtime.queue
        for n in range(cases):
            item = items[n % len(items)]
            queue.issue_ticket(category_for_item(item), item.code if n % 2 == 0 else None)

    def warm_up(self, items: list) -> None:
        """Before the day is measured: open and close each item's screen once (the first screen of a kind pays Qt's
        one-time costs: style sheet resolution per widget class, glyph caches), let the counter's background
        preparation finish (pinyin index, print modules), search once, and collect garbage — what a terminal has
        done before its first citizen, and what the test runner would otherwise collect during the day."""
        import gc
        import sys

        from ui.bridge import settle

        for item in items:
            self.window.open_item(item.code)
            self._spin()
            self.key(Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
        self.wait_until(lambda: self.window.tabs.count() == 0, 10000)
        self.wait_until(lambda: self.runtime.catalog._finder is not None and "ui.print.preview" in sys.modules, 30000)
        search = self.window.search_edit
        self.key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        self.type(items[0].name[:2], search)
        search.clear()
        self.window.activateWindow()
        settle(10000)
        self._spin()
        gc.collect()
        gc.freeze()  # the test runner's own objects: not walked by collections during the day

    def run(self, items: list, cases: int) -> DayStats:
        started = time.perf_counter()
        for n in range(cases):
            self.serve(n, items[n % len(items)])
            self.stats.cases += 1
            if self.on_case:
                self.on_case(n + 1, self.stats)
        self.stats.seconds = time.perf_counter() - started
        return self.stats

    def serve(self, n: int, item) -> None:
        w = self.window
        calling = w.keys.queue_calling
        with self.qtbot.waitSignal(calling.call_finished, timeout=30000) as called:
            self.key(Qt.Key.Key_F8)
        ticket = called.args[0]
        assert ticket is not None, "the queue ran dry before the day's end"
        if ticket.item_code:
            assert ticket.item_code == item.code
            self.stats.opened_by_ticket += 1
        else:
            self.key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
            assert w.search_edit.hasFocus()
            self.type(item.name, w.search_edit)
            self.key(Qt.Key.Key_Return, widget=w.search_edit)
            self.wait_until(lambda: w.tabs.count() > 0, 10000)  # built in that turn, shown in the next
            self.stats.opened_by_finder += 1
        form = w.tabs.currentWidget()
        assert form is not None and form.item.code == item.code, (n, item.code)
        self.fill(form, n)
        self.key(Qt.Key.Key_F10)
        self.wait_until(lambda: not form.is_saving(), 10000)  # 受理 runs on a worker (issue 13)
        assert form.last_case is not None, (item.code, form.message_label.text())
        self.stats.saved.append(form.last_case)
        self.stats.outcomes[form.last_case.status] = self.stats.outcomes.get(form.last_case.status, 0) + 1
        self.wait_until(lambda: form.last_document is not None)
        if self.print_every and n % self.print_every == 0:
            self.print_current()
        self.key(Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
        self.wait_until(lambda: w.tabs.count() == 0, 10000)

    def fill(self, form, n: int) -> None:
        """Walk the Enter chain from the first field to 受理: type into empty fields, Down for a drop-down, 1 for
        a question or a material (符合 / 已收取)."""
        specs = {f.key: f for f in form.item.fields}
        keys_by_widget = {id(widget): key for key, widget in form.field_widgets.items()}
        for _step in range(300):
            focused = QApplication.focusWidget()
            if focused is form.save_button:
                return
            key = keys_by_widget.get(id(focused))
            if isinstance(focused, QLineEdit) and key is not None:
                if not focused.text():
                    self.type(value_for(specs[key], n, self.today), focused)
            elif isinstance(focused, QComboBox) and key is not None:
                if not focused.currentText():
                    self.key(Qt.Key.Key_Down, widget=focused)
            elif isinstance(focused, QAbstractButton) and form.isAncestorOf(focused):
                self.key(Qt.Key.Key_1, widget=focused)
            else:
                raise AssertionError(f"focus left the form at step {_step}: {focused!r}")
            self.key(Qt.Key.Key_Return, widget=QApplication.focusWidget())
        raise AssertionError("the Enter chain never reached 受理")

    def print_current(self) -> None:
        keys = self.window.keys
        self.key(Qt.Key.Key_F11)
        dialog = keys.last_preview
        self.wait_until(lambda: dialog.print_button.isEnabled() and dialog.print_button.hasFocus(), 60000)
        with self.qtbot.waitSignal(dialog.printed, timeout=60000):
            self.key(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, widget=dialog.print_button)
        self.stats.printed += 1
        self.key(Qt.Key.Key_Escape, widget=dialog.print_button)
        self.wait_until(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), 10000)
        self.window.activateWindow()
        self.wait_until(lambda: QApplication.activeWindow() is self.window, 10000)
