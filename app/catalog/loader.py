"""Loads the catalog (one YAML file per item under resources/catalog/items), validates it, and keeps a compiled copy
(pickled, keyed by the files' names, sizes and mtimes) so start-up does not re-parse 156 YAML files. A broken file is
hidden with a logged error; the rest still load."""
from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.catalog.finder import Finder, index_entry, save_pinyin_memo, use_pinyin_memo
from app.catalog.model import SCHEMA_VERSION, ServiceItem

log = logging.getLogger(__name__)
CATALOG_VERSION = "2024.1"  # seed 004: 内蒙古自治区人力资源和社会保障领域基本公共服务标准化指南（2024年9月）
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class CatalogProblem:
    file: str
    message: str  # names the field: "time_limit_promised.days: Field required"


@dataclass
class Catalog:
    version: str
    items: tuple[ServiceItem, ...]
    problems: tuple[CatalogProblem, ...] = ()
    _by_code: dict[str, ServiceItem] = field(default_factory=dict, repr=False)
    _finder: Finder | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {i.code: i for i in self.items}

    def get(self, code: str) -> ServiceItem:
        return self._by_code[code]

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    @property
    def finder(self) -> Finder:
        if self._finder is None:
            self._finder = Finder([index_entry(i) for i in self.items])
            save_pinyin_memo()  # names new to this machine (issue 13: pypinyin is not loaded when they are known)
        return self._finder

    def search(self, text: str, limit: int | None = None) -> list[ServiceItem]:
        """Items matching a Chinese name, pinyin initials (cxjmcbdj), full pinyin, group or keyword, best first."""
        return [self._by_code[c] for c in self.finder.search(text, limit)]


def default_items_dir() -> Path:
    return Path(str(resources.files("resources") / "catalog" / "items"))


def _explain(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors())


def parse_item_file(path: Path) -> ServiceItem:
    """Raise ValueError naming the file and the failing field."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: YAML syntax: {exc}") from None
    try:
        item = ServiceItem.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path.name}: {_explain(exc)}") from None
    if item.code != path.stem:
        raise ValueError(f"{path.name}: code {item.code!r} must equal the file name")
    return item


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256(f"schema{SCHEMA_VERSION}".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:24]


def load_catalog(directory: Path | None = None, cache_dir: Path | None = None) -> Catalog:
    directory = directory or default_items_dir()
    files = sorted(directory.glob("*.yaml"))
    cache = None
    if cache_dir is not None:
        use_pinyin_memo(cache_dir / "pinyin-memo.json")
        cache = cache_dir / f"catalog-{_fingerprint(files)}.pickle"
        try:
            with open(cache, "rb") as fh:
                items, problems = pickle.load(fh)
            return Catalog(CATALOG_VERSION, items, problems)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            pass  # absent or stale: rebuild below
    items, problems, seen = [], [], set()
    for path in files:
        try:
            item = parse_item_file(path)
            if item.code in seen:
                raise ValueError(f"{path.name}: duplicate code {item.code}")
        except ValueError as exc:
            log.error("catalog entry hidden: %s", exc)
            problems.append(CatalogProblem(path.name, str(exc)))
            continue
        seen.add(item.code)
        items.append(item)
    items.sort(key=lambda i: (i.source.file, i.source.line))  # the standard's own order
    catalog = Catalog(CATALOG_VERSION, tuple(items), tuple(problems))
    if cache is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            for old in cache_dir.glob("catalog-*.pickle"):
                old.unlink(missing_ok=True)
            tmp = cache.with_suffix(".tmp")
            with open(tmp, "wb") as fh:
                pickle.dump((catalog.items, catalog.problems), fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
        except OSError as exc:
            log.warning("catalog cache not written: %s", exc)
    return catalog
