"""ui.process_memory: what keeps a counter's resident memory flat over the day (issue 13); the figures themselves
are bench/clerk_day.py's."""
import ctypes
import ctypes.util
import linecache
import sys

import pytest

from ui import process_memory


def test_trim_drops_the_source_line_cache():
    """PySide6's import hook fills linecache with every imported module's source; trimming empties it (the lines
    are read again when a traceback needs them)."""
    assert linecache.getline(__file__, 1).startswith('"""ui.process_memory')
    assert __file__ in linecache.cache
    process_memory.trim_heap()
    assert __file__ not in linecache.cache
    assert linecache.getline(__file__, 1).startswith('"""ui.process_memory')


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_malloc_settings_are_accepted_by_glibc():
    assert process_memory.limit_malloc_arenas(2) is True
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    assert libc.mallopt(process_memory._M_MMAP_THRESHOLD, process_memory._MMAP_THRESHOLD) == 1
