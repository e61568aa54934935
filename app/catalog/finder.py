"""The business finder: matches what a clerk types — Chinese words, pinyin initials (cxjmcbdj for
城乡居民养老保险参保登记, initials may skip words), full pinyin, group or keyword — and ranks the results."""
from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin


@dataclass(frozen=True)
class IndexEntry:
    code: str
    name: str
    initials: str
    spelled: str
    words: str  # group, subgroup, keywords, name (lower case)


def _initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()


def index_entry(item) -> IndexEntry:
    name = item.name
    words = " ".join((name, item.group.value, item.subgroup, *item.keywords)).lower()
    return IndexEntry(item.code, name, _initials(name), "".join(lazy_pinyin(name, errors="ignore")).lower(), words)


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
