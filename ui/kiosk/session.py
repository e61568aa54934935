"""One person's visit to the kiosk: who they are (from the card), what they did, and the clock that ends the visit
when they walk away. `KioskSession.wipe()` drops every reference to the person; the shell rebuilds its pages."""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.ids import mask_id_number

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")


@dataclass
class KioskPerson:
    name: str
    ssn: str  # 公民身份号码 = 社会保障号码
    source: str  # sscard / idcard
    gender: str = ""
    nation: str = ""
    birth_date: date | None = None
    address: str = ""  # 身份证住址 (户籍地址)
    problems: list[str] = field(default_factory=list)  # e.g. 证件已过有效期

    @property
    def masked_name(self) -> str:
        """乌* / 欧阳** : enough for the person to recognise, little for someone looking over the shoulder."""
        return self.name[:1] + "*" * (len(self.name) - 1) if self.name else ""

    @property
    def masked_ssn(self) -> str:
        return mask_id_number(self.ssn) if self.ssn else ""

    @property
    def card_label(self) -> str:
        return _translate("KioskPerson", "社保卡") if self.source == "sscard" else _translate("KioskPerson", "身份证")

    @classmethod
    def from_record(cls, record, source: str) -> "KioskPerson":
        """A devices.sscard SsCardRecord or devices.idcard IdCardRecord."""
        if source == "sscard":
            return cls(name=record.name or "", ssn=(record.ssn or "").upper(), source=source, gender=record.sex or "",
                       nation=record.nation or "", birth_date=record.birth_date)
        return cls(name=record.name, ssn=record.id_number.upper(), source=source, gender=record.sex,
                   nation=record.nation, birth_date=record.birth_date, address=record.address,
                   problems=[p.replace("，请提醒申请人换领", "，请先换领") for p in record.problems])


class KioskSession:
    """The state of one visit. Nothing here survives `wipe()`."""

    def __init__(self, person: KioskPerson | None):
        self.session_id = str(uuid.uuid4())
        self.person = person
        self.started = time.monotonic()
        self.case_ids: list[str] = []  # cases created in this visit (to rate them, 好差评)
        self.rated: set[str] = set()
        self.activities: list[str] = []  # what the visit did (server/service_ratings.py Activity), in order
        self.rating_offered = False  # 好差评 is asked once per visit
        self.rating_given = False
        self.scratch: dict[str, object] = {}  # page data: scans, typed phone number …
        self.active = True

    @property
    def anonymous(self) -> bool:
        return self.person is None

    def unrated(self) -> list[str]:
        return [c for c in self.case_ids if c not in self.rated]

    def did(self, activity: str) -> None:
        """Something was done for the person (a paper printed, a look-up answered, a card reported, a ticket
        taken): the visit ends with 好差评."""
        if activity not in self.activities:
            self.activities.append(activity)

    def wants_rating(self) -> bool:
        """Whether the end of this visit asks for 好差评: it did something, and was not asked yet."""
        return not self.rating_offered and not self.rating_given and bool(self.activities or self.unrated())

    def wipe(self) -> None:
        self.person = None
        self.case_ids.clear()
        self.rated.clear()
        self.activities.clear()
        for value in self.scratch.values():
            if isinstance(value, (bytearray,)):
                value[:] = b"\0" * len(value)
        self.scratch.clear()
        self.active = False


@dataclass(frozen=True)
class Timeouts:
    """Milliseconds. `page` is how long a page waits for a touch before asking "需要更多时间吗？"; `prompt` how long
    that question waits before the visit ends; `goodbye` how long the take-your-card page stays; `rating` how long
    the 好差评 page waits before it ends the visit without a rating."""

    page: int = 90_000
    form: int = 150_000  # pages where people type or place papers
    prompt: int = 20_000
    goodbye: int = 10_000
    admin: int = 60_000
    rating: int = 30_000  # the 好差评 page: unanswered, the visit ends (no "需要更多时间吗？" there)


class IdleGuard(QObject):
    """Per-page inactivity timer. The shell calls `arm(ms)` when a page is shown, `poke()` on every touch; after
    `expired` the shell asks; `prompt_expired` ends the visit."""

    expired = Signal()
    prompt_expired = Signal()
    prompt_tick = Signal(int)  # seconds left to answer

    def __init__(self, prompt_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self.prompt_ms = prompt_ms
        self._ms = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count)
        self._prompt_deadline = 0.0
        self.prompting = False

    def arm(self, ms: int) -> None:
        self.stop_prompt()
        self._ms = ms
        if ms > 0:
            self._timer.start(ms)
        else:
            self._timer.stop()

    def poke(self) -> None:
        if self._ms > 0 and not self.prompting:
            self._timer.start(self._ms)

    def disarm(self) -> None:
        self._ms = 0
        self._timer.stop()
        self.stop_prompt()

    def more_time(self) -> None:
        self.stop_prompt()
        if self._ms > 0:
            self._timer.start(self._ms)

    def stop_prompt(self) -> None:
        self.prompting = False
        self._tick.stop()

    @property
    def armed(self) -> bool:
        return self._timer.isActive() or self.prompting

    def _expire(self) -> None:
        self.prompting = True
        self._prompt_deadline = time.monotonic() + self.prompt_ms / 1000
        self._tick.start(min(1000, max(50, self.prompt_ms // 4)))
        self.expired.emit()
        self.prompt_tick.emit(self.seconds_left())

    def seconds_left(self) -> int:
        return max(0, int(round(self._prompt_deadline - time.monotonic())))

    def _count(self) -> None:
        if not self.prompting:
            return
        if time.monotonic() >= self._prompt_deadline:
            self.stop_prompt()
            self.prompt_expired.emit()
        else:
            self.prompt_tick.emit(self.seconds_left())
