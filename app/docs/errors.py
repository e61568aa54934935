"""Typed errors raised while producing documents; they are YichuangErrors (Chinese user_message, support detail)."""
from __future__ import annotations

from app.errors import YichuangError


class DocumentError(YichuangError):
    """Base of every document-layer failure; the UI shows `user_message`, the log records `detail`."""

    code = "document_error"


class DocumentWriteError(DocumentError):
    """The PDF could not be written to its target (folder missing, not writable, disk full, file locked)."""


class FontMissingError(DocumentError):
    """The bundled CJK font is absent or unreadable, so no Chinese document can be produced."""
