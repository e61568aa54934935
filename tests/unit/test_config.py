import pytest

from app.config import Mode, load_settings, write_default_config
from app.errors import ConfigError


def test_defaults_without_file(tmp_path):
    s = load_settings(tmp_path / "absent.toml", environ={})
    assert s.terminal.mode is Mode.counter and s.server.url.startswith("http://")


def test_file_then_environment_override(tmp_path):
    f = tmp_path / "config.toml"
    f.write_text('[server]\nurl = "https://si.example.cn/"\n[terminal]\nmode = "field"\n', encoding="utf-8")
    s = load_settings(f, environ={"YICHUANG_TERMINAL__MODE": "kiosk", "YICHUANG_SERVER__TIMEOUT_SECONDS": "3"})
    assert s.server.url == "https://si.example.cn"
    assert s.terminal.mode is Mode.kiosk
    assert s.server.timeout_seconds == 3.0


def test_bad_value_names_the_key(tmp_path):
    f = tmp_path / "config.toml"
    f.write_text('[terminal]\nmode = "bank"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(f, environ={})
    assert "terminal.mode" in err.value.user_message and "bank" in err.value.user_message


def test_unknown_key_is_named(tmp_path):
    f = tmp_path / "config.toml"
    f.write_text('[server]\nurll = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(f, environ={})
    assert "未知的配置项 server.urll" in err.value.user_message


def test_corrupt_toml_is_a_clear_error(tmp_path):
    f = tmp_path / "config.toml"
    f.write_text('[server\nurl = ', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(f, environ={})
    assert "格式错误" in err.value.user_message and str(f) in err.value.user_message


def test_written_default_round_trips(tmp_path):
    f = tmp_path / "c" / "config.toml"
    write_default_config(f)
    assert load_settings(f, environ={}).terminal.terminal_id == "T01"


def test_process_switches_and_server_variables_are_not_settings(tmp_path):
    """YICHUANG_NO_KEYRING (a process switch) or YICHUANG_SERVER_KEY (the reference server's) set on the machine
    must not stop the client; a top-level setting and a sectioned typo still count."""
    env = {"YICHUANG_NO_KEYRING": "1", "YICHUANG_SERVER_KEY": "x", "YICHUANG_PRODUCTION": "true"}
    assert load_settings(tmp_path / "absent.toml", environ=env).production is True
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path / "absent.toml", environ={"YICHUANG_SERVR__URL": "http://x"})
    assert "servr" in err.value.user_message
