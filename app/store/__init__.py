"""Local store: SQLite (WAL, synchronous=FULL) through SQLAlchemy 2, schema managed by Alembic."""
from app.store.database import Store, open_store

__all__ = ["Store", "open_store"]
