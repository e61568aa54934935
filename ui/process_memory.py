"""Keeps the client's resident memory flat over a clerk's day (issue 13, target ≤ 300 MB with no growth trend):
glibc's malloc gives every thread that allocates its own arena (up to 8 × cores of them, 64 MB address space each),
and the worker threads that render PDFs, read the store and package archives leave those arenas fragmented —
the scripted day measured ~30 MB more after 40 cases with the default than with two arenas. Two arenas (the GUI
thread's and one shared by the workers) cost no measurable speed here. No-ops off glibc (Windows, musl)."""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)
_M_ARENA_MAX = -8  # mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 1024 * 1024
_libc = None


def _glibc():
    global _libc
    if _libc is None:
        _libc = False
        if sys.platform.startswith("linux"):
            try:
                lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                if hasattr(lib, "mallopt") and hasattr(lib, "malloc_trim"):
                    _libc = lib
            except OSError:
                pass
    return _libc or None


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """mallopt(M_ARENA_MAX, arenas), as MALLOC_ARENA_MAX would; best called before worker threads start.
    Returns whether it was applied."""
    libc = _glibc()
    if libc is None:
        return False
    ok = bool(libc.mallopt(_M_ARENA_MAX, arenas))
    if not ok:
        log.warning("mallopt(M_ARENA_MAX, %d) refused", arenas)
    # A fixed mmap threshold: blocks ≥ 1 MB (camera frames, PDF page images) are mapped and unmapped on free. glibc's
    # default threshold grows with every such free, after which those blocks come from the heap and stay resident.
    if not libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD):
        log.warning("mallopt(M_MMAP_THRESHOLD) refused")
    return ok


def trim_heap() -> bool:
    """Drop the source-line cache, then malloc_trim(0): give the free pages at the top of every arena back to the
    system. Returns whether any was.

    The line cache: PySide6's import hook (shibokensupport's `__feature__` check) reads the source of modules as they
    are imported, and linecache keeps every line as a string for the life of the process — tens of MB over a day
    (measured with tracemalloc in bench/clerk_day.py). It is only a cache: a traceback reads the lines again."""
    import linecache

    linecache.clearcache()
    libc = _glibc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
