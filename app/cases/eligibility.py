"""Evaluates an item's 办理条件 for one application: predicates the software can check (age from the ID number,
属地户籍, insurance status from the central person record) are decided; the rest are for the clerk to confirm."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from app.catalog.model import Condition, ServiceItem
from app.ids import InvalidIdNumber, parse_id_number


class Verdict(str, Enum):
    met = "met"  # checked by the software and satisfied
    failed = "failed"  # checked and not satisfied → 不予受理
    confirm = "confirm"  # the clerk must confirm (no predicate, or data not available offline)


@dataclass(frozen=True)
class ConditionResult:
    index: int
    condition: Condition
    verdict: Verdict
    reason: str = ""  # Chinese: why failed / what to verify

    @property
    def citation(self) -> str:
        return str(self.condition.source) if self.condition.source else ""


ACTIVE = {"参保缴费", "待遇领取", "暂停缴费"}


def _schemes(person: dict | None, statuses: set[str]) -> set[str] | None:
    if person is None:
        return None
    return {i.get("scheme") for i in person.get("insurances", []) if i.get("status") in statuses}


def _application_day(values: dict[str, str], today: date) -> date:
    for key in ("enrolment_date", "application_date"):
        if values.get(key):
            try:
                return date.fromisoformat(values[key])
            except ValueError:
                pass
    return today


def evaluate_conditions(item: ServiceItem, values: dict[str, str], person: dict | None, agency_region: str,
                        today: date) -> list[ConditionResult]:
    out = []
    for n, cond in enumerate(item.conditions):
        p = cond.predicate
        if p is None:
            out.append(ConditionResult(n, cond, Verdict.confirm, "请核实"))
            continue
        kind, value = p.kind, p.value
        if kind in ("min_age", "max_age"):
            try:
                facts = parse_id_number(values.get("ssn", ""), today)
            except InvalidIdNumber:
                out.append(ConditionResult(n, cond, Verdict.confirm, "无有效公民身份号码，无法自动核验年龄"))
                continue
            age = facts.age_on(_application_day(values, today))
            ok = age >= int(value) if kind == "min_age" else age <= int(value)
            need = f"年满{value}周岁" if kind == "min_age" else f"不超过{value}周岁"
            out.append(ConditionResult(n, cond, Verdict.met if ok else Verdict.failed,
                                       "" if ok else f"申请人须{need}（当前{age}周岁）"))
        elif kind == "local_hukou":
            region = (person or {}).get("region_code")
            if not region:
                out.append(ConditionResult(n, cond, Verdict.confirm, "离线或无人员信息，请核验户口簿"))
                continue
            digits = int(value)
            ok = region[:digits] == agency_region[:digits]
            out.append(ConditionResult(n, cond, Verdict.met if ok else Verdict.failed,
                                       "" if ok else f"户籍地（{region}）不属于本经办机构（{agency_region}）"))
        elif kind in ("insured", "not_insured", "receiving_benefit", "not_receiving_benefit"):
            statuses = ACTIVE if kind in ("insured", "not_insured") else {"待遇领取"}
            held = _schemes(person, statuses)
            if held is None:
                out.append(ConditionResult(n, cond, Verdict.confirm, "离线或未查询中心系统，请人工核实参保状态"))
                continue
            has = str(value) in held
            want = kind in ("insured", "receiving_benefit")
            ok = has == want
            what = {"insured": f"须已参加{value}", "not_insured": f"已参加{value}，不能重复参保",
                    "receiving_benefit": f"须正在领取{value}待遇",
                    "not_receiving_benefit": f"已在领取{value}待遇"}[kind]
            out.append(ConditionResult(n, cond, Verdict.met if ok else Verdict.failed, "" if ok else what))
        else:  # min_contribution_years: the contribution record is not in the person summary
            out.append(ConditionResult(n, cond, Verdict.confirm, "请核实缴费年限"))
    return out
