"""Opens the terminal database: SQLite in WAL mode with synchronous=FULL, migrated to the newest schema at start-up.

Callers get a `Store` and use `store.session()`; nothing else knows the file format, so encryption at rest
(a later change) only replaces `_make_engine`.
"""
from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

import re
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import StoreError
from app.store.thread_guard import on_cursor_execute

log = logging.getLogger(__name__)


def _alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("app.store") / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


_REVISION_LINE = re.compile(r'^(down_revision|revision)\s*=\s*(?:"([^"]*)"|None)\s*$', re.M)


def quick_head_revision() -> str | None:
    """The newest migration, read from the version files' `revision = "…"` lines without importing Alembic
    (Alembic with Mako and Pygments costs ~150 ms and ~15 MB at every start; it is imported only when a migration
    has to run). None when the files do not form one simple chain: then Alembic decides."""
    revisions, parents = set(), set()
    for path in (resources.files("app.store") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py") or path.name.startswith("__"):
            continue
        found = dict((k, v or None) for k, v in _REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(conn) -> str | None:
    """The database's schema revision (Alembic's own table), read with plain SQL."""
    if not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").first():
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return row[0] if row else None


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
    event.listen(engine, "before_cursor_execute", on_cursor_execute)  # issue 13: none on the GUI thread
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
            return _current_revision(conn)

    def pragma(self, name: str) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql(f"PRAGMA {name}").scalar())

    def close(self) -> None:
        self.engine.dispose()


def migrate(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        current = _current_revision(conn)
        target = (quick_head_revision() or head_revision()) if revision == "head" else revision
        if current == target:
            return
        from alembic import command

        log.info("migrating local database", extra={"from_revision": current, "to_revision": target})
        command.upgrade(_alembic_config(conn), revision)


def open_store(data_dir: Path, *, file_name: str = "yichuang.sqlite3", revision: str = "head",
               key: bytes | None = None) -> Store:
    """Create the data dir if needed, open the database (encrypted when `key` is given) and bring its schema up to
    `revision`."""
    from app.paths import ensure_writable_dir

    ensure_writable_dir(data_dir)
    path = data_dir / file_name
    engine = _make_engine(path, key)
    try:
        migrate(engine, revision)
    except (OperationalError, SQLAlchemyError) as exc:
        engine.dispose()
        raise StoreError(f"本地数据库 {path} 无法打开或升级，请运行 yichuang doctor 检查。",
                         f"open/migrate {path}: {exc!r}") from None
    return Store(path, engine)
