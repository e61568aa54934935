"""Reports of certification (pure; the server fills them from its tables, the terminal from what it recorded).

Yearly 资格认证报告书 [002 §26]: who was certified, who was not and why — it cannot be submitted while any uncertified
person lacks a reason, and a warning is raised when it is not submitted by the due date (11-30).
Monthly death/custody report [001 ch5 L74; 002 §27]: name, ID number, date of death (or custody), how it was learnt."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from app.certification.rules import (LIST_LABELS, LOSS_LABELS, METHOD_LABELS, MONTHLY_REPORT_KINDS, RULES, LossKind,
                                     Pensioner, ResultList, RuleBook, classify, report_due_date)


@dataclass(frozen=True)
class ReportRow:
    ssn: str
    name: str
    status: str  # 已认证 / 未认证 / 丧失资格
    detail: str  # method and date, or the reason
    reason: str = ""  # uncertified: why (required before submission)


@dataclass
class YearlyReport:
    region: str
    year: int
    as_of: date
    due: date | None
    certified: list[ReportRow] = field(default_factory=list)
    uncertified: list[ReportRow] = field(default_factory=list)
    lost: list[ReportRow] = field(default_factory=list)
    submitted: bool = False
    citation: str = "002 §26"

    @property
    def missing_reasons(self) -> list[ReportRow]:
        return [r for r in self.uncertified if not r.reason.strip()]

    @property
    def submittable(self) -> bool:
        return not self.missing_reasons

    @property
    def overdue(self) -> bool:
        return bool(self.due) and not self.submitted and self.as_of > self.due

    def warnings(self) -> list[str]:
        out = []
        if self.overdue:
            out.append(f"{self.year}年度资格认证报告书应于{self.due.isoformat()}前报送，现已逾期（002 §26）")
        elif self.due and not self.submitted and 0 <= (self.due - self.as_of).days <= 14:
            out.append(f"{self.year}年度资格认证报告书应于{self.due.isoformat()}前报送，还剩{(self.due - self.as_of).days}天")
        if self.missing_reasons:
            out.append(f"有{len(self.missing_reasons)}名未认证人员未填写原因，报告书不能报送")
        return out

    def to_dict(self) -> dict:
        def rows(rs):
            return [r.__dict__ for r in rs]

        return {"region": self.region, "year": self.year, "as_of": self.as_of.isoformat(),
                "due": self.due.isoformat() if self.due else None, "submitted": self.submitted,
                "overdue": self.overdue, "submittable": self.submittable, "warnings": self.warnings(),
                "citation": self.citation, "certified": rows(self.certified), "uncertified": rows(self.uncertified),
                "lost": rows(self.lost)}


def yearly_report(people: Iterable[Pensioner], *, region: str, year: int, as_of: date,
                  reasons: dict[str, str] | None = None, submitted: bool = False,
                  rules: RuleBook = RULES) -> YearlyReport:
    """Certified / uncertified (with reason) / lost for one region and year. A reason typed for a person
    (`reasons`) wins over the one known from the last visit (not found, moved, …)."""
    reasons = reasons or {}
    rule = rules.rule_for(region)
    report = YearlyReport(region, year, as_of, report_due_date(rule, year), submitted=submitted,
                          citation=rule.report_citation or "002 §26")
    for p in people:
        c = classify(p, year, as_of, rules)
        if c.list is ResultList.eligible:
            report.certified.append(ReportRow(p.ssn, p.name, "已认证", c.reason))
        elif c.list is ResultList.lost:
            report.lost.append(ReportRow(p.ssn, p.name, LIST_LABELS[c.list], c.reason, c.reason))
        else:
            reason = reasons.get(p.ssn) or p.unverified_reason
            report.uncertified.append(ReportRow(p.ssn, p.name, "未认证", c.reason, reason or ""))
    for rows in (report.certified, report.uncertified, report.lost):
        rows.sort(key=lambda r: r.ssn)
    return report


def yearly_csv(report: YearlyReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([f"{report.year}年度待遇领取资格认证报告书", report.region, f"截至{report.as_of.isoformat()}"])
    w.writerow(["类别", "姓名", "社会保障号码", "情况", "未认证原因"])
    for label, rows in (("已认证", report.certified), ("未认证", report.uncertified), ("丧失资格", report.lost)):
        for r in rows:
            w.writerow([label, r.name, r.ssn, r.detail, r.reason])
    return buf.getvalue()


@dataclass(frozen=True)
class LossRow:
    name: str
    ssn: str
    kind: str
    kind_label: str
    on: str  # date of death / custody
    source: str  # field / counter / comparison
    recorded_on: str


def monthly_loss_report(events: Iterable[dict], month: str) -> list[LossRow]:
    """Deaths and custody learnt in `month` (YYYY-MM); one row per person and kind (the earliest report wins)."""
    seen: dict[tuple[str, str], LossRow] = {}
    for e in events:
        kind = LossKind(e["kind"])
        if kind not in MONTHLY_REPORT_KINDS or not str(e.get("recorded_on", "")).startswith(month):
            continue
        key = (e["ssn"], kind.value)
        row = LossRow(e["name"], e["ssn"], kind.value, LOSS_LABELS[kind], e["on"], e.get("source", ""),
                      e["recorded_on"])
        if key not in seen or row.recorded_on < seen[key].recorded_on:
            seen[key] = row
    return sorted(seen.values(), key=lambda r: (r.kind, r.on, r.ssn))


def monthly_csv(rows: list[LossRow], month: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([f"{month} 领取待遇人员死亡、被羁押情况月报（001 ch5 L74；002 §27）"])
    w.writerow(["姓名", "有效身份证件号码", "情形", "死亡（羁押）日期", "信息来源", "登记日期"])
    src = {"field": "上门认证", "counter": "窗口报告", "comparison": "信息比对"}
    for r in rows:
        w.writerow([r.name, r.ssn, r.kind_label, r.on, src.get(r.source, r.source), r.recorded_on])
    return buf.getvalue()


__all__ = ["LossRow", "ReportRow", "YearlyReport", "monthly_csv", "monthly_loss_report", "yearly_csv", "yearly_report",
           "METHOD_LABELS"]
