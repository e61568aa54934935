"""Starts the Qt client: the QApplication (font, translations, style) and the login → counter window flow (or, on a
field laptop, login → unlock of the encrypted store → field window)."""
from __future__ import annotations

import importlib
import logging
import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from app.version import __version__
from ui.bridge import Bridge, run_in_thread, wait_for_background
from ui.style import STYLE_SHEET

log = logging.getLogger(__name__)

APP_FONT_POINT_SIZE = 10
GIL_SWITCH_INTERVAL_S = 0.001  # see create_qapplication
READY_ENV = "YICHUANG_EXIT_WHEN_READY"


def load_cjk_font() -> str | None:
    """Register the bundled WenQuanYi Micro Hei and return its family, so Hanzi never fall back to tofu boxes."""
    source = resources.files("resources") / "fonts" / "wqy-microhei.ttc"
    # From the file when there is one: Qt maps it (shared, paged in as glyphs are used) instead of holding a 5 MB
    # private copy; from bytes inside zipped or frozen installs.
    font_id = QFontDatabase.addApplicationFont(str(source)) if isinstance(source, Path) and source.is_file() else -1
    if font_id < 0:
        try:
            data = source.read_bytes()
        except OSError as exc:
            log.error("bundled CJK font unreadable: %s", exc)
            return None
        font_id = QFontDatabase.addApplicationFontFromData(data)
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("bundled CJK font could not be registered with Qt")
        return None
    return families[0]


def install_translators(app: QApplication, language: str | None = None) -> list[str]:
    """Our sources are Chinese; `[ui] language` = en loads the English translation (ui.i18n), and Qt's own strings
    (standard buttons, context menus) follow the same language. Never the system locale: a counter shows Chinese."""
    from ui.i18n import install_translators as install

    return install(app, language)


def create_qapplication(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    """The one QApplication of the process, with the bundled font, translations (`language` of `[ui]`, None =
    Chinese) and the house style."""
    if QApplication.instance() is None:  # before the first big allocations: two malloc arenas keep RSS flat (issue 13)
        from ui.process_memory import limit_malloc_arenas

        limit_malloc_arenas()
    # Python threads take turns at the interpreter lock every `switchinterval`. With the default 5 ms a thread that
    # asks for the lock while another computes waits up to 5 ms each time; with the GUI thread and the workers (受理,
    # PDFs, the queue) taking turns, 1 ms made the scripted day's results come back sooner (受理 on its worker:
    # median 181 → 115 ms; 100 cases 88–97 s → 72–75 s by bench/clerk_day.py) at no cost to the event loop (issue 13).
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv if argv is not None else sys.argv))
    QCoreApplication.setApplicationName("yichuang")
    QCoreApplication.setOrganizationName("Yichuang")
    QCoreApplication.setApplicationVersion(__version__)
    install_translators(app, language)  # i18n (issue 13): before the first translated text
    QGuiApplication.setApplicationDisplayName(QCoreApplication.translate("App", "一窗"))
    family = load_cjk_font()
    if family:
        font = QFont(family, APP_FONT_POINT_SIZE)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
    return app


def _when_exposed(widget: QWidget, callback) -> None:
    """Call `callback` once the window system has actually put `widget` on screen (benchmarks measure this)."""
    def check() -> None:
        handle = widget.windowHandle()
        if handle is not None and handle.isExposed():
            callback()
        else:
            QTimer.singleShot(5, check)
    QTimer.singleShot(0, check)


def _start_retention(runtime, context: QWidget) -> QTimer | None:
    """The purge of confirmed local copies (app.security.retention) now and every `[retention] interval_minutes`."""
    minutes = runtime.settings.retention.interval_minutes
    if not minutes:
        return None
    from app.security.retention import purge_runtime

    def run() -> None:
        if runtime.store is not None:
            run_in_thread(lambda: purge_runtime(runtime), None,
                          lambda exc: log.warning("retention purge failed: %r", exc), context=context)

    timer = QTimer(context)
    timer.setInterval(int(minutes * 60_000))
    timer.timeout.connect(run)
    timer.start()
    QTimer.singleShot(0, run)
    return timer


