from datetime import date

import pytest

from app.calendar import CalendarGap, load_calendar

CAL = load_calendar()


def test_three_working_days_from_the_day_before_national_day_2025():
    # received Tue 2025-09-30; 10-01..10-08 off; Thu 10-09, Fri 10-10, Sat 10-11 (调休上班)
    assert CAL.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_three_working_days_from_the_day_before_national_day_2026():
    assert CAL.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_spring_festival_2026_and_adjusted_saturdays():
    assert CAL.is_working_day(date(2026, 2, 14))  # Saturday worked
    assert not CAL.is_working_day(date(2026, 2, 16))  # Monday in the holiday
    # received Fri 2026-02-13: 02-14 (Sat, worked) is day 1, then 02-24 (Tue) day 2
    assert CAL.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_plain_weekend_and_year_boundary():
    assert CAL.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)  # 1-1..1-3 off, Sun 1-4 worked
    assert CAL.is_working_day(date(2026, 1, 4))  # Sunday worked in 2026


def test_year_without_calendar_is_flagged():
    with pytest.raises(CalendarGap) as err:
        CAL.add_working_days(date(2026, 12, 28), 5)
    assert err.value.year == 2027 and "2027年" in err.value.user_message


def test_twenty_working_days_and_counting_between():
    due = CAL.add_working_days(date(2025, 9, 15), 20)
    assert CAL.working_days_between(date(2025, 9, 15), due) == 20
    assert due == date(2025, 10, 17)  # counted by hand: 9-28 and 10-11 worked, 10-1..10-8 off
