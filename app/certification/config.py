"""Settings of certification and field mode: `certification.toml` beside `config.toml` (absent = defaults).

Kept in its own file so the terminal's `config.toml` schema (extra keys forbidden) is untouched; the lead may fold
`CertificationSettings` into `app.config.Settings` as a `[certification]` section later — the model is the same.

    [face]
    detector_model = "/opt/yichuang/models/face_detection_yunet_2023mar.onnx"   # OpenCV FaceDetectorYN
    recognizer_model = "/opt/yichuang/models/face_recognition_sface_2021dec.onnx"  # OpenCV FaceRecognizerSF
    match_threshold = 0.363          # cosine similarity (SFace's published threshold)

    [field]
    gps_source = "/dev/ttyACM0"      # NMEA 0183 serial port or a file; empty = type the place
    photo_max_side = 1024

    [regions."14"]
    cadence = "rolling_12"           # 山西: rolling 12 months (003 9.6.1)

Models are loaded only from these paths (or files shipped in the package); nothing is ever downloaded."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.certification.rules import RULES, Cadence, RuleBook
from app.errors import ConfigError

FILE_NAME = "certification.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FaceSettings(_Section):
    detector_model: str = ""  # path of an OpenCV FaceDetectorYN ONNX model; empty = no local face detection
    recognizer_model: str = ""  # path of an OpenCV FaceRecognizerSF ONNX model; empty = back-office comparison
    match_threshold: float = Field(default=0.363, gt=0, lt=1)  # cosine similarity
    score_threshold: float = Field(default=0.8, gt=0, lt=1)  # detector confidence
    min_sharpness: float = Field(default=60.0, ge=0)  # variance of the Laplacian of the face region
    min_brightness: float = Field(default=50.0, ge=0, le=255)
    max_brightness: float = Field(default=235.0, ge=0, le=255)
    liveness_frames: int = Field(default=5, ge=1, le=30)  # frames compared for natural motion
    min_motion: float = Field(default=0.4, ge=0)  # mean absolute difference between frames (0–255)
    max_motion: float = Field(default=40.0, ge=0)


class FieldSettings(_Section):
    gps_source: str = ""  # NMEA serial port (/dev/ttyACM0, COM4) or a file of NMEA sentences; empty = typed place
    gps_baudrate: int = Field(default=9600, ge=1200, le=921600)
    gps_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    photo_max_side: int = Field(default=1024, ge=320, le=4096)  # captured photos are scaled down to this
    photo_quality: int = Field(default=82, ge=40, le=98)
    require_signature: bool = True  # certified / hospitalised: the person signs on screen


class RegionOverride(_Section):
    cadence: Literal["calendar_year", "rolling_12"] | None = None
    report_due: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")  # "11-30"
    back_pay_on_resume: bool | None = None


class CertificationSettings(_Section):
    face: FaceSettings = FaceSettings()
    field: FieldSettings = FieldSettings()
    regions: dict[str, RegionOverride] = {}

    def rule_book(self) -> RuleBook:
        book = RULES
        for prefix, o in self.regions.items():
            changes: dict = {}
            if o.cadence:
                changes["cadence"] = Cadence(o.cadence)
            if o.report_due:
                m, d = o.report_due.split("-")
                changes["report_due"] = (int(m), int(d))
            if o.back_pay_on_resume is not None:
                changes["back_pay_on_resume"] = o.back_pay_on_resume
            book = book.with_override(prefix, **changes)
        return book


def load_certification_settings(config_dir: Path | None) -> CertificationSettings:
    path = (config_dir / FILE_NAME) if config_dir else None
    if path is None or not path.exists():
        return CertificationSettings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return CertificationSettings.model_validate(data)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"认证配置文件 {path} 无法读取或格式错误：{exc}", f"{path}: {exc!r}") from None
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(str(p) for p in e['loc'])}：{e['msg']}" for e in exc.errors())
        raise ConfigError(f"认证配置文件 {path} 有误：{problems}", f"{path}: {exc.errors(include_url=False)}") from None
