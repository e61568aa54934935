"""The document camera (高拍仪) as a device: a worker thread reads frames from OpenCV (a device index, a file or a
URL) and keeps the newest; the preview subscribes to downscaled, rate-limited frames; captures work on the newest
full-resolution frame. The camera is re-opened after it stops delivering (unplugged, stream dropped).

Frame listeners and events run on the worker thread; ui/devices turns them into Qt signals."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from typing import TYPE_CHECKING

from app.ids import InvalidIdNumber, parse_id_number
from devices.base import DeviceKind, DeviceState, StatefulDevice
from devices.errors import DeviceError, DeviceTimeout

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import numpy as np

    from devices.camera import vision

_cv2 = None


def _opencv():
    """OpenCV, imported on first use: cv2 + numpy cost ~0.25 s and ~30 MB, and the camera is opened on a device
    thread after login, never on the way to the login window (issue 13, cold start)."""
    global _cv2
    if _cv2 is None:
        import cv2

        try:  # OpenCV's own warnings (e.g. "can't open camera by index") go to stderr; our status says it in Chinese
            cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
        except AttributeError:  # pragma: no cover
            pass
        _cv2 = cv2
    return _cv2


def _vision():
    from devices.camera import vision

    return vision


@dataclass
class PageCapture:
    path: str
    width: int
    height: int
    deskewed: bool
    corners: list[list[float]] | None  # in the source frame
    frame_size: tuple[int, int]
    bytes: int
    elapsed_ms: float
    qr: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__, frame_size=list(self.frame_size))


@dataclass
class CardPhoto:
    path: str
    id_number: str
    width: int
    height: int
    white_background: bool
    problems: list[str]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def parse_source(source: str | int) -> str | int:
    """"0" → device index 0; anything else is a file path or a URL (rtsp://, http://)."""
    if isinstance(source, int):
        return source
    text = str(source).strip()
    return int(text) if text.isdigit() else text


class _Listener:
    def __init__(self, fn, max_width: int, max_fps: float):
        self.fn, self.max_width, self.min_interval = fn, max_width, 1.0 / max_fps if max_fps else 0.0
        self.last = 0.0


class CameraDevice(StatefulDevice):
    kind = DeviceKind.camera
    backend = "real"

    def __init__(self, source: str | int = "0", *, width: int = 0, height: int = 0, frame_timeout: float = 3.0,
                 dpi: int = 200, jpeg_quality: int = 80, reopen_interval: float = 2.0, standby_after: float = 30.0):
        """`standby_after`: seconds without a preview or a frame request after which the stream stops (the camera
        and its light rest, no frames are decoded all day at a counter that scans a few pages an hour); the next
        request or preview opens it again (≈ 0.5 s on a USB camera, covered by `frame_timeout`)."""
        super().__init__()
        self.source = parse_source(source)
        self.width, self.height = width, height
        self.frame_timeout = frame_timeout
        self.dpi, self.jpeg_quality = dpi, jpeg_quality
        self.reopen_interval = reopen_interval
        self._cond = threading.Condition()
        self._frame: np.ndarray | None = None
        self._seq = 0
        self._frame_at = 0.0
        self._listeners: list[_Listener] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.frames_read = 0
        self.standby_after = standby_after
        self._wake = threading.Event()  # a frame was asked for: leave standby
        self._last_demand = time.monotonic()

    # -- capture back-end ------------------------------------------------------------------------------------------
    def _open_capture(self):
        cap = _opencv().VideoCapture(self.source)
        if not cap.isOpened():
            cap.release()
            raise DeviceError(f"无法打开高拍仪（{self._describe()}），请检查连接或配置项 devices.camera_source。",
                              f"VideoCapture({self.source!r}) not opened", code="camera_open")
        if isinstance(self.source, int) and self.width and self.height:
            cap.set(_opencv().CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(_opencv().CAP_PROP_FRAME_HEIGHT, self.height)
        return cap

    def _describe(self) -> str:
        return f"设备 {self.source}" if isinstance(self.source, int) else str(self.source)

    def _is_file(self) -> bool:
        return isinstance(self.source, str) and "://" not in self.source

    # -- lifecycle -------------------------------------------------------------------------------------------------
    def open(self):
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="camera-worker", daemon=True)
            self._thread.start()
        try:
            self.grab_frame(timeout=self.frame_timeout, fresh=False)
        except DeviceError as exc:
            if self._status.state is not DeviceState.error:
                self._set_status(DeviceState.error, exc.user_message)
            return self._status
        return self._status

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(3.0)
            self._thread = None
        self._set_status(DeviceState.absent, "已关闭")

    def probe(self):
        if self._thread is None or not self._thread.is_alive():
            return self.open()
        return self._status

    # -- standby ---------------------------------------------------------------------------------------------------
    def _wanted(self) -> bool:
        """Someone watches (a preview) or asked for a frame within `standby_after` seconds."""
        return bool(self._listeners) or time.monotonic() - self._last_demand < self.standby_after

    def _demand(self) -> None:
        self._last_demand = time.monotonic()
        self._wake.set()

    @property
    def streaming(self) -> bool:
        return self._frame is not None

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._wanted():  # standby: no stream until a preview or a capture asks for one
                self._wake.clear()
                if not self._wanted():
                    self._wake.wait(1.0)
                continue
            try:
                cap = self._open_capture()
            except DeviceError as exc:
                self._set_status(DeviceState.error, exc.user_message)
                self._stop.wait(self.reopen_interval)
                continue
            except Exception as exc:  # noqa: BLE001 - an OpenCV backend failing must not kill the thread
                self._set_status(DeviceState.error, f"高拍仪打开失败：{exc}")
                self._stop.wait(self.reopen_interval)
                continue
            try:
                self._pump(cap)
            finally:
                cap.release()
            if not self._stop.is_set() and self._wanted():
                self._stop.wait(self.reopen_interval)

    def _pump(self, cap) -> None:
        fps = cap.get(_opencv().CAP_PROP_FPS) or 0.0
        pace = 1.0 / fps if self._is_file() and 0 < fps <= 120 else (1.0 / 10 if self._is_file() else 0.0)
        last_ok = time.monotonic()
        got_any = False
        while not self._stop.is_set():
            if not self._wanted():
                with self._cond:
                    self._frame = None  # a capture after standby must wait for a new frame, never take this one
                log.debug("camera %s: standby", self._describe())
                return
            t0 = time.monotonic()
            ok, frame = cap.read()
            if not ok or frame is None:
                if self._is_file() and got_any:
                    cap.set(_opencv().CAP_PROP_POS_FRAMES, 0)  # a file source loops
                    ok, frame = cap.read()
                if not ok or frame is None:
                    if time.monotonic() - last_ok > self.frame_timeout or (self._is_file() and not got_any):
                        self._set_status(DeviceState.error, f"高拍仪没有画面（{self._describe()}），请检查连接。")
                        return
                    self._stop.wait(0.02)
                    continue
            got_any = True
            last_ok = time.monotonic()
            self._publish(frame)
            if self._status.state is not DeviceState.ready and self._status.state is not DeviceState.busy:
                h, w = frame.shape[:2]
                self._set_status(DeviceState.ready, f"{self._describe()}，{w}×{h}")
            if pace:
                self._stop.wait(max(0.0, pace - (time.monotonic() - t0)))

    def _publish(self, frame: np.ndarray) -> None:
        with self._cond:
            self._frame = frame
            self._seq += 1
            self._frame_at = time.monotonic()
            self.frames_read += 1
            self._cond.notify_all()
            listeners = list(self._listeners)
        now = time.monotonic()
        for lst in listeners:
            if now - lst.last < lst.min_interval:
                continue
            lst.last = now
            h, w = frame.shape[:2]
            small = frame
            if lst.max_width and w > lst.max_width:
                f = lst.max_width / w
                small = _opencv().resize(frame, (lst.max_width, int(h * f)), interpolation=_opencv().INTER_AREA)
            try:
                lst.fn(small)
            except Exception:  # noqa: BLE001
                log.exception("camera frame listener failed")

    # -- frames ----------------------------------------------------------------------------------------------------
    def add_frame_listener(self, fn: Callable[[np.ndarray], None], *, max_width: int = 960,
                           max_fps: float = 15.0) -> Callable[[], None]:
        """`fn(frame_bgr)` on the worker thread, downscaled to `max_width` and at most `max_fps` times a second."""
        lst = _Listener(fn, max_width, max_fps)
        with self._cond:
            self._listeners.append(lst)
        self._demand()

        def remove() -> None:
            with self._cond:
                if lst in self._listeners:
                    self._listeners.remove(lst)
            self._last_demand = time.monotonic()  # standby counts from the end of the preview
        return remove

    def grab_frame(self, *, timeout: float | None = None, fresh: bool = True) -> np.ndarray:
        """The newest frame (a copy). `fresh`: wait for one taken after this call (not an old buffered one)."""
        limit = self.frame_timeout if timeout is None else timeout
        self._demand()
        deadline = time.monotonic() + limit
        with self._cond:
            start_seq = self._seq
            while self._frame is None or (fresh and self._seq == start_seq):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DeviceTimeout(f"高拍仪没有画面（{self._describe()}），请检查连接后重试。",
                                        f"no frame in {limit}s (seq {self._seq})", code="camera_no_frames")
                self._cond.wait(left)
            return self._frame.copy()

    # -- captures --------------------------------------------------------------------------------------------------
    def capture_page(self, out_path: str | Path, *, deskew: bool = True, qr: bool = False,
                     metadata: dict | None = None) -> PageCapture:
        """Take the newest frame, find the page, deskew it to A4 and save it as JPEG with metadata."""
        frame = self.grab_frame(fresh=False)
        t0 = time.perf_counter()
        result = capture_page_from_frame(frame, Path(out_path), deskew=deskew, qr=qr, dpi=self.dpi,
                                         quality=self.jpeg_quality,
                                         metadata={"source": str(self.source), **(metadata or {})}, t0=t0)
        self._emit("camera.captured", result)
        return result

    def capture_card_photo(self, out_dir: str | Path, id_number: str, *,
                           guide: tuple[int, int, int, int] | None = None) -> CardPhoto:
        frame = self.grab_frame(fresh=False)
        return save_card_photo(frame, Path(out_dir), id_number, guide=guide, quality=max(self.jpeg_quality, 90))

    def scan_qr(self) -> list[vision.QrResult]:
        return _vision().decode_qr(self.grab_frame(fresh=False))


def capture_page_from_frame(frame: np.ndarray, out_path: Path, *, deskew: bool = True, qr: bool = False,
                            dpi: int = 200, quality: int = 80, metadata: dict | None = None,
                            t0: float | None = None) -> PageCapture:
    t0 = t0 or time.perf_counter()
    h, w = frame.shape[:2]
    warnings: list[str] = []
    corners = _vision().find_page(frame) if deskew else None
    if deskew and corners is None:
        warnings.append("未检测到纸张边缘，已按原图保存；请将材料平放在深色底板中央后重拍")
    image = _vision().deskew(frame, corners, dpi=dpi) if corners is not None else frame
    meta = {"app": "yichuang", "kind": "page", "captured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "frame_size": [w, h], "deskewed": corners is not None, "dpi": dpi if corners is not None else None,
            "corners": corners.round(1).tolist() if corners is not None else None, **(metadata or {})}
    data = _vision().encode_jpeg(image, meta, quality=quality)
    _vision().write_file(out_path, data)
    elapsed = (time.perf_counter() - t0) * 1000
    found = [r.to_dict() for r in _vision().decode_qr(image)] if qr else []
    return PageCapture(str(out_path), image.shape[1], image.shape[0], corners is not None,
                       corners.tolist() if corners is not None else None, (w, h), len(data), round(elapsed, 1),
                       found, warnings)


def save_card_photo(frame: np.ndarray, out_dir: Path, id_number: str, *,
                    guide: tuple[int, int, int, int] | None = None, quality: int = 92) -> CardPhoto:
    """Crop the 358 × 441 card photo from the guide rectangle, check the background, save it as <ID number>.jpg."""
    try:
        number = parse_id_number(id_number).number
    except InvalidIdNumber as exc:
        raise DeviceError(f"照片须以公民身份号码命名：{exc.reason}", f"card photo id {id_number!r}",
                          code="photo_id_invalid") from exc
    photo = _vision().crop_card_photo(frame, guide)
    check = _vision().check_background(photo)
    meta = {"app": "yichuang", "kind": "card_photo", "id_number": number, "white_background": check.white_background,
            "captured_at": datetime.now().astimezone().isoformat(timespec="seconds")}
    path = Path(out_dir) / f"{number}.jpg"
    _vision().write_file(path, _vision().encode_jpeg(photo, meta, quality=quality))
    return CardPhoto(str(path), number, photo.shape[1], photo.shape[0], check.white_background, check.problems)


class _SyntheticCapture:
    """Stands in for cv2.VideoCapture in the simulated camera: a still skewed page (or portrait), 10 frames/s."""

    def __init__(self, frame: np.ndarray):
        self.frame = frame

    def read(self):
        time.sleep(0.1)
        return True, self.frame

    def get(self, prop):
        return 10.0 if prop == _opencv().CAP_PROP_FPS else 0.0

    def set(self, prop, value):
        return True

    def release(self):
        pass


class SimCameraDevice(CameraDevice):
    backend = "sim"

    def __init__(self, *, width: int = 1280, height: int = 960, scene: str = "page", **kw):
        super().__init__(source="模拟高拍仪", **kw)
        self.scene_size = (width, height)
        self.scene = scene

    def set_scene(self, scene: str) -> None:
        """"page" (a skewed A4 page with a QR) or "portrait" (a person on white) — the test page switches them."""
        self.scene = scene

    def _describe(self) -> str:
        return "模拟高拍仪"

    def _is_file(self) -> bool:
        return False

    def _open_capture(self):
        from devices.sim.camera import page_frame, portrait_frame

        w, h = self.scene_size
        frame = portrait_frame(w, h) if self.scene == "portrait" else page_frame(w, h)[0]
        outer = self

        class _Cap(_SyntheticCapture):
            def read(self):
                time.sleep(0.1)
                if outer.scene != getattr(self, "_scene", outer.scene):
                    self.frame = portrait_frame(w, h) if outer.scene == "portrait" else page_frame(w, h)[0]
                self._scene = outer.scene
                return True, self.frame

        return _Cap(frame)
