"""Calendar months (年月) as values: ordering, arithmetic, parsing of “2025-02” / “202502” / “2025年2月”."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?\s*$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> "Month":
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def parse(cls, text: str) -> "Month":
        raw = str(text).strip()
        if len(raw) == 6 and raw.isdigit():
            return cls(int(raw[:4]), int(raw[4:]))
        m = _MONTH.match(raw)
        if not m:
            raise ValueError(f"not a month: {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    def __add__(self, months: int) -> "Month":
        return Month.from_index(self.index + int(months))

    def __sub__(self, other):
        if isinstance(other, Month):
            return self.index - other.index
        return Month.from_index(self.index - int(other))

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def cn(self) -> str:
        return f"{self.year}年{self.month}月"


def months_inclusive(start: Month, end: Month) -> int:
    """Months from start to end, both counted (2020-01 … 2020-12 → 12); 0 when end is before start."""
    return max(0, end - start + 1)


def overlap(a: tuple[Month, Month], b: tuple[Month, Month]) -> tuple[Month, Month] | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None


def age_years(birth: date, on: date) -> int:
    """周岁 on a day (a birthday counts from the day itself), as app.ids.IdFacts.age_on."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def fmt_age(months: int) -> str:
    years, rest = divmod(int(months), 12)
    return f"{years}周岁" + (f"{rest}个月" if rest else "")


def fmt_years(months: int) -> str:
    years, rest = divmod(int(months), 12)
    if not rest:
        return f"{years}年"
    return f"{years}年{rest}个月" if years else f"{rest}个月"
