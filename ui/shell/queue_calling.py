"""下一位 at the counter: calls the hall queue's next ticket off the GUI thread (finishing the one being served),
shows the number and its business in the status area, and opens that item's screen when the ticket names one.
重呼 (recall) and 过号 (skip) act on the current ticket. The queue back-end is runtime.queue (app.queue)."""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel

from app.errors import YichuangError
from app.queue.model import Ticket, TicketStatus
from ui.bridge import run_in_thread
from ui.style import set_state

log = logging.getLogger(__name__)


_translate = QCoreApplication.translate  # lupdate reads _translate("QueueCalling", "…")


class QueueCalling(QObject):
    ticket_changed = Signal(object)  # Ticket | None
    call_finished = Signal(object)  # Ticket | None, after each 下一位 once its screen shows (tests wait on it)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.queue = window.runtime.queue
        cfg = window.runtime.settings.queue
        self.counter_no = cfg.counter_no
        self.categories = list(cfg.categories) or None
        self.current: Ticket | None = None
        self.case_id: str | None = None  # the case accepted for the current ticket, reported when it is finished
        self.waiting: int | None = None
        self.busy = False
        self.label = QLabel()
        self.label.setObjectName("queueLabel")
        self.label.setProperty("role", "status")
        self.label.setAccessibleName(_translate("QueueCalling", "叫号状态"))
        self._show()

    # -- actions ---------------------------------------------------------------------------------------------------
    def call_next(self) -> None:
        """下一位 (F8)."""
        if self.busy:
            return
        if self.queue is None:
            self._say(_translate("QueueCalling", "本窗口未启用叫号系统（配置 [queue] backend），请按顺序接待群众。"), "warn")
            self.call_finished.emit(None)
            return
        queue, current, case_id = self.queue, self.current, self.case_id
        operator = self.window.session.operator_id
        counter, categories = self.counter_no, self.categories

        def job():
            if current is not None and current.status is TicketStatus.called:
                try:
                    queue.finish(current, case_id)
                except YichuangError as exc:  # finished elsewhere or a stale ticket: calling the next still works
                    log.warning("queue finish of the served ticket failed: %s", exc.detail)
            ticket = queue.call_next(counter, operator, categories)
            return ticket, queue.waiting()

        self._start(_translate("QueueCalling", "正在叫号…"))
        run_in_thread(job, self._called, self._failed, context=self)

    def recall(self) -> None:
        """重呼 (Shift+F8)."""
        self._act(lambda q, t: q.recall(t), _translate("QueueCalling", "正在重呼…"))

    def skip(self) -> None:
        """过号 (Ctrl+F8)."""
        self._act(lambda q, t: q.skip(t), _translate("QueueCalling", "正在过号…"))

    def note_case(self, case) -> None:
        """A case was accepted while this ticket is served: reported with 办结 of the ticket."""
        if self.current is not None:
            self.case_id = case.case_id

    # -- results ---------------------------------------------------------------------------------------------------
    def _act(self, fn, busy_text: str) -> None:
        if self.busy:
            return
        if self.queue is None or self.current is None:
            self._say(_translate("QueueCalling", "当前没有正在接待的号码，请先按 F8 叫号。"), "warn")
            return
        queue, ticket = self.queue, self.current
        self._start(busy_text)
        run_in_thread(lambda: fn(queue, ticket), self._changed, self._failed, context=self)

    def _start(self, text: str) -> None:
        self.busy = True
        self.label.setText(text)
        set_state(self.label, state="busy")

    def _called(self, result) -> None:
        ticket, waiting = result
        self.busy = False
        self.waiting = waiting
        self.current, self.case_id = ticket, None
        self._show()
        self.ticket_changed.emit(ticket)
        if ticket is None:
            self._say(_translate("QueueCalling", "当前无人等候。"), "ok")
        else:
            self._say(_translate("QueueCalling", "请 {0} 号到 {1} 号窗口办理：{2}").format(ticket.number, self.counter_no,
                                                                                  ticket.business),
                      "ok")
            catalog = self.window.runtime.catalog
            if ticket.item_code and ticket.item_code in catalog:  # call_finished once the screen is shown
                self.window.open_item(ticket.item_code, soon=True, then=lambda _form: self.call_finished.emit(ticket))
                return
            self.window.focus_search()
        self.call_finished.emit(ticket)

    def _changed(self, ticket: Ticket) -> None:
        self.busy = False
        if ticket.status is TicketStatus.skipped:
            self._say(_translate("QueueCalling", "{0} 已过号，按 F8 叫下一位。").format(ticket.number), "warn")
            self.current, self.case_id = None, None
        else:
            self.current = ticket
            self._say(_translate("QueueCalling", "已重呼 {0}（第 {1} 次）").format(ticket.number, ticket.recalls), "ok")
        self._show()
        self.ticket_changed.emit(self.current)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self._show()
        self._say(getattr(exc, "user_message", None) or _translate("QueueCalling", "叫号失败：系统内部错误，请按顺序接待群众并联系管理员。"),
                  "error")
        set_state(self.label, state="error")
        self.call_finished.emit(None)

    def _show(self) -> None:
        if self.queue is None:
            text, state = _translate("QueueCalling", "叫号：未启用"), "unknown"
        elif self.current is None:
            text, state = _translate("QueueCalling", "叫号：按 F8 叫下一位"), "unknown"
        else:
            text, state = _translate("QueueCalling", "当前 {0}｜{1}").format(self.current.number,
                                                                          self.current.business), "ok"
        if self.waiting is not None and self.queue is not None:
            text += _translate("QueueCalling", "｜等候 {0} 人").format(self.waiting)
        self.label.setText(text)
        self.label.setToolTip(_translate("QueueCalling", "下一位 F8，重呼 Shift+F8，过号 Ctrl+F8"))
        set_state(self.label, state=state)

    def _say(self, text: str, state: str) -> None:
        self.window.statusBar().showMessage(text, 10000)
        log.info("queue: %s", {"ok": "called", "warn": "notice", "error": "failed"}.get(state, state))
