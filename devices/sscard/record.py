"""The typed result of reading a social security card."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

FIELD_LABELS = {"card_number": "卡号", "ssn": "社会保障号码", "name": "姓名"}


@dataclass
class SsCardRecord:
    card_id: str  # 卡识别码 (16); first 6 = issuing region
    card_type: str
    spec_version: str
    issuer_org: str  # 初始化机构编号
    issue_date: date | None
    expiry_date: date | None
    card_number: str | None
    ssn: str | None  # 社会保障号码 (= 公民身份号码)
    name: str | None
    sex: str | None  # 男 / 女
    nation: str | None  # 民族 name
    nation_code: str | None
    birthplace: str | None
    birth_date: date | None
    atr: str = ""
    reader: str = ""
    withheld: tuple[str, ...] = ()  # fields the card did not release (third generation, offline)
    withheld_reason: str = ""
    completed_online: bool = False  # withheld fields were released through the central security step
    warnings: list[str] = field(default_factory=list)

    @property
    def generation(self) -> int:
        return 3 if self.spec_version.startswith("3") else 2

    @property
    def region_code(self) -> str:
        return self.card_id[:6]

    @property
    def complete(self) -> bool:
        return not self.withheld

    @property
    def expired(self) -> bool:
        return self.expiry_date is not None and self.expiry_date < date.today()

    def summary(self) -> str:
        """One line for the clerk: who, and what is missing and why."""
        who = "，".join(x for x in (self.name, self.ssn) if x) or f"卡识别码 {self.card_id}"
        text = f"社保卡（第{'三' if self.generation == 3 else '二'}代）：{who}"
        if self.withheld:
            text += "。" + self.withheld_reason
        return text

    def form_values(self) -> dict[str, str]:
        """Values for the business form's applicant fields (keys as in the generated forms: ssn, name, …)."""
        out = {"ssn": self.ssn, "name": self.name, "gender": self.sex, "nation": self.nation,
               "birth_date": self.birth_date.isoformat() if self.birth_date else None,
               "sscard_number": self.card_number}
        return {k: v for k, v in out.items() if v}

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("issue_date", "expiry_date", "birth_date"):
            d[k] = d[k].isoformat() if d[k] else None
        d["withheld"] = list(self.withheld)
        d.update(generation=self.generation, region_code=self.region_code, expired=self.expired)
        return d
