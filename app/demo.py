"""The embedded default: a reference central server as a child process on 127.0.0.1 with its own SQLite file,
simulated devices and a demo operator, so the client runs end to end on one machine."""
from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.config import Settings
from app.paths import APP_AUTHOR, APP_NAME, AppPaths, resolve_paths

log = logging.getLogger(__name__)
DEMO_OPERATOR = ("demo", "演示柜员", ["受理员"], "150102", "demo1234")  # matches server/demo_data.py
DEMO_BANNER = "演示环境：工号 demo，密码 demo1234（中心系统为本机模拟服务）"


def demo_paths() -> AppPaths:
    """YICHUANG_HOME wins; otherwise a separate 'demo' tree so the demo never touches a real terminal's data."""
    if os.environ.get("YICHUANG_HOME"):
        return resolve_paths()
    return resolve_paths(Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)) / "demo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class EmbeddedServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_embedded_server(paths: AppPaths, port: int | None = None) -> EmbeddedServer:
    """Start `python -m server` as a child and return at once: the client works offline until it is up."""
    port = port or free_port()
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{paths.data_dir / 'central-demo.sqlite3'}"
    log_path = paths.log_dir / "central-demo.log"
    out = open(log_path, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", str(port),
                             "--database", db_url, "--seed-demo", "--require-signatures"],
                            stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    out.close()
    server = EmbeddedServer(f"http://127.0.0.1:{port}", proc, log_path)
    atexit.register(server.stop)
    log.info("embedded central server started", extra={"url": server.url, "pid": proc.pid})
    return server


def demo_settings(base: Settings, server_url: str) -> Settings:
    data = base.model_dump()
    data["server"]["url"] = server_url
    data["server"]["probe_interval_seconds"] = 2.0
    data["terminal"]["terminal_id"] = "DEMO01"
    for kind in ("sscard", "idcard", "camera", "receipt_printer", "a4_printer"):  # backends only, not their settings
        data["devices"][kind] = "sim"
    data["production"] = False
    return Settings.model_validate(data)
