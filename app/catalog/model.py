"""Schema of a catalog entry (one 事项 of seed 004), version 2: conditions with machine-checkable predicates, channels,
time limits, fee, materials, stages, risk points, archive rules, form fields and the offline policy.

Every entry cites the seed line it was read from (`source`), and so may each condition, material and limit, so a
reviewer can check the data against the standard (../shared/seeds/004_f296b97e2ab141b6.txt)."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 2
_CODE = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Strict):
    """A place in a seed document: file prefix ("004") and 1-based line, optionally the clause."""

    file: Literal["000", "001", "002", "003", "004"] = "004"
    line: int = Field(ge=1)
    clause: str = ""

    def __str__(self) -> str:
        return f"{self.file}:L{self.line}" + (f" {self.clause}" if self.clause else "")


class Group(str, Enum):
    """The seven groups of seed 004's service items."""

    registration = "社会保险登记"  # 参保、变更、注销
    declaration = "社会保险费申报"
    certificate = "证明查询打印"
    sscard = "社会保障卡"
    pension = "养老保险"
    work_injury = "工伤保险"
    unemployment = "失业保险"
    employment = "就业创业"
    other = "其他"


class ApplicantType(str, Enum):
    unit = "unit"  # 单位
    person = "person"  # 本人
    proxy = "proxy"  # 代办人
    heir = "heir"  # 继承人/遗属/受益人


class Channel(str, Enum):
    counter = "counter"  # 窗口
    kiosk = "kiosk"  # 自助终端
    online = "online"  # 网厅/APP
    field = "field"  # 上门/基层平台
    phone = "phone"  # 12333


CHANNEL_LABELS = {Channel.counter: "窗口办理", Channel.kiosk: "自助终端", Channel.online: "网上办理",
                  Channel.field: "上门/基层服务", Channel.phone: "12333电话"}


class OfflinePolicy(str, Enum):
    allowed = "allowed"  # 可离线受理，联网后上传
    limited = "limited"  # 可离线受理材料，联网后才能办结
    online_only = "online_only"  # 必须联网（实时核验、资金支付等）


class Offline(_Strict):
    policy: OfflinePolicy = OfflinePolicy.allowed
    reason: str = ""

    @model_validator(mode="after")
    def _reason_needed(self) -> "Offline":
        if self.policy is not OfflinePolicy.allowed and not self.reason:
            raise ValueError("offline.reason is required unless policy is 'allowed'")
        return self


class LimitKind(str, Enum):
    none = "none"  # 无
    instant = "instant"  # 即时办结
    working_days = "working_days"
    calendar_days = "calendar_days"  # 自然日
    text = "text"  # composite rule the software cannot compute; shown verbatim


class TimeLimit(_Strict):
    kind: LimitKind
    days: int | None = Field(default=None, ge=1, le=366)
    text: str = ""  # verbatim from the seed
    source: Citation | None = None

    @model_validator(mode="after")
    def _days_match_kind(self) -> "TimeLimit":
        counted = self.kind in (LimitKind.working_days, LimitKind.calendar_days)
        if counted and self.days is None:
            raise ValueError(f"time limit of kind {self.kind.value} needs days")
        if not counted and self.days is not None:
            raise ValueError(f"time limit of kind {self.kind.value} takes no days")
        if self.kind is LimitKind.text and not self.text:
            raise ValueError("time limit of kind text needs the text")
        return self

    def label(self) -> str:
        if self.kind is LimitKind.none:
            return "无"
        if self.kind is LimitKind.instant:
            return "即时办结"
        if self.kind is LimitKind.working_days:
            return f"{self.days}个工作日"
        if self.kind is LimitKind.calendar_days:
            return f"{self.days}个自然日"
        return self.text


class Fee(_Strict):
    free: bool = True
    amount: Decimal | None = None  # yuan
    unit: str = ""  # e.g. 元/人
    text: str = "不收费"
    source: Citation | None = None

    @model_validator(mode="after")
    def _amount_if_charged(self) -> "Fee":
        if self.free and self.amount:
            raise ValueError("a free item has no amount")
        return self


PredicateKind = Literal[
    "min_age",  # value: years, from the ID number's birth date on the application day
    "max_age",
    "local_hukou",  # 属地户籍: the person's region code starts with the agency's region (value: digits to compare)
    "not_insured",  # value: scheme name; person holds no active record of it
    "insured",  # value: scheme name; person holds an active record
    "receiving_benefit",  # value: scheme name; status 待遇领取
    "not_receiving_benefit",
    "min_contribution_years",  # value: years (needs the contribution record from the central API)
]


class Predicate(_Strict):
    kind: PredicateKind
    value: int | str


class Condition(_Strict):
    """A 办理条件. With a predicate the software checks it; without, the clerk confirms it."""

    text: str
    predicate: Predicate | None = None
    source: Citation | None = None

    def __str__(self) -> str:
        return self.text


class MaterialForm(str, Enum):
    original = "原件"
    copy = "复印件"
    original_and_copy = "原件及复印件"  # 验原件、收复印件
    form = "表格"  # an appendix form filled at the counter
    electronic = "电子材料"


class MaterialSpec(_Strict):
    code: str = Field(pattern=_CODE)
    name: str
    form: MaterialForm = MaterialForm.original
    count: int = Field(default=1, ge=1)
    required: bool = True  # False = only when `condition` holds
    condition: str = ""  # text shown to the clerk: 「患职业病的」
    condition_field: str | None = None  # key of a choice/bool field that decides the condition
    condition_values: tuple[str, ...] = ()  # field values that make the material required
    shared: bool = False  # obtainable by data sharing: must NOT be demanded from the citizen (000 §12)
    source: Citation | None = None

    @model_validator(mode="after")
    def _conditional(self) -> "MaterialSpec":
        if not self.required and not self.condition:
            raise ValueError(f"material {self.code}: a conditional material needs its condition text")
        if self.condition_field and not self.condition_values:
            raise ValueError(f"material {self.code}: condition_field needs condition_values")
        return self


