"""Loads and validates every catalog YAML file under resources/catalog/items; a bad entry names its file."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.catalog.model import ServiceItem
from app.errors import ConfigError

CATALOG_VERSION = "2024.1"  # seed 004: 内蒙古自治区社会保险经办服务标准化指南（2024）


@dataclass(frozen=True)
class Catalog:
    version: str
    items: tuple[ServiceItem, ...]

    def get(self, code: str) -> ServiceItem:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def search(self, text: str) -> list[ServiceItem]:
        """Items whose name, group or keywords contain every whitespace-separated word of `text`."""
        words = text.split()
        if not words:
            return list(self.items)
        def hay(i: ServiceItem) -> str:
            return " ".join((i.name, i.group, *i.keywords)).lower()
        return [i for i in self.items if all(w.lower() in hay(i) for w in words)]


def _default_dir() -> Path:
    return Path(str(resources.files("resources") / "catalog" / "items"))


def load_catalog(directory: Path | None = None) -> Catalog:
    directory = directory or _default_dir()
    items = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            items.append(ServiceItem.model_validate(data))
        except (yaml.YAMLError, ValidationError) as exc:
            raise ConfigError(f"业务事项目录文件 {path.name} 有误，请联系管理员更新目录。", f"catalog {path}: {exc}") from None
    codes = [i.code for i in items]
    dupes = {c for c in codes if codes.count(c) > 1}
    if dupes:
        raise ConfigError("业务事项目录中存在重复的事项编码。", f"duplicate item codes: {sorted(dupes)}")
    return Catalog(CATALOG_VERSION, tuple(items))
