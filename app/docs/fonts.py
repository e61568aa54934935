"""Register the bundled CJK TrueType font with ReportLab exactly once and name it for the styles.

Why a shipped TTF and not ReportLab's STSong-Light CID font: CID fonts are not embedded, and poppler (and many
printers' viewers) then render the text blank or with a substituted font. A TTF is embedded as a subset.
"""
from __future__ import annotations

import threading
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFError

from app.docs.errors import FontMissingError

FONT_NAME = "WQYMicroHei"
_FONT_FILE = ("fonts", "wqy-microhei.ttc")
_lock = threading.Lock()
_registered = False


def register_cjk_font() -> str:
    """Register the font (idempotent, thread-safe) and return its ReportLab name."""
    global _registered
    if _registered:  # fast path; the flag is only set after registration completed under the lock
        return FONT_NAME
    with _lock:
        if _registered:
            return FONT_NAME
        source = resources.files("resources").joinpath(*_FONT_FILE)
        try:
            # as_file copes with zipped/frozen installs; TTFont reads the whole file into memory, so the
            # temporary copy (if one was made) may go away after the with-block.
            with resources.as_file(source) as path:
                font = TTFont(FONT_NAME, str(path), subfontIndex=0)
        except (OSError, TTFError) as exc:
            raise FontMissingError("缺少中文字体文件，无法生成文书，请重新安装一窗客户端", f"{source}: {exc}") from exc
        pdfmetrics.registerFont(font)
        # One face only: map bold/italic to it so <b>/<i> markup in a Paragraph never fails to resolve a font.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT_NAME, bold, italic, FONT_NAME)
        _registered = True
    return FONT_NAME
