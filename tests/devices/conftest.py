"""Real protocol stacks for the device tests: pcscd (with vsmartcard's vpcd) for a session, virtual cards plugged
into it, ID reader emulators on pty pairs, a recording TCP printer, camera video files.

pcscd: a running one is reused; otherwise `pcscd --foreground --debug` is started and we wait for its "daemon
ready" log line (probing vpcd's port would be taken for a card). Without pcscd the PC/SC tests skip locally and
fail in CI (CI=true), like the PostgreSQL tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

READER = "Virtual PCD 00 00"
VPCD_PORT = 35963


def _pcsc_context_ok() -> bool:
    try:
        from devices.pcsc import PcscContext

        ctx = PcscContext()
        ctx.release()
        return True
    except Exception:  # noqa: BLE001
        return False


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory):
    """Yields the reader name of vpcd's first slot."""
    proc = None
    if not _pcsc_context_ok():
        exe = shutil.which("pcscd") or ("/usr/sbin/pcscd" if Path("/usr/sbin/pcscd").exists() else None)
        if exe is None:
            _unavailable("pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)")
        if not Path("/etc/reader.conf.d/vpcd").exists():
            _unavailable("vsmartcard-vpcd is not installed")
        log_path = tmp_path_factory.mktemp("pcscd") / "pcscd.log"
        log_file = open(log_path, "wb")
        proc = subprocess.Popen([exe, "--foreground", "--debug"], stdout=log_file, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while b"daemon ready" not in log_path.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                _unavailable(f"pcscd did not start: {log_path.read_text(errors='replace')[-800:]}")
            time.sleep(0.02)
    from devices.pcsc import list_pcsc_readers

    if READER not in list_pcsc_readers():
        _unavailable(f"pcscd runs without the vpcd reader {READER!r}")
    yield READER
    if proc is not None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_reader_empty(reader: str = READER, timeout: float = 5.0) -> None:
    """After a card left, pcscd shows it until its next poll (quirk 4): wait for the slot to be empty."""
    from devices.pcsc import PcscContext

    ctx = PcscContext()
    try:
        deadline = time.monotonic() + timeout
        while ctx.card_present(reader) is not None:
            if time.monotonic() > deadline:
                raise AssertionError(f"{reader} still shows a card")
            time.sleep(0.05)
    finally:
        ctx.release()


def wait_card_present(reader: str = READER, timeout: float = 5.0) -> bytes:
    from devices.pcsc import PcscContext

    ctx = PcscContext()
    try:
        deadline = time.monotonic() + timeout
        while True:
            atr = ctx.card_present(reader)
            if atr is not None:
                return atr
            if time.monotonic() > deadline:
                raise AssertionError(f"no card appeared in {reader}")
            time.sleep(0.02)
    finally:
        ctx.release()


@pytest.fixture
def plug_card(pcscd):
    """plug_card(card, remove_after=0) → VpcdLink, inserted (pcscd sees the card); pulled again at teardown."""
    from devices.sim.virtual_sscard import VpcdLink

    links = []

    def plug(card, *, remove_after: int = 0, wait: bool = True):
        wait_reader_empty(pcscd)
        link = VpcdLink(card, port=VPCD_PORT, remove_after=remove_after).start()
        links.append(link)
        if wait:
            assert link.connected.wait(5), "vpcd did not accept the virtual card"
            wait_card_present(pcscd)
        return link

    yield plug
    for link in links:
        link.stop()
    wait_reader_empty(pcscd)
