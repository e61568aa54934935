"""Timings: catalog load warm/cold, finder keystroke → list filled, and opening each item's business screen."""
# Offscreen, against the targets (≤ 100 ms warm load, ≤ 16 ms per keystroke, ≤ 150 ms per screen).
# Usage: .venv/bin/python bench/catalog_bench.py [--runs 20]
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = ("cxjmcbdj", "社会保障卡")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Clock:
    """Wall time, and the CPU time of this (the GUI) thread: on a busy machine the second shows our own cost."""

    def __init__(self) -> None:
        self.wall, self.cpu = [], []
        self._start = (0.0, 0.0)

    def start(self) -> None:
        self._start = (time.perf_counter(), time.thread_time())

    def stop(self) -> None:
        self.wall.append(time.perf_counter() - self._start[0])
        self.cpu.append(time.thread_time() - self._start[1])

    def summary(self) -> str:
        return (f"median {ms(statistics.median(self.wall))} (max {ms(max(self.wall))}); "
                f"GUI-thread CPU median {ms(statistics.median(self.cpu))} (max {ms(max(self.cpu))})")


def bench_load(runs: int) -> None:
    from app.catalog import load_catalog

    cold, warm = Clock(), Clock()
    for _ in range(runs):
        cache = Path(tempfile.mkdtemp(prefix="yc-cat-"))
        try:
            cold.start()
            catalog = load_catalog(cache_dir=cache)  # no cache yet: parse and validate 156 YAML files, write it
            cold.stop()
            warm.start()
            warm_catalog = load_catalog(cache_dir=cache)
            warm.stop()
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        assert len(catalog.items) == len(warm_catalog.items) == 156
    print(f"(a) catalog load, {runs} runs (target warm ≤ 100 ms)\n    warm (compiled cache): {warm.summary()}\n"
          f"    cold (YAML):           {cold.summary()}")


def make_window(home: Path):
    from app.bootstrap import bootstrap
    from app.config import ServerConfig, Settings
    from app.paths import resolve_paths
    from app.security.operators import seed_local_operator
    from ui.bridge import Bridge
    from ui.shell.counter import CounterWindow

    settings = Settings(server=ServerConfig(url="http://127.0.0.1:9"))
    runtime = bootstrap(resolve_paths(home), settings, console_log=False)
    seed_local_operator(runtime.store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    session = runtime.auth.login("demo", "demo1234")
    window = CounterWindow(runtime, session, Bridge(runtime))
    window.show()
    return runtime, window


def settle(app, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def bench_finder(app, window) -> None:
    typed, painted = Clock(), Clock()
    for query in QUERIES:
        window.search_edit.clear()
        settle(app)
        for n in range(1, len(query) + 1):
            typed.start()
            painted.start()
            window.search_edit.setText(query[:n])  # textChanged → filter_items, synchronously
            typed.stop()
            assert window.items_list.count() > 0
            settle(app, 1)
            painted.stop()
    print(f"(b) finder keystroke → list filled, {len(typed.wall)} keystrokes of {' / '.join(QUERIES)} "
          f"(target ≤ 16 ms)\n    list filled:        {typed.summary()}\n    and repainted:      {painted.summary()}")


def bench_open(app, window) -> None:
    built, shown = Clock(), Clock()
    codes = [item.code for item in window.runtime.catalog.items]
    window.open_item(codes[0])  # first use loads lazy Qt parts (style, fonts): not what a clerk waits for later
    window.close_tab(window.tabs.currentIndex())
    settle(app)
    for code in codes:
        built.start()
        shown.start()
        window.open_item(code)
        built.stop()
        settle(app, 1)  # layout and first paint of the tab
        shown.stop()
        window.close_tab(window.tabs.currentIndex())
        settle(app, 1)
    slowest = sorted(zip(shown.wall, codes), reverse=True)[:3]
    print(f"(c) open_item for each of the {len(codes)} items (target ≤ 150 ms)\n    built:              "
          f"{built.summary()}\n    built + first paint: {shown.summary()}\n    slowest (wall): "
          + ", ".join(f"{code} {ms(t)}" for t, code in slowest))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    bench_load(args.runs)

    from ui.app import create_qapplication
    from ui.bridge import wait_for_background

    app = create_qapplication(["catalog-bench"])
    home = Path(tempfile.mkdtemp(prefix="yc-bench-"))
    runtime = None
    try:
        runtime, window = make_window(home)
        wait_for_background(10000)  # the window's start-up jobs (pinyin index, preferences), done before a clerk types
        settle(app, 10)
        bench_finder(app, window)
        bench_open(app, window)
        window.close()
    finally:
        wait_for_background(10000)
        if runtime is not None:
            runtime.close()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
