"""The hall queue's vocabulary: a ticket (取号凭条), its states, the categories of the hall's number series, and the
`QueueSystem` protocol every back-end implements (the reference server, the local fallback, a vendor's system)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Protocol, runtime_checkable

from app.errors import YichuangError


class TicketStatus(str, Enum):
    waiting = "waiting"  # 等候
    called = "called"  # 已叫号（含重呼）
    finished = "finished"  # 已办结
    skipped = "skipped"  # 过号

    @property
    def label(self) -> str:
        return {"waiting": "等候中", "called": "已叫号", "finished": "已办结", "skipped": "过号"}[self.value]


# The hall's number series (号段): a letter per kind of business, so the lobby screen and the kiosk can group them.
CATEGORIES: dict[str, str] = {
    "A": "参保登记与缴费申报",
    "B": "养老保险",
    "C": "工伤与失业保险",
    "D": "社保卡与证明打印",
    "E": "就业创业",
    "F": "综合业务",
}
_GROUP_CATEGORY = {  # app.catalog.model.Group values → series
    "社会保险登记": "A", "社会保险费申报": "A", "养老保险": "B", "工伤保险": "C", "失业保险": "C",
    "社会保障卡": "D", "证明查询打印": "D", "就业创业": "E", "其他": "F",
}
DEFAULT_CATEGORY = "F"


def category_for_item(item) -> str:
    """The series a catalog item's tickets are drawn from (by its group)."""
    group = getattr(getattr(item, "group", None), "value", None)
    return _GROUP_CATEGORY.get(group or "", DEFAULT_CATEGORY)


def category_label(category: str) -> str:
    return CATEGORIES.get(category, category)


def format_number(category: str, seq: int) -> str:
    """A012: the series letter and a three-digit sequence of the day (four digits past 999)."""
    return f"{category}{seq:03d}"


class QueueError(YichuangError):
    """The queue system refused or could not be reached; `user_message` tells the clerk what to do."""

    code = "queue_error"


@dataclass(frozen=True)
class Ticket:
    number: str  # A012
    category: str  # A
    item_code: str | None = None  # the business the citizen chose at the kiosk, when known
    item_name: str | None = None
    issued_at: datetime | None = None
    status: TicketStatus = TicketStatus.waiting
    ticket_id: str = ""  # the back-end's identifier (a UUID for the reference implementations)
    counter_no: str | None = None  # 窗口号 that called it
    operator_id: str | None = None
    called_at: datetime | None = None
    recalls: int = 0
    case_id: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def category_name(self) -> str:
        return category_label(self.category)

    @property
    def business(self) -> str:
        """What the status area shows beside the number: the chosen item, else the series."""
        return self.item_name or self.category_name

    def with_status(self, status: TicketStatus, **changes) -> "Ticket":
        return replace(self, status=status, **changes)


@runtime_checkable
class QueueSystem(Protocol):
    """The hall's queue system as the counter and the kiosk see it. Calls may block (network): run them off the
    GUI thread. Failures raise QueueError (or another YichuangError) with a Chinese message."""

    def issue_ticket(self, category: str, item_code: str | None = None, ssn: str | None = None) -> Ticket:
        """取号: a new waiting ticket with the next number of the category's series today."""

    def call_next(self, counter_no: str, operator_id: str, categories: list[str] | None = None) -> Ticket | None:
        """叫号: the longest-waiting ticket of the given series (all when None), now called to this counter;
        None when nobody waits. Two counters calling at once never get the same ticket."""

    def recall(self, ticket: Ticket) -> Ticket:
        """重呼: announce the ticket again (a skipped ticket comes back to this counter)."""

    def finish(self, ticket: Ticket, case_id: str | None = None) -> Ticket:
        """办结: the citizen was served (optionally naming the case opened for them)."""

    def skip(self, ticket: Ticket) -> Ticket:
        """过号: the citizen did not come to the counter."""

    def waiting(self, category: str | None = None) -> int:
        """How many tickets wait (in one series, or in all)."""
