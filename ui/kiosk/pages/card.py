"""社会保障卡应用状态查询 (004:L4826) and 社会保障卡临时挂失 / 解挂 (004:L5118) for the card holder of the visit.

The kiosk does only the temporary loss report and its release (人社自助一体机做…临时挂失与解挂, 004:L5148). Before a
loss report is sent, the page says plainly that a 正式挂失 cannot be undone and is done at the bank counter
(004:L5180), and asks for a confirmation on a separate step."""
from __future__ import annotations

from ui.kiosk.pages.lookup import LookupPage
from ui.kiosk.widgets import button, label
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

FORMAL_WARNING = QT_TRANSLATE_NOOP("CardLossPage", "注意：本机只办理临时挂失。正式挂失不能在本机办理，正式挂失后社保卡不能解挂（004:L5180），"
                  "须本人持身份证到合作银行网点办理并补领新卡。")  # shown through self.tr


def _card_lines(status) -> list[tuple[str, str]]:
    return [(_translate("PagesCard", "社保卡卡号"), status.card_no_masked), (_translate("PagesCard", "发卡银行"), status.bank),
            (_translate("PagesCard", "发卡日期"), status.issued_on)]


class CardStatusPage(LookupPage):
    activity = "card_status"
    prompt = QT_TRANSLATE_NOOP("CardStatusPage", "社保卡状态查询。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("社保卡状态查询"))
        self.status = None
        self.add_back()
        self.loss_button = button(self.tr("临时挂失"), "", self, lambda: shell.open_service("card_loss"))
        self.loss_button.setProperty("wide", True)
        self.loss_button.hide()
        self.bar.addWidget(self.loss_button)
        self.release_button = self.add_primary(self.tr("解挂"), self.confirm_release)
        self.release_button.hide()
        self.show_text(self.tr("正在查询您的社保卡状态…"))

    def entered(self) -> None:
        if self.status is None and not self.busy_now:
            self.refresh()

    def refresh(self) -> None:
        online, ssn = self.services.online, self.person.ssn
        self.ask(lambda: online.card_status(ssn), self.show_status,
                 failed=lambda exc: self.show_text(getattr(exc, "user_message", "") or self.tr("暂时查不到，请到窗口办理。"),
                                                   "error"))

    def show_status(self, status) -> None:
        self.status = status
        self.show_lines(_card_lines(status), headline=self.tr("卡状态：{0}").format(status.state_label),
                        detail=status.explanation)
        self.release_button.setVisible(status.can_release)
        self.loss_button.setVisible(status.can_report_temporary)
        self.shell.voice.say(self.tr("您的社保卡状态：{0}。").format(status.state_label))

    def confirm_release(self) -> None:
        self.shell.overlay.open("confirm", self.tr("确认解挂吗？"), self.tr("解挂后，您的社保卡社保功能恢复使用。"),
                                [(self.tr("确认解挂"), "primary", self.release),
                                 (self.tr("不解挂"), "", self.shell.overlay.close_overlay)])

    def release(self) -> None:
        self.shell.overlay.close_overlay()
        online, ssn = self.services.online, self.person.ssn
        self.ask(lambda: online.release_loss(ssn), self._released, busy_text=self.tr("正在解挂，请稍候…"))

    def _released(self, change) -> None:
        self.say(self.tr("解挂成功。{0}").format(change.explanation), "ok")
        self.shell.voice.say(self.tr("解挂成功。"))
        self.release_button.hide()
        self.status = None
        self.refresh()


class CardLossPage(LookupPage):
    activity = "card_loss"
    prompt = QT_TRANSLATE_NOOP("CardLossPage", "社保卡临时挂失。请先阅读说明。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("社保卡临时挂失"))
        self.status = None
        self.reported = None
        self.intro = label(self.tr("临时挂失后，您的社保卡社保功能立即暂停使用，防止他人冒用。\n"
                                   "找到卡后，可以在本机、窗口或手机 app 解挂，恢复使用。"), "body", self)
        self.body.insertWidget(0, self.intro)
        self.warning = label(self.tr(FORMAL_WARNING), "notice", self)
        self.body.insertWidget(1, self.warning)
        self.add_back()
        self.report_button = self.add_primary(self.tr("我要临时挂失"), self.confirm)
        self.report_button.hide()
        self.show_text(self.tr("正在查询您的社保卡状态…"))

    def entered(self) -> None:
        if self.status is None and not self.busy_now and self.reported is None:
            online, ssn = self.services.online, self.person.ssn
            self.ask(lambda: online.card_status(ssn), self.show_status,
                     failed=lambda exc: self.show_text(getattr(exc, "user_message", "") or self.tr("暂时查不到，请到窗口办理。"),
                                                       "error"))

    def show_status(self, status) -> None:
        self.status = status
        self.show_lines(_card_lines(status), headline=self.tr("卡状态：{0}").format(status.state_label),
                        headline_kind="title",
                        detail="" if status.can_report_temporary else status.explanation)
        self.report_button.setVisible(status.can_report_temporary)
        if not status.can_report_temporary:
            self.say(self.tr("这张卡现在不能临时挂失。") + (self.tr("如已找到卡，可在“社保卡状态查询”中解挂。") if status.can_release else ""))

    def confirm(self) -> None:
        """The confirmation step: what happens, and that this is the temporary loss, not the formal one."""
        number = self.status.card_no_masked if self.status else ""
        self.shell.overlay.open("confirm", self.tr("确认临时挂失吗？"),
                                self.tr("将临时挂失您的社保卡（卡号 {0}）。挂失后社保功能暂停使用，找到卡后可以解挂。\n"
                                        "正式挂失请到合作银行网点办理，正式挂失后不能解挂。").format(number),
                                [(self.tr("确认临时挂失"), "danger", self.report),
                                 (self.tr("不挂失"), "", self.shell.overlay.close_overlay)])
        self.shell.voice.say(self.tr("确认临时挂失吗？"))

    def report(self) -> None:
        self.shell.overlay.close_overlay()
        online, ssn = self.services.online, self.person.ssn
        self.ask(lambda: online.report_temporary_loss(ssn), self._reported, busy_text=self.tr("正在挂失，请稍候…"))

    def _reported(self, change) -> None:
        self.reported = change
        self.report_button.hide()
        self.show_lines([], headline=self.tr("已{0}").format(change.state_label), detail=change.explanation)
        self.say(self.tr("临时挂失已生效。找到卡后，可在本机“社保卡状态查询”中解挂。"), "ok")
        self.shell.voice.say(self.tr("临时挂失已生效。"))
