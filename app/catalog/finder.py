"""The business finder: matches what a clerk types — Chinese words, pinyin initials (cxjmcbdj for
城乡居民养老保险参保登记, initials may skip words), full pinyin, group or keyword — and ranks the results."""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexEntry:
    code: str
    name: str
    initials: str
    spelled: str
    words: str  # group, subgroup, keywords, name (lower case)


# Pinyin of the names the finder indexes (item names, calculator titles), kept in a small JSON file next to the
# compiled catalog (issue 13): pypinyin's dictionaries cost ~56 MB of resident memory and ~0.8 s to import, so a
# client loads them only when a name is new to this machine (the first start, a catalog update).
_memo: dict[str, tuple[str, str]] = {}
_memo_file: Path | None = None
_memo_dirty = False
_memo_lock = threading.Lock()


def use_pinyin_memo(path: Path) -> None:
    """Read the memo at `path` (absent or unreadable: start empty); later saves go there."""
    global _memo_file
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        with _memo_lock:
            _memo.update({str(k): (str(v[0]), str(v[1])) for k, v in data.items()})
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        pass
    _memo_file = path


def save_pinyin_memo() -> None:
    """Write the memo if names were added since it was read (a few KB, at most once per new catalog)."""
    global _memo_dirty
    with _memo_lock:
        if not _memo_dirty or _memo_file is None:
            return
        snapshot, _memo_dirty = dict(_memo), False
    try:
        _memo_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = _memo_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
        tmp.replace(_memo_file)
    except OSError as exc:
        log.warning("pinyin memo not written: %s", exc)


def pinyin_keys(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of `text`, lower case, non-Hanzi dropped: cxjmylbxcbdj, chengxiangjumin…"""
    global _memo_dirty
    hit = _memo.get(text)
    if hit is None:
        from pypinyin import Style, lazy_pinyin  # lazy: only for a name not in the memo (see above)

        hit = ("".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower(),
               "".join(lazy_pinyin(text, errors="ignore")).lower())
        with _memo_lock:
            _memo[text] = hit
            _memo_dirty = True
    return hit


def _initials(text: str) -> str:
    return pinyin_keys(text)[0]


def index_entry(item) -> IndexEntry:
    name = item.name
    words = " ".join((name, item.group.value, item.subgroup, *item.keywords)).lower()
    initials, spelled = pinyin_keys(name)
    return IndexEntry(item.code, name, initials, spelled, words)


def _subsequence_gaps(query: str, text: str) -> int | None:
    """Gaps when `query` is a subsequence of `text` starting at text[0]; None if it is not."""
    if not query or not text or query[0] != text[0]:
        return None
    pos, gaps = 0, 0
    for ch in query:
        found = text.find(ch, pos)
        if found < 0:
            return None
        gaps += found - pos
        pos = found + 1
    return gaps


def score(e: IndexEntry, q: str) -> int:
    if q in e.name:
        return 1000 - e.name.index(q)
    if e.initials.startswith(q):
        return 900
    if q in e.initials:
        return 800 - e.initials.index(q)
    if q.isascii() and q in e.spelled:
        return 700 - e.spelled.index(q)
    if q in e.words:
        return 600
    if q.isascii() and q.isalpha():
        gaps = _subsequence_gaps(q, e.initials)
        if gaps is not None and len(q) >= 3:
            return 500 - gaps * 10
    tokens = q.split()
    if len(tokens) > 1 and all(t in e.words or (t.isascii() and t in e.initials) for t in tokens):
        return 400
    return 0


class Finder:
    def __init__(self, entries: list[IndexEntry]):
        self.entries = entries

    def search(self, text: str, limit: int | None = None) -> list[str]:
        q = text.strip().lower()
        if not q:
            return [e.code for e in self.entries][:limit]
        scored = [(s, i, e.code) for i, e in enumerate(self.entries) if (s := score(e, q)) > 0]
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [c for _, _, c in scored[:limit]]
