"""Starts the Qt client: the QApplication (font, translations, style) and the login → counter window flow (or, on a
field laptop, login → unlock of the encrypted store → field window)."""
from __future__ import annotations

import importlib
import logging
import os
import sys
from importlib import resources

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from app.version import __version__
from ui.bridge import Bridge, run_in_thread, wait_for_background
from ui.style import STYLE_SHEET

log = logging.getLogger(__name__)

APP_FONT_POINT_SIZE = 10
READY_ENV = "YICHUANG_EXIT_WHEN_READY"


def load_cjk_font() -> str | None:
    """Register the bundled WenQuanYi Micro Hei and return its family, so Hanzi never fall back to tofu boxes."""
    source = resources.files("resources") / "fonts" / "wqy-microhei.ttc"
    try:
        data = source.read_bytes()  # from bytes: works inside zipped or frozen installs too
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
    whole session. With encryption at rest the store is still closed here: the login unlocks the data key and opens
    it (app.security.at_rest), and only then does the relay start. Returns the exit code."""
    from app.config import Mode

    if runtime.settings.terminal.mode == Mode.kiosk:  # lobby self-service: no operator login, the public's shell
        from ui.kiosk.app import run_kiosk

        return run_kiosk(runtime)
    # The counter window pulls in the PDF stack (ReportLab, ~0.4 s): import it after the login dialog is up.
    from ui.login import LoginDialog

    app = create_qapplication(sys.argv, runtime.settings.ui.language)
    # Quit explicitly (login cancelled, main window closed): the dialog closing must not end the process.
    app.setQuitOnLastWindowClosed(False)
    locked = runtime.store is None  # encrypted at rest: nothing of the store exists before the login
    bridge = Bridge(None if locked else runtime)
    bridge.runtime = runtime  # (attaches to the relay only once there is one)
    windows: dict[str, QWidget] = {}

    login = LoginDialog(runtime, bridge, demo_banner=demo_banner)
    windows["login"] = login

    def open_counter(session) -> None:
        from ui.shell.counter import CounterWindow

        window = CounterWindow(runtime, session, bridge)
        windows["counter"] = window
        window.closed.connect(app.quit)
        window.showMaximized()  # a counter PC runs nothing else; every pixel goes to the form
        bridge.start_devices()

    def open_field(session) -> None:
        from ui.field.window import FieldWindow

        settings = runtime.settings
        try:
            field = runtime.field_service()
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

            return CentralApi.from_settings(settings, runtime.paths.data_dir,
                                            token=session.token or runtime.api.token)

        window = FieldWindow(field, session, camera=runtime.devices.camera, api_factory=api_factory,
                             relay=runtime.relay, bridge=bridge, keystore=runtime.keystore)
        windows["field"] = window
        window.closed.connect(app.quit)
        window.showMaximized()
        bridge.start_devices()

    def logged_in(session) -> None:
        if locked:  # the login just opened the store with the unlocked key: the relay starts now
            bridge.attach_relay(runtime.relay)
            runtime.relay.start()
        windows["retention"] = _start_retention(runtime, login)
        if runtime.settings.terminal.mode == Mode.field:
            open_field(session)
        else:
            open_counter(session)

    login.logged_in.connect(logged_in)
    login.rejected.connect(app.quit)

    if not locked:
        # Start before login: cases saved in an earlier session leave as soon as the network allows.
        runtime.relay.start()
    login.show()
    if os.environ.get(READY_ENV):
        def ready() -> None:
            print("YICHUANG_READY login", flush=True)
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
        if runtime.relay is not None:
            runtime.relay.stop()
            bridge.detach_relay(runtime.relay)
        wait_for_background(10000)
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        runtime.close()
    return code
