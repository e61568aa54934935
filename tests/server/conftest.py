"""Fixtures for the central server tests: a real uvicorn server on loopback over a SQLite file, and httpx clients."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from server.db import make_engine
from server.demo_data import DEMO_PASSWORD, demo_person, demo_person_ssns
from server.pgtest import postgres_bin_dir, temporary_postgres
from server.testing import run_server_in_thread

@dataclass
class LiveServer:
    base_url: str
    database_url: str
    engine: Engine  # a separate engine for looking into the database from the test


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every server test runs on SQLite and on a throwaway PostgreSQL cluster (server.pgtest)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"
        return
    if postgres_bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI (installer/setup-debian.sh installs it)")
        pytest.skip("PostgreSQL server binaries not installed")
    with temporary_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def live_server(database_url: str) -> Iterator[LiveServer]:
    """One seeded server per database; tests mint fresh ids so they do not disturb each other."""
    with run_server_in_thread(database_url, seed_demo=True) as base_url:
        engine = make_engine(database_url)
        yield LiveServer(base_url, database_url, engine)
        engine.dispose()


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as c:
        yield c


def login(c: httpx.Client, operator_id: str = "demo", password: str = DEMO_PASSWORD) -> httpx.Response:
    return c.post("/api/v1/auth/login", json={"operator_id": operator_id, "password": password, "terminal_id": "T-TEST-01"})


@pytest.fixture(scope="session")
def operator_token(live_server: LiveServer) -> str:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as c:
        r = login(c)
        assert r.status_code == 200, r.text
        return r.json()["access_token"]


@pytest.fixture
def authed(live_server: LiveServer, operator_token: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {operator_token}"}
    with httpx.Client(base_url=live_server.base_url, headers=headers, timeout=30) as c:
        yield c


def make_case(**overrides: Any) -> dict[str, Any]:
    """A valid case body for 城乡居民养老保险参保登记 of an uninsured demo person; fresh ids each call."""
    ssn = demo_person_ssns("uninsured")[0]
    person = demo_person(ssn)
    case_id = str(uuid.uuid4())
    now = datetime(2025, 3, 3, 1, 30, tzinfo=timezone.utc).isoformat()
    body = {
        "case_id": case_id,
        "case_no": f"T01-20250303-{uuid.uuid4().hex[:8]}",
        "item_code": "JM-001",
        "item_name": "城乡居民养老保险参保登记",
        "applicant_ssn": ssn,
        "applicant_name": person.name,
        "agency_code": "150102",
        "terminal_id": "T-TEST-01",
        "operator_id": "demo",
        "status": "受理",
        "accepted_at": now,
        "payload": {"contribution_grade": 300, "bank": "中国农业银行", "note": "测试"},
        "events": [
            {
                "event_id": str(uuid.uuid4()),
                "kind": "accept",
                "from_status": None,
                "to_status": "受理",
                "operator_id": "demo",
                "role": "受理员",
                "terminal_id": "T-TEST-01",
                "at": now,
                "reason": None,
            }
        ],
    }
    body.update(overrides)
    return body


def assert_envelope(r: httpx.Response, status: int, code: str) -> dict[str, str]:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code
    assert set(err) == {"code", "message", "detail"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message"]), "message must be Chinese"
    assert err["detail"]
    return err
