"""The text block of a resident ID card (UTF-16LE, fixed widths) and its validation."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

from app.ids import InvalidIdNumber, parse_id_number
from devices.codes import nation_name, sex_name
from devices.errors import ProtocolError

# field, width in bytes (../shared/notes/domain.md)
LAYOUT = (("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70), ("id_number", 36),
          ("authority", 30), ("valid_from", 16), ("valid_to", 16), ("reserved", 36))
TEXT_SIZE = sum(w for _, w in LAYOUT)  # 256
PHOTO_SIZE = 1024
LONG_TERM = "长期"


@dataclass
class IdCardRecord:
    name: str
    sex: str  # 男 / 女
    nation: str
    nation_code: str
    birth_date: date | None
    address: str
    id_number: str
    authority: str  # 签发机关
    valid_from: date | None
    valid_to: date | None  # None with valid_to_text == "长期"
    valid_to_text: str
    photo_wlt: bytes = b""  # 1024 bytes, vendor-encoded
    photo_bmp: bytes | None = None  # decoded by a WltDecoder when one is installed
    photo_note: str = ""
    problems: list[str] = field(default_factory=list)  # validation findings, Chinese
    source: str = ""  # serial port / DLL

    @property
    def valid(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        text = f"身份证：{self.name}，{self.id_number}，有效期至 {self.valid_to_text}"
        if self.problems:
            text += "。注意：" + "；".join(self.problems)
        return text

    def form_values(self) -> dict[str, str]:
        out = {"ssn": self.id_number, "id_number": self.id_number, "name": self.name, "gender": self.sex,
               "nation": self.nation, "birth_date": self.birth_date.isoformat() if self.birth_date else None,
               "address": self.address}
        return {k: v for k, v in out.items() if v}

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("birth_date", "valid_from", "valid_to"):
            d[k] = d[k].isoformat() if d[k] else None
        d["photo_wlt"] = {"bytes": len(self.photo_wlt), "sha256": hashlib.sha256(self.photo_wlt).hexdigest()[:16]}
        d["photo_bmp"] = len(self.photo_bmp) if self.photo_bmp else None
        d["valid"] = self.valid
        return d


def _date(text: str) -> date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def encode_text(fields: dict[str, str]) -> bytes:
    """The reverse of parse_text (the emulator builds its card with it)."""
    out = b""
    for name, width in LAYOUT:
        raw = fields.get(name, "").encode("utf-16-le")[:width]
        out += raw + " ".encode("utf-16-le") * ((width - len(raw)) // 2)
    return out


def parse_text(block: bytes, photo: bytes = b"", *, today: date | None = None, source: str = "") -> IdCardRecord:
    if len(block) != TEXT_SIZE:
        raise ProtocolError("身份证信息长度错误，请重新放置身份证后再读。", f"text block {len(block)} bytes")
    raw: dict[str, str] = {}
    pos = 0
    try:
        for name, width in LAYOUT:
            raw[name] = block[pos:pos + width].decode("utf-16-le").replace("\x00", "").strip()
            pos += width
    except UnicodeDecodeError as exc:
        raise ProtocolError("身份证信息无法解码，请重新放置身份证后再读。", f"UTF-16LE: {exc}") from exc
    today = today or date.today()
    rec = IdCardRecord(
        name=raw["name"], sex=sex_name(raw["sex"]), nation=nation_name(raw["nation"]), nation_code=raw["nation"],
        birth_date=_date(raw["birth"]), address=raw["address"], id_number=raw["id_number"].upper(),
        authority=raw["authority"], valid_from=_date(raw["valid_from"]),
        valid_to=None if raw["valid_to"] == LONG_TERM else _date(raw["valid_to"]), valid_to_text=raw["valid_to"],
        photo_wlt=photo, source=source)
    validate(rec, today)
    return rec


def validate(rec: IdCardRecord, today: date) -> None:
    p = rec.problems
    if not rec.name:
        p.append("未读到姓名")
    try:
        facts = parse_id_number(rec.id_number, today)
    except InvalidIdNumber as exc:
        p.append(f"公民身份号码无效：{exc.reason}")
    else:
        if rec.birth_date and rec.birth_date != facts.birth_date:
            p.append("出生日期与公民身份号码不一致")
        if rec.sex in ("男", "女") and rec.sex != facts.gender:
            p.append("性别与公民身份号码不一致")
    if rec.birth_date is None:
        p.append("出生日期无效")
    elif rec.birth_date > today:
        p.append("出生日期晚于今天")
    if rec.valid_from is None:
        p.append("有效期起始日期无效")
    elif rec.valid_from > today:
        p.append("证件有效期尚未开始")
    if rec.valid_to is None and rec.valid_to_text != LONG_TERM:
        p.append("有效期截止日期无效")
    elif rec.valid_to is not None:
        if rec.valid_to < today:
            p.append(f"证件已过有效期（{rec.valid_to.isoformat()}），请提醒申请人换领")
        if rec.valid_from and rec.valid_to <= rec.valid_from:
            p.append("有效期截止日期早于起始日期")
