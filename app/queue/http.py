"""The reference queue back-end: the central API's /api/v1/queue endpoints (server/queue.py). Numbers are drawn
centrally, so every counter and kiosk of the hall shares one series per category and day."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from app.errors import NetworkUnavailable, ServerRejected
from app.queue.model import QueueError, Ticket, TicketStatus
from app.sync.client import CentralApi

log = logging.getLogger(__name__)


def ticket_from_json(data: dict[str, Any]) -> Ticket:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

    return Ticket(number=data["number"], category=data["category"], item_code=data.get("item_code"),
                  item_name=data.get("item_name"), issued_at=when(data.get("issued_at")),
                  status=TicketStatus(data["status"]), ticket_id=data["ticket_id"],
                  counter_no=data.get("counter_no"), operator_id=data.get("operator_id"),
                  called_at=when(data.get("called_at")), recalls=int(data.get("recalls") or 0),
                  case_id=data.get("case_id"))


class HttpQueueSystem:
    """QueueSystem over HTTP. `token_source()` gives the bearer token per call (the operator's after login, else the
    terminal's, as a kiosk has no operator); `item_names(code)` the catalog name sent with a ticket."""

    def __init__(self, api: CentralApi, token_source: Callable[[], str | None] | None = None,
                 item_names: Callable[[str], str | None] | None = None):
        self.api = api
        self.token_source = token_source
        self.item_names = item_names

    def close(self) -> None:
        self.api.close()

    def _call(self, method: str, path: str, body: dict | None = None, params: dict | None = None) -> dict:
        if self.token_source is not None:
            self.api.token = self.token_source()
        try:
            # CentralApi maps transport failures and the error envelope to typed, Chinese errors.
            return self.api._request(method, path, json=body, params=params).json()
        except NetworkUnavailable as exc:
            raise QueueError("无法连接叫号系统，请检查网络；可请群众稍候或按窗口顺序接待。", exc.detail) from None
        except ServerRejected as exc:
            raise QueueError(f"叫号系统拒绝了操作：{exc.user_message}", exc.detail, code=exc.code) from None

    def issue_ticket(self, category: str, item_code: str | None = None, ssn: str | None = None) -> Ticket:
        name = self.item_names(item_code) if (item_code and self.item_names) else None
        data = self._call("POST", "/api/v1/queue/tickets",
                          {"category": category, "item_code": item_code, "item_name": name, "ssn": ssn})
        return ticket_from_json(data)

    def call_next(self, counter_no: str, operator_id: str, categories: list[str] | None = None) -> Ticket | None:
        data = self._call("POST", "/api/v1/queue/next", {"counter_no": counter_no, "operator_id": operator_id,
                                                          "categories": list(categories) if categories else None})
        return ticket_from_json(data["ticket"]) if data.get("ticket") else None

    def recall(self, ticket: Ticket) -> Ticket:
        return ticket_from_json(self._call("POST", f"/api/v1/queue/tickets/{ticket.ticket_id}/recall", {}))

    def finish(self, ticket: Ticket, case_id: str | None = None) -> Ticket:
        return ticket_from_json(self._call("POST", f"/api/v1/queue/tickets/{ticket.ticket_id}/finish",
                                           {"case_id": case_id}))

    def skip(self, ticket: Ticket) -> Ticket:
        return ticket_from_json(self._call("POST", f"/api/v1/queue/tickets/{ticket.ticket_id}/skip", {}))

    def waiting(self, category: str | None = None) -> int:
        data = self._call("GET", "/api/v1/queue/waiting", params={"category": category} if category else None)
        return int(data["waiting"])
