"""Starts the Qt client: the QApplication (font, translations, style) and the login → counter window flow."""
from __future__ import annotations

import importlib
import logging
import os
import sys
from importlib import resources

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from app.version import __version__
from ui.bridge import Bridge, run_in_thread, wait_for_background
from ui.style import STYLE_SHEET

log = logging.getLogger(__name__)

APP_FONT_POINT_SIZE = 10
READY_ENV = "YICHUANG_EXIT_WHEN_READY"
_translators: list[QTranslator] = []  # a QTranslator must outlive its installation


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


def _load_translator(app: QApplication, locale: QLocale, name: str, directory: str) -> str | None:
    translator = QTranslator(app)
    if directory and os.path.isdir(directory) and translator.load(locale, name, "_", directory):
        app.installTranslator(translator)
        _translators.append(translator)
        return translator.filePath()
    return None


def install_translators(app: QApplication, locale: QLocale | None = None) -> list[str]:
    """Our sources are Chinese: load resources/translations/yichuang_<lang>.qm when one exists for the locale
    (e.g. Mongolian), and Qt's own strings (context menus, standard buttons) in that language, else in Chinese."""
    locale = locale or QLocale.system()
    ours = str(resources.files("resources") / "translations")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = [path for path in (_load_translator(app, locale, "yichuang", ours),) if path]
    ui_locale = locale if installed else QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    qt = _load_translator(app, ui_locale, "qtbase", qt_dir)
    if qt:
        installed.append(qt)
    return installed


def create_qapplication(argv: list[str] | None = None) -> QApplication:
    """The one QApplication of the process, with the bundled font, translations and the house style."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv if argv is not None else sys.argv))
    QCoreApplication.setApplicationName("yichuang")
    QCoreApplication.setOrganizationName("Yichuang")
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(QCoreApplication.translate("App", "一窗"))
    family = load_cjk_font()
    if family:
        font = QFont(family, APP_FONT_POINT_SIZE)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        app.setFont(font)
    install_translators(app)
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


def run_client(runtime, *, demo_banner: str | None = None) -> int:
    """Login dialog, then the counter window; the outbox relay runs for the whole session. Returns the exit code."""
    from app.config import Mode

    if runtime.settings.terminal.mode == Mode.kiosk:  # lobby self-service: no operator login, the public's shell
        from ui.kiosk.app import run_kiosk

        return run_kiosk(runtime)
    # The counter window pulls in the PDF stack (ReportLab, ~0.4 s): import it after the login dialog is up.
    from ui.login import LoginDialog

    app = create_qapplication(sys.argv)
    # Quit explicitly (login cancelled, main window closed): the dialog closing must not end the process.
    app.setQuitOnLastWindowClosed(False)
    bridge = Bridge(runtime)
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

    login.logged_in.connect(open_counter)
    login.rejected.connect(app.quit)

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
        for window in windows.values():  # nothing of this session may outlive it (tests run several in one process)
            window.close()
            window.deleteLater()
        bridge.stop_devices()
        runtime.relay.stop()
        bridge.detach_relay(runtime.relay)
        wait_for_background(10000)
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        runtime.close()
    return code
