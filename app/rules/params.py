"""Parameters as data: effective-dated, region-scoped values in YAML files, each with its source.

Files: resources/parameters/*.yaml (shipped) and <data_dir>/parameters/*.yaml (official values an administrator
imported; they win over shipped ones for the same region and period). `definitions.yaml` names every key, its
unit, its kind and its value type; the other files hold values:

    parameters:
      - key: avg_wage_monthly          # defined in definitions.yaml
        region: "150000"               # 行政区划代码; "000000" = national
        year: 2024                     # yearly statistics …
        # from: 2025-01-01             # … or an effective period (from, optional to) for rules and rates
        value: 7400
        source: 内蒙古自治区统计局公布   # required: where the value comes from
        sample: true                   # true = not an official value (the seeds do not give it)
        note: 示例值，请导入官方公布值

Lookup walks the region chain 150404 → 150400 → 150000 → 000000: a 盟市 or 旗县 value overrides the
autonomous region's, which overrides the national one. Nothing is ever defaulted: a value missing for the region
chain and the period raises MissingParameter naming the parameter and the year/date.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml

from app.rules.errors import MissingParameter, ParameterFileError

NATIONAL = "000000"
SHIPPED, IMPORTED, EXTRA = 0, 1, 2
ORIGIN_TEXT = {SHIPPED: "内置参数", IMPORTED: "管理员导入", EXTRA: "附加参数文件"}
DEFINITIONS_FILE = "definitions.yaml"


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    unit: str
    kind: str        # "yearly" (value for a statistics year) or "dated" (in force from a date)
    type: str        # decimal, int, text, table
    description: str = ""


@dataclass(frozen=True)
class ParamEntry:
    key: str
    name: str
    unit: str
    region: str
    value: Any
    source: str
    sample: bool
    note: str
    year: int | None
    start: date | None
    end: date | None
    origin: str       # file it came from
    layer: int

    def period(self) -> str:
        if self.year is not None:
            return f"{self.year}年度"
        if self.end:
            return f"{self.start.isoformat()} 至 {self.end.isoformat()}"
        return f"{self.start.isoformat()} 起"

    def covers(self, on: date) -> bool:
        return self.start is not None and self.start <= on and (self.end is None or on <= self.end)


def region_chain(region: str) -> list[str]:
    """150404 → [150404, 150400, 150000, 000000]: the 旗县, its 盟市, the province, the nation."""
    code = (region or "").strip()
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"region must be a 6-digit 行政区划代码, not {region!r}")
    chain = [code, code[:4] + "00", code[:2] + "0000", NATIONAL]
    return list(dict.fromkeys(chain))


class ParameterSet:
    def __init__(self, definitions: dict[str, Definition], entries: Iterable[ParamEntry], regions: dict[str, str],
                 files: list[Path]):
        self.definitions = definitions
        self.regions = regions
        self.files = files
        self._by_key: dict[str, list[ParamEntry]] = {}
        for e in entries:
            self._by_key.setdefault(e.key, []).append(e)

    # -- lookup ----------------------------------------------------------------------------------------------------
    def region_name(self, code: str) -> str:
        if code in self.regions:
            return self.regions[code]
        for parent in region_chain(code)[1:]:
            if parent in self.regions and parent != NATIONAL:
                return f"{self.regions[parent]}（{code}）"
        return f"行政区划{code}"

    def definition(self, key: str) -> Definition:
        try:
            return self.definitions[key]
        except KeyError:
            raise KeyError(f"parameter {key!r} is not defined in {DEFINITIONS_FILE}") from None

    def get(self, key: str, region: str, *, on: date | None = None, year: int | None = None,
            hint: str = "") -> ParamEntry:
        """The entry in force for the region (or the nearest region above it) on `on`, or for statistics `year`."""
        d = self.definition(key)
        if d.kind == "yearly":
            if year is None:
                raise ValueError(f"{key} is a yearly parameter: pass year=")
            match = lambda e: e.year == year  # noqa: E731
            period = f"{year}年度"
        else:
            if on is None:
                raise ValueError(f"{key} is a dated parameter: pass on=")
            match = lambda e: e.covers(on)  # noqa: E731
            period = f"{on.year}年（{on.isoformat()}）"
        entries = self._by_key.get(key, [])
        for code in region_chain(region):
            found = [e for e in entries if e.region == code and match(e)]
            if found:
                return max(found, key=lambda e: (e.layer, e.start or date.min, e.origin))
        raise MissingParameter(key, d.name, region, self.region_name(region), period, hint)

    def has(self, key: str, region: str, *, on: date | None = None, year: int | None = None) -> bool:
        try:
            self.get(key, region, on=on, year=year)
            return True
        except MissingParameter:
            return False

    def entries(self, key: str | None = None) -> list[ParamEntry]:
        keys = [key] if key else sorted(self._by_key)
        return [e for k in keys for e in sorted(self._by_key.get(k, []),
                                                 key=lambda e: (e.region, e.year or 0, e.start or date.min))]


# -- loading ---------------------------------------------------------------------------------------------------------

def shipped_dir() -> Path:
    return Path(str(importlib_resources.files("resources") / "parameters"))


def imported_dir(data_dir: Path) -> Path:
    """Where an administrator's official parameter files are kept on this terminal."""
    return Path(data_dir) / "parameters"


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterFileError(f"无法读取参数文件：{path.name}", f"{path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ParameterFileError(f"参数文件格式错误（不是有效的 YAML）：{path.name}", f"{path}: {exc}") from exc


def load_definitions(directory: Path | None = None) -> tuple[dict[str, Definition], dict[str, str]]:
    path = (directory or shipped_dir()) / DEFINITIONS_FILE
    data = _read_yaml(path) or {}
    defs = {}
    for key, d in (data.get("definitions") or {}).items():
        kind, typ = d.get("kind"), d.get("type")
        if kind not in ("yearly", "dated") or typ not in ("decimal", "int", "text", "table"):
            raise ParameterFileError(f"参数定义有误：{key}", f"{path}: bad kind/type for {key}: {kind}/{typ}")
        defs[key] = Definition(key, str(d["name"]), str(d.get("unit", "")), kind, typ, str(d.get("description", "")))
    regions = {str(k): str(v) for k, v in (data.get("regions") or {}).items()}
    return defs, regions


def _to_decimal_tree(value: Any) -> Any:
    """YAML numbers → Decimal (floats through their repr, so 0.6 stays 0.6); containers recursively."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {(str(k) if not isinstance(k, int) else k): _to_decimal_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_decimal_tree(v) for v in value]
    return value


def _as_date(value: Any, what: str, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParameterFileError(f"参数文件中的日期格式错误（应为 YYYY-MM-DD）：{where}",
                                 f"{where}: bad {what} {value!r}") from None


def parse_file(path: Path, definitions: dict[str, Definition], layer: int) -> list[ParamEntry]:
    """Entries of one parameter file, checked against the definitions; raise ParameterFileError naming the entry."""
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), list):
        raise ParameterFileError(f"参数文件缺少 parameters 列表：{path.name}", f"{path}: no 'parameters' list")
    defaults = data.get("defaults") or {}
    out: list[ParamEntry] = []
    for n, raw in enumerate(data["parameters"], start=1):
        where = f"{path.name} 第{n}项"
        if not isinstance(raw, dict):
            raise ParameterFileError(f"参数文件条目格式错误：{where}", f"{path}: entry {n} is not a mapping")
        item = {**defaults, **raw}
        key = item.get("key")
        if key not in definitions:
            raise ParameterFileError(f"参数文件中有未定义的参数“{key}”：{where}", f"{path}: unknown key {key!r}")
        d = definitions[key]
        where = f"{path.name} 第{n}项（{d.name}）"
        raw_region = item.get("region", "")
        # an unquoted 000000 reaches us as the int 0; a quoted code must already have its 6 digits
        region = str(raw_region).zfill(6) if isinstance(raw_region, int) and not isinstance(raw_region, bool) \
            else str(raw_region).strip()
        if len(region) != 6 or not region.isdigit():
            raise ParameterFileError(f"参数的地区代码应为6位行政区划代码：{where}", f"{path}: bad region in entry {n}")
        source = str(item.get("source") or "").strip()
        if not source:
            raise ParameterFileError(f"参数缺少来源（source）：{where}", f"{path}: entry {n} has no source")
        if "value" not in item or item["value"] is None:
            raise ParameterFileError(f"参数缺少取值（value）：{where}", f"{path}: entry {n} has no value")
        year, start, end = item.get("year"), _as_date(item.get("from"), "from", where), _as_date(item.get("to"), "to", where)
        if d.kind == "yearly":
            if not isinstance(year, int) or start or end:
                raise ParameterFileError(f"年度参数须写 year（统计年度），不能写 from/to：{where}",
                                         f"{path}: yearly {key} needs year")
        else:
            if start is None or year is not None:
                raise ParameterFileError(f"须写生效日期 from（YYYY-MM-DD）：{where}", f"{path}: dated {key} needs from")
            if end is not None and end < start:
                raise ParameterFileError(f"失效日期早于生效日期：{where}", f"{path}: to < from in entry {n}")
        value = _to_decimal_tree(item["value"])
        _check_type(d, value, where)
        out.append(ParamEntry(key, d.name, d.unit, region, value, source, bool(item.get("sample", False)),
                              str(item.get("note") or ""), year, start, end, str(path), layer))
    _check_overlaps(out, path)
    return out


def _check_type(d: Definition, value: Any, where: str) -> None:
    ok = {"decimal": lambda v: isinstance(v, Decimal),
          "int": lambda v: isinstance(v, Decimal) and v == v.to_integral_value(),
          "text": lambda v: isinstance(v, str),
          "table": lambda v: isinstance(v, (dict, list))}[d.type](value)
    if not ok:
        raise ParameterFileError(f"参数取值类型不对（应为{ {'decimal': '数值', 'int': '整数', 'text': '文字', 'table': '表'}[d.type] }）：{where}",
                                 f"{where}: value {value!r} is not {d.type}")
    if d.type in ("decimal", "int") and value < 0:
        raise ParameterFileError(f"参数取值不能为负数：{where}", f"{where}: negative value {value}")


def _check_overlaps(entries: list[ParamEntry], path: Path) -> None:
    """Within one file, two values of one key for the same region and period would make the lookup ambiguous."""
    seen: dict[tuple, ParamEntry] = {}
    for e in entries:
        slot = (e.key, e.region, e.year, e.start)
        if slot in seen:
            raise ParameterFileError(f"参数“{e.name}”在同一地区、同一期间有两个取值：{path.name}",
                                     f"{path}: duplicate {e.key} {e.region} {e.period()}")
        seen[slot] = e


def load_parameters(data_dir: Path | None = None, extra_dirs: Iterable[Path] = (),
                    shipped: Path | None = None) -> ParameterSet:
    """Shipped files, then the administrator's imported files (data_dir/parameters), then extra folders."""
    base = shipped or shipped_dir()
    definitions, regions = load_definitions(base)
    entries: list[ParamEntry] = []
    files: list[Path] = []
    layers = [(base, SHIPPED)]
    if data_dir is not None:
        layers.append((imported_dir(data_dir), IMPORTED))
    layers += [(Path(d), EXTRA) for d in extra_dirs]
    for folder, layer in layers:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            if path.name == DEFINITIONS_FILE:
                continue
            entries += parse_file(path, definitions, layer)
            files.append(path)
    return ParameterSet(definitions, entries, regions, files)


def import_parameter_file(source: Path, data_dir: Path) -> tuple[Path, list[ParamEntry]]:
    """Check an official parameter file and install it for this terminal; nothing is copied when it is invalid."""
    definitions, _ = load_definitions()
    entries = parse_file(Path(source), definitions, IMPORTED)
    target_dir = imported_dir(data_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"{stamp}-{Path(source).stem}.yaml"
    tmp = target.with_suffix(".part")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    return target, entries
