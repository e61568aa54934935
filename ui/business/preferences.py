"""The operator's 常用 (favourite) and 最近办理 (recent) items: kept in memory, read and written off the GUI thread."""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from ui.bridge import run_in_thread

log = logging.getLogger(__name__)


class ItemPreferences(QObject):
    changed = Signal()

    def __init__(self, cases, operator_id: str, limit: int = 12, parent: QObject | None = None):
        super().__init__(parent)
        self.cases, self.operator_id, self.limit = cases, operator_id, limit
        self.favourites: list[str] = []
        self.recent: list[str] = []

    def load(self) -> None:
        cases, operator, limit = self.cases, self.operator_id, self.limit
        run_in_thread(lambda: cases.preferred_items(operator, limit), self._loaded,
                      lambda exc: log.warning("could not read preferred items: %r", exc), context=self)

    def _loaded(self, prefs) -> None:
        self.favourites, self.recent = list(prefs[0]), list(prefs[1])
        self.changed.emit()

    def is_favourite(self, code: str) -> bool:
        return code in self.favourites

    def set_favourite(self, code: str, favourite: bool) -> None:
        """Shown at once; persisted by CaseService.set_favourite on a worker."""
        if favourite and code not in self.favourites:
            self.favourites.append(code)
        elif not favourite and code in self.favourites:
            self.favourites.remove(code)
        cases, operator = self.cases, self.operator_id
        run_in_thread(lambda: cases.set_favourite(operator, code, favourite), None,
                      lambda exc: log.warning("favourite not saved: %r", exc), context=self)
        self.changed.emit()

    def opened(self, code: str) -> None:
        """An item screen was opened: it leads the recent list (persisted by CaseService.touch_item)."""
        cases, operator = self.cases, self.operator_id
        run_in_thread(lambda: cases.touch_item(operator, code), None,
                      lambda exc: log.warning("recent item not saved: %r", exc), context=self)
        self.note_used(code)

    def note_used(self, code: str) -> None:
        """Recent in memory only (CaseService.intake already recorded the use)."""
        if self.recent[:1] != [code]:
            self.recent = [code, *[c for c in self.recent if c != code]][:self.limit]
            self.changed.emit()
