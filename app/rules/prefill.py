"""Calculator inputs prefilled from a business screen's applicant: maps the catalog's form fields (企业职工正常退休申请's
公民身份号码, 档案出生日期, 性别, 退休时身份 …) onto the input keys of the item's calculators, so that a clerk who
presses 测算 on a business screen starts from what is already known. Only what the form states (or the ID number
encodes) is filled; nothing is guessed — e.g. a woman's group needs 退休时身份 and is left to the clerk without it."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.ids import InvalidIdNumber, normalize_id, parse_id_number

GRADES = {f"{g}级": n for n, g in enumerate("一二三四五六七八九十", start=1)}  # 伤残等级 一级 … 十级
# 退休时身份 → the 2024 decision's group of a woman (原法定退休年龄: 干部 55, 工人 50; 个体/灵活就业 55).
FEMALE_GROUP = {"干部": "female_cadre", "工人": "female_worker", "个体": "female_cadre"}
DEATH_TYPES = {"因工死亡": "work_death", "停工留薪期内因工伤导致死亡": "during_leave",
               "一至四级伤残停工留薪期满后死亡": "after_leave", "因工外出或抢险救灾中下落不明": "missing"}
# form key → calculator input key, copied as they are (dates are ISO on both sides)
SAME = {"injury_date": "injury_date", "appraisal_date": "assessment_date", "death_date": "death_date",
        "work_start_date": "work_start", "application_date": "application_date", "deemed_months": "deemed_months",
        "name": "name"}


def _month(value: str) -> str:
    return value[:7] if len(value) >= 7 and value[4:5] == "-" else ""


def applicant_inputs(values: Mapping[str, str], today: date | None = None) -> dict[str, str]:
    """Calculator input values (strings, as typed) derived from a business form's values; unknown keys are left
    out. `name` and `ssn` are kept too: the printed 测算单 names the applicant."""
    v = {k: str(x).strip() for k, x in values.items() if x not in (None, "")}
    out: dict[str, str] = {}
    facts = None
    if v.get("ssn"):
        try:
            facts = parse_id_number(normalize_id(v["ssn"]), today)
        except InvalidIdNumber:
            facts = None
    if facts is not None:
        out["ssn"] = facts.number
    birth = v.get("archive_birth_date") or v.get("birth_date") or (facts.birth_date.isoformat() if facts else "")
    if birth:
        out["birth_date"] = birth  # 档案出生日期 first: retirement is reckoned from the file's date of birth
    gender = v.get("gender") or (facts.gender if facts else "")
    if gender == "男":
        out["group"] = "male"
    elif gender == "女" and v.get("identity_at_retirement") in FEMALE_GROUP:
        out["group"] = FEMALE_GROUP[v["identity_at_retirement"]]
    if _month(v.get("retirement_date", "")):
        out["retirement_month"] = _month(v["retirement_date"])
    if v.get("disability_grade") in GRADES:
        out["grade"] = str(GRADES[v["disability_grade"]])
    if v.get("death_type") in DEATH_TYPES:
        out["death_type"] = DEATH_TYPES[v["death_type"]]
    for form_key, calc_key in SAME.items():
        if v.get(form_key):
            out[calc_key] = v[form_key]
    return out
