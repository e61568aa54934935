"""File names that come from users (a scanned file's original name, an export's name typed in a dialog) made safe
to use as one path component: no directories, no traversal, no control or reserved characters, bounded length."""
from __future__ import annotations

import re
import unicodedata

_RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_CHARS = 120


def safe_file_name(name: str | None, default: str = "文件") -> str:
    """One path component: the last part of `name` after any / or \\, reserved characters replaced by "_", no
    leading dots (hidden files, "..") or trailing dots/spaces (Windows), not a device name, at most MAX_CHARS with
    the extension kept. Never empty: `default` instead."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[/\\]", text)[-1]
    text = _RESERVED.sub("_", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    text = text.strip().lstrip(".").rstrip(". ")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        stem = "_" + stem
    ext = ext[:16]
    room = MAX_CHARS - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(". ")
    if not stem:
        return default + (f".{ext}" if ext else "")
    return f"{stem}.{ext}" if ext else stem
