"""Provisioning: one file (or URL) from the IT office configures a terminal — agency, mode, devices, central API,
pins (update signing keys) — written into the terminal's config.toml atomically, validated before it replaces
anything. A record beside it (provisioning.json) remembers which keys came from which source, so the admin page
can say where each value came from, and re-provisioning drops what an earlier provisioning file set.

The file is TOML (or JSON) with the sections of config.toml, plus an optional [provisioning] section about the
file itself, e.g. a table of terminal ids by host name so one file serves every terminal of an agency:

    [terminal]
    agency_code = "150102"
    mode = "counter"
    [server]
    url = "https://si.example.gov.cn"
    [devices]
    sscard = "real"
    [pins]
    update_keys = ["base64 of the Ed25519 public key"]
    [provisioning]
    terminal_ids = { "counter-07" = "T07" }
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from app.config import PROVISIONING_RECORD, Settings, _flatten, load_settings
from app.errors import ConfigError
from app.paths import AppPaths

META_SECTION = "provisioning"
MAX_BYTES = 1_000_000


class ProvisioningError(ConfigError):
    code = "provisioning_failed"


@dataclass
class ProvisionResult:
    config_file: Path
    source: str
    sha256: str
    settings: Settings
    applied: dict[str, Any]  # dotted key → value this provisioning wrote
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # dotted key → (before, after), effective


def _fetch(source: str, timeout: float) -> bytes:
    if source.startswith(("http://", "https://")):
        import httpx

        try:
            resp = httpx.get(source, timeout=timeout, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise ProvisioningError(f"无法下载集中配置文件 {source}：{exc}", f"provisioning fetch {source}: {exc!r}") from None
        if resp.status_code != 200:
            raise ProvisioningError(f"下载集中配置文件 {source} 失败（HTTP {resp.status_code}）",
                                    f"provisioning fetch {source}: HTTP {resp.status_code}")
        return resp.content[: MAX_BYTES + 1]
    path = Path(source[len("file://"):] if source.startswith("file://") else source).expanduser()
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ProvisioningError(f"无法读取集中配置文件 {path}：{exc.strerror}", f"provisioning read {path}: {exc!r}") from None


def parse_provisioning(raw: bytes, source: str) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise ProvisioningError(f"集中配置文件 {source} 过大", f"provisioning {source}: more than {MAX_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProvisioningError(f"集中配置文件 {source} 不是 UTF-8 编码", f"provisioning {source}: not UTF-8") from None
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ProvisioningError(f"集中配置文件 {source} 格式错误（{exc}）", f"provisioning {source}: {exc}") from None
    if not isinstance(data, dict):
        raise ProvisioningError(f"集中配置文件 {source} 格式错误", f"provisioning {source}: not a table")
    return data


def _atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a sibling temp file, fsync it, rename it over `path`, fsync the folder: old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dfd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for p in parents:
        tree = tree.setdefault(p, {})
    tree[last] = value


def _unset(tree: dict[str, Any], dotted: str) -> None:
    *parents, last = dotted.split(".")
    nodes = [tree]
    for p in parents:
        nxt = nodes[-1].get(p)
        if not isinstance(nxt, dict):
            return
        nodes.append(nxt)
    nodes[-1].pop(last, None)
    for parent, node, name in reversed(list(zip(nodes, nodes[1:], parents))):
        if not node:
            parent.pop(name, None)


def provision(source: str, paths: AppPaths, *, terminal_id: str | None = None, expected_sha256: str | None = None,
              hostname: str | None = None, fetch: Callable[[str, float], bytes] = _fetch,
              timeout: float = 15.0) -> ProvisionResult:
    """Apply the provisioning file at `source` (path, file:// or http(s):// URL) to this terminal's config.toml.

    Keys set locally and not named by the file stay; keys an earlier provisioning wrote (still unchanged) are
    replaced by this file's. `terminal_id` (command line) wins over the file's [provisioning] terminal_ids table.
    Nothing is written unless the result is a valid configuration. Raises ProvisioningError / ConfigError."""
    raw = fetch(source, timeout)
    digest = hashlib.sha256(raw).hexdigest()
    if expected_sha256 and digest != expected_sha256.strip().lower():
        raise ProvisioningError(f"集中配置文件 {source} 的校验值不符，可能被篡改，未应用",
                                f"provisioning {source}: sha256 {digest} != expected {expected_sha256}")
    data = parse_provisioning(raw, source)
    meta = data.pop(META_SECTION, {})
    if not isinstance(meta, dict):
        raise ProvisioningError(f"集中配置文件 {source} 的 [{META_SECTION}] 一节格式错误", f"{META_SECTION} not a table")
    applied = _flatten(data)
    host = hostname or socket.gethostname()
    ids = meta.get("terminal_ids", {})
    if isinstance(ids, dict) and host in ids:
        applied["terminal.terminal_id"] = ids[host]

    config_file = paths.config_file
    record_file = config_file.with_name(PROVISIONING_RECORD)
    current: dict[str, Any] = {}
    broken = False
    try:
        before = _flatten(load_settings(config_file, {}).model_dump(mode="json"))
        if config_file.exists():
            current = tomllib.loads(config_file.read_text(encoding="utf-8"))  # valid: load_settings just read it
    except ConfigError:  # a broken local file is kept aside and replaced: provisioning is how a terminal is repaired
        before = _flatten(Settings().model_dump(mode="json"))
        broken = True
    old_record = _read_record(record_file)
    current_flat = _flatten(current)
    for key, value in old_record.get("values", {}).items():  # drop what the previous provisioning file set
        if current_flat.get(key) == value:
            _unset(current, key)
    for key, value in applied.items():
        _set(current, key, value)
    if terminal_id:
        _set(current, "terminal.terminal_id", terminal_id)
        applied.pop("terminal.terminal_id", None)  # a local choice, not the file's

    import tomli_w

    header = (f"# 一窗 Yichuang 终端配置。由集中配置文件 {source} 于 {datetime.now().astimezone():%Y-%m-%d %H:%M} 写入；"
              "本机修改的项保留。\n")
    body = (header + tomli_w.dumps(current)).encode("utf-8")
    # Validate exactly what will be written (the same reader and messages as start-up) before replacing anything.
    config_file.parent.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".config.", suffix=".toml", dir=config_file.parent)
    os.close(fd)
    try:
        Path(probe).write_bytes(body)
        try:
            settings = load_settings(Path(probe), {})
        except ConfigError as exc:
            raise ProvisioningError(exc.user_message.replace(probe, f"集中配置文件 {source}"),
                                    f"provisioning {source}: {exc.detail}") from None
    finally:
        Path(probe).unlink(missing_ok=True)
    if broken:
        shutil.copy2(config_file, config_file.with_name(f"{config_file.name}.broken-{datetime.now():%Y%m%d%H%M%S}"))
    _atomic_write(config_file, body)
    record = {"source": source, "sha256": digest, "applied_at": datetime.now(timezone.utc).isoformat(),
              "hostname": host, "version": meta.get("version"), "values": applied}
    _atomic_write(record_file, json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
    after = _flatten(settings.model_dump(mode="json"))
    changed = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
    return ProvisionResult(config_file, source, digest, settings, applied, changed)


def _read_record(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_record(paths: AppPaths) -> dict[str, Any]:
    """The last provisioning applied to this terminal ({} when never provisioned)."""
    return _read_record(paths.config_file.with_name(PROVISIONING_RECORD))