def run_client(runtime, *, demo_banner: str | None = None) -> int:
    """Login dialog, then the counter window (or the field window, mode = field); the outbox relay runs for the
    whole session. `runtime` is a Runtime or an app.startup.PendingRuntime still being built: the login window shows
    at once and the rest attaches when the runtime is ready (the login waits for it on its worker thread). With
    encryption at rest the store is still closed after that: the login unlocks the data key and opens it
    (app.security.at_rest), and only then does the relay start. Returns the exit code."""
    from app.config import Mode
    from app.startup import PendingRuntime

    settings = runtime.settings
    if settings.terminal.mode == Mode.kiosk:  # lobby self-service: no operator login, the public's shell
        from ui.kiosk.app import run_kiosk

        return run_kiosk(runtime.wait() if isinstance(runtime, PendingRuntime) else runtime)
    # The counter window pulls in the PDF stack (ReportLab, ~0.4 s): import it after the login dialog is up.
    from ui.login import LoginDialog

    app = create_qapplication(sys.argv, settings.ui.language)
    # Quit explicitly (login cancelled, main window closed): the dialog closing must not end the process.
    app.setQuitOnLastWindowClosed(False)
    bridge = Bridge(None)
    windows: dict[str, QWidget] = {}
    state: dict = {"runtime": None, "exit": 0}

    login = LoginDialog(runtime, bridge, demo_banner=demo_banner)
    windows["login"] = login

    def activate(rt) -> None:
        """The runtime is built: wire the bridge and, unless the store waits for the login's key, start the relay
        (cases saved in an earlier session leave as soon as the network allows)."""
        state["runtime"] = rt
        bridge.runtime = rt
        login.runtime = rt
        if rt.store is not None:
            bridge.attach_relay(rt.relay)
            rt.relay.start()

    def start_failed(exc: BaseException) -> None:
        """The runtime could not be built (a damaged database, …): say so, in Chinese, and end with code 2."""
        message = getattr(exc, "user_message", None) or QCoreApplication.translate(
            "App", "客户端无法启动，请运行 yichuang doctor 检查，或联系管理员。")
        log.error("client start failed: %s", getattr(exc, "detail", None) or repr(exc))
        print(message, file=sys.stderr)
        state["exit"] = 2
        if os.environ.get(READY_ENV):
            app.exit(2)
            return
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(login, QCoreApplication.translate("App", "一窗"), message)
        app.exit(2)

    def runtime_now():
        return state["runtime"] or (runtime.wait() if isinstance(runtime, PendingRuntime) else runtime)

    def open_counter(session) -> None:
        from ui.shell.counter import CounterWindow

        rt = runtime_now()
        window = CounterWindow(rt, session, bridge)
        windows["counter"] = window
        window.closed.connect(app.quit)
        window.showMaximized()  # a counter PC runs nothing else; every pixel goes to the form
        bridge.start_devices()

    def open_field(session) -> None:
        from ui.field.window import FieldWindow

        rt = runtime_now()
        try:
            field = rt.field_service()
        except Exception as exc:  # e.g. a field laptop whose store is not encrypted: say so, don't start
            log.error("field mode cannot start: %s", getattr(exc, "detail", repr(exc)))
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, QCoreApplication.translate("App", "一窗"),
                                 getattr(exc, "user_message", None)
                                 or QCoreApplication.translate("App", "外勤模式无法启动，请联系管理员。"))
            app.quit()
            return

        def api_factory():
            from app.sync.client import CentralApi

            return CentralApi.from_settings(settings, rt.paths.data_dir,
                                            token=session.token or rt.api.token)

        window = FieldWindow(field, session, camera=rt.devices.camera, api_factory=api_factory,
                             relay=rt.relay, bridge=bridge, keystore=rt.keystore)
        windows["field"] = window
        window.closed.connect(app.quit)
        window.showMaximized()
        bridge.start_devices()

    def logged_in(session) -> None:
        if state["runtime"] is None:  # the login finished before the poll below saw the runtime ready
            activate(runtime_now())
        rt = state["runtime"]
        if rt.relay is not None:  # encrypted: the login just opened the store and built the relay (start is idempotent)
            bridge.attach_relay(rt.relay)
            rt.relay.start()
        windows["retention"] = _start_retention(rt, login)
        if settings.terminal.mode == Mode.field:
            open_field(session)
        else:
            open_counter(session)

    login.logged_in.connect(logged_in)
    login.rejected.connect(app.quit)

    if isinstance(runtime, PendingRuntime):
        poll = QTimer(login)
        poll.setInterval(20)

        def check_started() -> None:
            if not runtime.ready() or state["runtime"] is not None:
                return
            poll.stop()
            try:
                rt = runtime.wait()
            except BaseException as exc:  # noqa: BLE001 - shown to the clerk, logged for support
                start_failed(exc)
                return
            activate(rt)
            if os.environ.get(READY_ENV) and login.property("ready_printed"):
                print("YICHUANG_READY runtime", flush=True)
                app.exit(0)
        poll.timeout.connect(check_started)
        poll.start()
    else:
        activate(runtime)
    login.show()
    if os.environ.get(READY_ENV):
        def ready() -> None:
            print("YICHUANG_READY login", flush=True)
            login.setProperty("ready_printed", True)
            if state["runtime"] is not None:  # built already: nothing left to wait for
                print("YICHUANG_READY runtime", flush=True)
                app.exit(0)
        _when_exposed(login, ready)
    else:
        # Warm the import while the clerk types the password, so the counter window opens without a pause.
        run_in_thread(lambda: importlib.import_module("ui.shell.counter"), None,
                      lambda exc: log.warning("pre-import of the counter window failed: %r", exc))
    try:
        code = app.exec()
    finally:
        for key, window in list(windows.items()):  # nothing of this session may outlive it (tests run several)
            if isinstance(window, QTimer):
                window.stop()
            elif window is not None:
                window.close()
                window.deleteLater()
        bridge.stop_devices()
        rt = state["runtime"]
        if rt is None and isinstance(runtime, PendingRuntime) and code == 0:
            try:  # quit during the start (login cancelled at once): let the build finish, then close it
                rt = runtime.wait(30)
            except BaseException:  # noqa: BLE001 - already reported, or nothing to close
                rt = None
        if rt is not None:
            if rt.relay is not None:
                rt.relay.stop()
                bridge.detach_relay(rt.relay)
        wait_for_background(10000)
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        if rt is not None:
            rt.close()
    return code or state["exit"]
