"""Kiosk benchmarks (issue 10) on a real runtime in a temporary home, bootstrapped in mode = kiosk, with the simulated
devices and the real reference server on loopback (server/testing.py, demo data):

1. Card presented → personal menu shown: from the simulated reader's insert (the card touching the reader: the
   APDU read of the card runs, then the event crosses to the GUI thread) to the menu page current and painted.
   Target ≤ 1 s.
2. 权益记录单 printed: from the tap on 打印 to the PDF handed to the (simulated) A4 printer, through the kiosk's
   rights source (app.docs.rights_source, put there by app.bootstrap): the person's record fetched from the centre
   (GET /rights-records), the verification code issued by the centre, the PDF written. Target ≤ 2 s.
3. 参保证明 printed: from the tap on 打印 to the PDF handed to the A4 printer — person look-up, 缴费 look-up,
   verification code issued by the server, PDF written. Target ≤ 2 s (the issue's print target).

With --screenshots DIR it also saves the main screens at 1920×1080 and 1080×1920 (portrait kiosks), in normal and
in 长辈模式, for a person to look at: nothing clipped, text large.

Usage: .venv/bin/python bench/kiosk_bench.py [--runs 10] [--screenshots /tmp]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def clipped_texts(shell) -> list[str]:
    """Texts of visible buttons and one-line labels wider than the room they have."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    out = []
    for w in shell.findChildren(QAbstractButton) + shell.findChildren(QLabel):
        if not w.isVisibleTo(shell) or not w.text() or (isinstance(w, QLabel) and w.wordWrap()):
            continue
        if type(w).__name__ == "ElidedLabel":
            continue
        if w.sizeHint().width() > w.width() + 1:  # the hint holds the text, the style's padding and border
            out.append(w.text())
    return out


def _fmt(label: str, values_ms: list[float], target_ms: float) -> str:
    med, worst = statistics.median(values_ms), max(values_ms)
    verdict = "OK" if med <= target_ms else "OVER"
    return (f"{label}: median {med:.0f} ms, max {worst:.0f} ms, n={len(values_ms)} "
            f"(target ≤ {target_ms:.0f} ms) {verdict}")


