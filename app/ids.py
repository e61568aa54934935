"""Identity numbers: 公民身份号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015) — check, derive, mask.

The 社会保障号码 is the 公民身份号码 (../shared/notes/domain.md, "Identity numbers").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """An ID number that fails its shape, date or check-digit test; `reason` is Chinese for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def id_check_char(first17: str) -> str:
    """The 18th character of a 公民身份号码 for its first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: date
    male: bool
    region_code: str  # 行政区划代码, first 6 digits

    @property
    def gender(self) -> str:
        return "男" if self.male else "女"

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def normalize_id(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse_id_number(raw: str, today: date | None = None) -> IdFacts:
    """Validate an 18-digit 公民身份号码 and return what it encodes; raise InvalidIdNumber otherwise."""
    number = normalize_id(raw)
    if len(number) != 18:
        raise InvalidIdNumber(f"公民身份号码应为18位，当前为{len(number)}位")
    if not _ID_SHAPE.match(number):
        raise InvalidIdNumber("公民身份号码前17位应为数字，最后一位为数字或X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("公民身份号码中的出生日期不存在") from None
    if born > (today or date.today()) or born.year < 1880:
        raise InvalidIdNumber("公民身份号码中的出生日期不合理")
    if id_check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("公民身份号码校验位不正确，请核对后重新输入")
    return IdFacts(number=number, birth_date=born, male=int(number[16]) % 2 == 1, region_code=number[:6])


def is_valid_id_number(raw: str) -> bool:
    try:
        parse_id_number(raw)
        return True
    except InvalidIdNumber:
        return False


def make_id_number(region_code: str, birth: date, sequence: int, male: bool) -> str:
    """Compose a valid number (demo data, tests): sequence 0..99 gives digits 15-16, gender sets digit 17."""
    seq = f"{sequence % 100:02d}"
    gender_digit = (sequence // 100) % 5 * 2 + (1 if male else 0)
    first17 = f"{region_code}{birth:%Y%m%d}{seq}{gender_digit}"
    return first17 + id_check_char(first17)


def mask_id_number(number: str) -> str:
    """Mask for screens, slips and logs (000 §39): keep the first 6 and last 4, e.g. 150102********123X."""
    n = normalize_id(number)
    if len(n) <= 10:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_id_numbers_in_text(text: str) -> str:
    """Replace every 18-character ID number inside free text by its masked form (used by the log filter)."""
    return _ID_IN_TEXT.sub(lambda m: m.group(1) + "********" + m.group(3), text)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(raw: str) -> bool:
    code = (raw or "").strip().upper()
    if len(code) != 18 or any(c not in _USCC_ALPHABET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]
