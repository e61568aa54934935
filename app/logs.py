"""Structured JSON logs with rotation in the platform log dir; ID numbers are masked before anything is written."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from pythonjsonlogger.json import JsonFormatter

from app.ids import mask_id_numbers_in_text

LOG_FILE_NAME = "yichuang.log"


class MaskPersonalData(logging.Filter):
    """Rewrites message, args and string extras so no 18-digit ID number reaches a handler (个人信息保护法)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_id_numbers_in_text(record.getMessage())
        record.args = None
        for key, value in list(record.__dict__.items()):
            if isinstance(value, str) and key not in ("msg", "levelname", "name", "pathname", "filename", "module"):
                record.__dict__[key] = mask_id_numbers_in_text(value)
        return True


def configure_logging(log_dir: Path, level: str = "INFO", max_bytes: int = 5_000_000, backup_count: int = 10,
                      console: bool = True) -> Path:
    """Install the handlers once per process; returns the log file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_yichuang", False):
            root.removeHandler(h)
            h.close()
    mask = MaskPersonalData()
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backup_count,
                                                        encoding="utf-8")
    file_handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                                            json_ensure_ascii=False))
    handlers: list[logging.Handler] = [file_handler]
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        stream.setLevel(logging.WARNING)
        handlers.append(stream)
    for h in handlers:
        h.addFilter(mask)
        h._yichuang = True  # type: ignore[attr-defined]
        root.addHandler(h)
    root.setLevel(level)
    return path
