"""Live checks of identity numbers while the clerk types: 公民身份号码 (GB 11643) and 统一社会信用代码 (GB 32100)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from app.catalog import FieldSpec
from app.catalog.model import FieldType
from app.ids import InvalidIdNumber, is_valid_uscc, parse_id_number

_USCC_ALPHABET = set("0123456789ABCDEFGHJKLMNPQRTUWXY")


_translate = QCoreApplication.translate  # lupdate reads _translate("Identity", "…")


def is_identity(spec: FieldSpec) -> bool:
    return spec.type in (FieldType.id_number, FieldType.uscc)


def live_problem(spec: FieldSpec, raw: str, today: date) -> str | None:
    """A Chinese message once the number is complete (18 characters) and wrong; None while typing or when valid."""
    text = (raw or "").strip().replace(" ", "").upper()
    if len(text) < 18:
        return None
    if spec.type is FieldType.id_number:
        try:
            parse_id_number(text, today)
        except InvalidIdNumber as exc:
            return exc.reason
        return None
    if spec.type is FieldType.uscc:
        if any(c not in _USCC_ALPHABET for c in text):
            return _translate("Identity", "{0}含有不允许的字母（不使用I、O、Z、S、V），请核对营业执照").format(spec.label)
        if not is_valid_uscc(text):
            return _translate("Identity", "{0}校验位不正确，请核对营业执照").format(spec.label)
    return None
