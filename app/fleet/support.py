"""The support bundle for the help desk: one zip with the logs, the configuration (secrets removed) and where each
value came from, the device states, the provisioning and update records, and versions. Personal data is masked in
every member (ID and mobile numbers; app.fleet.redact), and nothing from the local database is included."""
from __future__ import annotations

import dataclasses
import json
import os
import platform
import re
import sys
import zipfile
from datetime import datetime
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import Any

from app.config import PROVISIONING_RECORD, load_settings_with_sources
from app.errors import YichuangError
from app.fleet.redact import REMOVED, SECRET_KEYS, mask_personal_text, redact_tree, redact_values
from app.paths import AppPaths
from app.version import API_VERSION, __version__

DISTRIBUTIONS = ("yichuang", "PySide6-Essentials", "SQLAlchemy", "alembic", "pydantic", "httpx", "reportlab",
                 "pyscard", "cryptography", "sqlcipher3")
_SECRET_LINE = re.compile(r"^(\s*(?:%s)\s*=).*$" % "|".join(re.escape(k.rsplit(".", 1)[1]) for k in SECRET_KEYS),
                          re.MULTILINE)

README = """一窗 支持包（发给技术支持）
logs/            运行日志（身份证号、手机号已脱敏）
config/          生效配置及每项来源（effective.json）、配置文件（config.toml，密钥已移除）、集中配置记录
devices.json     外设状态
versions.json    版本：客户端、接口、Python、Qt、操作系统、数据库结构
updates.json     更新记录（已推迟的版本等）
不含本地数据库和任何业务档案。
"""


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def device_report(statuses) -> list[dict[str, Any]]:
    out = []
    for st in statuses or []:
        row = _plain(dataclasses.asdict(st)) if dataclasses.is_dataclass(st) else {"status": str(st)}
        label = getattr(st, "label", None)
        if label:
            row["label"] = label
        out.append(row)
    return out


def versions(store=None) -> dict[str, Any]:
    info: dict[str, Any] = {"yichuang": __version__, "api_version": API_VERSION, "python": sys.version.split()[0],
                            "platform": platform.platform(), "machine": platform.machine(),
                            "frozen": bool(getattr(sys, "frozen", False)), "executable": sys.executable}
    try:
        os_release = Path("/etc/os-release").read_text(encoding="utf-8")
        info["os"] = next((ln.split("=", 1)[1].strip('"') for ln in os_release.splitlines()
                           if ln.startswith("PRETTY_NAME=")), "")
    except OSError:
        info["os"] = platform.system()
    try:  # the Qt the PySide6 wheel bundles (its version is Qt's); app/ does not import Qt itself
        from importlib.metadata import version

        info["qt"] = version("PySide6-Essentials")
    except Exception as exc:  # noqa: BLE001 - a support bundle reports, it does not fail
        info["qt"] = f"unavailable: {exc}"
    packages = {}
    for dist in DISTRIBUTIONS:
        try:
            packages[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            packages[dist] = None
    info["packages"] = packages
    if store is not None:
        try:
            info["schema_revision"] = store.schema_revision()
        except Exception as exc:  # noqa: BLE001
            info["schema_revision"] = f"unavailable: {exc}"
    return info


def configuration_members(paths: AppPaths, environ: dict[str, str] | None = None,
                          running_settings=None) -> dict[str, str]:
    """config/effective.json (value and source of every key, secrets removed), config/config.toml without its
    secrets, and the provisioning record."""
    members: dict[str, str] = {}
    try:
        eff = load_settings_with_sources(paths.config_file, environ)
        values = redact_values(eff.values)
        members["config/effective.json"] = _json({
            "config_file": str(paths.config_file),
            "values": {k: {"value": values[k], "source": eff.sources[k].kind, "source_label": eff.sources[k].label,
                           "detail": eff.sources[k].detail} for k in values}})
    except YichuangError as exc:
        members["config/effective.json"] = _json({"config_file": str(paths.config_file), "error": exc.user_message})
    if running_settings is not None:
        from app.config import _flatten

        members["config/running.json"] = _json(redact_values(_flatten(running_settings.model_dump(mode="json"))))
    if paths.config_file.exists():
        text = paths.config_file.read_text(encoding="utf-8", errors="replace")
        try:
            import tomllib

            import tomli_w

            text = tomli_w.dumps(redact_tree(tomllib.loads(text)))
        except ValueError:  # unparseable: remove secret lines textually, keep the rest for diagnosis
            text = _SECRET_LINE.sub(lambda m: f'{m.group(1)} "{REMOVED}"', text)
        members["config/config.toml"] = text
    record = paths.config_file.with_name(PROVISIONING_RECORD)
    if record.exists():
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            data["values"] = redact_values(data.get("values", {}))
            members["config/provisioning.json"] = _json(data)
        except (OSError, ValueError, AttributeError) as exc:
            members["config/provisioning.json"] = _json({"error": repr(exc)})
    return members


def make_support_bundle(paths: AppPaths, *, device_statuses=None, store=None, running_settings=None,
                        out_dir: Path | None = None, terminal_id: str = "", environ: dict[str, str] | None = None,
                        now: datetime | None = None) -> Path:
    """Write the zip and return its path (default: <data dir>/support/yichuang-support-<terminal>-<time>.zip)."""
    now = now or datetime.now()
    out_dir = out_dir or (paths.data_dir / "support")
    out_dir.mkdir(parents=True, exist_ok=True)
    safe_id = re.sub(r"[^A-Za-z0-9-]", "", terminal_id) or "terminal"
    target = out_dir / f"yichuang-support-{safe_id}-{now:%Y%m%d-%H%M%S}.zip"
    members: dict[str, str] = {"README.txt": README}
    members.update(configuration_members(paths, environ, running_settings))
    members["devices.json"] = _json(device_report(device_statuses))
    members["versions.json"] = _json(versions(store))
    state = paths.data_dir / "updates" / "state.json"
    members["updates.json"] = state.read_text(encoding="utf-8", errors="replace") if state.exists() else "{}\n"
    log_files = sorted(p for p in paths.log_dir.glob("*") if p.is_file()) if paths.log_dir.is_dir() else []
    part = target.with_name(target.name + ".part")
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, mask_personal_text(text))
        for log_file in log_files:
            with log_file.open("r", encoding="utf-8", errors="replace") as fh, \
                    zf.open(f"logs/{log_file.name}", "w", force_zip64=True) as out:
                for line in fh:  # line by line: rotated logs can be tens of megabytes
                    out.write(mask_personal_text(line).encode("utf-8"))
    os.replace(part, target)
    return target


def bundle_for_runtime(runtime, out_dir: Path | None = None) -> Path:
    """The bundle of a running client (the admin page's button)."""
    return make_support_bundle(runtime.paths, device_statuses=runtime.devices.statuses(), store=runtime.store,
                               running_settings=runtime.settings, out_dir=out_dir,
                               terminal_id=runtime.settings.terminal.terminal_id)
