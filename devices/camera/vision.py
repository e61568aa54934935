"""Image work of the document camera (高拍仪), OpenCV only (no Haar cascades: OpenCV 5 has none):
page edge detection and deskew to A4, JPEG with embedded metadata, QR decoding (OpenCV, zxing-cpp as fallback),
and the standard card photo (358 × 441, white background, 004:L4676)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from devices.errors import DeviceError

log = logging.getLogger(__name__)

A4_MM = (210.0, 297.0)
PHOTO_SIZE = (358, 441)  # width, height (004:L4676)
DETECT_MAX_SIDE = 1000
META_MARKER = b"YICHUANG:"


# -- page detection and deskew -------------------------------------------------------------------------------------
def order_corners(pts: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32)


def _quad_from_mask(mask: np.ndarray, min_area: float) -> np.ndarray | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        area = cv2.contourArea(c)
        if area < min_area:
            return None
        hull = cv2.convexHull(c)
        peri = cv2.arcLength(hull, True)
        for eps in (0.01, 0.02, 0.03, 0.05):
            approx = cv2.approxPolyDP(hull, eps * peri, True)
            if len(approx) == 4:
                return approx.reshape(4, 2).astype(np.float32)
        box = cv2.boxPoints(cv2.minAreaRect(hull))
        return box.astype(np.float32)
    return None


def find_page(image: np.ndarray) -> np.ndarray | None:
    """The page's four corners (ordered, in image pixels), or None when no page-like quadrilateral stands out."""
    h, w = image.shape[:2]
    scale = min(1.0, DETECT_MAX_SIDE / max(h, w))
    small = cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else image
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    min_area = 0.15 * gray.shape[0] * gray.shape[1]
    # 1) a bright page on a darker desk; 2) edges, for pages on light desks
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    quad = _quad_from_mask(mask, min_area)
    if quad is None:
        edges = cv2.dilate(cv2.Canny(gray, 50, 150), np.ones((5, 5), np.uint8))
        quad = _quad_from_mask(edges, min_area)
    if quad is None:
        return None
    quad = order_corners(quad / scale)
    # a quadrilateral touching the whole frame is the frame, not a page
    if cv2.contourArea(quad) > 0.97 * w * h:
        return None
    return quad


def deskew(image: np.ndarray, corners: np.ndarray, *, dpi: int = 200) -> np.ndarray:
    """Warp the page to A4 at `dpi` (portrait or landscape, as the page lies)."""
    tl, tr, br, bl = corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    short, long_ = (round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi))
    out_w, out_h = (short, long_) if height >= width else (long_, short)
    dst = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    return cv2.warpPerspective(image, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


# -- files with metadata -------------------------------------------------------------------------------------------
def encode_jpeg(image: np.ndarray, metadata: dict | None = None, *, quality: int = 80) -> bytes:
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 0])
    if not ok:
        raise DeviceError("图像压缩失败。", "cv2.imencode failed", code="camera_encode")
    data = buf.tobytes()
    if metadata:
        payload = META_MARKER + json.dumps(metadata, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(payload) > 65533:
            raise ValueError("metadata too large for a JPEG comment")
        segment = b"\xFF\xFE" + (len(payload) + 2).to_bytes(2, "big") + payload
        data = data[:2] + segment + data[2:]  # right after SOI
    return data


def read_metadata(path: str | Path) -> dict | None:
    data = Path(path).read_bytes()
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker == 0xFE and data[i + 4:i + 4 + len(META_MARKER)] == META_MARKER:
            return json.loads(data[i + 4 + len(META_MARKER):i + 2 + length].decode("utf-8"))
        if marker == 0xDA:
            break
        i += 2 + length
    return None


def write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


# -- QR codes ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QrResult:
    text: str
    kind: str  # receipt (our 受理回执: "YC|…") / other (e.g. an electronic social security card token)
    decoder: str
    note: str = ""

    def to_dict(self) -> dict:
        return {"text": self.text, "kind": self.kind, "decoder": self.decoder, "note": self.note}


def classify_qr(text: str) -> tuple[str, str]:
    if text.startswith("YC|"):
        return "receipt", "一窗受理回执"
    return "other", "如为电子社保卡二维码：一分钟内有效、仅可使用一次，须联网核验"


def decode_qr(image: np.ndarray) -> list[QrResult]:
    out: list[QrResult] = []
    seen: set[str] = set()

    def add(text: str, decoder: str) -> None:
        if text and text not in seen:
            seen.add(text)
            kind, note = classify_qr(text)
            out.append(QrResult(text, kind, decoder, note))

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    h, w = gray.shape[:2]
    tries = [gray]
    if max(h, w) > 1200:  # a reduced copy first: much faster, and enough for a QR of useful size
        f = 1200 / max(h, w)
        tries.insert(0, cv2.resize(gray, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA))
    det = cv2.QRCodeDetector()
    for img in tries:
        try:
            ok, texts, _pts, _ = det.detectAndDecodeMulti(img)
            for t in texts if ok else ():
                add(t, "opencv")
            if not out:
                text, _pts, _ = det.detectAndDecode(img)
                add(text, "opencv")
        except cv2.error as exc:
            log.debug("opencv QR failed: %s", exc)
        if out:
            break
    if not out:
        try:
            import zxingcpp

            for r in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode):
                add(r.text, "zxing-cpp")
        except ImportError:
            pass
        except Exception as exc:  # noqa: BLE001
            log.debug("zxing-cpp failed: %r", exc)
    return out


