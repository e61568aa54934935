"""Schema of a catalog entry (one 事项 of seed 004): conditions, time limits, materials, form fields, stages."""
from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldType(str, Enum):
    text = "text"
    id_number = "id_number"  # 公民身份号码, checked by GB 11643
    phone = "phone"
    date = "date"
    choice = "choice"
    postcode = "postcode"


class FieldSpec(_Strict):
    """One field of the item's form; `source` cites the seed line of the form it comes from."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: FieldType = FieldType.text
    required: bool = False
    options: tuple[str, ...] = ()
    max_length: int = 100
    from_person: str | None = None  # key of the person record that pre-fills it (信息共享)
    hint: str = ""


class MaterialSpec(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    form: str = "原件"  # 原件 / 复印件 / 原件及复印件 / 表格
    required: bool = True
    condition: str = ""  # when the material is only needed in some cases


class Citation(_Strict):
    file: str = "004"
    line: int
    clause: str = ""

    def __str__(self) -> str:
        return f"{self.file}:L{self.line}" + (f" {self.clause}" if self.clause else "")


class ServiceItem(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    group: str
    source: Citation
    conditions: tuple[str, ...]
    channels: tuple[str, ...]
    time_limit_statutory: str
    time_limit_promised: str
    fee: str
    materials: tuple[MaterialSpec, ...]
    stages: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    min_age: int | None = None  # 办理条件 age floor, if any
    risk_points: tuple[str, ...] = ()
    risk_controls: tuple[str, ...] = ()
    archive: str = "无"
    forms: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # extra search words (pinyin initials, common names)

    @model_validator(mode="after")
    def _unique_keys(self) -> "ServiceItem":
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate field keys in {self.code}")
        return self

    @property
    def instant(self) -> bool:
        return self.time_limit_promised == "即时办结"

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)
