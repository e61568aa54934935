"""The shape of a kiosk page that asks the centre something about the card holder: "正在查询…", then a card of
label/value lines (or a clear message why not), and a state line for what was just done. Used by the card status,
card loss, contributions and certificate pages."""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtWidgets import QGridLayout, QVBoxLayout

from ui.bridge import run_in_thread
from ui.kiosk.style import restyle
from ui.kiosk.widgets import KioskPage, card, clear_layout, label

log = logging.getLogger(__name__)


class LookupPage(KioskPage):
    """`self.result_box` is the card's layout; `show_lines` fills it; `say` sets the state line (kind: notice, error,
    ok); `ask(work, done)` runs a blocking call off the GUI thread with the shell's "请稍候" overlay."""

    activity: str | None = None  # what an answered call did for the visit (KioskSession.did → 好差评 at the end)

    def __init__(self, shell, title: str):
        super().__init__(shell, title)
        self.services = shell.services
        self.person = shell.session.person if shell.session else None
        self.result_card = card(self)
        self.result_box = QVBoxLayout(self.result_card)
        self.result_box.setContentsMargins(36, 28, 36, 28)
        self.result_box.setSpacing(14)
        self.body.addWidget(self.result_card)
        self.state = label("", "notice", self)
        self.state.hide()
        self.body.addWidget(self.state)
        self.body.addStretch(1)
        self.busy_now = False

    def clear_result(self) -> None:
        clear_layout(self.result_box)

    def show_lines(self, lines: list[tuple[str, str]], headline: str = "", headline_kind: str = "huge",
                   detail: str = "") -> None:
        self.clear_result()
        if headline:
            self.headline = label(headline, headline_kind, self.result_card)
            self.result_box.addWidget(self.headline)
        if detail:
            self.result_box.addWidget(label(detail, "body", self.result_card))
        if lines:
            grid = QGridLayout()
            grid.setHorizontalSpacing(30)
            grid.setVerticalSpacing(10)
            for r, (name, value) in enumerate(lines):
                grid.addWidget(label(name, "muted", self.result_card), r, 0)
                grid.addWidget(label(value, "body", self.result_card), r, 1)
            grid.setColumnStretch(1, 1)
            self.result_box.addLayout(grid)

    def show_text(self, text: str, kind: str = "body") -> None:
        self.clear_result()
        self.result_box.addWidget(label(text, kind, self.result_card))

    def say(self, text: str, kind: str = "notice") -> None:
        restyle(self.state, kind)
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def ask(self, work: Callable[[], Any], done: Callable[[Any], None], busy_text: str | None = None,
            failed: Callable[[BaseException], None] | None = None) -> None:
        self.busy_now = True
        self.shell.busy(busy_text or self.tr("正在查询，请稍候…"))

        def ok(result: Any) -> None:
            self.busy_now = False
            self.shell.unbusy()
            if self.activity and self.shell.session is not None:
                self.shell.session.did(self.activity)
            done(result)

        def bad(exc: BaseException) -> None:
            self.busy_now = False
            self.shell.unbusy()
            log.warning("kiosk %s failed: %s", type(self).__name__, getattr(exc, "detail", None) or repr(exc))
            if failed is not None:
                failed(exc)
            else:
                self.say(getattr(exc, "user_message", "") or self.tr("暂时无法办理，请到窗口办理。"), "error")

        run_in_thread(work, ok, bad, context=self)

