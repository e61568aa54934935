"""Where Yichuang keeps its files: platformdirs locations, or one root given by YICHUANG_HOME (tests, portable installs)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "yichuang"
APP_AUTHOR = "Yichuang"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "yichuang.sqlite3"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"


def resolve_paths(home: str | os.PathLike | None = None) -> AppPaths:
    """YICHUANG_HOME (or `home`) puts config, data and logs under one folder; otherwise the platform's dirs."""
    root = home or os.environ.get("YICHUANG_HOME")
    if root:
        base = Path(root).expanduser().resolve()
        return AppPaths(base / "config", base / "data", base / "logs")
    dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
    return AppPaths(Path(dirs.user_config_dir), Path(dirs.user_data_dir), Path(dirs.user_log_dir))


def ensure_writable_dir(data_dir: Path) -> None:
    """Create the data directory if needed and make sure cases can be written there; StoreError (Chinese) if not.
    Light on purpose (no SQLAlchemy): the start-up checks it before the login window shows."""
    from app.errors import StoreError

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据目录 {data_dir}：{exc.strerror}。请联系管理员检查磁盘和权限。",
                         f"mkdir {data_dir}: {exc!r}") from None
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StoreError(f"数据目录 {data_dir} 没有写入权限，业务数据无法保存。请联系管理员修正目录权限。",
                         f"data dir not writable: {data_dir}")
