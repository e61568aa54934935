"""Helpers of the command-line tests of issue 11: a terminal home with a config.toml (as `yichuang config init` would
leave it, pointed at a real reference server), and runs of the installed `.venv/bin/yichuang` on it."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import tomli_w

from app.config import load_settings
from app.paths import resolve_paths

YICHUANG = Path(sys.executable).with_name("yichuang")


def write_config(home: Path, url: str, *, encrypt: bool, terminal_id: str | None = None) -> None:
    terminal_id = terminal_id or "T" + hashlib.sha256(str(home).encode()).hexdigest()[:10].upper()
    cfg = {"terminal": {"terminal_id": terminal_id, "mode": "counter"},
           "server": {"url": url, "timeout_seconds": 5, "probe_interval_seconds": 0.05},
           "at_rest": {"encrypt": encrypt, "os_keyring": False},
           "sync": {"retry_base_seconds": 0.02, "retry_cap_seconds": 0.3, "submit_settle_seconds": 0,
                    "chunk_bytes": 4096, "status_interval_seconds": 3600, "refdata_interval_seconds": 3600},
           "retention": {"interval_minutes": 0}}
    path = resolve_paths(home).config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# 一窗 test terminal\n" + tomli_w.dumps(cfg), encoding="utf-8")


def runtime_of(home: Path):
    """The client's runtime on this home, as `yichuang run` builds it from the config file."""
    from app.bootstrap import bootstrap

    paths = resolve_paths(home)
    return bootstrap(paths, load_settings(paths.config_file), console_log=False)


def yichuang(home: Path, *args: str, stdin: str = "", env: dict | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess:
    """The installed command, its standard input a pipe (so the password is read from it, as in a script)."""
    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")},
                "YICHUANG_HOME": str(home), **(env or {})}
    return subprocess.run([str(YICHUANG), *args], input=stdin, capture_output=True, text=True, env=full_env,
                          timeout=timeout)


def files_bytes(root: Path, pattern: str = "*") -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob(pattern) if p.is_file())
