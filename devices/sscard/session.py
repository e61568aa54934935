"""APDU logic of the SSSE application, independent of how APDUs travel (pyscard, or the in-process simulator).

A transport has one method, `transmit(apdu: bytes) -> bytes` returning R-APDU data + SW1 SW2, and raises
DeviceError subclasses itself (CardRemoved when the reader answers nothing: a card pulled mid-command looks like
an empty response on pcscd + vpcd).
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Protocol

from app.ids import InvalidIdNumber, parse_id_number
from devices.base import RAW_LOG
from devices.codes import nation_name, sex_name
from devices.errors import (CardRemoved, CardStatusError, DeviceError, PinBlocked, PinError, ProtocolError,
                            WrongCard)
from devices.sscard.record import FIELD_LABELS, SsCardRecord

log = logging.getLogger(__name__)

SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")  # "sx1.sh." + GBK "社会保障"
EF_CARD, EF_PERSON = 0xEF05, 0xEF06
CARD_TAGS = (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07)
PERSON_TAGS = (0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D)
TAG_FIELDS = {0x07: "card_number", 0x08: "ssn", 0x09: "name"}
MAX_CHAIN = 64

SW_MESSAGES = {
    0x6700: "指令长度错误",
    0x6981: "文件类型不符",
    0x6982: "安全状态不满足",
    0x6983: "密码已锁定",
    0x6984: "引用数据无效",
    0x6985: "使用条件不满足",
    0x6986: "不允许的命令（未选择文件）",
    0x6A80: "数据域参数错误",
    0x6A81: "功能不支持",
    0x6A82: "未找到应用或文件",
    0x6A83: "未找到记录",
    0x6A86: "参数 P1/P2 错误",
    0x6D00: "指令不支持",
    0x6E00: "指令类别不支持",
    0x6F00: "卡片内部错误",
}


class ApduTransport(Protocol):
    def transmit(self, apdu: bytes) -> bytes: ...


class SecurityModule(Protocol):
    """The issuer's security step for third-generation cards (the central API, or a simulator of it)."""

    def authenticate(self, card_id: str, atr: bytes, challenge: bytes) -> bytes: ...


def sw_text(sw: int) -> str:
    if sw >> 8 == 0x63 and sw & 0xF0 == 0xC0:
        return f"密码错误，还可尝试 {sw & 0x0F} 次"
    return SW_MESSAGES.get(sw, "未知状态")


def status_error(sw: int, what: str) -> CardStatusError:
    return CardStatusError(f"读取社保卡失败：{what}时卡片返回 {sw:04X}（{sw_text(sw)}）。请重新插卡；仍失败请换卡或联系管理员。",
                           f"{what}: SW {sw:04X}", sw=sw)


def _bcd_date(raw: bytes) -> date | None:
    digits = raw.hex()
    if len(digits) != 8 or not digits.isdigit() or digits == "00000000":
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _text(raw: bytes, encoding: str = "ascii") -> str:
    return raw.decode(encoding, errors="replace").replace("\x00", "").strip()


def pin_bcd(pin: str) -> bytes:
    if not pin.isdigit() or not 6 <= len(pin) <= 12:
        raise PinError("密码应为 6 位数字。", f"bad pin shape len={len(pin)}", tries_left=-1, code="pin_format")
    return bytes.fromhex(pin + ("F" if len(pin) % 2 else ""))


def parse_tlv(tag: int, data: bytes) -> bytes:
    """One TLV from READ RECORD: check the tag and that the value is as long as its length byte says."""
    if len(data) < 2:
        raise ProtocolError("读卡数据不完整，请重新插卡。", f"tag {tag:02X}: {len(data)} bytes", code="truncated")
    if data[0] != tag:
        raise ProtocolError("读卡数据格式错误，请重新插卡。", f"expected tag {tag:02X}, got {data[:4].hex()}")
    length = data[1]
    value = data[2:2 + length]
    if len(value) != length:
        raise ProtocolError("读卡数据不完整，请重新插卡。",
                            f"tag {tag:02X}: length {length}, got {len(value)} bytes", code="truncated")
    return value


