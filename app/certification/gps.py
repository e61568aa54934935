"""The place of a visit: typed by the staff, or read from a configured GPS receiver speaking NMEA 0183 (a serial port
such as /dev/ttyACM0 or COM4, or a file of sentences for tests and replays). Only $xxGGA and $xxRMC are needed."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from app.errors import YichuangError


@dataclass(frozen=True)
class Place:
    text: str  # what the staff typed or the address shown
    lat: float | None = None
    lon: float | None = None
    source: str = "typed"  # typed / gps
    fix_time: str | None = None  # UTC hhmmss from the receiver

    def to_dict(self) -> dict:
        return {"text": self.text, "lat": self.lat, "lon": self.lon, "source": self.source, "fix_time": self.fix_time}


def _checksum_ok(sentence: str) -> bool:
    if "*" not in sentence:
        return False
    body, _, given = sentence[1:].partition("*")
    calc = 0
    for ch in body:
        calc ^= ord(ch)
    try:
        return calc == int(given[:2], 16)
    except ValueError:
        return False


def _coord(value: str, hemi: str, degree_digits: int) -> float | None:
    if not value:
        return None
    deg = int(value[:degree_digits])
    minutes = float(value[degree_digits:])
    out = deg + minutes / 60
    return round(-out if hemi in ("S", "W") else out, 6)


def parse_nmea(sentence: str) -> tuple[float, float, str] | None:
    """(lat, lon, hhmmss) of a valid GGA (fix quality > 0) or RMC (status A) sentence; None otherwise."""
    s = sentence.strip()
    if not s.startswith("$") or not _checksum_ok(s):
        return None
    parts = s[1:].split("*")[0].split(",")
    kind = parts[0][2:]
    try:
        if kind == "GGA" and len(parts) >= 7 and parts[6] not in ("", "0"):
            return _coord(parts[2], parts[3], 2), _coord(parts[4], parts[5], 3), parts[1][:6]
        if kind == "RMC" and len(parts) >= 7 and parts[2] == "A":
            return _coord(parts[3], parts[4], 2), _coord(parts[5], parts[6], 3), parts[1][:6]
    except (ValueError, IndexError):
        return None
    return None


def read_fix(source: str, *, baudrate: int = 9600, timeout: float = 3.0, text: str = "") -> Place:
    """Read sentences until a fix arrives or `timeout` passes. Raises YichuangError with a Chinese message."""
    if not source:
        raise YichuangError("未配置GPS设备，请手工填写地点。", "no gps source", code="gps_not_configured")
    deadline = time.monotonic() + timeout
    path = Path(source)
    if path.is_file():
        lines = path.read_text(encoding="ascii", errors="replace").splitlines()
    else:
        try:
            import serial

            port = serial.Serial(source, baudrate, timeout=0.5)
        except Exception as exc:  # noqa: BLE001 - pyserial raises several types
            raise YichuangError(f"无法打开GPS设备 {source}，请检查连接或手工填写地点。", f"gps open {source}: {exc!r}",
                                code="gps_unavailable") from None
        lines = []
        try:
            while time.monotonic() < deadline:
                raw = port.readline().decode("ascii", errors="replace")
                if raw:
                    fix = parse_nmea(raw)
                    if fix:
                        lat, lon, t = fix
                        return Place(text or f"北纬{lat:.5f}，东经{lon:.5f}", lat, lon, "gps", t)
        finally:
            port.close()
    for raw in lines:
        fix = parse_nmea(raw)
        if fix:
            lat, lon, t = fix
            return Place(text or f"北纬{lat:.5f}，东经{lon:.5f}", lat, lon, "gps", t)
    raise YichuangError("GPS暂未定位（室内或信号弱），请到室外重试或手工填写地点。", f"no fix from {source}",
                        code="gps_no_fix")
