"""Checks a filled form against its catalog item's fields and conditions; returns cleaned values or raises
ValidationFailed naming the field, in Chinese."""
from __future__ import annotations

import re
from datetime import date

from app.catalog.model import FieldSpec, FieldType, ServiceItem
from app.errors import ValidationFailed
from app.ids import InvalidIdNumber, is_valid_uscc, parse_id_number

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_POSTCODE = re.compile(r"^\d{6}$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MONEY = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
_NUMBER = re.compile(r"^\d{1,9}$")
_BANK_ACCOUNT = re.compile(r"^\d{8,30}$")


def _parse_date(spec: FieldSpec, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"{spec.label}格式应为 年-月-日，例如 2026-01-31", f"bad date {spec.key}={value!r}",
                               field=spec.key) from None


def clean_form(item: ServiceItem, form: dict[str, str], today: date, check_age: bool = True) -> dict[str, str]:
    """Validate every field; derive gender and birth date from the ID number (GB 11643) where they are empty."""
    out: dict[str, str] = {}
    for spec in item.fields:
        value = (form.get(spec.key) or "").strip()
        if not value:
            if spec.required:
                raise ValidationFailed(f"请填写{spec.label}（必填项）", f"missing {spec.key}", field=spec.key)
            out[spec.key] = ""
            continue
        if len(value) > spec.max_length:
            raise ValidationFailed(f"{spec.label}不能超过{spec.max_length}个字", f"too long {spec.key}", field=spec.key)
        if spec.type is FieldType.id_number:
            try:
                value = parse_id_number(value, today).number
            except InvalidIdNumber as exc:
                raise ValidationFailed(exc.reason, f"invalid id in {spec.key}", field=spec.key) from None
        elif spec.type is FieldType.phone and not _PHONE.match(value):
            raise ValidationFailed("联系电话应为11位手机号或带区号的固定电话", f"bad phone {spec.key}", field=spec.key)
        elif spec.type is FieldType.postcode and not _POSTCODE.match(value):
            raise ValidationFailed("邮编应为6位数字", f"bad postcode {spec.key}", field=spec.key)
        elif spec.type is FieldType.date:
            value = _parse_date(spec, value).isoformat()
        elif spec.type is FieldType.choice and spec.options and value not in spec.options:
            raise ValidationFailed(f"{spec.label}只能选择：{'、'.join(spec.options)}", f"bad choice {spec.key}",
                                   field=spec.key)
        elif spec.type is FieldType.bool and value not in ("是", "否"):
            raise ValidationFailed(f"{spec.label}请选择“是”或“否”", f"bad bool {spec.key}", field=spec.key)
        elif spec.type is FieldType.uscc:
            value = value.upper()
            if len(value) != 18:
                raise ValidationFailed(f"{spec.label}应为18位，当前为{len(value)}位", f"uscc length {spec.key}",
                                       field=spec.key)
            if not is_valid_uscc(value):
                raise ValidationFailed(f"{spec.label}校验位不正确或含有不允许的字母（不使用I、O、Z、S、V），请核对营业执照",
                                       f"uscc check {spec.key}", field=spec.key)
        elif spec.type is FieldType.month:
            m = _MONTH.match(value)
            if not m:
                raise ValidationFailed(f"{spec.label}格式应为 年-月，例如 2026-01", f"bad month {spec.key}",
                                       field=spec.key)
        elif spec.type is FieldType.money and not _MONEY.match(value):
            raise ValidationFailed(f"{spec.label}应为金额（元），最多两位小数", f"bad money {spec.key}", field=spec.key)
        elif spec.type is FieldType.number and not _NUMBER.match(value):
            raise ValidationFailed(f"{spec.label}应为整数", f"bad number {spec.key}", field=spec.key)
        elif spec.type is FieldType.bank_account and not _BANK_ACCOUNT.match(value):
            raise ValidationFailed(f"{spec.label}应为8至30位数字", f"bad bank account {spec.key}", field=spec.key)
        out[spec.key] = value
    _check_identity_consistency(item, out, today, check_age)
    return out


def _check_identity_consistency(item: ServiceItem, out: dict[str, str], today: date, check_age: bool) -> None:
    ssn = out.get("ssn")
    if not ssn:
        return
    facts = parse_id_number(ssn, today)
    if "gender" in out:
        if not out["gender"]:
            out["gender"] = facts.gender
        elif out["gender"] != facts.gender:
            raise ValidationFailed(f"性别与公民身份号码不符（号码显示为{facts.gender}）", "gender mismatch", field="gender")
    if "birth_date" in out:
        if not out["birth_date"]:
            out["birth_date"] = facts.birth_date.isoformat()
        elif out["birth_date"] != facts.birth_date.isoformat():
            raise ValidationFailed("出生日期与公民身份号码不符", "birth date mismatch", field="birth_date")
    min_age = item.min_age() if check_age else None
    if min_age is not None:
        on = date.fromisoformat(out["enrolment_date"]) if out.get("enrolment_date") else today
        age = facts.age_on(on)
        if age < min_age:
            raise ValidationFailed(
                f"不符合办理条件：申请人须年满{min_age}周岁（当前{age}周岁），依据 {item.source}。",
                f"age {age} < {min_age}", field="ssn")
