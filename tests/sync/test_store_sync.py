"""Local schema 0005: migration up and down with data, trigger-kept counters equal to a real count, the search index
behind the outbox screen, and the `yichuang sync` commands."""
from __future__ import annotations

import json
import random

import pytest
from alembic import command
from sqlalchemy import func, select, text, update

from app.store import open_store
from app.store.database import _alembic_config
from app.store.models import Case, OutboxMessage
from app.sync import outbox, outbox_view
from tests.sync.conftest import tid
from tests.sync.terminal import make_terminal

pytestmark = pytest.mark.integration

OFFLINE = "http://127.0.0.1:9"


def _true_counts(store) -> dict[str, int]:
    with store.session() as s:
        c = dict(s.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
        c["rejected"] = s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.state == "sent", OutboxMessage.remote_status.in_(outbox.REMOTE_NEEDS_CLERK)))
    return c


def test_migration_0005_up_and_down_keeps_the_queue(tmp_path):
    store = open_store(tmp_path / "d", revision="0004")
    store.close()
    t = make_terminal(tmp_path, OFFLINE, "d")  # upgrades to head with a queue to carry
    views = [t.new_case() for _ in range(3)]
    with t.store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0004")
    with t.store.engine.begin() as conn:
        assert conn.scalar(text("SELECT count(*) FROM outbox WHERE state = 'pending'")) == 3
        assert "cases_search" not in {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
        command.upgrade(_alembic_config(conn), "head")
    assert outbox.counts(t.store)["pending"] == 3  # counters rebuilt from the rows
    page = outbox_view.search(t.store, "all", views[1].case_no)
    assert [r.aggregate_id for r in page.rows] == [views[1].case_id]  # search index rebuilt too
    t.close()


def test_counters_follow_every_change(tmp_path):
    t = make_terminal(tmp_path, OFFLINE, tid("M"))
    rng = random.Random(5)
    for _ in range(30):
        t.new_case()
    with t.store.session() as s:
        seqs = list(s.scalars(select(OutboxMessage.seq)))
    states = ["pending", "inflight", "sent", "failed", "conflict", "superseded"]
    remotes = [None, "received", "accepted", "rejected", "needs_correction", "resubmit", "resubmitted"]
    for _ in range(200):
        with t.store.session() as s:
            seq = rng.choice(seqs)
            s.execute(update(OutboxMessage).where(OutboxMessage.seq == seq)
                      .values(state=rng.choice(states), remote_status=rng.choice(remotes)))
    with t.store.session() as s:  # bulk (executemany) updates fire the triggers per row as well
        s.execute(update(OutboxMessage).where(OutboxMessage.seq.in_(seqs[:10])).values(state="sent",
                                                                                       remote_status="rejected"))
        s.execute(text("DELETE FROM outbox WHERE seq = :s"), {"s": seqs[-1]})
    got = {k: v for k, v in outbox.counts(t.store).items() if v}
    want = {k: v for k, v in _true_counts(t.store).items() if v}
    assert got == want
    t.close()


def test_search_by_number_name_id_and_item(tmp_path):
    t = make_terminal(tmp_path, OFFLINE, tid("H"))
    views = [t.new_case() for _ in range(5)]
    with t.store.session() as s:  # names to search for
        for v, name in zip(views, ["巴特尔", "巴图", "乌兰", "乌兰其其格", "王芳"]):
            s.get(Case, v.case_id).applicant_name = name
    assert [r.applicant_name for r in outbox_view.search(t.store, "all", "巴").rows] == ["巴图", "巴特尔"]
    assert {r.applicant_name for r in outbox_view.search(t.store, "all", "乌兰").rows} == {"乌兰", "乌兰其其格"}
    assert [r.applicant_name for r in outbox_view.search(t.store, "all", "其其格").rows] == ["乌兰其其格"]
    ssn = views[2].applicant_ssn
    assert [r.case_no for r in outbox_view.search(t.store, "pending", ssn[-8:]).rows] == [views[2].case_no]
    assert outbox_view.search(t.store, "pending", "养老保险").total == 5
    assert outbox_view.search(t.store, "failed", "养老保险").total == 0
    assert outbox_view.search(t.store, "all", "100%_\"'").total == 0  # no SQL or FTS syntax leaks through
    page = outbox_view.search(t.store, "all", "", limit=2)
    assert len(page.rows) == 2 and page.total == 5
    assert page.rows[0].seq > page.rows[1].seq  # newest first
    more = outbox_view.search(t.store, "all", "", limit=2, offset=2)
    assert [r.seq for r in more.rows] == [page.rows[1].seq - 1, page.rows[1].seq - 2]
    t.close()


def test_sync_cli(tmp_path, monkeypatch, capsys, central):
    from app.config import load_settings
    from app.paths import resolve_paths
    from ui.cli import main

    monkeypatch.setenv("YICHUANG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("YICHUANG_SERVER__URL", central.url)
    monkeypatch.setenv("YICHUANG_TERMINAL__TERMINAL_ID", tid("X"))
    paths = resolve_paths()
    settings = load_settings(paths.config_file)
    from app.cases.service import Actor, CaseService
    from tests.sync.terminal import ITEM, MATERIALS, catalog, unique_ssn

    store = open_store(paths.data_dir)
    cases = CaseService(store, catalog())
    actor = Actor("demo", "演示柜员", "受理员", settings.terminal.terminal_id, "150102")
    for _ in range(3):
        cases.accept(ITEM, {"ssn": unique_ssn(), "name": "乌兰", "phone": "13904711234", "nation": "蒙古族",
                            "enrolment_date": "2026-11-25"}, MATERIALS, actor)
    store.close()

    assert main(["sync", "status"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["online"] is True and status["counts"]["pending"] == 3 and status["guardrail"]["level"] == "ok"
    assert main(["sync", "list", "--search", "乌兰"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 3 and listed["items"][0]["label"] == "待上传"
    assert main(["sync", "retry"]) == 1
    capsys.readouterr()
    assert main(["sync", "drain", "--timeout", "30"]) == 0
    drained = json.loads(capsys.readouterr().out)
    assert drained["done"] and drained["pending"] == 0
    assert main(["sync", "retry", "--all-failed"]) == 0
    assert json.loads(capsys.readouterr().out) == {"requeued": 0}
