"""Build the client for deployment, from one command, and report what was built.

    .venv/bin/python installer/build.py bundle     # PyInstaller one-folder → dist/yichuang/ ; size, start-up time
    .venv/bin/python installer/build.py deb        # bundle (if absent) → dist/yichuang_<ver>_<arch>.deb
    .venv/bin/python installer/build.py all        # both, the bundle rebuilt

Options: --dist DIR (default dist/), --work DIR (PyInstaller's build folder, default build/), --fast (the .deb
uncompressed instead of xz: for tests), --no-timing. Windows: `python installer\\build.py bundle`, then compile
installer\\windows\\yichuang.iss with Inno Setup (see installer/README.md).

Needs the `packaging` extra (PyInstaller): pip install -e '.[packaging]'. dpkg-deb for the .deb (any Debian).
The bundle runs on machines with the same or a newer glibc than the build machine: build on the oldest target
release; the .deb declares that glibc in its Depends so dpkg refuses an older system cleanly.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NAME = "yichuang"
READY = "YICHUANG_READY login"
DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "loongarch64": "loong64", "mips64": "mips64el"}


def version() -> str:
    ns: dict = {}
    exec((ROOT / "app" / "version.py").read_text(encoding="utf-8"), ns)  # no import: the tree may not be installed
    return ns["__version__"]


def dir_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"


def build_bundle(dist: Path, work: Path) -> Path:
    """PyInstaller one-folder build of installer/yichuang.spec; returns dist/yichuang."""
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(HERE / "yichuang.spec")]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    bundle = dist / NAME
    print(f"bundle: {bundle}  built in {time.perf_counter() - t0:.0f} s")
    return bundle


def _exe(bundle: Path) -> Path:
    return bundle / (NAME + ".exe" if os.name == "nt" else NAME)


def time_ready(exe: Path | str, home: Path, platform_name: str = "offscreen", args: tuple[str, ...] = ("run",),
               timeout: float = 60) -> float:
    """Seconds from exec to the client printing YICHUANG_READY login (its login window is on screen)."""
    env = dict(os.environ, YICHUANG_HOME=str(home), YICHUANG_EXIT_WHEN_READY="1", QT_QPA_PLATFORM=platform_name)
    t0 = time.perf_counter()
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=timeout)
    elapsed = time.perf_counter() - t0
    if READY not in proc.stdout:
        raise RuntimeError(f"{exe} never reported ready (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def report_bundle(bundle: Path, runs: int = 3) -> dict:
    """Size and start-up time of the bundle (cold = fresh data dir with database creation, warm = median)."""
    internal = bundle / "_internal"
    biggest = sorted(((dir_size(p) if p.is_dir() else p.stat().st_size, p.name) for p in internal.iterdir()),
                     reverse=True)[:6] if internal.is_dir() else []
    figures = {"size": dir_size(bundle), "files": sum(1 for _ in bundle.rglob("*"))}
    print(f"bundle size: {mb(figures['size'])} in {figures['files']} files; largest: "
          + ", ".join(f"{n} {mb(s)}" for s, n in biggest))
    home = Path(tempfile.mkdtemp(prefix="yc-build-"))
    try:
        t0 = time.perf_counter()
        subprocess.run([str(_exe(bundle)), "--version"], check=True, capture_output=True)
        figures["version_s"] = time.perf_counter() - t0
        times = [time_ready(_exe(bundle), home) for _ in range(runs)]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    figures["cold_s"], figures["warm_s"] = times[0], statistics.median(times[1:] or times)
    print(f"start-up (offscreen, to login window): cold {figures['cold_s']:.2f} s, warm {figures['warm_s']:.2f} s; "
          f"`yichuang --version` {figures['version_s']:.2f} s")
    return figures


def _glibc() -> str:
    ver = platform.libc_ver()[1]
    return ver or "2.28"


def build_deb(bundle: Path, out_dir: Path, *, fast: bool = False) -> Path:
    """Stage the Debian file tree around the bundle and run dpkg-deb; returns the .deb path."""
    ver = version()
    arch = DEB_ARCH.get(platform.machine(), platform.machine())
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{NAME}_{ver}_{arch}.deb"
    src = HERE / "debian"
    with tempfile.TemporaryDirectory(prefix="yc-deb-", dir=out_dir) as tmp:
        stage = Path(tmp) / "root"
        try:  # hard links: the bundle is hundreds of megabytes and dpkg-deb only reads it
            shutil.copytree(bundle, stage / "opt" / NAME, symlinks=True, copy_function=os.link)
        except OSError:  # another file system
            shutil.rmtree(stage / "opt" / NAME, ignore_errors=True)
            shutil.copytree(bundle, stage / "opt" / NAME, symlinks=True)
        files = {  # staged path → (source, mode)
            "usr/bin/yichuang": (src / "yichuang.sh", 0o755),
            "usr/share/applications/yichuang.desktop": (src / "yichuang.desktop", 0o644),
            "usr/share/icons/hicolor/scalable/apps/yichuang.svg": (HERE / "icons" / "yichuang.svg", 0o644),
            "usr/share/icons/hicolor/256x256/apps/yichuang.png": (HERE / "icons" / "yichuang.png", 0o644),
            "lib/udev/rules.d/60-yichuang.rules": (src / "60-yichuang.rules", 0o644),
            "usr/lib/systemd/user/yichuang-kiosk.service": (src / "yichuang-kiosk.service", 0o644),
            "usr/share/yichuang/yichuang-kiosk-autostart.desktop": (src / "yichuang-kiosk-autostart.desktop", 0o644),
            "usr/share/doc/yichuang/README.Debian": (src / "README.Debian", 0o644),
            "usr/share/doc/yichuang/copyright": (ROOT / "resources" / "fonts" / "LICENSE-wqy-microhei.txt", 0o644),
            "DEBIAN/postinst": (src / "postinst", 0o755),
            "DEBIAN/postrm": (src / "postrm", 0o755),
        }
        for rel, (source, mode) in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            target.chmod(mode)
        installed_kb = (dir_size(stage) - dir_size(stage / "DEBIAN")) // 1024
        control = (src / "control.in").read_text(encoding="utf-8")
        for key, value in {"VERSION": ver, "ARCH": arch, "INSTALLED_SIZE": str(installed_kb),
                           "GLIBC": _glibc()}.items():
            control = control.replace(f"@{key}@", value)
        (stage / "DEBIAN" / "control").write_text(control, encoding="utf-8")
        for d in [stage, *(p for p in stage.rglob("*") if p.is_dir())]:
            d.chmod(0o755)
        compression = ["-Znone"] if fast else ["-Zxz", "-z6"]
        t0 = time.perf_counter()
        subprocess.run(["dpkg-deb", "--root-owner-group", *compression, "--build", str(stage), str(deb)],
                       check=True, stdout=subprocess.DEVNULL)
    print(f"deb: {deb}  {mb(deb.stat().st_size)} ({'uncompressed' if fast else 'xz -6'}, "
          f"{time.perf_counter() - t0:.0f} s), installs {installed_kb // 1024} MB")
    return deb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="installer/build.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("target", choices=["bundle", "deb", "all"])
    ap.add_argument("--dist", type=Path, default=ROOT / "dist")
    ap.add_argument("--work", type=Path, default=ROOT / "build")
    ap.add_argument("--fast", action="store_true", help="the .deb uncompressed instead of xz (tests)")
    ap.add_argument("--no-timing", action="store_true", help="skip the start-up measurement")
    args = ap.parse_args(argv)
    bundle = args.dist / NAME
    if args.target in ("bundle", "all") or not _exe(bundle).exists():
        bundle = build_bundle(args.dist, args.work)
        if not args.no_timing:
            report_bundle(bundle)
    if args.target in ("deb", "all"):
        build_deb(bundle, args.dist, fast=args.fast)
    return 0


if __name__ == "__main__":
    sys.exit(main())
