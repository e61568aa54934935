"""What never leaves a terminal in clear: secrets of the configuration and personal data in free text."""
from __future__ import annotations

import re
from typing import Any

from app.ids import mask_id_numbers_in_text

SECRET_KEYS = frozenset({"server.enrolment_code"})  # dotted keys of app.config.Settings
REMOVED = "<已移除>"
SHOWN_SECRET = "已设置（不显示）"

# Mainland mobile numbers (11 digits, 1[3-9]…) keep their first 3 and last 4 digits, like the ID numbers keep 6 + 4.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_personal_text(text: str) -> str:
    """ID numbers (app.ids) and mobile numbers masked in free text (logs, notes)."""
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), mask_id_numbers_in_text(text))


def redact_values(values: dict[str, Any], replacement: str = REMOVED) -> dict[str, Any]:
    """A copy of flat dotted configuration values with every secret that is set replaced."""
    return {k: (replacement if k in SECRET_KEYS and v not in (None, "") else v) for k, v in values.items()}


def redact_tree(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A copy of a nested configuration (TOML as read) with the secrets removed."""
    out: dict[str, Any] = {}
    for k, v in tree.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out[k] = redact_tree(v, key + ".")
        elif key in SECRET_KEYS:
            out[k] = REMOVED
        else:
            out[k] = v
    return out
