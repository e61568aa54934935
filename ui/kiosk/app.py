"""Starts the kiosk: no operator login — the terminal serves the public as 自助终端 — full screen until an
administrator leaves with a 管理员 password. Called by ui.app.run_client when terminal.mode = "kiosk"."""
from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QEvent

log = logging.getLogger(__name__)


def run_kiosk(runtime) -> int:
    from ui.app import READY_ENV, _when_exposed, create_qapplication
    from ui.bridge import Bridge, wait_for_background
    from ui.kiosk.shell import KioskShell

    app = create_qapplication(sys.argv, runtime.settings.ui.language)
    app.setQuitOnLastWindowClosed(False)
    bridge = Bridge(runtime)
    shell = KioskShell(runtime, bridge)
    shell.exit_requested.connect(app.quit)
    runtime.relay.start()
    shell.showFullScreen()
    bridge.start_devices()
    if os.environ.get(READY_ENV):
        def ready() -> None:
            print("YICHUANG_READY kiosk", flush=True)
            app.exit(0)
        _when_exposed(shell, ready)
    try:
        code = app.exec()
    finally:
        shell.shutdown()
        shell.close()
        shell.deleteLater()
        bridge.stop_devices()
        runtime.relay.stop()
        bridge.detach_relay(runtime.relay)
        wait_for_background(10000)
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        runtime.close()
    return code
