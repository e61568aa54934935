"""An expired password is changed at login (issue 11 point 1): the login dialog opens the change dialog, the change
goes to the real central API, and the login goes on with the new password; mismatched entries are caught locally."""
from __future__ import annotations

from sqlalchemy.orm import Session

from app.bootstrap import bootstrap
from app.config import ServerConfig, Settings
from app.paths import resolve_paths
from server.db import make_engine
from server.operators_auth import force_password_change
from server.testing import run_server_in_thread
from ui.login import LoginDialog


def test_expired_password_is_changed_in_the_dialog_and_login_goes_on(qtbot, qapp, tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite'}"
    with run_server_in_thread(db, seed_demo=True) as url:
        engine = make_engine(db)
        with Session(engine) as s:
            force_password_change(s, "demo")
            s.commit()
        engine.dispose()
        rt = bootstrap(resolve_paths(tmp_path / "home"), Settings(server=ServerConfig(url=url)), console_log=False)
        try:
            dialog = LoginDialog(rt, None)
            qtbot.addWidget(dialog)
            dialog.operator_edit.setText("demo")
            dialog.password_edit.setText("demo1234")
            dialog.try_login()
            qtbot.waitUntil(lambda: getattr(dialog, "password_dialog", None) is not None, timeout=15000)
            change = dialog.password_dialog
            assert "密码已过期" in change.reason_label.text()
            assert change.old_edit.text() == "demo1234"  # typed once already
            change.new_edit.setText("Newpass2025")
            change.again_edit.setText("Newpass2026")
            change.submit()
            assert "不一致" in change.error_label.text()  # caught before anything is sent
            change.again_edit.setText("Newpass2025")
            with qtbot.waitSignal(dialog.logged_in, timeout=20000) as logged:
                change.submit()
            assert logged.args[0].operator_id == "demo" and logged.args[0].online
            assert rt.auth.login("demo", "Newpass2025").online  # the centre has the new password
        finally:
            from ui.bridge import settle

            settle(10000)
            rt.close()
