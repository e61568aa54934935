"""Database plumbing for the central server: engine, sessions and the UTC datetime column type."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """An instant stored as naive UTC (portable across SQLite and PostgreSQL) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def make_engine(database_url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout so threads wait instead of failing."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    memory = not url.database or url.database == ":memory:"
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        # one shared connection, or each pooled connection would see its own empty in-memory database
        poolclass=StaticPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return engine


def create_schema(engine: Engine) -> None:
    """Every table of the reference server, including those its feature modules declare (queue, card status,
    contributions, terminal keys, operator security), so `yichuang-server` prepares the whole schema before workers
    start."""
    import server.contributions  # noqa: F401  (each import registers its tables on Base.metadata)
    import server.operators_auth  # noqa: F401
    import server.queue  # noqa: F401
    import server.rights  # noqa: F401  (issue 10: rights-record look-up audit)
    import server.service_ratings  # noqa: F401  (issue 10: 好差评 of visits)
    import server.sscard_status  # noqa: F401
    import server.terminal_auth  # noqa: F401
    from server.models import Base

    Base.metadata.create_all(engine)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
