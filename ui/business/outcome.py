"""What the clerk reads after 受理: one sentence per outcome (受理/办结, 一次性告知补正, 不予受理) and its colour."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.cases.service import IntakeOutcome, IntakeResult
from app.docs.text import format_cn_day
from app.workflow.machine import Status

_STATES = {IntakeOutcome.accepted: "ok", IntakeOutcome.correction: "warn", IntakeOutcome.refused: "error"}


_translate = QCoreApplication.translate  # lupdate reads _translate("Outcome", "…")


def promise_text(item, due) -> str:
    if due is not None:
        return _translate("Outcome", "承诺办结日期 {0}").format(format_cn_day(due))
    return _translate("Outcome", "承诺时限：{0}").format(item.time_limit_promised.label())


def accepted_text(case, item, due) -> str:
    head = _translate("Outcome", "已办结") if case.status == Status.completed.value else _translate("Outcome", "已受理")
    return _translate("Outcome", "{0}，受理编号 {1}，{2}。").format(head, case.case_no, promise_text(item, due))


def _paper(result: IntakeResult) -> str:
    return {IntakeOutcome.accepted: _translate("Outcome", "受理回执"),
            IntakeOutcome.correction: _translate("Outcome", "一次性告知书"),
            IntakeOutcome.refused: _translate("Outcome", "不予受理通知书")}[result.outcome]


def outcome_message(result: IntakeResult, document: str, reason: str = "") -> tuple[str, str]:
    """(text, state) for the message line; `document` is pending, ready or failed (with `reason`)."""
    case, item, paper = result.case, result.item, _paper(result)
    if document == "failed":
        tail = _translate("Outcome", "但{0}生成失败：{1}").format(paper, reason)
    elif document == "ready":
        tail = _translate("Outcome", "{0}已生成，请打开打印交申请人。").format(paper)
    else:
        tail = _translate("Outcome", "正在生成{0}…").format(paper)
    state = "error" if document == "failed" else _STATES[result.outcome]
    if result.outcome is IntakeOutcome.accepted:
        return accepted_text(case, item, result.deadline.due if result.deadline else None) + tail, state
    if result.outcome is IntakeOutcome.correction:
        head = (_translate("Outcome", "材料不齐，已生成一次性告知书") if document == "ready"
                else _translate("Outcome", "材料不齐，一次性告知补正"))
        names = _translate("Outcome", "、").join(m.name for m in result.missing)
        text = _translate("Outcome", "{0}（受理编号 {1}，待补正）。缺：{2}。").format(head, case.case_no, names)
        return text + ("" if document == "ready" else tail), state
    reasons = _translate("Outcome", "；").join(
        _translate("Outcome", "{0}（{1}）").format(r.condition.text, r.reason) if r.reason else r.condition.text
        for r in result.reasons)
    text = _translate("Outcome", "不予受理（受理编号 {0}）。理由：{1}。").format(case.case_no, reasons)
    return text + tail, state


def locked_button_text(result: IntakeResult) -> str:
    return {IntakeOutcome.accepted: _translate("Outcome", "已受理"),
            IntakeOutcome.correction: _translate("Outcome", "已告知补正"),
            IntakeOutcome.refused: _translate("Outcome", "不予受理")}[result.outcome]
