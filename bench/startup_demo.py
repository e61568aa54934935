"""Start-up time of `yichuang demo` to a ready login screen (issue: foundation).

Starts the installed command N times with YICHUANG_EXIT_WHEN_READY=1, which makes the client print
`YICHUANG_READY login` once the login dialog is shown and exposed, then quit. The first run uses a fresh home
(database created and migrated, demo server seeded); later runs reuse it (a warm start, as on a counter each morning).
Prints each run and the median. Usage: .venv/bin/python bench/startup_demo.py [--runs 5] [--platform offscreen|xcb]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READY = "YICHUANG_READY login"


def one_run(home: Path, platform: str) -> float:
    exe = Path(sys.executable).with_name("yichuang")
    env = dict(os.environ, YICHUANG_HOME=str(home), YICHUANG_EXIT_WHEN_READY="1", QT_QPA_PLATFORM=platform)
    start = time.perf_counter()
    proc = subprocess.Popen([str(exe), "demo"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    elapsed = None
    for line in proc.stdout:
        if READY in line:
            elapsed = time.perf_counter() - start
            break
    proc.wait(30)
    if elapsed is None:
        raise SystemExit(f"client never reported ready (exit code {proc.returncode})")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="yc-bench-"))
    try:
        times = [one_run(home, args.platform) for _ in range(args.runs)]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"yichuang demo → login screen ready, platform={args.platform}")
    print(f"  cold (fresh data dir): {times[0]*1000:.0f} ms")
    warm = times[1:] or times
    print(f"  warm runs: {', '.join(f'{t*1000:.0f}' for t in warm)} ms; median {statistics.median(warm)*1000:.0f} ms")


if __name__ == "__main__":
    main()
