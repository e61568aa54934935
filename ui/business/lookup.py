"""查询: fetches the applicant's central record off the GUI thread; drops answers for a number since changed."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal

from app.errors import NetworkUnavailable, YichuangError
from app.ids import InvalidIdNumber, normalize_id, parse_id_number
from ui.bridge import run_in_thread


class PersonLookup(QObject):
    found = Signal(str, object)  # number, person record (dict)
    message = Signal(str, str)  # text, state (busy / ok / error)
    busy_changed = Signal(bool)

    def __init__(self, api, current_number: Callable[[], str], parent: QObject | None = None, *,
                 audit: Callable[[str], None] | None = None):
        super().__init__(parent)
        self.api = api
        self.audit = audit  # records who looked at whom (000 §38–§41), before the data is fetched
        self._current = current_number
        self.running: str | None = None

    def start(self, raw: str, today, quiet: bool = False) -> bool:
        """Start a look-up; False (and, unless quiet, an error message) when the number is not valid."""
        try:
            number = parse_id_number(raw, today).number
        except InvalidIdNumber as exc:
            if not quiet:  # Enter on an unfinished number just moves on; the 受理 check will name the problem
                self.message.emit(exc.reason, "error")
            return False
        if self.running == number:
            return True  # the same look-up is already running
        self.running = number
        self.busy_changed.emit(True)
        self.message.emit(self.tr("正在查询中心系统…"), "busy")
        api, audit = self.api, self.audit

        def fetch():
            if audit is not None:
                audit(number)
            return api.person(number)
        run_in_thread(fetch, lambda person: self._done(number, person),
                      lambda exc: self._failed(number, exc), context=self)
        return True

    def _still_current(self, number: str) -> bool:
        self.running = None
        self.busy_changed.emit(False)
        return normalize_id(self._current()) == number  # the clerk typed another number meanwhile: stale

    def _done(self, number: str, person: dict) -> None:
        if self._still_current(number):
            self.found.emit(number, person or {})

    def _failed(self, number: str, exc: BaseException) -> None:
        if not self._still_current(number):
            return
        if isinstance(exc, NetworkUnavailable):
            text = self.tr("中心系统离线，请手工录入")
        elif isinstance(exc, YichuangError):
            text = exc.user_message.rstrip("。") + self.tr("，请手工录入")
        else:
            text = self.tr("查询失败，请手工录入")
        self.message.emit(text, "error")
