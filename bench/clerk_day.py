"""A clerk's full day through the GUI (issue 13): 300 cases across 20 catalog items by keyboard only — F8 from the
hall queue, Ctrl+F finder, forms, F10 受理, F11 print preview and Ctrl+P every 10th case — with the event-loop
watchdog running. Prints resident memory every 50 cases (target ≤ 300 MB, no growth trend), the longest event-loop
gap and every stall > 100 ms with where the GUI thread was.

Usage: .venv/bin/python bench/clerk_day.py [--cases 300] [--print-every 10]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_split() -> str:
    """RSS as anonymous (heap, stacks) + file-backed (shared libraries' code, fonts, mapped files) + shmem."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
            key, value = line.split(":", 1)
            fields[key] = int(value.split()[0]) / 1024
    return (f"anon {fields.get('RssAnon', 0):.0f} + file {fields.get('RssFile', 0):.0f} + shmem "
            f"{fields.get('RssShmem', 0):.0f} MB")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class MiniBot:
    """The two pytest-qt waits the day uses, without pytest."""

    def waitUntil(self, predicate, timeout: int = 5000) -> None:  # noqa: N802 - pytest-qt's name
        from PySide6.QtTest import QTest

        deadline = time.monotonic() + timeout / 1000
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            QTest.qWait(5)

    @contextmanager
    def waitSignal(self, signal, timeout: int = 5000):  # noqa: N802
        box: dict = {}

        class Result:
            args: list = []

        def got(*args):
            box.setdefault("args", list(args))

        signal.connect(got)
        result = Result()
        try:
            yield result
            self.waitUntil(lambda: "args" in box, timeout)
            result.args = box["args"]
        finally:
            signal.disconnect(got)


def _prepare_home(home: Path) -> None:
    """A terminal's morning, not its first start: the data folder exists with its migrated store and the compiled
    catalog and pinyin memo (a first start also parses 156 YAML files and loads pypinyin, ~56 MB, once)."""
    code = ("import sys; from pathlib import Path; from app.bootstrap import bootstrap; from app.paths import "
            "resolve_paths; from app.config import ServerConfig, Settings; from app.rules.finder import "
            "search_calculators; rt = bootstrap(resolve_paths(Path(sys.argv[1])), Settings(server=ServerConfig("
            "url='http://127.0.0.1:9')), console_log=False); rt.catalog.finder; search_calculators('cs'); "
            "rt.relay.stop(); rt.close()")
    subprocess.run([sys.executable, "-c", code, str(home)], check=True, cwd=Path(__file__).resolve().parents[1],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _time_gui_steps() -> dict:
    """Wall time of the GUI thread's big steps (open a screen, 受理, refill 今日业务, open the preview)."""
    from ui.business.form import BusinessForm
    from ui.shell.counter import CounterWindow
    from ui.shell.keys import CounterKeys

    times: dict[str, list[float]] = {}

    def timed(cls, name: str, label: str) -> None:
        original = getattr(cls, name)

        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                times.setdefault(label, []).append((time.perf_counter() - t0) * 1000)

        setattr(cls, name, wrapper)

    timed(CounterWindow, "open_item", "open a business screen (build)")
    timed(CounterWindow, "_prepare_opened", "open a business screen (style + layout)")
    timed(CounterWindow, "_show_opened", "open a business screen (first show)")
    timed(CounterWindow, "_show_cases", "refill 今日业务")
    timed(BusinessForm, "save", "受理 (F10)")
    timed(CounterKeys, "print_preview", "open the print preview (F11)")
    return times


def _record_background_jobs() -> list:
    """(name, start, end) of every ui.bridge worker job: a stall that overlaps one is GIL contention, not GUI work."""
    import ui.bridge as bridge

    jobs: list = []
    original = bridge._Job.run

    def run(job) -> None:
        fn = job._fn
        name = getattr(fn, "__qualname__", repr(fn)).replace(".<locals>", "")
        t0 = time.monotonic()
        try:
            original(job)
        finally:
            jobs.append((name, t0, time.monotonic()))

    bridge._Job.run = run
    return jobs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--print-every", type=int, default=10)
    ap.add_argument("--sample-every", type=int, default=50, help="cases between memory samples")
    ap.add_argument("--stall-ms", type=float, default=100, help="report event-loop gaps longer than this (issue: 100)")
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="yc-day-"))
    _prepare_home(home / "home")

    import gc

    from PySide6.QtWidgets import QApplication, QFileDialog

    import ui.print.preview as preview
    from app.bootstrap import bootstrap
    from app.config import QueueConfig, ServerConfig, Settings
    from app.paths import resolve_paths
    from app.security.operators import seed_local_operator
    from tests.gui.clerk_day import ClerkDay, day_items
    from ui.app import create_qapplication
    from ui.bridge import Bridge, wait_for_background
    from ui.shell.counter import CounterWindow
    from ui.watchdog import Watchdog

    jobs = _record_background_jobs()
    steps = _time_gui_steps()
    app = create_qapplication(["clerk-day-bench"])
    printed = iter(range(10**6))
    preview.printer_names = lambda: ([], "")
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(home / f"printed-{next(printed)}.pdf"), ""))
    rt = bootstrap(resolve_paths(home / "home"), Settings(server=ServerConfig(url="http://127.0.0.1:9"),
                                                          queue=QueueConfig(backend="local", counter_no="3")),
                   console_log=False)
    seed_local_operator(rt.store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    bridge = Bridge(rt)
    window = CounterWindow(rt, rt.auth.login("demo", "demo1234"), bridge)
    window.show()
    window.activateWindow()
    bridge.start_devices()
    bot = MiniBot()
    bot.waitUntil(lambda: window.isActiveWindow(), 10000)
    items = day_items(rt.catalog, 20)
    samples: list[tuple[int, float]] = [(0, rss_mb())]

    def on_case(n: int, stats) -> None:
        if n % args.sample_every == 0:
            samples.append((n, rss_mb()))
            print(f"  {n:4d} cases  RSS {samples[-1][1]:6.1f} MB  widgets {len(QApplication.allWidgets()):5d}  "
                  f"python objects {len(gc.get_objects()):7d}  max gap {dog.max_gap_ms:5.0f} ms  "
                  f"stalls {len(dog.stalls)}", flush=True)

    day = ClerkDay(bot, window, rt, print_every=args.print_every, on_case=on_case)
    day.issue_tickets(items, args.cases)
    day.warm_up(items)
    samples[0] = (0, rss_mb())
    dog = Watchdog(threshold_ms=args.stall_ms)
    print(f"clerk's day: {args.cases} cases across {len(items)} items, keyboard only; RSS at start "
          f"{samples[0][1]:.1f} MB ({rss_split()})", flush=True)
    dog.start()
    try:
        stats = day.run(items, args.cases)
    finally:
        dog.stop()
    later = [m for n, m in samples if n >= args.cases // 2]
    growth = (samples[-1][1] - samples[len(samples) // 2][1]) if len(samples) > 2 else float("nan")
    print(f"done in {stats.seconds:.0f} s ({stats.seconds / max(1, stats.cases):.2f} s per case); outcomes "
          f"{stats.outcomes}; printed {stats.printed}")
    print(f"resident memory: peak {max(m for _n, m in samples):.1f} MB (target ≤ 300 MB); second half "
          f"growth {growth:+.1f} MB; last {later[-1] if later else samples[-1][1]:.1f} MB")
    print(f"  at the end: {rss_split()}")
    for label, values in steps.items():
        values = sorted(values)
        print(f"GUI step {label}: n={len(values)} median {values[len(values) // 2]:.0f} ms, "
              f"p90 {values[int(len(values) * 0.9)]:.0f} ms, max {values[-1]:.0f} ms")
    heavy = ("cv2", "numpy", "reportlab", "alembic", "mako", "pygments", "fastapi", "uvicorn", "starlette", "pypinyin",
             "PIL", "qrcode", "zxingcpp", "escpos", "smartcard", "pandas", "jinja2", "pytest", "hypothesis")
    print(f"heavy packages loaded: {', '.join(m for m in heavy if m in sys.modules)}; "
          f"{len(sys.modules)} modules in all")
    print(f"event loop: longest gap {dog.max_gap_ms:.0f} ms; stalls > {args.stall_ms:.0f} ms: {len(dog.stalls)}")
    print("event-loop gaps over " + ", ".join(f"{b} ms: {n}" for b, n in dog.gaps_over.items()))
    for stall in dog.stalls[:20]:
        start = stall.at - stall.duration_ms / 1000
        busy = sorted({name for name, t0, t1 in jobs if t0 < stall.at and t1 > start})
        print("   ", stall.summary(), f"[worker jobs running: {', '.join(busy) or 'none'}]")
    overlapping = sum(1 for st in dog.stalls if any(t0 < st.at and t1 > st.at - st.duration_ms / 1000
                                                    for _n, t0, t1 in jobs))
    print(f"stalls while a worker job ran: {overlapping} of {len(dog.stalls)}")
    by_name: dict[str, list[float]] = {}
    for name, t0, t1 in jobs:
        by_name.setdefault(name, []).append((t1 - t0) * 1000)
    for name, values in sorted(by_name.items(), key=lambda kv: -sum(kv[1]))[:12]:
        values.sort()
        print(f"worker job {name}: n={len(values)} median {values[len(values) // 2]:.0f} ms, max {values[-1]:.0f} ms")
    window.close()
    bridge.stop_devices()
    rt.relay.stop()
    wait_for_background(10000)
    rt.close()
    shutil.rmtree(home, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)  # PySide's own teardown at interpreter exit is not what this measures (and may crash)


if __name__ == "__main__":
    main()
