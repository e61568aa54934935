"""The document camera from generated video files (MJPG .avi through OpenCV's FFMPEG back-end, like a real
capture source): deskew a skewed page, decode its QR, crop a card photo, and fail cleanly without frames."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.base import DeviceState
from devices.camera import vision
from devices.camera.device import CameraDevice, capture_page_from_frame
from devices.errors import DeviceError, DeviceTimeout
from devices.sim.camera import DEMO_QR, page_frame, portrait_frame, write_video

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
W, H = 1280, 960
ID_NUMBER = "150102198503120029"


@pytest.fixture(scope="module")
def page_video(tmp_path_factory):
    frame, corners = page_frame(W, H)
    path = str(tmp_path_factory.mktemp("cam") / "page.avi")
    write_video(path, [frame] * 12)
    return path, corners


@pytest.fixture(scope="module")
def portrait_video(tmp_path_factory):
    d = tmp_path_factory.mktemp("cam")
    return (write_video(str(d / "white.avi"), [portrait_frame(W, H)] * 6),
            write_video(str(d / "blue.avi"), [portrait_frame(W, H, background=(200, 120, 40))] * 6))


@pytest.fixture
def camera_of():
    cams = []

    def make(source, **kw):
        cam = CameraDevice(source, frame_timeout=kw.pop("frame_timeout", 3.0), reopen_interval=0.3, **kw)
        cams.append(cam)
        return cam
    yield make
    for c in cams:
        c.close()


def test_skewed_page_is_deskewed_with_the_right_corners(page_video, camera_of, tmp_path):
    path, expected = page_video
    cam = camera_of(path)
    st = cam.open()
    assert st.state is DeviceState.ready and "1280×960" in st.reason
    out = tmp_path / "scan" / "page.jpg"
    result = cam.capture_page(out, deskew=True, qr=True)
    assert result.deskewed and not result.warnings
    corners = np.array(result.corners)
    # MJPG compression and the detector's downscale: within 1 % of the frame width
    assert np.abs(corners - expected).max() < 0.01 * W, (corners, expected)
    assert (result.width, result.height) == (1654, 2339)  # A4 portrait at 200 dpi
    img = cv2.imread(str(out))
    assert img.shape[:2] == (2339, 1654)
    # the page fills the output: its border is white, not desk
    assert img[5:40, 5:-5].mean() > 200 and img[-40:-5, 5:-5].mean() > 200
    assert [q["text"] for q in result.qr] == [DEMO_QR] and result.qr[0]["kind"] == "receipt"
    meta = vision.read_metadata(out)
    assert meta["kind"] == "page" and meta["deskewed"] and meta["dpi"] == 200 and meta["source"] == path
    assert out.stat().st_size < 600_000


def test_page_in_landscape_and_without_deskew(tmp_path):
    c = np.array([[100, 200], [1100, 150], [1150, 800], [80, 760]], np.float32)
    frame, _ = page_frame(W, H, corners=c)
    r = capture_page_from_frame(frame, tmp_path / "l.jpg", deskew=True)
    assert (r.width, r.height) == (2339, 1654)
    r = capture_page_from_frame(frame, tmp_path / "raw.jpg", deskew=False)
    assert (r.width, r.height) == (W, H) and not r.deskewed


def test_no_page_saves_the_frame_with_a_warning(tmp_path):
    blank = np.full((H, W, 3), 90, np.uint8)
    r = capture_page_from_frame(blank, tmp_path / "blank.jpg", deskew=True)
    assert not r.deskewed and r.warnings and "未检测到纸张边缘" in r.warnings[0]


def test_qr_from_a_raw_frame(page_video, camera_of):
    cam = camera_of(page_video[0])
    cam.open()
    assert [q.text for q in cam.scan_qr()] == [DEMO_QR]


def test_qr_classification_and_zxing_fallback(monkeypatch):
    from devices.sim.camera import qr_image

    img = cv2.resize(qr_image("ESSC:token-123", box=4), (300, 300), interpolation=cv2.INTER_NEAREST)

    class Blind:  # OpenCV finds nothing: zxing-cpp must
        def detectAndDecodeMulti(self, img):
            return False, (), None, None

        def detectAndDecode(self, img):
            return "", None, None
    monkeypatch.setattr(vision.cv2, "QRCodeDetector", Blind)
    found = vision.decode_qr(img)
    assert [(q.text, q.decoder, q.kind) for q in found] == [("ESSC:token-123", "zxing-cpp", "other")]
    assert "须联网核验" in found[0].note


def test_card_photo_is_358_by_441_named_by_id_number(portrait_video, camera_of, tmp_path):
    white, blue = portrait_video
    cam = camera_of(white)
    cam.open()
    photo = cam.capture_card_photo(tmp_path, ID_NUMBER)
    assert Path(photo.path).name == f"{ID_NUMBER}.jpg"
    img = cv2.imread(photo.path)
    assert img.shape[:2] == (441, 358) and (photo.width, photo.height) == (358, 441)
    assert photo.white_background and not photo.problems
    assert vision.read_metadata(photo.path)["id_number"] == ID_NUMBER
    cam2 = camera_of(blue)
    cam2.open()
    bad = cam2.capture_card_photo(tmp_path / "b", ID_NUMBER)
    assert not bad.white_background and any("背景" in p for p in bad.problems)
    with pytest.raises(DeviceError) as exc:
        cam.capture_card_photo(tmp_path, "12345")
    assert exc.value.code == "photo_id_invalid"


def test_camera_that_delivers_no_frames(tmp_path, camera_of):
    empty = tmp_path / "empty.avi"
    empty.write_bytes(b"RIFF\x00\x00\x00\x00AVI junk" * 10)
    cam = camera_of(str(empty), frame_timeout=1.0)
    t0 = time.monotonic()
    st = cam.open()
    assert st.state is DeviceState.error and "高拍仪" in st.reason
    with pytest.raises(DeviceTimeout) as exc:
        cam.grab_frame(timeout=0.5)
    assert exc.value.code == "camera_no_frames"
    assert time.monotonic() - t0 < 4
    missing = camera_of(str(tmp_path / "nope.avi"), frame_timeout=0.5)
    assert missing.open().state is DeviceState.error


def test_camera_comes_back_when_the_source_returns(tmp_path, page_video, camera_of):
    path = tmp_path / "late.avi"
    cam = camera_of(str(path), frame_timeout=0.5)
    assert cam.open().state is DeviceState.error
    path.write_bytes(Path(page_video[0]).read_bytes())  # "plugged in"
    deadline = time.monotonic() + 5
    while cam.status().state is not DeviceState.ready and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cam.status().state is DeviceState.ready
    assert cam.grab_frame().shape[:2] == (H, W)


def test_frame_listener_is_downscaled_and_rate_limited(page_video, camera_of):
    cam = camera_of(page_video[0])
    got = []
    remove = cam.add_frame_listener(lambda f: got.append(f.shape), max_width=320, max_fps=100)
    cam.open()
    deadline = time.monotonic() + 3
    while len(got) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    remove()
    assert got and got[0] == (240, 320, 3)


def test_cli_camera(page_video, portrait_video, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "camera", "--source", page_video[0], "--capture",
                          str(tmp_path / "o.jpg"), "--deskew", "--qr"], env=env, capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    assert data["page"]["deskewed"] and data["qr"][0]["text"] == DEMO_QR
    out = subprocess.run([sys.executable, "-m", "ui.cli", "device", "camera", "--source", portrait_video[0],
                          "--capture", str(tmp_path / "p" / "x.jpg"), "--card-photo", "--id-number", ID_NUMBER],
                         env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    data = json.loads(out.stdout)
    assert data["ok"] and data["card_photo"]["width"] == 358 and Path(data["card_photo"]["path"]).exists()


def test_stream_rests_when_nobody_asks_and_comes_back_for_a_capture(page_video, camera_of, tmp_path):
    """Standby (issue 13: memory and CPU over a counter's day): no preview and no request for `standby_after`
    seconds stops the stream; the device stays ready, and the next capture reopens it and waits for a new frame."""
    cam = camera_of(page_video[0], standby_after=0.6)
    assert cam.open().state is DeviceState.ready
    deadline = time.monotonic() + 5
    while cam.streaming and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not cam.streaming and cam.status().state is DeviceState.ready
    rested = cam.frames_read
    time.sleep(0.5)
    assert cam.frames_read == rested, "frames were still decoded in standby"
    result = cam.capture_page(tmp_path / "after-standby.jpg")
    assert Path(result.path).exists() and cam.frames_read > rested
    got = []
    remove = cam.add_frame_listener(lambda f: got.append(1), max_width=320, max_fps=100)
    time.sleep(1.2)  # longer than standby_after: a preview keeps the stream
    assert cam.streaming and got
    remove()
