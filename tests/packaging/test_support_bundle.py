"""The support bundle: logs, configuration without secrets and with sources, device states, versions — and no
unmasked ID number anywhere, even from log lines written unmasked (an older version, the demo server's log)."""
from __future__ import annotations

import json
import re
import zipfile
from datetime import date

from app.config import load_settings
from app.fleet.support import make_support_bundle
from app.ids import make_id_number, mask_id_number
from devices.manager import DeviceManager
from tests.packaging.conftest import write

IDS = [make_id_number("150102", date(1961, 4, 3), 12, True), make_id_number("152601", date(1990, 12, 31), 7, False),
       make_id_number("110105", date(1955, 1, 1), 99, True)]
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
SECRET = "ENROL-SECRET-4711"


def seed_logs(log_dir):
    write(log_dir / "yichuang.log", "\n".join(
        json.dumps({"time": "2026-03-02 09:00:00", "level": "INFO", "logger": "app.cases",
                    "message": f"受理 申请人 {IDS[0]} 电话 13904711234", "ssn": IDS[1]}, ensure_ascii=False)
        for _ in range(3)) + "\n")
    write(log_dir / "yichuang.log.1", f"2026-03-01 older line with {IDS[2]} and {IDS[0].lower()}\n")
    write(log_dir / "central-demo.log", f'INFO: "GET /api/v1/persons/{IDS[1]} HTTP/1.1" 200 OK\n')


def read_zip(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def test_bundle_has_logs_config_devices_versions_and_no_personal_data(paths, tmp_path, monkeypatch):
    seed_logs(paths.log_dir)
    write(paths.config_file, f'[server]\nurl = "https://si.example.gov.cn"\nenrolment_code = "{SECRET}"\n'
                             '[terminal]\nterminal_id = "T07"\n')
    monkeypatch.setenv("YICHUANG_LOGGING__LEVEL", "DEBUG")
    settings = load_settings(paths.config_file)
    manager = DeviceManager(settings.devices, production=False)
    manager.open_all()
    bundle = make_support_bundle(paths, device_statuses=manager.statuses(), running_settings=settings,
                                 terminal_id="T07", out_dir=tmp_path / "out")
    manager.close_all()
    assert bundle.name.startswith("yichuang-support-T07-") and bundle.suffix == ".zip"
    members = read_zip(bundle)
    assert {"README.txt", "config/effective.json", "config/config.toml", "config/running.json", "devices.json",
            "versions.json", "updates.json", "logs/yichuang.log", "logs/yichuang.log.1",
            "logs/central-demo.log"} <= set(members)

    everything = "\n".join(members.values())
    assert not FULL_ID.findall(everything), "an unmasked ID number left the terminal"
    for number in IDS:
        assert number not in everything and number.lower() not in everything
    assert mask_id_number(IDS[0]) in members["logs/yichuang.log"]
    assert mask_id_number(IDS[2]) in members["logs/yichuang.log.1"]
    assert "13904711234" not in everything and "139****1234" in everything
    assert SECRET not in everything

    effective = json.loads(members["config/effective.json"])["values"]
    assert effective["server.url"] == {"value": "https://si.example.gov.cn", "source": "config",
                                       "source_label": "配置文件", "detail": str(paths.config_file)}
    assert effective["logging.level"]["source"] == "env" and effective["devices.sscard"]["source"] == "default"
    assert effective["server.enrolment_code"]["value"] == "<已移除>"
    devices = json.loads(members["devices.json"])
    assert len(devices) == 5 and all(d["state"] == "ready" and d["backend"] == "sim" for d in devices)
    versions = json.loads(members["versions.json"])
    assert versions["yichuang"] and versions["api_version"] and versions["python"] and "packages" in versions


def test_bundle_from_a_broken_configuration_still_helps(paths, tmp_path):
    seed_logs(paths.log_dir)
    write(paths.config_file, f'[server]\nenrolment_code = "{SECRET}"\nurl = \n')
    bundle = make_support_bundle(paths, out_dir=tmp_path / "out")
    members = read_zip(bundle)
    assert "格式错误" in json.loads(members["config/effective.json"])["error"]
    assert SECRET not in "\n".join(members.values()) and "enrolment_code" in members["config/config.toml"]
    assert not FULL_ID.findall("\n".join(members.values()))


def test_cli_support_bundle(paths, tmp_path, monkeypatch, capsys):
    from ui.cli import main

    monkeypatch.setenv("YICHUANG_HOME", str(paths.config_dir.parent))
    seed_logs(paths.log_dir)
    assert main(["support-bundle", "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    zips = list((tmp_path / "b").glob("yichuang-support-T01-*.zip"))
    assert len(zips) == 1 and str(zips[0]) in out
    members = read_zip(zips[0])
    assert len(json.loads(members["devices.json"])) == 5 and not FULL_ID.findall("\n".join(members.values()))
