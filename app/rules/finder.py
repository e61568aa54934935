"""The calculators in the counter's finder (Ctrl+F): what a clerk types — "退休年龄", "养老金测算", pinyin initials
(txnl), a keyword (失业金) — also lists the matching calculators, scored like catalog items (app.catalog.finder).
Finder entries of calculators carry the code `calc:<name>` so the window can tell them from catalog items."""
from __future__ import annotations

from functools import lru_cache

from app.catalog.finder import IndexEntry, pinyin_keys, save_pinyin_memo, score
from app.rules import calculators, get_calculator
from app.rules.base import CalculatorSpec

CALC_PREFIX = "calc:"
# words a clerk uses for "a calculator" in general; they list every calculator
GENERIC_WORDS = ("测算", "计算器", "待遇测算", "计算")
# what people say at the counter besides the calculators' own keywords
ALIASES = {"unemployment_benefit": ("失业金", "失业待遇"), "enterprise_pension": ("退休金", "养老待遇"),
           "retirement_age": ("退休时间", "什么时候退休", "弹性退休"), "resident_pension": ("居民养老金", "农村养老金"),
           "injury_death": ("工亡待遇",), "injury_disability": ("伤残津贴", "伤残补助金"),
           "transfer_fund": ("转移基金",), "contribution_base": ("缴费基数",)}


def is_calculator_code(code: str | None) -> bool:
    return bool(code) and code.startswith(CALC_PREFIX)


def calculator_of(code: str) -> CalculatorSpec:
    return get_calculator(code[len(CALC_PREFIX):])


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[IndexEntry, CalculatorSpec], ...]:
    out = []
    for spec in calculators():
        words = " ".join((spec.title, spec.summary, *spec.keywords, *ALIASES.get(spec.name, ()), *GENERIC_WORDS)).lower()
        # pinyin from the catalog's memo (issue 13): pypinyin is imported only for a title new to this machine
        out.append((IndexEntry(CALC_PREFIX + spec.name, spec.title, *pinyin_keys(spec.title), words), spec))
    save_pinyin_memo()
    return tuple(out)


def search_calculators(text: str, limit: int | None = None) -> list[CalculatorSpec]:
    """Calculators matching `text`, best first; none for an empty query (the finder then shows 常用/最近/全部).
    Keyword hits in the short keyword list count like title words, so "失业金" finds 失业保险金测算."""
    q = text.strip().lower()
    if not q:
        return []
    scored = []
    for n, (entry, spec) in enumerate(_index()):
        s = score(entry, q)
        if s <= 0 and q.isascii() and any(q == k.lower() for k in spec.keywords):
            s = 900  # a keyword given as pinyin initials (txnl, sybx) is as good as the title's initials
        if s > 0:
            scored.append((s, n, spec))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [spec for _, _, spec in scored[:limit]]
