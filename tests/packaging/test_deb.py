"""The deployable artefacts: the PyInstaller one-folder bundle and the .deb built from it, installed into this
system with dpkg (as root, as in CI; otherwise unpacked with dpkg-deb -x), and the installed client started
offscreen and under Xvfb. Builds take a minute or two: marked slow, kept in the default run."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from app.version import __version__

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.timeout(900)]
ROOT = Path(__file__).resolve().parents[2]
READY = "YICHUANG_READY login"


def _build_module():
    spec = importlib.util.spec_from_file_location("yichuang_installer_build", ROOT / "installer" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return _build_module()


@pytest.fixture(scope="module")
def artefacts(build, tmp_path_factory):
    """(bundle dir, .deb path), built once for this module."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("not a Debian-family system (no dpkg-deb)")
    if importlib.util.find_spec("PyInstaller") is None:
        if os.environ.get("CI"):
            pytest.fail("PyInstaller missing in CI: pip install -e '.[test]' installs it")
        pytest.skip("PyInstaller not installed (pip install -e '.[packaging]')")
    out = tmp_path_factory.mktemp("dist")
    t0 = time.perf_counter()
    bundle = build.build_bundle(out, tmp_path_factory.mktemp("work"))
    deb = build.build_deb(bundle, out, fast=True)
    print(f"bundle + deb built in {time.perf_counter() - t0:.0f} s")
    return bundle, deb


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")}
    env.update(YICHUANG_HOME=str(home), QT_QPA_PLATFORM="offscreen", **extra)
    return env


def _run(cmd, env, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=timeout)


def test_deb_declares_its_dependencies_and_ships_desktop_integration(artefacts):
    _, deb = artefacts
    fields = {f: _run(["dpkg-deb", "-f", deb, f], os.environ).stdout.strip()
              for f in ("Package", "Version", "Architecture", "Depends", "Recommends", "Installed-Size")}
    assert fields["Package"] == "yichuang" and fields["Version"] == __version__
    depends = [d.strip().split(" ")[0] for d in fields["Depends"].split(",")]
    assert {"libc6", "libgl1", "libegl1", "libfontconfig1", "pcscd", "libpcsclite1"} <= set(depends)
    assert "fonts-wqy-microhei" in fields["Recommends"] and int(fields["Installed-Size"]) > 50_000
    listing = _run(["dpkg-deb", "-c", deb], os.environ).stdout
    for path in ("./opt/yichuang/yichuang", "./usr/bin/yichuang", "./usr/share/applications/yichuang.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/yichuang.svg",
                 "./usr/share/icons/hicolor/256x256/apps/yichuang.png", "./lib/udev/rules.d/60-yichuang.rules",
                 "./usr/lib/systemd/user/yichuang-kiosk.service",
                 "./usr/share/yichuang/yichuang-kiosk-autostart.desktop",
                 "resources/fonts/wqy-microhei.ttc", "app/store/migrations/env.py", "resources/catalog/items/"):
        assert path in listing, path
    assert "PySide6/Qt/translations/qtbase_de" not in listing  # Qt's translations other than Chinese are dropped
    control = _run(["dpkg-deb", "--ctrl-tarfile", deb], os.environ)
    assert control.returncode == 0


def test_bundle_size_and_start_up(build, artefacts, tmp_path):
    bundle, deb = artefacts
    size = build.dir_size(bundle)
    t0 = time.perf_counter()
    assert _run([bundle / "yichuang", "--version"], _env(tmp_path)).stdout.strip() == f"yichuang {__version__}"
    version_s = time.perf_counter() - t0
    cold = build.time_ready(bundle / "yichuang", tmp_path / "home")
    warm = build.time_ready(bundle / "yichuang", tmp_path / "home")
    print(f"bundle {size / 1e6:.0f} MB, .deb {deb.stat().st_size / 1e6:.0f} MB (uncompressed); start-up to login "
          f"(offscreen): cold {cold:.2f} s, warm {warm:.2f} s; --version {version_s:.2f} s")
    assert size < 700_000_000 and warm < 30  # OpenCV and numpy (the camera) are 190 MB of it


@pytest.fixture
def installed(artefacts, tmp_path):
    """The .deb installed with dpkg into this system (root), purged afterwards; without root, unpacked instead."""
    _, deb = artefacts
    if os.geteuid() != 0:
        root = tmp_path / "root"
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        yield root / "opt" / "yichuang" / "yichuang", False
        return
    status = _run(["dpkg-query", "-W", "-f=${Status}", "yichuang"], os.environ).stdout
    if "installed" in status and "not-installed" not in status:
        pytest.skip("a yichuang package is already installed on this machine; not replacing it")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    proc = _run(["dpkg", "-i", deb], env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    try:
        yield Path("/usr/bin/yichuang"), True
    finally:
        purge = _run(["dpkg", "--purge", "yichuang"], env, timeout=300)
        assert purge.returncode == 0, purge.stderr
        assert not Path("/opt/yichuang").exists()


def test_installed_client_starts(installed, tmp_path, keypair):
    exe, real_install = installed
    if real_install:
        files = _run(["dpkg", "-L", "yichuang"], os.environ).stdout
        assert "/opt/yichuang/yichuang" in files and "/lib/udev/rules.d/60-yichuang.rules" in files
        assert _run(["getent", "group", "yichuang"], os.environ).returncode == 0  # created by postinst
    home = tmp_path / "home"

    doctor = _run([exe, "doctor"], _env(home))
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "0 项错误" in doctor.stdout and "Qt 图形库：PySide6 可用" in doctor.stdout and "数据库结构" in doctor.stdout

    run = _run([exe, "run"], _env(home, YICHUANG_EXIT_WHEN_READY="1"))
    assert READY in run.stdout, run.stderr
    if shutil.which("xvfb-run"):  # a real X server and the xcb platform plugin, as on a counter PC
        xrun = _run(["xvfb-run", "-a", "env", "QT_QPA_PLATFORM=xcb", exe, "run"],
                    _env(home, YICHUANG_EXIT_WHEN_READY="1"))
        assert READY in xrun.stdout, xrun.stderr

    # The fleet commands work in the frozen client too: provisioning, sources, a signed manifest, the bundle.
    agency = tmp_path / "agency.toml"
    agency.write_text(f'[terminal]\nmode = "kiosk"\n[pins]\nupdate_keys = ["{keypair[1]}"]\n', encoding="utf-8")
    assert _run([exe, "provision", agency, "--terminal-id", "T07"], _env(home)).returncode == 0
    sources = json.loads(_run([exe, "effective-config", "--json"], _env(home)).stdout)
    assert sources["terminal.mode"]["source"] == "provisioning" and sources["terminal.terminal_id"]["value"] == "T07"
    from app.fleet.publish import release

    pkg = tmp_path / "yichuang_9.0.0_amd64.deb"
    pkg.write_bytes(b"package")
    manifest = release(key_pem=keypair[0], updates_dir=tmp_path / "updates", version="9.0.0", package=pkg,
                       platform="linux-x86_64", base_url="http://central.test/files")
    check = _run([exe, "update", "check", "--manifest", manifest], _env(home))
    assert "可更新到 9.0.0" in check.stdout, check.stderr
    bundle = _run([exe, "support-bundle", "--out", tmp_path / "support"], _env(home))
    assert bundle.returncode == 0 and list((tmp_path / "support").glob("yichuang-support-T07-*.zip"))
    admin = _run([exe, "admin"], _env(home, YICHUANG_EXIT_WHEN_READY="1"))
    assert "YICHUANG_READY admin" in admin.stdout, admin.stderr
