"""The ID card photo is 1024 bytes of the vendor's licensed WLT format; decoding needs the vendor's library.

A WltDecoder turns them into a BMP (102 × 126, 24-bit). Without one the record keeps the raw bytes and says so."""
from __future__ import annotations

import ctypes
import logging
from typing import Protocol

log = logging.getLogger(__name__)

BMP_SIZE = 102 * 126 * 3 + 54  # 38 610 pixels + header; vendors' unpack() buffers are 38 862 bytes


class WltDecoder(Protocol):
    name: str

    def decode(self, wlt: bytes) -> bytes | None: ...


class NullWltDecoder:
    name = "none"

    def decode(self, wlt: bytes) -> bytes | None:
        return None


class LibWltDecoder:
    """The vendor's libwlt / WltRS: `int unpack(char *src, char *dst, int bmpSave)`, 1 = success (Linux builds)."""

    name = "libwlt"

    def __init__(self, path: str):
        self.path = path
        self._lib = ctypes.CDLL(path)
        self._unpack = self._lib.unpack
        self._unpack.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
        self._unpack.restype = ctypes.c_int

    def decode(self, wlt: bytes) -> bytes | None:
        if len(wlt) != 1024:
            return None
        dst = ctypes.create_string_buffer(38862)
        rc = self._unpack(wlt, dst, 1)
        if rc != 1:
            log.warning("WLT decoder %s returned %s", self.path, rc)
            return None
        return dst.raw[:BMP_SIZE]


def load_decoder(path: str = "") -> WltDecoder:
    if not path:
        return NullWltDecoder()
    try:
        return LibWltDecoder(path)
    except OSError as exc:
        log.warning("cannot load WLT decoder %s: %s", path, exc)
        return NullWltDecoder()
