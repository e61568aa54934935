"""A full field day: before leaving, the visit list is downloaded (20 visits, reference photos); the network is gone
all day; 20 visits are captured with photos from the camera driver playing a video file, on-screen signatures, the
second staff member's confirmation, one person found deceased; at night the laptop syncs to a real server through a
fault-injecting proxy (dropped, truncated, failed and delayed requests) — nothing is lost or doubled, every bundle is
verified centrally, the death starts the termination path, and the laptop wipes the field data only after the
server confirmed each bundle. A copy of the laptop's disk taken during the day reveals nothing readable."""
from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.certification.rules import Outcome
from app.clock import local_today
from app.store.models import CertEvidence, CertVisit, OutboxMessage
from app.sync.client import CentralApi
from server.db import make_engine
from server.demo_data import DEMO_PASSWORD
from server.models import CertBenefit, CertEvent, CertFile, CertLoss, CertVisitRow
from server.testing import run_server_in_thread
from tests.certification.conftest import DATA_OFFICE, burst, client, seed, token
from tests.certification.helpers import PRIMARY, SECOND_ID, draft_for, make_laptop
from tests.sync.proxy import FaultProxy, random_policy

pytestmark = pytest.mark.integration

FAULTS = {"drop_before": 0.08, "drop_after": 0.12, "500": 0.05, "502": 0.05, "replace_502": 0.06,
          "truncate": 0.06, "hang_after": 0.03, "delay:0.1": 0.1}
DECEASED_AT = 6
HOSPITAL_AT = 11


def _plain_hits(root, needles):
    hits = []
    for f in root.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            hits += [(f.name, n[:12]) for n in needles if n in data]
    return hits


def test_field_day_offline_then_sync_through_faults(tmp_path, camera):
    db_url = f"sqlite:///{tmp_path / 'central.db'}"
    with run_server_in_thread(db_url, seed_demo=True) as url:
        assert seed(db_url)["visits"] == 20
        proxy = FaultProxy(url).start()
        lap = make_laptop(tmp_path, proxy.url, "TFIELD01", timeout=1.0)
        try:
            _day(tmp_path, url, db_url, proxy, lap, camera)
        finally:
            lap.close()
            proxy.stop()