class SsCardSession:
    """One connected card. Methods raise DeviceError subclasses with Chinese messages."""

    def __init__(self, transport: ApduTransport, *, atr: bytes = b"", reader: str = ""):
        self.t = transport
        self.atr = atr
        self.reader = reader

    # -- transport with 61xx / 6Cxx handling -----------------------------------------------------------------------
    def send(self, apdu: bytes) -> tuple[bytes, int]:
        RAW_LOG.add("社保卡", "→", apdu)
        resp = self._transmit(apdu)
        data, sw = resp[:-2], int.from_bytes(resp[-2:], "big")
        if sw >> 8 == 0x6C:  # wrong Le: the card tells the right one
            apdu = apdu[:-1] + bytes([sw & 0xFF]) if len(apdu) == 5 else apdu + bytes([sw & 0xFF])
            RAW_LOG.add("社保卡", "→", apdu)
            resp = self._transmit(apdu)
            data, sw = resp[:-2], int.from_bytes(resp[-2:], "big")
        rounds = 0
        while sw >> 8 == 0x61:  # more data waits: GET RESPONSE
            rounds += 1
            if rounds > MAX_CHAIN:
                raise ProtocolError("读卡数据异常（响应链过长），请重新插卡。", "61xx chain over limit")
            get = bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF])
            RAW_LOG.add("社保卡", "→", get)
            resp = self._transmit(get)
            data += resp[:-2]
            sw = int.from_bytes(resp[-2:], "big")
        return data, sw

    def _transmit(self, apdu: bytes) -> bytes:
        resp = self.t.transmit(apdu)
        RAW_LOG.add("社保卡", "←", resp)
        if len(resp) < 2:  # pcscd + vpcd: a card pulled mid-command answers nothing
            raise CardRemoved("读卡过程中社保卡被拔出，请重新插卡。", f"empty response to {apdu[:4].hex()}")
        return resp

    # -- application -----------------------------------------------------------------------------------------------
    def select_app(self) -> None:
        data, sw = self.send(bytes([0x00, 0xA4, 0x04, 0x00, len(SSSE_AID)]) + SSSE_AID)
        if sw in (0x6A82, 0x6A81, 0x6D00, 0x6E00):
            raise WrongCard("这不是社会保障卡（卡内没有社保应用），请插入社会保障卡。", f"SELECT SSSE: SW {sw:04X}")
        if sw != 0x9000:
            raise status_error(sw, "选择社保应用")

    def select_ef(self, fid: int) -> None:
        _, sw = self.send(bytes([0x00, 0xA4, 0x02, 0x00, 0x02]) + fid.to_bytes(2, "big"))
        if sw == 0x6A82:
            raise WrongCard("社保卡缺少应有的数据文件，卡片可能损坏，请到社保卡服务网点检测。", f"SELECT {fid:04X}: 6A82")
        if sw != 0x9000:
            raise status_error(sw, f"选择文件 {fid:04X} ")

    def read_tag(self, tag: int) -> bytes | None:
        """The value of one tag of the current EF; None when the card withholds it (6982)."""
        data, sw = self.send(bytes([0x00, 0xB2, tag, 0x04, 0x00]))
        if sw == 0x6982:
            return None
        if sw == 0x6A83:
            return b""
        if sw != 0x9000:
            raise status_error(sw, f"读取记录 {tag:02X} ")
        return parse_tlv(tag, data)

    def read_tags(self, fid: int, tags: tuple[int, ...]) -> dict[int, bytes | None]:
        self.select_ef(fid)
        return {t: self.read_tag(t) for t in tags}

    # -- PIN -------------------------------------------------------------------------------------------------------
    def _pin_result(self, sw: int, what: str) -> None:
        if sw == 0x9000:
            return
        if sw == 0x6983:
            raise PinBlocked()
        if sw >> 8 == 0x63 and sw & 0xF0 == 0xC0:
            left = sw & 0x0F
            if left == 0:
                raise PinBlocked()
            raise PinError(f"社保卡密码错误，还可尝试 {left} 次；输错 {left} 次后密码将被锁定。", f"{what}: SW {sw:04X}",
                           tries_left=left)
        raise status_error(sw, what)

    def verify_pin(self, pin: str) -> None:
        body = pin_bcd(pin)
        _, sw = self.send(bytes([0x00, 0x20, 0x00, 0x00, len(body)]) + body)
        self._pin_result(sw, "校验密码")

    def pin_tries(self) -> int:
        _, sw = self.send(bytes([0x00, 0x20, 0x00, 0x00]))
        if sw == 0x6983:
            return 0
        if sw >> 8 == 0x63 and sw & 0xF0 == 0xC0:
            return sw & 0x0F
        if sw == 0x9000:
            return -1  # already verified in this session
        raise status_error(sw, "查询密码次数")

    def change_pin(self, old: str, new: str) -> None:
        body = pin_bcd(old) + b"\xFF" + pin_bcd(new)
        _, sw = self.send(bytes([0x80, 0x5E, 0x01, 0x00, len(body)]) + body)
        self._pin_result(sw, "修改密码")

    # -- third generation: the issuer's security step --------------------------------------------------------------
    def unlock(self, security: SecurityModule, card_id: str) -> None:
        challenge, sw = self.send(bytes([0x00, 0x84, 0x00, 0x00, 0x08]))
        if sw != 0x9000 or len(challenge) != 8:
            raise status_error(sw, "取随机数")
        cryptogram = security.authenticate(card_id, self.atr, challenge)
        _, sw = self.send(bytes([0x00, 0x82, 0x00, 0x00, len(cryptogram)]) + cryptogram)
        if sw != 0x9000:
            raise CardStatusError("中心安全模块认证未通过，无法读取第三代社保卡的个人信息。",
                                  f"EXTERNAL AUTHENTICATE: SW {sw:04X}", sw=sw, code="secure_auth_failed")

    # -- the whole read --------------------------------------------------------------------------------------------
    def read_record(self, security: SecurityModule | None = None) -> SsCardRecord:
        self.select_app()
        card = self.read_tags(EF_CARD, CARD_TAGS)
        person = self.read_tags(EF_PERSON, PERSON_TAGS)
        values = {**card, **person}
        card_id = _text(values[0x01] or b"")
        withheld = [t for t, v in values.items() if v is None]
        reason, online = "", False
        if withheld and security is not None:
            try:
                self.unlock(security, card_id)
                self.select_ef(EF_CARD)
                for t in [t for t in withheld if t in CARD_TAGS]:
                    values[t] = self.read_tag(t)
                self.select_ef(EF_PERSON)
                for t in [t for t in withheld if t in PERSON_TAGS]:
                    values[t] = self.read_tag(t)
                online = True
            except DeviceError as exc:
                if exc.code in ("card_removed", "no_card"):
                    raise
                reason = exc.user_message
                log.warning("third-generation security step failed: %s", exc.detail)
            except Exception as exc:  # the security module speaks to the network: any failure leaves the card usable
                reason = getattr(exc, "user_message", None) or f"无法连接中心系统（{exc}）"
                log.warning("third-generation security step failed: %r", exc)
            withheld = [t for t, v in values.items() if v is None]
        names = tuple(TAG_FIELDS.get(t, f"tag{t:02X}") for t in withheld)
        if withheld:
            labels = "、".join(FIELD_LABELS.get(n, n) for n in names)
            why = reason or ("未配置中心安全认证" if security is None else "")
            reason = (f"第三代社保卡的{labels}须联网经中心安全模块认证后读取；{why}。"
                      f"现仅显示卡识别码、发卡和有效日期等可信信息，请核对身份证或联网后重新读卡。")
        return self._record(values, names, reason, online)

    def _record(self, v: dict[int, bytes | None], withheld: tuple[str, ...], reason: str, online: bool) -> SsCardRecord:
        def txt(tag: int, enc: str = "ascii") -> str | None:
            raw = v.get(tag)
            return None if raw is None else (_text(raw, enc) or None)

        nation_code = txt(0x0B)
        rec = SsCardRecord(
            card_id=txt(0x01) or "", card_type=txt(0x02) or "", spec_version=txt(0x03) or "",
            issuer_org=txt(0x04) or "", issue_date=_bcd_date(v.get(0x05) or b""),
            expiry_date=_bcd_date(v.get(0x06) or b""), card_number=txt(0x07), ssn=txt(0x08),
            name=txt(0x09, "gbk"), sex=sex_name(txt(0x0A) or "") or None,
            nation=nation_name(nation_code) if nation_code else None, nation_code=nation_code,
            birthplace=txt(0x0C), birth_date=_bcd_date(v.get(0x0D) or b""),
            atr=self.atr.hex().upper(), reader=self.reader, withheld=withheld, withheld_reason=reason,
            completed_online=online)
        if rec.ssn:
            try:
                facts = parse_id_number(rec.ssn)
                if rec.birth_date and facts.birth_date != rec.birth_date:
                    rec.warnings.append("卡内出生日期与社会保障号码不一致，请核对。")
                if rec.sex in ("男", "女") and facts.gender != rec.sex:
                    rec.warnings.append("卡内性别与社会保障号码不一致，请核对。")
            except InvalidIdNumber as exc:
                rec.warnings.append(f"卡内社会保障号码无效：{exc.reason}")
        if rec.expired:
            rec.warnings.append(f"社保卡已过有效期（{rec.expiry_date}），请提醒参保人换卡。")
        if not rec.card_id:
            rec.warnings.append("未读到卡识别码。")
        return rec
