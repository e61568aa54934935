"""Face check for counter, kiosk and field photos.

Always, without any model: "real face" heuristics on a short burst of frames — a face-coloured region in the middle,
exposure, sharpness, and natural motion between frames (a still print or a frozen screen barely changes; a shaking
camera changes everywhere). These are plausibility checks for the clerk, not a security guarantee.

Only when configured (certification.toml `[face]`): OpenCV FaceDetectorYN (exactly one face, landmark motion across
frames) and FaceRecognizerSF (cosine similarity to the reference photo). Models are read from the configured files or
files shipped in the package — never downloaded. Without a recognizer or without a reference photo, the live photo is
queued for back-office comparison and the result says so."""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from app.certification.config import FaceSettings

log = logging.getLogger(__name__)

MSG_NO_MODEL = "本机未配置人脸比对模型：照片已保存，将提交后台人工比对。"
MSG_NO_REFERENCE = "没有参考照片：照片已保存，将提交后台人工比对。"


@dataclass
class FaceCheck:
    live: bool  # the heuristics (and the detector, when configured) found a real, present face
    problems: list[str] = field(default_factory=list)  # Chinese, for the clerk
    detector: bool = False  # a face detector model was used
    compared: bool = False  # a recognizer compared with the reference photo
    match: bool | None = None
    score: float | None = None
    queued: bool = False  # photo goes to back-office comparison
    message: str = ""
    metrics: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def encode_jpeg(frame: np.ndarray, *, max_side: int = 1280, quality: int = 85) -> bytes:
    h, w = frame.shape[:2]
    scale = max_side / max(h, w)
    if scale < 1:
        frame = cv2.resize(frame, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", frame, [int(cv2.IMWRITE_JPEG_QUALITY), quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


def decode_image(data: bytes) -> np.ndarray | None:
    if not data:
        return None
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return img


def _small_gray(frame: np.ndarray, width: int = 320) -> np.ndarray:
    h, w = frame.shape[:2]
    if w > width:
        frame = cv2.resize(frame, (width, int(h * width / w)), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame


def _center(a: np.ndarray, frac: float = 0.5) -> np.ndarray:
    h, w = a.shape[:2]
    dh, dw = int(h * (1 - frac) / 2), int(w * (1 - frac) / 2)
    return a[dh:h - dh, dw:w - dw]


def heuristics(frames: list[np.ndarray], s: FaceSettings) -> tuple[list[str], dict]:
    """Problems found (empty = looks like a real face, present now) and the measured values."""
    problems: list[str] = []
    last = frames[-1]
    small = last
    if last.shape[1] > 320:
        small = cv2.resize(last, (320, int(last.shape[0] * 320 / last.shape[1])), interpolation=cv2.INTER_AREA)
    centre = _center(small)
    ycc = cv2.cvtColor(centre, cv2.COLOR_BGR2YCrCb)
    skin = cv2.inRange(ycc, (0, 133, 77), (255, 173, 127)) > 0
    skin_ratio = float(skin.mean())
    gray = cv2.cvtColor(centre, cv2.COLOR_BGR2GRAY)
    brightness = float(gray[skin].mean()) if skin.any() else float(gray.mean())
    sharpness = float(cv2.Laplacian(gray, cv2.CV_64F).var())
    metrics = {"skin_ratio": round(skin_ratio, 4), "brightness": round(brightness, 1), "sharpness": round(sharpness, 1)}
    if skin_ratio < 0.03:
        problems.append("画面中央未见人脸，请让本人正对镜头")
    if brightness < s.min_brightness:
        problems.append("光线太暗")
    elif brightness > s.max_brightness:
        problems.append("光线过亮（逆光或反光）")
    if sharpness < s.min_sharpness:
        problems.append("照片模糊，请保持稳定后重拍")
    if len(frames) >= 2:
        grays = [_small_gray(f) for f in frames[-s.liveness_frames:]]
        diffs = [float(cv2.absdiff(a, b).mean()) for a, b in zip(grays, grays[1:]) if a.shape == b.shape]
        motion = float(np.median(diffs)) if diffs else 0.0
        metrics["motion"] = round(motion, 3)
        if motion < s.min_motion:
            problems.append("画面静止不动，疑似翻拍照片或屏幕，请本人稍微转动头部")
        elif motion > s.max_motion:
            problems.append("画面晃动过大，请保持稳定")
    else:
        metrics["motion"] = None
        problems.append("只拍到一帧，无法判断是否本人在场，请重新拍摄")
    return problems, metrics


class FaceChecker:
    """Built once per screen; holds the OpenCV models when configured."""

    def __init__(self, settings: FaceSettings | None = None):
        self.s = settings or FaceSettings()
        self.problem: str = ""
        self._detector = None
        self._recognizer = None
        if self.s.detector_model:
            self._detector = self._load("FaceDetectorYN", self.s.detector_model)
        if self.s.recognizer_model and self._detector is not None:
            self._recognizer = self._load("FaceRecognizerSF", self.s.recognizer_model)

    def _load(self, kind: str, path: str):
        p = Path(path)
        if not p.is_file():
            self.problem = f"人脸模型文件不存在：{path}（不会自动下载，请管理员安装模型文件或清空配置）"
            log.error("face model missing: %s", path)
            return None
        try:
            if kind == "FaceDetectorYN":
                return cv2.FaceDetectorYN.create(str(p), "", (320, 320), self.s.score_threshold, 0.3, 5)
            return cv2.FaceRecognizerSF.create(str(p), "")
        except cv2.error as exc:
            self.problem = f"人脸模型文件无法加载：{path}"
            log.error("face model %s unusable: %s", path, exc)
            return None

    @property
    def can_compare(self) -> bool:
        return self._recognizer is not None

    def _detect(self, frame: np.ndarray):
        h, w = frame.shape[:2]
        self._detector.setInputSize((w, h))
        _n, faces = self._detector.detect(frame)
        return [] if faces is None else [f for f in faces if f[14] >= self.s.score_threshold]

    def check(self, frames: list[np.ndarray], reference_jpeg: bytes | None = None) -> FaceCheck:
        if not frames:
            return FaceCheck(False, ["没有拍到画面"], message="没有拍到画面，请重新拍摄")
        problems, metrics = heuristics(frames, self.s)
        result = FaceCheck(not problems, problems, metrics=metrics)
        face = None
        if self._detector is not None:
            result.detector = True
            faces = self._detect(frames[-1])
            if len(faces) != 1:
                problems.append("未检测到人脸" if not faces else "画面中有多张人脸，请只拍本人")
            else:
                face = faces[0]
                tracks = [self._detect(f) for f in frames[-self.s.liveness_frames:]]
                points = [t[0][4:14].reshape(5, 2) for t in tracks if len(t) == 1]
                if len(points) >= 2:
                    move = float(np.median([np.abs(a - b).mean() for a, b in zip(points, points[1:])]))
                    metrics["landmark_motion"] = round(move, 3)
                    if move < 0.05:
                        problems.append("面部关键点完全静止，疑似照片")
            result.live = not problems
        if not result.live:
            result.message = "未通过真人检测：" + "；".join(problems)
            result.queued = True
            return result
        if self._recognizer is None or face is None:
            result.queued = True
            result.message = MSG_NO_MODEL if not self.problem else f"{self.problem}；照片将提交后台人工比对。"
            return result
        ref = decode_image(reference_jpeg or b"")
        ref_faces = self._detect(ref) if ref is not None else []
        if len(ref_faces) != 1:
            result.queued = True
            result.message = MSG_NO_REFERENCE
            return result
        f1 = self._recognizer.feature(self._recognizer.alignCrop(frames[-1], face))
        f2 = self._recognizer.feature(self._recognizer.alignCrop(ref, ref_faces[0]))
        score = float(self._recognizer.match(f1, f2, cv2.FaceRecognizerSF_FR_COSINE))
        result.compared, result.score = True, round(score, 4)
        result.match = score >= self.s.match_threshold
        result.message = (f"人脸比对通过（相似度 {score:.2f}）" if result.match
                          else f"人脸比对未通过（相似度 {score:.2f}），请人工核实")
        return result
