"""Counts working days across public holidays and adjusted working days (调休). A year without a loaded calendar is
an error (CalendarGap), never silently computed on weekends alone (../shared/notes/domain.md)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import yaml

from app.errors import YichuangError


class CalendarGap(YichuangError):
    code = "calendar_missing"

    def __init__(self, year: int):
        super().__init__(f"尚未导入{year}年的节假日安排，无法准确计算工作日期限，请联系管理员更新日历数据。",
                         f"no holiday calendar for {year}")
        self.year = year


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days worked by 调休
    years: frozenset[int]

    def _check(self, day: date) -> None:
        if day.year not in self.years:
            raise CalendarGap(day.year)

    def is_working_day(self, day: date) -> bool:
        self._check(day)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The deadline of a limit of `days` working days for something received on `start`: the day received does
        not count (期间开始之日不计算在期间内), counting starts the next working day."""
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n += 1
        return n

    @staticmethod
    def add_calendar_days(start: date, days: int) -> date:
        return start + timedelta(days=days)


def _dir() -> Path:
    return Path(str(resources.files("resources") / "calendar"))


def load_calendar(directory: Path | None = None) -> WorkCalendar:
    holidays: set[date] = set()
    workdays: set[date] = set()
    years: set[int] = set()
    for path in sorted((directory or _dir()).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        year = int(data["year"])
        years.add(year)
        for h in data.get("holidays", []):
            d = h["from"]
            while d <= h["to"]:
                holidays.add(d)
                d += timedelta(days=1)
        workdays.update(data.get("workdays", []))
        bad = [d for d in holidays | workdays if d.year != year and d.year not in years]
        if bad:
            raise YichuangError("节假日数据有误。", f"{path}: dates outside year {year}: {bad[:3]}")
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(years))
