"""好差评 at the end of a visit that did something (a case, a paper, a look-up, a ticket): five big answers, one tap,
or 不评价; unanswered, the visit ends after the shell's `timeouts.rating`."""
from __future__ import annotations

import logging

from PySide6.QtWidgets import QGridLayout

from app.errors import YichuangError
from ui.bridge import run_in_thread
from ui.kiosk.services import RATINGS
from ui.kiosk.widgets import KioskPage, button, label
from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


class RatingPage(KioskPage):
    timeout = "rating"
    prompt = QT_TRANSLATE_NOOP("RatingPage", "请您对本次服务进行评价。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("请您对本次服务进行评价"))
        self.body.addWidget(label(self.tr("您的评价会帮助我们改进服务（好差评）。"), "body", self))
        grid = QGridLayout()
        grid.setSpacing(24)
        self.buttons = {}
        for n, (value, text) in enumerate(RATINGS):
            b = button(text, "rate", self, lambda v=value: self.rate(v))
            self.buttons[value] = b
            grid.addWidget(b, 0, n)
        self.body.addLayout(grid)
        self.thanks = label("", "ok", self, center=True)
        self.thanks.hide()
        self.body.addWidget(self.thanks)
        self.body.addStretch(1)
        self.bar.addStretch(1)
        self.skip_button = button(self.tr("不评价，结束"), "", self, lambda: shell.finish("finish"))
        self.bar.addWidget(self.skip_button)

    def rate(self, value: int) -> None:
        session = self.shell.session
        if session is None or session.rating_given:
            return
        session.rating_given = True  # one rating per visit, whatever happens below
        cases, services = session.unrated(), self.shell.services
        visit_id, activities = session.session_id, list(session.activities)
        session.rated.update(cases)

        def store() -> None:  # on a worker (issue 13); a failed rating is logged, the person is thanked anyway
            for case_id in cases:
                try:
                    services.rate(case_id, value)
                except YichuangError as exc:
                    log.warning("kiosk rating not stored: %s", exc.detail)
            if not cases:  # a visit without a case: the visit itself is rated
                try:
                    services.rate_visit(visit_id, value, activities)
                except YichuangError as exc:
                    log.warning("kiosk visit rating not stored: %s", exc.detail)

        run_in_thread(store, None, lambda exc: log.error("kiosk rating failed: %r", exc))
        for b in self.buttons.values():
            b.setEnabled(False)
        self.thanks.setText(self.tr("感谢您的评价！"))
        self.thanks.show()
        self.shell.voice.say(self.tr("感谢您的评价。"))
        self.shell.finish_later("finish", 1500)
