"""Shared pieces of the certification tests: a field laptop (encrypted store, key store, relay), frames from a
generated video file played through the real camera driver, signatures, and a complete visit draft."""
from __future__ import annotations

import functools
import itertools
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np

from app.certification.face import encode_jpeg
from app.certification.field import FieldService, Staff, VisitDraft
from app.certification.gps import Place
from app.certification.rules import Outcome
from app.clock import utcnow
from app.config import SyncConfig, TerminalConfig
from app.security.keystore import KeyStore
from app.security.passwords import hash_password
from app.store import Store, open_store
from app.store.models import Operator
from app.sync.client import CentralApi
from app.sync.relay import OutboxRelay
from server.demo_data import DEMO_PASSWORD

PRIMARY = Staff("field1", "外勤认证员一")
SECOND_ID = "field2"
_picked = itertools.count()


def next_people(ssns: list[str], n: int) -> list[str]:
    """Different persons for each test of a session that shares one server (from the end of the list)."""
    ordered = list(reversed(ssns))
    return [ordered[next(_picked) % len(ordered)] for _ in range(n)]


@functools.lru_cache(maxsize=1)
def demo_verifier() -> str:
    """One Argon2id verifier of the demo password for every test laptop (hashing costs ~0.5 s)."""
    return hash_password(DEMO_PASSWORD)


def fast_sync(**over) -> SyncConfig:
    base = dict(retry_base_seconds=0.02, retry_cap_seconds=0.3, submit_settle_seconds=0, batch_size=50,
                status_interval_seconds=3600, refdata_interval_seconds=3600, chunk_bytes=4096)
    base.update(over)
    return SyncConfig(**base)


@dataclass
class Laptop:
    terminal_id: str
    data_dir: Path
    keystore: KeyStore
    dek: bytes
    store: Store
    field: FieldService
    relay: OutboxRelay

    def close(self) -> None:
        self.relay.stop()
        self.relay.api.close()
        self.store.close()


def make_laptop(root: Path, url: str, terminal_id: str, *, timeout: float = 2.0, **sync_over) -> Laptop:
    """A field laptop: keys unlocked by field1's credentials, both staff known locally (each logged in online once)."""
    data = root / terminal_id
    ks = KeyStore(data / "keystore.json")
    keys = ks.create(PRIMARY.operator_id, DEMO_PASSWORD)
    store = open_store(data, key=keys.dek)
    with store.session() as s:  # as after each one's online login on this laptop (verifier cached)
        for op_id, name in ((PRIMARY.operator_id, PRIMARY.name), (SECOND_ID, "外勤认证员二")):
            s.add(Operator(operator_id=op_id, name=name, roles=["外勤人员"], agency_code="150102",
                           password_verifier=demo_verifier(), last_online_login_at=utcnow(), disabled=False))
    field = FieldService(store, keys.dek, data / "evidence", terminal_id)
    relay = OutboxRelay(store, CentralApi(url, timeout), TerminalConfig(terminal_id=terminal_id, mode="field"),
                        probe_interval=0.05, sync=fast_sync(**sync_over), operator_id=PRIMARY.operator_id)
    return Laptop(terminal_id, data, ks, keys.dek, store, field, relay)


def portrait(w: int = 640, h: int = 480, dx: int = 0, dy: int = 0, seed: int = 0) -> np.ndarray:
    from devices.sim.camera import portrait_frame

    frame = portrait_frame(w, h)
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    frame = cv2.warpAffine(frame, m, (w, h), borderValue=(248, 248, 248))
    noise = np.random.default_rng(seed).integers(0, 6, frame.shape, dtype=np.uint8)
    return cv2.add(frame, noise)


def write_field_video(path: Path, n: int = 40, size: tuple[int, int] = (640, 480)) -> Path:
    """A short clip of a person moving slightly (what the laptop's camera would see), MJPG in AVI."""
    from devices.sim.camera import write_video

    rng = random.Random(5)
    frames = [portrait(*size, dx=rng.randint(-6, 6), dy=rng.randint(-4, 4), seed=i) for i in range(n)]
    write_video(str(path), frames, fps=25.0)
    return path


def signature_png(seed: int = 0) -> bytes:
    img = np.full((160, 480), 255, np.uint8)
    rng = random.Random(seed)
    pts = [(20 + i * 22, 80 + rng.randint(-40, 40)) for i in range(20)]
    for a, b in zip(pts, pts[1:]):
        cv2.line(img, a, b, 0, 3)
    ok, buf = cv2.imencode(".png", img)
    return buf.tobytes()


def draft_for(visit_id: str, outcome: Outcome, frames: list[np.ndarray], *, seed: int = 0, **extra) -> VisitDraft:
    jpg = [encode_jpeg(f, max_side=960, quality=85) for f in frames]
    photos = {"person": [jpg[0]], "with_staff": [jpg[-1]]}
    if outcome is Outcome.deceased:
        from devices.sim.camera import page_frame

        photos = {"document": [encode_jpeg(page_frame(960, 720)[0], max_side=960)]}
    d = VisitDraft(visit_id=visit_id, outcome=outcome, photos=photos,
                   signature_png=signature_png(seed) if outcome in (Outcome.certified, Outcome.hospitalised) else None,
                   notes="本人在家，精神状况良好" if outcome is not Outcome.not_found else "邻居称本人已外出打工，约下月返回",
                   place=Place("锡林浩特市宝力根苏木巴彦锡勒嘎查", 43.93, 116.07, "gps"),
                   captured_at=utcnow() - timedelta(minutes=1))
    for k, v in extra.items():
        setattr(d, k, v)
    return d
