"""The operator's 常用 (favourite) and 最近办理 (recent) items: kept in memory, read and written off the GUI thread."""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from ui.bridge import run_in_thread

log = logging.getLogger(__name__)
TOUCH_DELAY_MS = 1500


class ItemPreferences(QObject):
    changed = Signal()  # favourites (or everything, after load) changed: show it now
    recent_changed = Signal()  # only the order of 最近办理: a glance, the window may refresh it when idle

    def __init__(self, cases, operator_id: str, limit: int = 12, parent: QObject | None = None):
        super().__init__(parent)
        self.cases, self.operator_id, self.limit = cases, operator_id, limit
        self.favourites: list[str] = []
        self.recent: list[str] = []
        self._touched: list[str] = []  # opened, not yet persisted
        self._edits: dict[str, bool] = {}  # favourite changes made before the stored list arrived (load is async)
        self._loaded_once = False
        self._touch_timer = QTimer(self)
        self._touch_timer.setSingleShot(True)
        self._touch_timer.setInterval(TOUCH_DELAY_MS)
        self._touch_timer.timeout.connect(self._persist_touched)

    def load(self) -> None:
        cases, operator, limit = self.cases, self.operator_id, self.limit
        run_in_thread(lambda: cases.preferred_items(operator, limit), self._loaded,
                      lambda exc: log.warning("could not read preferred items: %r", exc), context=self)

    def _loaded(self, prefs) -> None:
        """The stored lists, with what the clerk did while they were being read kept on top (a quick Ctrl+D or an
        opened item right after login must not be undone by the slower read)."""
        favourites = [c for c in prefs[0] if self._edits.get(c, True)]
        favourites += [c for c, on in self._edits.items() if on and c not in favourites]
        recent = [*self.recent, *[c for c in prefs[1] if c not in self.recent]][:self.limit]
        self.favourites, self.recent = favourites, recent
        self._edits.clear()
        self._loaded_once = True
        self.changed.emit()

    def is_favourite(self, code: str) -> bool:
        return code in self.favourites

    def set_favourite(self, code: str, favourite: bool) -> None:
        """Shown at once; persisted by CaseService.set_favourite on a worker."""
        if not self._loaded_once:
            self._edits[code] = favourite
        if favourite and code not in self.favourites:
            self.favourites.append(code)
        elif not favourite and code in self.favourites:
            self.favourites.remove(code)
        cases, operator = self.cases, self.operator_id
        run_in_thread(lambda: cases.set_favourite(operator, code, favourite), None,
                      lambda exc: log.warning("favourite not saved: %r", exc), context=self)
        self.changed.emit()

    def opened(self, code: str) -> None:
        """An item screen was opened: it leads the recent list (persisted by CaseService.touch_item a moment later:
        issue 13, the write's Python work would share Python's lock with the GUI thread laying out the new screen)."""
        self._touched.append(code)
        self._touch_timer.start()
        self.note_used(code)

    def _persist_touched(self) -> None:
        codes, self._touched = self._touched, []
        cases, operator = self.cases, self.operator_id

        def write() -> None:
            for code in codes:
                cases.touch_item(operator, code)

        run_in_thread(write, None, lambda exc: log.warning("recent item not saved: %r", exc), context=self)

    def note_used(self, code: str) -> None:
        """Recent in memory only (CaseService.intake already recorded the use)."""
        if self.recent[:1] != [code]:
            self.recent = [code, *[c for c in self.recent if c != code]][:self.limit]
            self.recent_changed.emit()
