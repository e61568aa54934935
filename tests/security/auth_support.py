"""Shared fixtures of tests/security/test_auth*, test_permissions*, test_hardening* (imported by them; not a conftest,
so other helpers' tests in this folder stay independent): a real local store, a real central API on loopback."""
from __future__ import annotations

import pytest

from app.store import open_store


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def central(tmp_path):
    from server.testing import run_server_in_thread

    db = tmp_path / "central.sqlite"
    with run_server_in_thread(f"sqlite:///{db}", seed_demo=True) as url:
        yield url, f"sqlite:///{db}"
