"""城乡居民养老保险缴费情况 for the card holder: whether this year is paid, how many years are paid, the grade
(缴费档次) — answered by the centre (server/contributions.py); the last years as a short list."""
from __future__ import annotations

from ui.kiosk.pages.lookup import LookupPage
from PySide6.QtCore import QT_TRANSLATE_NOOP

SHOWN_YEARS = 3


class ContributionsPage(LookupPage):
    activity = "contributions"
    prompt = QT_TRANSLATE_NOOP("ContributionsPage", "城乡居民养老保险缴费查询。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("城乡居民养老保险缴费查询"))
        self.result = None
        self.add_back()
        self.show_text(self.tr("正在查询您的缴费情况…"))

    def entered(self) -> None:
        if self.result is None and not self.busy_now:
            online, ssn = self.services.online, self.person.ssn
            self.ask(lambda: online.resident_contributions(ssn), self.show_result,
                     failed=lambda exc: self.show_text(getattr(exc, "user_message", "") or self.tr("暂时查不到，请到窗口办理。"),
                                                       "error"))

    def show_result(self, r) -> None:
        self.result = r
        if not r.insured:
            self.show_lines([], headline=self.tr("未参加城乡居民养老保险"), headline_kind="title", detail=r.note)
            return
        if r.status == "参保缴费" or r.status == "暂停缴费":
            headline = self.tr("{0}年度：{1}").format(r.this_year, self.tr("已缴费") if r.this_year_paid else self.tr("未缴费"))
        else:
            headline = self.tr("参保状态：{0}").format(r.status)
        lines = [(self.tr("参保状态"), r.status), (self.tr("参保日期"), r.since or "—"),
                 (self.tr("累计缴费"), self.tr("{0} 年").format(r.years_paid)),
                 (self.tr("缴费档次"), r.last_grade_label or "—")]
        recent = list(r.years)[-SHOWN_YEARS:]
        if recent:
            lines.append((self.tr("近年缴费"),
                          "\n".join(self.tr("{0}年度　{1}　{2} 缴费").format(y.year, y.grade_label, y.paid_on)
                                             for y in reversed(recent))))
        self.show_lines(lines, headline=headline, detail=r.note)
        self.shell.voice.say(headline + self.tr("。"))
