"""Working days and deadlines: China's public holidays and 调休 as yearly data files (resources/calendar/<year>.yaml)."""
from app.calendar.working_days import CalendarGap, WorkCalendar, load_calendar

__all__ = ["CalendarGap", "WorkCalendar", "load_calendar"]