class StageKind(str, Enum):
    apply = "apply"  # 申请
    accept = "accept"  # 受理
    review = "review"  # 审核 / 初审
    recheck = "recheck"  # 复核 / 复审
    approve = "approve"  # 审批 / 分管领导审批
    complete = "complete"  # 办理 / 办结
    deliver = "deliver"  # 送达 / 反馈
    other = "other"


class Stage(_Strict):
    kind: StageKind
    name: str
    text: str = ""
    condition_field: str | None = None  # the stage applies only when this field …
    condition_values: tuple[str, ...] = ()  # … holds one of these values (e.g. 关键信息 needs 分管领导审批)


class RiskPoint(_Strict):
    text: str
    stage: StageKind | None = None  # where the hint is shown
    control: str = ""  # 防控措施

    def __str__(self) -> str:
        return self.text


class Archive(_Strict):
    required: bool = False
    type_code: str | None = None  # e.g. gl/01
    type_name: str = ""
    retention: str = ""  # e.g. 永久（Y）, 30年
    storage: str = ""
    catalog: tuple[str, ...] = ()  # 归档目录: documents the package must hold
    source: Citation | None = None


class FieldType(str, Enum):
    text = "text"
    long_text = "long_text"
    id_number = "id_number"  # 公民身份号码, GB 11643
    uscc = "uscc"  # 统一社会信用代码, GB 32100
    phone = "phone"
    date = "date"
    month = "month"  # YYYY-MM
    choice = "choice"
    bool = "bool"
    postcode = "postcode"
    number = "number"
    money = "money"  # yuan, two decimals
    bank_account = "bank_account"


class FieldSpec(_Strict):
    """One input of the generic business screen, usually from the item's appendix form."""

    key: str = Field(pattern=_CODE)
    label: str
    type: FieldType = FieldType.text
    required: bool = False
    options: tuple[str, ...] = ()
    max_length: int = Field(default=100, ge=1)
    from_person: str | None = None  # key of the central person record that pre-fills it (信息共享)
    hint: str = ""

    @model_validator(mode="after")
    def _choices(self) -> "FieldSpec":
        if self.type is FieldType.choice and not self.options:
            raise ValueError(f"field {self.key}: a choice needs options")
        return self


class FormSpec(_Strict):
    """An appendix form (附录 A 表样) the counter prints pre-filled for signature."""

    name: str
    source: Citation | None = None
    fields: tuple[str, ...] = ()  # labels in the order of the printed form


class ServiceItem(_Strict):
    schema_version: Literal[2] = 2
    code: str = Field(pattern=_CODE)
    name: str
    group: Group
    subgroup: str = ""
    source: Citation
    applicant_types: tuple[ApplicantType, ...] = (ApplicantType.person,)
    conditions: tuple[Condition, ...] = ()
    channels: tuple[Channel, ...] = (Channel.counter,)
    online_url: str = ""
    time_limit_statutory: TimeLimit
    time_limit_promised: TimeLimit
    fee: Fee = Fee()
    materials: tuple[MaterialSpec, ...] = ()
    stages: tuple[Stage, ...] = ()
    risk_points: tuple[RiskPoint, ...] = ()
    archive: Archive = Archive()
    forms: tuple[FormSpec, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    offline: Offline = Offline()
    laws: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # extra search words
    notes: tuple[str, ...] = ()  # for reviewers of the catalog, not shown to clerks

    @model_validator(mode="after")
    def _consistency(self) -> "ServiceItem":
        keys = [f.key for f in self.fields]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"duplicate field keys: {sorted(dupes)}")
        codes = [m.code for m in self.materials]
        if len(codes) != len(set(codes)):
            raise ValueError("duplicate material codes")
        for st in self.stages:
            if st.condition_field and (st.condition_field not in keys or not st.condition_values):
                raise ValueError(f"stage {st.name}: condition_field must be a field and needs condition_values")
        for m in self.materials:
            if m.condition_field and m.condition_field not in keys:
                raise ValueError(f"material {m.code}: condition_field {m.condition_field} is not a field")
        if Channel.counter not in self.channels and not self.online_only:
            pass  # items served elsewhere (12333, platforms) are still listed so the clerk can direct people
        return self

    @property
    def instant(self) -> bool:
        return self.time_limit_promised.kind is LimitKind.instant

    @property
    def online_only(self) -> bool:
        """Only online: the counter shows where to send the citizen instead of a form."""
        return self.channels == (Channel.online,)

    @property
    def stage_kinds(self) -> tuple[StageKind, ...]:
        return tuple(s.kind for s in self.stages)

    def stages_for(self, values: dict[str, str]) -> tuple[StageKind, ...]:
        """Stage kinds that apply to a case with these form values (conditional stages filtered)."""
        return tuple(s.kind for s in self.stages
                     if not s.condition_field or values.get(s.condition_field, "") in s.condition_values)

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def min_age(self) -> int | None:
        for c in self.conditions:
            if c.predicate and c.predicate.kind == "min_age":
                return int(c.predicate.value)
        return None

    def required_materials(self, values: dict[str, str]) -> list[MaterialSpec]:
        """Materials to demand for these form values: unconditional ones plus conditional ones whose field matches;
        never the ones obtainable by data sharing (000 §12)."""
        out = []
        for m in self.materials:
            if m.shared:
                continue
            if m.required or (m.condition_field and values.get(m.condition_field, "") in m.condition_values):
                out.append(m)
        return out
