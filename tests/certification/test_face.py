"""Face check: real-face heuristics on frames from the camera driver playing a video file; no model → the photo is
queued for back-office comparison (and says so); a configured but missing model is reported, never downloaded.
Counter/kiosk decisions. GPS place from NMEA sentences."""
from pathlib import Path

import numpy as np
import pytest

from app.certification.config import FaceSettings, load_certification_settings
from app.certification.face import MSG_NO_MODEL, FaceCheck, FaceChecker, decode_image, encode_jpeg
from app.certification.gps import parse_nmea, read_fix
from app.certification.service import decide
from app.errors import ConfigError, YichuangError
from tests.certification.conftest import burst
from tests.certification.helpers import portrait

pytestmark = pytest.mark.integration


def test_live_burst_from_the_camera_passes_and_is_queued_without_a_model(camera):
    check = FaceChecker().check(burst(camera))
    assert check.live, check.problems
    assert check.queued and not check.compared and check.match is None
    assert check.message == MSG_NO_MODEL and "后台人工比对" in check.message
    assert check.metrics["motion"] > 0.4 and check.metrics["skin_ratio"] > 0.03


def test_a_still_picture_is_not_a_live_face():
    still = portrait()
    check = FaceChecker().check([still.copy() for _ in range(5)])
    assert not check.live and any("静止" in p for p in check.problems)
    assert check.message.startswith("未通过真人检测")


def test_no_face_too_dark_blurred_or_single_frame():
    blank = np.full((480, 640, 3), 200, np.uint8)
    assert any("未见人脸" in p for p in FaceChecker().check([blank, blank + 3]).problems)
    dark = (portrait() * 0.15).astype(np.uint8)
    assert any("太暗" in p for p in FaceChecker().check([dark, np.roll(dark, 4, axis=1)]).problems)
    import cv2

    blurred = [cv2.GaussianBlur(portrait(dx=i * 3), (61, 61), 25) for i in range(4)]
    assert any("模糊" in p for p in FaceChecker().check(blurred).problems)
    assert any("一帧" in p for p in FaceChecker().check([portrait()]).problems)


def test_missing_model_file_is_reported_not_downloaded(tmp_path):
    missing = tmp_path / "face_detection_yunet.onnx"
    checker = FaceChecker(FaceSettings(detector_model=str(missing), recognizer_model=str(tmp_path / "sface.onnx")))
    assert not checker.can_compare and "不会自动下载" in checker.problem
    assert not missing.exists()
    check = checker.check([portrait(dx=i * 2, seed=i) for i in range(5)])
    assert check.queued and "后台人工比对" in check.message
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    assert "无法加载" in FaceChecker(FaceSettings(detector_model=str(broken))).problem


def test_settings_file(tmp_path):
    assert load_certification_settings(tmp_path).face.recognizer_model == ""
    (tmp_path / "certification.toml").write_text('[face]\nrecognizer_model = "/opt/m.onnx"\n[regions."15"]\n'
                                                 'cadence = "rolling_12"\n', encoding="utf-8")
    s = load_certification_settings(tmp_path)
    assert s.face.recognizer_model == "/opt/m.onnx" and s.rule_book().rule_for("150102").cadence.value == "rolling_12"
    (tmp_path / "certification.toml").write_text('[face]\nbogus = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_certification_settings(tmp_path)


def test_counter_and_kiosk_decisions():
    live_queued = FaceCheck(True, queued=True)
    assert decide(live_queued, "counter", attested=True) == "passed"  # the clerk saw the person and the ID
    assert decide(live_queued, "kiosk", attested=False) == "pending"  # back office compares later
    assert decide(FaceCheck(False, ["静止"]), "counter", attested=True) == "failed"
    assert decide(FaceCheck(True, compared=True, match=True), "kiosk", attested=False) == "passed"
    assert decide(FaceCheck(True, compared=True, match=False), "kiosk", attested=False) == "failed"


def test_jpeg_round_trip_is_scaled():
    data = encode_jpeg(portrait(1600, 1200), max_side=800)
    img = decode_image(data)
    assert img.shape[1] == 800 and data[:2] == b"\xff\xd8"


def test_gps_from_nmea(tmp_path: Path):
    gga = "$GPGGA,123519,4356.000,N,11604.200,E,1,08,0.9,545.4,M,46.9,M,,*4A"
    fix = parse_nmea(_with_checksum(gga))
    assert fix is not None and abs(fix[0] - 43.9333) < 1e-3 and abs(fix[1] - 116.07) < 1e-3
    assert parse_nmea(gga[:-2] + "00") is None  # wrong checksum
    assert parse_nmea(_with_checksum("$GPRMC,123519,V,4356.000,N,11604.200,E,0,0,230394,,")) is None  # no fix
    log = tmp_path / "nmea.txt"
    log.write_text("garbage\n" + _with_checksum("$GPRMC,123519,A,4356.000,N,11604.200,E,0,0,230394,,") + "\n")
    place = read_fix(str(log))
    assert place.source == "gps" and place.lat and "北纬" in place.text
    with pytest.raises(YichuangError):
        read_fix("")


def _with_checksum(sentence: str) -> str:
    body = sentence[1:].split("*")[0]
    c = 0
    for ch in body:
        c ^= ord(ch)
    return f"${body}*{c:02X}"
