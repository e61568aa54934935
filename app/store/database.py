"""Opens the terminal database: SQLite in WAL mode with synchronous=FULL, migrated to the newest schema at start-up.

Callers get a `Store` and use `store.session()`; nothing else knows the file format, so encryption at rest
(a later change) only replaces `_make_engine`.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import StoreError

log = logging.getLogger(__name__)


def _alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("app.store") / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer (sync thread vs UI)
    cur.execute("PRAGMA synchronous=FULL")  # a committed case survives a power cut
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _make_engine(path: Path, key: bytes | None = None) -> Engine:
    """Plain SQLite, or SQLCipher 4 (AES-256) with a raw 32-byte key when `key` is given (encryption at rest)."""
    if key is None:
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    else:
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))
        engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    return engine


def rekey(store: "Store", new_key: bytes) -> None:
    """Re-encrypt the database with a new key (SQLCipher PRAGMA rekey), then reopen the engine with it."""
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    store.engine.dispose()
    store.engine = _make_engine(store.path, new_key)
    store._sessions = sessionmaker(store.engine, expire_on_commit=False)


class Store:
    """The local database of one terminal."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error (so a half-done change never lands)."""
        s = self._sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def pragma(self, name: str) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql(f"PRAGMA {name}").scalar())

    def close(self) -> None:
        self.engine.dispose()


def migrate(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        target = head_revision() if revision == "head" else revision
        if current == target:
            return
        log.info("migrating local database", extra={"from_revision": current, "to_revision": target})
        command.upgrade(_alembic_config(conn), revision)


def open_store(data_dir: Path, *, file_name: str = "yichuang.sqlite3", revision: str = "head",
               key: bytes | None = None) -> Store:
    """Create the data dir if needed, open the database (encrypted when `key` is given) and bring its schema up to
    `revision`."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据目录 {data_dir}：{exc.strerror}。请联系管理员检查磁盘和权限。",
                         f"mkdir {data_dir}: {exc!r}") from None
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StoreError(f"数据目录 {data_dir} 没有写入权限，业务数据无法保存。请联系管理员修正目录权限。",
                         f"data dir not writable: {data_dir}")
    path = data_dir / file_name
    engine = _make_engine(path, key)
    try:
        migrate(engine, revision)
    except (OperationalError, SQLAlchemyError) as exc:
        engine.dispose()
        raise StoreError(f"本地数据库 {path} 无法打开或升级，请运行 yichuang doctor 检查。",
                         f"open/migrate {path}: {exc!r}") from None
    return Store(path, engine)