# -- card photo ----------------------------------------------------------------------------------------------------
@dataclass
class PhotoCheck:
    white_background: bool
    background_value: float
    background_saturation: float
    white_ratio: float
    problems: list[str] = field(default_factory=list)


def photo_guide(frame_w: int, frame_h: int, fill: float = 0.9) -> tuple[int, int, int, int]:
    """The centred 358:441 rectangle the clerk frames the person in (x, y, w, h)."""
    h = int(frame_h * fill)
    w = int(h * PHOTO_SIZE[0] / PHOTO_SIZE[1])
    if w > frame_w:
        w = int(frame_w * fill)
        h = int(w * PHOTO_SIZE[1] / PHOTO_SIZE[0])
    return (frame_w - w) // 2, (frame_h - h) // 2, w, h


def crop_card_photo(frame: np.ndarray, guide: tuple[int, int, int, int] | None = None) -> np.ndarray:
    x, y, w, h = guide or photo_guide(frame.shape[1], frame.shape[0])
    crop = frame[y:y + h, x:x + w]
    return cv2.resize(crop, PHOTO_SIZE, interpolation=cv2.INTER_AREA)


def check_background(photo: np.ndarray) -> PhotoCheck:
    """White background: the top band and the upper side bands must be bright and unsaturated."""
    h, w = photo.shape[:2]
    hsv = cv2.cvtColor(photo, cv2.COLOR_BGR2HSV)
    band_h, band_w = int(h * 0.1), int(w * 0.1)
    regions = [hsv[:band_h, :], hsv[:int(h * 0.5), :band_w], hsv[:int(h * 0.5), w - band_w:]]
    px = np.concatenate([r.reshape(-1, 3) for r in regions])
    sat, val = px[:, 1].astype(np.float32), px[:, 2].astype(np.float32)
    white = (val >= 190) & (sat <= 40)
    check = PhotoCheck(bool(white.mean() >= 0.9), float(val.mean()), float(sat.mean()), float(white.mean()))
    if not check.white_background:
        if val.mean() < 190:
            check.problems.append("背景偏暗或不是白色，请在白色背景前重新拍照")
        else:
            check.problems.append("背景带有颜色，请在白色背景前重新拍照")
    gray = cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY)
    if cv2.Laplacian(gray, cv2.CV_64F).var() < 15:
        check.problems.append("照片模糊，请对焦后重拍")
    return check
