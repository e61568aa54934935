"""Synthetic document-camera frames: a skewed A4 page with text and a QR code on a darker desk, and a portrait on a
white background. The simulated camera shows them; the tests write them into a video file."""
from __future__ import annotations

import cv2
import numpy as np

DEMO_QR = "YC|2026-150102-000001|demo"


def qr_image(text: str, box: int = 8) -> np.ndarray:
    import qrcode

    qr = qrcode.QRCode(border=4, box_size=box, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    img = np.array(qr.make_image(fill_color="black", back_color="white").convert("L"))
    return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)


def a4_page(width: int = 840, qr_text: str | None = DEMO_QR) -> np.ndarray:
    height = int(width * 297 / 210)
    page = np.full((height, width, 3), 250, np.uint8)
    cv2.putText(page, "YICHUANG TEST PAGE", (60, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (20, 20, 20), 3)
    for i in range(14):
        y = 190 + i * 42
        cv2.line(page, (60, y), (width - 60 - (i * 37) % 200, y), (70, 70, 70), 4)
    if qr_text:
        q = qr_image(qr_text)
        side = int(width * 0.36)
        q = cv2.resize(q, (side, side), interpolation=cv2.INTER_NEAREST)
        y0, x0 = height - side - 80, width - side - 70
        page[y0:y0 + side, x0:x0 + side] = q
    return page


def default_corners(w: int, h: int) -> np.ndarray:
    """A page lying skewed in a w × h frame (tl, tr, br, bl)."""
    return np.array([[0.30 * w, 0.08 * h], [0.70 * w, 0.14 * h], [0.66 * w, 0.93 * h], [0.24 * w, 0.88 * h]],
                    dtype=np.float32)


def page_frame(w: int = 1280, h: int = 960, corners: np.ndarray | None = None, qr_text: str | None = DEMO_QR,
               seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """(frame, corners): the page warped onto a textured desk."""
    corners = default_corners(w, h) if corners is None else np.asarray(corners, np.float32)
    page = a4_page(qr_text=qr_text)
    ph, pw = page.shape[:2]
    src = np.array([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    rng = np.random.default_rng(seed)
    desk = np.full((h, w, 3), (55, 62, 70), np.uint8)
    noise = rng.integers(0, 18, (h // 8 + 1, w // 8 + 1, 1), dtype=np.uint8)
    desk = cv2.add(desk, cv2.resize(np.repeat(noise, 3, axis=2), (w, h), interpolation=cv2.INTER_LINEAR))
    warped = cv2.warpPerspective(page, m, (w, h))
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), m, (w, h))
    frame = desk.copy()
    frame[mask > 127] = warped[mask > 127]
    return frame, corners


def portrait_frame(w: int = 1280, h: int = 960, background=(248, 248, 248)) -> np.ndarray:
    """A person-like figure centred on a plain background (white by default)."""
    frame = np.full((h, w, 3), background, np.uint8)
    cx = w // 2
    cv2.ellipse(frame, (cx, int(h * 0.95)), (int(h * 0.33), int(h * 0.25)), 0, 180, 360, (120, 60, 30), -1)  # shoulders
    cv2.ellipse(frame, (cx, int(h * 0.45)), (int(h * 0.13), int(h * 0.18)), 0, 0, 360, (150, 180, 225), -1)  # face
    cv2.ellipse(frame, (cx, int(h * 0.33)), (int(h * 0.14), int(h * 0.09)), 0, 180, 360, (30, 30, 30), -1)  # hair
    for dx in (-1, 1):
        cv2.circle(frame, (cx + dx * int(h * 0.05), int(h * 0.43)), int(h * 0.012), (40, 40, 40), -1)
    cv2.line(frame, (cx - int(h * 0.04), int(h * 0.54)), (cx + int(h * 0.04), int(h * 0.54)), (60, 60, 150), 3)
    return frame


def write_video(path: str, frames: list[np.ndarray], fps: float = 10.0) -> str:
    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    if not out.isOpened():
        raise RuntimeError(f"cannot write {path}")
    for f in frames:
        out.write(f)
    out.release()
    return path
