"""取号: a queue ticket for the counter, from the hall's 叫号 system (runtime.queue, app.queue.QueueSystem). The person
picks the kind of business (the hall's number series); the number is shown large on screen and printed on the receipt
printer. With a card the ticket carries the 社会保障号码 (the clerk sees who is coming); without one it is anonymous."""
from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtWidgets import QGridLayout

from app.clock import LOCAL_TZ
from app.queue import CATEGORIES
from ui.kiosk.pages.lookup import LookupPage
from ui.kiosk.widgets import Tile
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

log = logging.getLogger(__name__)


def ticket_slip(ticket, agency_name: str, waiting: int | None, terminal_id: str = ""):
    """The 取号凭条 on the receipt printer (app.docs.slip's ticket layout; no personal data on it)."""
    from app.docs.slip import QueueTicketSlip

    return QueueTicketSlip(agency_name=agency_name, number=ticket.number, business=ticket.business,
                           waiting_ahead=waiting, taken_at=ticket.issued_at or datetime.now(LOCAL_TZ),
                           note=_translate("PagesQueue", "请留意大厅叫号屏和语音叫号；过号请重新取号。"),
                           terminal=_translate("PagesQueue", "自助终端 {0}").format(terminal_id) if terminal_id else "")


class QueuePage(LookupPage):
    activity = "queue"
    prompt = QT_TRANSLATE_NOOP("QueuePage", "取号。请选择要办理的业务类别。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("取号"))
        self.ticket = None
        self.waiting: int | None = None
        self.paper = None  # the app.docs.slip.QueueTicketSlip sent to the receipt printer
        self.slip_text = ""
        self.show_text(self.tr("请选择要到窗口办理的业务类别："))
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self.tiles: dict[str, Tile] = {}
        portrait = shell.width() < shell.height()
        columns = 2 if portrait else 3
        for n, (code, name) in enumerate(CATEGORIES.items()):
            tile = Tile(name, self.tr("{0} 字头").format(code), self, lambda c=code: self.issue(c), compact=True)
            self.tiles[code] = tile
            self.grid.addWidget(tile, n // columns, n % columns)
        self.body.insertLayout(1, self.grid)
        if shell.session is not None and shell.session.anonymous:
            self.add_back(self.tr("结束"), lambda: shell.end_session("finish"))
        else:
            self.add_back()

    def issue(self, category: str) -> None:
        queue = self.shell.runtime.queue
        ssn = self.person.ssn if self.person is not None else None

        def work():
            ticket = queue.issue_ticket(category, None, ssn)
            try:
                waiting = max(0, queue.waiting(category) - 1)
            except Exception as exc:  # noqa: BLE001 - the count is a courtesy
                log.warning("queue waiting count failed: %r", exc)
                waiting = None
            return ticket, waiting

        self.ask(work, self._issued, busy_text=self.tr("正在取号，请稍候…"))

    def _issued(self, result) -> None:
        self.ticket, self.waiting = result
        for tile in self.tiles.values():
            tile.hide()
        ahead = self.tr("前面还有 {0} 人等候。").format(self.waiting) if self.waiting is not None else ""
        self.show_lines([(self.tr("业务类别"), self.ticket.business)], headline=self.ticket.number, headline_kind="giant",
                        detail=self.tr("您的排队号。{0}请留意大厅叫号屏和语音叫号。").format(ahead))
        self.shell.voice.say(self.tr("您的排队号是 {0}。").format(self.ticket.number))
        self._print()

    def _print(self) -> None:
        from ui.bridge import run_in_thread

        from app.docs.slip import print_ticket
        from devices.base import DeviceKind
        from ui.kiosk.services import printer_check

        check = printer_check(self.shell.runtime, DeviceKind.receipt_printer)
        if not check.ready:
            self.slip_text = self.tr("凭条打印机缺纸或故障，未能打印：请记下屏幕上的排队号。")
            self.say(self.slip_text, "error")
            return
        terminal = self.shell.runtime.settings.terminal
        self.paper = slip = ticket_slip(self.ticket, terminal.agency_name, self.waiting, terminal.terminal_id)
        printer = self.shell.runtime.devices.receipt_printer

        def printed(_result) -> None:
            self.slip_text = self.tr("排队凭条已打印，请取走。")
            self.say(self.slip_text, "ok")

        def failed(exc: BaseException) -> None:
            log.warning("queue ticket slip not printed: %r", exc)
            self.slip_text = self.tr("凭条未能打印：请记下屏幕上的排队号。")
            self.say(self.slip_text, "error")

        run_in_thread(lambda: print_ticket(slip, printer), printed, failed, context=self)