def _day(tmp_path, url, db_url, proxy, lap, camera):
    # -- morning, at the office: download the list (operator's own token) ------------------------------------------
    api = CentralApi(proxy.url, 30, token=token(url, PRIMARY.operator_id, "TFIELD01"))
    got = lap.field.download(api, PRIMARY.operator_id)
    api.close()
    assert got == {"added": 20, "updated": 0, "removed": 0, "total": 20}
    visits = lap.field.visits(PRIMARY.operator_id)
    assert len(visits) == 20 and all(v.has_ref_photo and v.person.get("address") for v in visits)
    assert all(v.person.get("deadline") for v in visits)

    # -- in the villages: no network at all ----------------------------------------------------------------------------
    proxy.cut()
    assert lap.relay.run_once() == 0 and lap.relay.online is False
    names, ssns, photos = [], [], []
    for i, v in enumerate(visits):
        frames = burst(camera, 5)
        conf = lap.field.verify_second_staff(visit_id=v.visit_id, primary_operator_id=PRIMARY.operator_id,
                                             operator_id=SECOND_ID, password=DEMO_PASSWORD)
        if i == DECEASED_AT:
            draft = draft_for(v.visit_id, Outcome.deceased, frames, seed=i,
                              death_date=local_today() - timedelta(days=40), notes="其女告知本人已去世，出示火化证明")
        elif i == HOSPITAL_AT:
            draft = draft_for(v.visit_id, Outcome.hospitalised, frames, seed=i, hospital="锡林郭勒盟医院")
        else:
            draft = draft_for(v.visit_id, Outcome.certified, frames, seed=i)
        res = lap.field.commit_visit(draft, PRIMARY, conf)
        assert res.files >= 1 and len(res.bundle_sha256) == 64
        names.append(v.name)
        ssns.append(v.ssn)
        photos += [p for kind in draft.photos.values() for p in kind]
        if i % 6 == 5:
            assert lap.relay.run_once() == 0  # tries while offline: nothing leaves, nothing breaks
    assert lap.field.counts() == {"captured": 20}
    assert all(lap.field.verify_visit(v.visit_id) == [] for v in visits)

    # a copy of the laptop's disk taken now: no name, ID number or photo in readable form
    stolen = tmp_path / "stolen"
    shutil.copytree(lap.data_dir, stolen)
    needles = [n.encode("utf-8") for n in names] + [s.encode() for s in ssns] + [p[200:264] for p in photos] + \
        [lap.dek, lap.dek.hex().encode()]
    assert _plain_hits(stolen, needles) == []

    # -- at night: the network is back, but unreliable ----------------------------------------------------------------
    proxy.restore()
    proxy.set_policy(random_policy(20240611, FAULTS))
    assert lap.relay.drain(180), f"not drained: {dict(proxy.stats)}"
    faults = sum(v for k, v in proxy.stats.items() if k not in ("pass", "refused"))
    assert faults >= 3, dict(proxy.stats)

    with lap.store.session() as s:
        local = {v.visit_id: v.bundle_sha256 for v in s.scalars(select(CertVisit))}
        states = dict(s.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
    assert states == {"sent": 21}  # 20 bundles + the key registration
    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            central = {v.visit_id: v.bundle_sha256 for v in s.scalars(select(CertVisitRow)
                                                                      .where(CertVisitRow.state == "received"))}
            assert central == local  # nothing lost, nothing altered
            per_visit = dict(s.execute(select(CertEvent.source_id, func.count()).where(CertEvent.channel == "field")
                                       .group_by(CertEvent.source_id)).all())
            assert set(per_visit) == set(local) and set(per_visit.values()) == {1}  # nothing doubled
            assert s.scalar(select(func.count()).select_from(CertFile)
                            .where(CertFile.owner_id.in_(list(local)))) == 3 * 19 + 1
            chain = [v.receipt["chain_ok"] for v in s.scalars(select(CertVisitRow).where(
                CertVisitRow.state == "received").order_by(CertVisitRow.seq))]
            assert chain[0] is None and all(c is True for c in chain[1:])
            dead_ssn = ssns[DECEASED_AT]
            assert s.get(CertBenefit, dead_ssn).state == "terminating"
            assert s.scalar(select(CertLoss.kind).where(CertLoss.ssn == dead_ssn)) == "death"
    finally:
        engine.dispose()
    with client(url, DATA_OFFICE) as admin:
        lists = admin.get("/api/v1/certification/results", params={"year": local_today().year}).json()["lists"]
        month = admin.get("/api/v1/certification/reports/monthly",
                          params={"month": local_today().strftime("%Y-%m")}).json()
    assert set(ssns) - {dead_ssn} <= {r["ssn"] for r in lists["eligible"]}
    assert dead_ssn in {r["ssn"] for r in lists["lost"]}
    assert [r["ssn"] for r in month["rows"]] == [dead_ssn] and month["rows"][0]["source"] == "field"

    # -- wipe after the server confirmed ---------------------------------------------------------------------------------
    assert lap.field.wipe_confirmed() == 20
    assert lap.field.counts() == {"wiped": 20}
    assert not list((lap.data_dir / "evidence").rglob("*.sealed"))
    with lap.store.session() as s:
        assert s.scalar(select(func.count()).select_from(CertEvidence).where(CertEvidence.path.is_not(None))) == 0
        assert all(not v.person and not v.ref_photo and not v.name for v in s.scalars(select(CertVisit)))
        bodies = [m.body for m in s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "certification.visit"))]
        assert all(b.get("wiped") and "files" not in b for b in bodies)
    assert lap.field.wipe_confirmed() == 0
