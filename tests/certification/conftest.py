"""Fixtures of the certification tests: a seeded reference server (demo persons, field operators, 20 home visits),
logged-in clients, and a video file the camera driver plays as the laptop's camera."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server.db import make_engine
from server.demo_data import DEMO_PASSWORD
from server.testing import run_server_in_thread
from tests.certification.helpers import write_field_video


@dataclass(frozen=True)
class Central:
    url: str
    db_url: str


def seed(db_url: str) -> dict:
    from server.certification import seed_demo_certification

    engine = make_engine(db_url)
    try:
        return seed_demo_certification(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    """One seeded server shared by the tests of the session (each test makes its own visits and terminal ids)."""
    tmp = tmp_path_factory.mktemp("cert-central")
    db_url = f"sqlite:///{tmp / 'central.db'}"
    with run_server_in_thread(db_url, seed_demo=True) as url:
        seed(db_url)
        yield Central(url, db_url)


def token(url: str, operator_id: str, terminal_id: str = "T-CERT") -> str:
    r = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": operator_id, "password": DEMO_PASSWORD,
                                                     "terminal_id": terminal_id}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


# The back office of certification (issue 11 matrix): 审核员 assigns visits, runs status changes, compares photos and
# looks at a pensioner; lists and reports are exports of personal data, for the 数据管理员 the seed adds. 管理员
# (system administration) sees no personal data and is refused both.
BACK_OFFICE = "audit1"
DATA_OFFICE = "data1"


def client(url: str, operator_id: str = BACK_OFFICE, terminal_id: str = "T-CERT") -> httpx.Client:
    return httpx.Client(base_url=url, timeout=60,
                        headers={"Authorization": f"Bearer {token(url, operator_id, terminal_id)}"})


def terminal_client(url: str, terminal_id: str) -> httpx.Client:
    r = httpx.post(f"{url}/api/v1/terminals/register", json={
        "terminal_id": terminal_id, "agency_code": "150102", "region_code": "150102", "mode": "field",
        "hostname": "test", "client_version": "test"}, timeout=30)
    assert r.status_code == 200, r.text
    return httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {r.json()['terminal_token']}"})


@pytest.fixture(scope="session")
def field_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_field_video(tmp_path_factory.mktemp("video") / "field-day.avi")


@pytest.fixture
def camera(field_video):
    """The real camera driver playing the generated clip (a file source loops)."""
    from devices.camera.device import CameraDevice

    cam = CameraDevice(str(field_video), frame_timeout=5.0)
    status = cam.open()
    assert status.state.value == "ready", status
    yield cam
    cam.close()


def burst(cam, n: int = 5) -> list:
    """A burst of fresh frames, as the capture screen takes them."""
    return [cam.grab_frame(fresh=True) for _ in range(n)]
