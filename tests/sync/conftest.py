"""Fixtures of the sync tests: a real uvicorn reference server (SQLite; the API tests also on PostgreSQL), terminals
with their own data dirs, and logged-in HTTP clients."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from server.demo_data import DEMO_PASSWORD
from server.pgtest import postgres_bin_dir, temporary_postgres
from server.testing import run_server_in_thread

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Central:
    url: str
    db_url: str


@pytest.fixture(scope="session")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    """One seeded SQLite-backed server for the client-side sync tests (each test uses its own terminal ids)."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('sync-central') / 'central.db'}"
    with run_server_in_thread(db_url, seed_demo=True) as url:
        yield Central(url, db_url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def any_central(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    """The sync endpoints on SQLite and on a throwaway PostgreSQL cluster (server.pgtest)."""
    if request.param == "sqlite":
        db_url = f"sqlite:///{tmp_path_factory.mktemp('sync-api') / 'central.db'}"
        with run_server_in_thread(db_url, seed_demo=True) as url:
            yield Central(url, db_url)
        return
    if postgres_bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI (installer/setup-debian.sh installs it)")
        pytest.skip("PostgreSQL server binaries not installed")
    with temporary_postgres() as db_url, run_server_in_thread(db_url, seed_demo=True) as url:
        yield Central(url, db_url)


def login(url: str, operator_id: str = "demo", terminal_id: str = "T-SYNC") -> httpx.Client:
    """An (unopened) client carrying an operator token; use it in a `with`."""
    r = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": operator_id, "password": DEMO_PASSWORD,
                                                     "terminal_id": terminal_id}, timeout=30)
    assert r.status_code == 200, r.text
    return httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {r.json()['access_token']}"})


def terminal_client(url: str, terminal_id: str) -> httpx.Client:
    """An (unopened) client carrying a fresh terminal token; use it in a `with`."""
    r = httpx.post(f"{url}/api/v1/terminals/register", json={
        "terminal_id": terminal_id, "agency_code": "150102", "region_code": "150102", "mode": "counter",
        "hostname": "test", "client_version": "test"}, timeout=30)
    assert r.status_code == 200, r.text
    return httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {r.json()['terminal_token']}"})


def tid(prefix: str = "S") -> str:
    """A fresh terminal id (the servers are shared by the tests of a session)."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"
