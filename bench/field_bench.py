"""Field-mode timings against the targets of issue 9: a home visit captured and committed (burst from the camera,
real-face check, three photos and the signature encoded, sealed with AES-GCM, bundle signed, one transaction with the
outbox message) ≤ 1 s; syncing a 20-visit day's bundles to the reference server over loopback ≤ 10 s.

The camera is the real driver playing a generated 1280×960 video file; the database is SQLCipher; the server is the
real uvicorn server on SQLite. The second staff member's password check (Argon2id, a deliberate cost) is measured
on its own: it happens once per visit while the colleague types, not in the save.
Usage: .venv/bin/python bench/field_bench.py [--visits 20]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def ms(s: float) -> str:
    return f"{s * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=20)
    args = parser.parse_args(argv)

    import httpx

    from app.certification.face import FaceChecker, encode_jpeg
    from app.certification.field import VisitDraft
    from app.certification.gps import Place
    from app.certification.rules import Outcome
    from app.sync.client import CentralApi
    from devices.camera.device import CameraDevice
    from server.certification import DEMO_VISITS, seed_demo_certification
    from server.db import make_engine
    from server.demo_data import DEMO_PASSWORD
    from server.testing import run_server_in_thread
    from tests.certification.helpers import PRIMARY, SECOND_ID, make_laptop, signature_png, write_field_video

    ok = True
    with tempfile.TemporaryDirectory(prefix="yc-field-bench-") as tmp:
        root = Path(tmp)
        db_url = f"sqlite:///{root / 'central.db'}"
        video = write_field_video(root / "camera.avi", 60, (1280, 960))
        with run_server_in_thread(db_url, seed_demo=True) as url:
            engine = make_engine(db_url)
            seed_demo_certification(engine)
            if args.visits > DEMO_VISITS:
                from server.certification import assign_visits
                from sqlalchemy import select
                from sqlalchemy.orm import Session

                from server.models import CertBenefit

                with Session(engine) as s:
                    ssns = list(s.scalars(select(CertBenefit.ssn)))[: args.visits]
                    assign_visits(s, operator_id="field1", ssns=ssns, reason="", due_by=None, by="admin")
                    s.commit()
            engine.dispose()
            lap = make_laptop(root, url, "TBENCH01", timeout=10.0, batch_size=200)
            token = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": "field1", "password": DEMO_PASSWORD,
                                                                 "terminal_id": "TBENCH01"}).json()["access_token"]
            api = CentralApi(url, 60, token=token)
            t0 = time.perf_counter()
            lap.field.download(api, "field1")
            api.close()
            print(f"visit list download ({len(lap.field.visits())} visits, reference photos): "
                  f"{ms(time.perf_counter() - t0)}")
            camera = CameraDevice(str(video), frame_timeout=5.0)
            camera.open()
            checker = FaceChecker()
            visits = lap.field.visits("field1")[: args.visits]
            commit_times, confirm_times, sizes = [], [], []
            for i, v in enumerate(visits):
                t0 = time.perf_counter()
                conf = lap.field.verify_second_staff(visit_id=v.visit_id, primary_operator_id=PRIMARY.operator_id,
                                                     operator_id=SECOND_ID, password=DEMO_PASSWORD)
                confirm_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                frames = [camera.grab_frame(fresh=False) for _ in range(5)]
                check = checker.check(frames)
                person = encode_jpeg(frames[-1], max_side=1024, quality=82)
                with_staff = encode_jpeg(camera.grab_frame(fresh=False), max_side=1024, quality=82)
                document = encode_jpeg(camera.grab_frame(fresh=False), max_side=1024, quality=82)
                draft = VisitDraft(v.visit_id, Outcome.certified,
                                   {"person": [person], "with_staff": [with_staff], "document": [document]},
                                   signature_png(i), notes=f"走访正常；{check.message}",
                                   place=Place("锡林浩特市宝力根苏木巴彦锡勒嘎查"))
                res = lap.field.commit_visit(draft, PRIMARY, conf)
                commit_times.append(time.perf_counter() - t0)
                sizes.append(res.bytes)
            camera.close()
            med, worst = statistics.median(commit_times), max(commit_times)
            hit = worst <= 1.0
            ok &= hit
            print(f"visit captured and committed (5-frame burst + face check + 3 photos + signature, sealed, signed, "
                  f"one transaction): median {ms(med)}, max {ms(worst)} over {len(commit_times)} visits, "
                  f"{statistics.mean(sizes) / 1024:.0f} KiB of evidence each; target ≤ 1 s "
                  + ("OK" if hit else "MISSED"))
            print(f"second staff confirmation (Argon2id verifier, separate step): median "
                  f"{ms(statistics.median(confirm_times))}")
            t0 = time.perf_counter()
            drained = lap.relay.drain(120)
            sync = time.perf_counter() - t0
            hit = drained and sync <= 10.0
            ok &= hit
            print(f"sync of the day's {len(visits)} bundles over loopback (key registration, upload, central "
                  f"verification): {sync:.2f} s; target ≤ 10 s " + ("OK" if hit else "MISSED"))
            t0 = time.perf_counter()
            wiped = lap.field.wipe_confirmed()
            print(f"wipe after confirmation: {wiped} visits in {ms(time.perf_counter() - t0)}")
            lap.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
