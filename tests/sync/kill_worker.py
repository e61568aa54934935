"""A pre-loaded client process for the kill -9 test: imports, catalog and schema once, then on each `fork` line a
forked child captures cases (受理 with scans and ratings) and drains the outbox in a loop until it is killed.

Protocol on stdin/stdout: the worker prints `ready`; for every `fork` it prints the child's pid, waits for the child to
die (the test sends SIGKILL), then prints `reaped <status>`. `quit` ends it. Forking a warmed-up process makes a
restart cost milliseconds, so 50+ kills fit in a few seconds of wall time."""
from __future__ import annotations

import logging
import os
import random
import sys
from pathlib import Path


def main(root: str, url: str, terminal_id: str) -> None:
    logging.disable(logging.CRITICAL)
    from app.store import open_store
    from tests.sync.terminal import catalog, make_terminal

    catalog()  # loaded before forking, shared copy-on-write
    open_store(Path(root) / terminal_id).close()  # schema in place before the first child
    warm = make_terminal(Path(root) / "warm-up", url, f"W{terminal_id[1:]}")  # compile caches, imports: children
    for _ in range(3):                                                      # start hot
        warm.new_case()
    warm.relay.run_once()
    warm.close()
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "quit":
            return
        if cmd != "fork":
            continue
        seed = random.randrange(1 << 30)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _child(root, url, terminal_id, seed, make_terminal)
            except BaseException:
                import traceback

                traceback.print_exc()  # to the test's stderr: a child must only ever die by the signal
                code = 3
            finally:
                os._exit(code)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"reaped {status}", flush=True)


def _child(root: str, url: str, terminal_id: str, seed: int, make_terminal) -> None:
    from app.cases.journal import rate_case
    from app.errors import ValidationFailed
    from app.store.database import Store, _make_engine
    from tests.sync.terminal import unique_ssn

    rng = random.Random(seed)
    path = Path(root) / terminal_id / "yichuang.sqlite3"
    store = Store(path, _make_engine(path))  # the schema is current (the worker migrated it): no Alembic per start
    t = make_terminal(Path(root), url, terminal_id, timeout=2.0, batch_size=5, store=store)
    print("go", flush=True)
    i = 0
    while True:
        try:
            v = t.new_case(unique_ssn(rng.randrange(1_800_000)))
        except ValidationFailed:  # the same person twice on this terminal: refused, as it should be
            continue
        if rng.random() < 0.25:
            t.attachments.add(v.case_id, "id_document", os.urandom(6000), "image/png", "scan.png")
        if rng.random() < 0.2:
            rate_case(t.store, case_id=v.case_id, rating=5, comment=None, channel="field", operator_id="demo",
                      terminal_id=terminal_id)
        if rng.random() < 0.7:
            t.relay.run_once()
        i += 1


if __name__ == "__main__":
    main(*sys.argv[1:4])