@contextmanager
def kiosk_session(app, home: Path, url: str):
    """A kiosk-mode runtime registered with the centre at `url`, its bridge and a full-HD kiosk shell, started;
    stopped and closed on exit. Yields (runtime, shell, pump_until)."""
    from app.bootstrap import bootstrap
    from app.config import ServerConfig, Settings, TerminalConfig
    from app.paths import resolve_paths
    from devices.base import DeviceKind, DeviceState
    from ui.bridge import Bridge, wait_for_background
    from ui.kiosk.session import Timeouts
    from ui.kiosk.shell import KioskShell
    from ui.kiosk.voice import NullVoice

    def pump_until(cond, timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("condition not reached")
            app.processEvents()
            time.sleep(0.001)

    runtime = bootstrap(resolve_paths(home), Settings(terminal=TerminalConfig(mode="kiosk"),
                                                      server=ServerConfig(url=url)), console_log=False)
    runtime.relay.run_once()  # registers the terminal: the kiosk speaks to the centre with its token
    bridge = Bridge(runtime)
    shell = KioskShell(runtime, bridge, voice=NullVoice(), timeouts=Timeouts(goodbye=600_000), lockdown=False)
    shell.online = True
    runtime.devices.sscard.card = None
    shell.resize(1920, 1080)
    shell.show()
    bridge.start_devices()
    try:
        pump_until(lambda: runtime.devices.get(DeviceKind.a4_printer).status().state is DeviceState.ready)
        pump_until(lambda: runtime.devices.camera.status().state is DeviceState.ready)
        yield runtime, shell, pump_until
    finally:
        shell.shutdown()
        bridge.stop_devices()
        runtime.relay.stop()
        wait_for_background(10000)
        runtime.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args()

    from devices.sim.virtual_sscard import CardData, VirtualSsCard
    from server.demo_data import demo_person, demo_person_ssns
    from server.testing import run_server_in_thread
    from ui.app import create_qapplication

    app = create_qapplication(["kiosk-bench"])
    home = Path(tempfile.mkdtemp(prefix="yc-kiosk-bench-"))
    with run_server_in_thread(f"sqlite:///{home / 'central.db'}", seed_demo=True) as url, \
            kiosk_session(app, home / "client", url) as (runtime, shell, pump_until):

        def present(ssn: str | None = None) -> float:
            """Insert a card (a demo person of the centre, or the simulator's own); seconds to the painted menu."""
            shell.go_idle()
            runtime.devices.sscard.remove()
            app.processEvents()
            card = VirtualSsCard(CardData(ssn=ssn, name=demo_person(ssn).name)) if ssn else None
            t0 = time.perf_counter()
            runtime.devices.sscard.insert(card)
            pump_until(lambda: type(shell.current).__name__ == "MenuPage")
            shell.current.repaint()  # painted, not just current
            return time.perf_counter() - t0

        def tap_print(key: str) -> float:
            """Open the service, tap 打印; seconds to the PDF handed to the A4 printer."""
            shell.open_service(key)
            page = shell.current
            jobs = len(shell.a4.jobs)
            t0 = time.perf_counter()
            page.print_button.click()
            pump_until(lambda: len(shell.a4.jobs) > jobs, 20.0)
            elapsed = time.perf_counter() - t0
            pump_until(lambda: "打印完成" in page.state.text())
            shell.finish("finish")
            return elapsed

        employees = demo_person_ssns("employee")[20:]
        menu_ms, rights_ms, cert_ms, months = [], [], [], []
        for n in range(args.runs):
            ssn = employees[n % len(employees)]
            menu_ms.append(present(ssn) * 1000)
            rights_ms.append(tap_print("rights") * 1000)
            months.append(len(runtime.extras["kiosk.rights_source"].fetch(ssn).months))
            present(employees[(n + 7) % len(employees)])
            cert_ms.append(tap_print("certificate") * 1000)
        print(_fmt("card presented → personal menu shown", menu_ms, 1000))
        print(_fmt("rights record tap → PDF handed to the printer (centre's record, code from the server)",
                   rights_ms, 2000) + f"  [{min(months)}–{max(months)} months per record]")
        print(_fmt("tap 打印 → 参保证明 PDF handed to the A4 printer (code from the server)", cert_ms, 2000))

        if args.screenshots:
            _screenshots(app, shell, runtime, args.screenshots, pump_until, present)
            _online_screenshots(app, shell, args.screenshots, pump_until, present)
    return 0


def _online_screenshots(app, shell, folder: Path, pump_until, present) -> None:
    """The online items' pages (card status, loss, contributions, certificate, certification, queue)."""
    from server.demo_data import demo_person_ssns

    resident = demo_person_ssns("resident")[12]
    for size, tag in (((1920, 1080), ""), ((1080, 1920), "-portrait")):
        for elder in (False, True):
            suffix = tag + ("-elder" if elder else "")
            shell.resize(*size)
            present(resident)
            shell.set_elder(elder)
            for key in ("card_status", "card_loss", "contributions", "certificate", "certify", "queue"):
                shell.open_service(key)
                page = shell.current
                page.entered()
                pump_until(lambda: not page.busy_now, 20.0)
                _shot(app, shell, folder, f"{key}{suffix}")
                if key == "card_loss" and page.report_button.isVisible():
                    page.confirm()
                    _shot(app, shell, folder, f"card_loss-confirm{suffix}")
                    shell.overlay.close_overlay()
            shell.finish("finish")
            shell.set_elder(False)


def _shot(app, shell, folder: Path, name: str) -> None:
    for _ in range(30):
        app.processEvents()
        time.sleep(0.01)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kiosk-{name}.png"
    shell.grab().save(str(path))
    hint = shell.minimumSizeHint()
    clipped = hint.width() > shell.width() or hint.height() > shell.height()
    cut = clipped_texts(shell)
    print(f"{path}  {shell.width()}×{shell.height()}  needs {hint.width()}×{hint.height()}"
          + ("  CLIPPED" if clipped else "") + (f"  cut: {cut}" if cut else ""))


def _screenshots(app, shell, runtime, folder: Path, pump_until, present) -> None:
    def shot(name: str) -> None:
        _shot(app, shell, folder, name)

    for size, tag in (((1920, 1080), ""), ((1080, 1920), "-portrait")):
        for elder in (False, True):
            suffix = tag + ("-elder" if elder else "")
            shell.go_idle()
            runtime.devices.sscard.remove()
            shell.resize(*size)
            shell.set_elder(elder)
            shot(f"home{suffix}")
            runtime.devices.sscard.insert()
            pump_until(lambda: type(shell.current).__name__ == "MenuPage")
            shell.set_elder(elder)
            shot(f"menu{suffix}")
            shell.open_service("enrolment")
            shot(f"enrolment{suffix}")
            page = shell.current
            page.go(1)
            page.phone_keys.type_text("139047")
            shot(f"enrolment-phone{suffix}")
            page.go(2)
            pump_until(lambda: page.preview.frames_shown > 0)
            shot(f"enrolment-scan{suffix}")
            page.go(3)
            shot(f"enrolment-confirm{suffix}")
            shell.open_service("progress")
            shot(f"progress{suffix}")
            shell.open_service("rights")
            shot(f"rights{suffix}")
            shell._ask_more_time()
            shell.guard.prompt_tick.emit(18)
            shot(f"timeout{suffix}")
            shell.overlay.close_overlay()
            shell.finish("timeout")
            shot(f"goodbye{suffix}")
    shell.set_elder(False)
    shell.resize(1920, 1080)
    # a whole self-enrolment: result page with the 受理编号, then 好差评
    shell.go_idle()
    runtime.devices.sscard.remove()
    runtime.devices.sscard.insert()
    pump_until(lambda: type(shell.current).__name__ == "MenuPage")
    shell.open_service("enrolment")
    page = shell.current
    page.phone.set_value("13904711234")
    page.go(2)
    for n in range(3):
        page.capture()
        pump_until(lambda n=n: page.scans[n] is not None, 20.0)
    shot("enrolment-scanned")
    page.go(3)
    page.forward()
    pump_until(lambda: type(shell.current).__name__ == "EnrolmentResultPage")
    pump_until(lambda: "回执" in shell.current.slip.text() and "正在" not in shell.current.slip.text())
    shot("enrolment-result")
    shell.end_session("finish")
    shot("rating")
    shell.open_admin()
    shot("admin")
    shell.leave_admin()


if __name__ == "__main__":
    raise SystemExit(main())
