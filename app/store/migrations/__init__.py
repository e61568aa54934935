"""Alembic migrations of the local database (applied at start-up by app.store.database)."""
