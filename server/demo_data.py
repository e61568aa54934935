"""Deterministic demo data for Inner Mongolia: units, persons with insurance records, operators (seeded idempotently)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.ids import id_check_char, make_id_number, uscc_check_char
from server.models import Insurance, Operator, Person, Unit
from server.security import add_enrolment_code, hash_password

SEED = 20240601
REFERENCE_DATE = date(2025, 1, 1)  # "today" of the demo world, so the data never changes with the clock
DEMO_PASSWORD = "demo1234"
DEMO_ENROLMENT_CODE = "YC-DEMO-0001"

PERSON_KINDS = {  # kind -> how many persons
    "employee": 110,  # 企业职工基本养老保险 参保缴费, with a unit
    "resident": 80,  # 城乡居民养老保险 参保缴费
    "retiree": 50,  # 待遇领取 (企业职工 or 城乡居民)
    "suspended": 10,  # 城乡居民养老保险 暂停缴费
    "transferred": 10,  # 城乡居民养老保险 终止, then 企业职工 参保缴费 (城乡衔接)
    "uninsured": 40,  # no record at all: candidates for 城乡居民养老保险参保登记
}

SCHEME_EMPLOYEE = "企业职工基本养老保险"
SCHEME_RESIDENT = "城乡居民养老保险"
SCHEME_UNEMPLOYMENT = "失业保险"
SCHEME_INJURY = "工伤保险"

# (operator_id, name, roles, agency_code, status)
DEMO_OPERATORS = [
    ("demo", "演示柜员", ["受理员"], "150102", "active"),
    ("audit1", "演示审核员", ["审核员"], "150102", "active"),
    ("audit2", "演示审核员二", ["审核员"], "150102", "active"),
    ("recheck1", "演示复核员", ["复核员"], "150102", "active"),
    ("approve1", "演示审批人", ["审批人"], "150102", "active"),
    ("admin", "系统管理员", ["管理员"], "150102", "active"),
    ("disabled1", "停用柜员", ["受理员"], "150102", "disabled"),
]


@dataclass(frozen=True)
class Region:
    code: str
    prefix: str  # full address down to the district
    postcode: str
    streets: tuple[tuple[str, tuple[str, ...]], ...]  # 街道 -> 社区
    towns: tuple[tuple[str, tuple[str, ...]], ...]  # 镇/苏木/乡 -> 村/嘎查


_NM = "内蒙古自治区"
REGIONS: tuple[Region, ...] = (
    Region("150102", _NM + "呼和浩特市新城区", "010010",
           (("海拉尔东路街道", ("东站社区", "光明路社区")), ("东街街道", ("鼓楼社区", "东街社区"))),
           (("保合少镇", ("讨思浩村", "水磨村")),)),
    Region("150103", _NM + "呼和浩特市回民区", "010030",
           (("光明路街道", ("光明社区", "钢铁路社区")),), (("攸攸板镇", ("东乌素图村", "西乌素图村")),)),
    Region("150104", _NM + "呼和浩特市玉泉区", "010040",
           (("小召前街街道", ("大召社区", "石头巷社区")),), (("小黑河镇", ("南二十家子村", "桃花板村")),)),
    Region("150105", _NM + "呼和浩特市赛罕区", "010020",
           (("大学东街街道", ("内大社区", "师大社区")),),
           (("黄合少镇", ("石人湾村", "五路村")), ("榆林镇", ("榆林村", "大厂库伦村")))),
    Region("150202", _NM + "包头市东河区", "014040",
           (("西脑包街道", ("和平路社区", "财神庙社区")),), (("沙尔沁镇", ("沙尔沁村", "大岱村")),)),
    Region("150203", _NM + "包头市昆都仑区", "014010",
           (("沼潭街道", ("钢铁大街社区", "林荫路社区")),), (("卜尔汉图镇", ("卜尔汉图村", "吉忽伦图嘎查")),)),
    Region("150204", _NM + "包头市青山区", "014030",
           (("富强路街道", ("富强社区", "青年路社区")),), (("兴胜镇", ("兴胜村", "哈业胡同村")),)),
    Region("150402", _NM + "赤峰市红山区", "024000",
           (("站前街道", ("站前社区", "昭乌达社区")),), (("文钟镇", ("文钟村", "红庙子村")),)),
    Region("150404", _NM + "赤峰市松山区", "024005",
           (("振兴街道", ("振兴社区", "向阳社区")),), (("当铺地满族乡", ("当铺地村", "大庙村")),)),
    Region("150502", _NM + "通辽市科尔沁区", "028000",
           (("明仁街道", ("明仁社区", "西顺社区")),), (("莫力庙苏木", ("莫力庙嘎查", "哈日乌苏嘎查")),)),
    Region("150602", _NM + "鄂尔多斯市东胜区", "017000",
           (("天骄街道", ("天骄社区", "铁西社区")),), (("罕台镇", ("罕台村", "灶火壕村")),)),
    Region("150702", _NM + "呼伦贝尔市海拉尔区", "021000",
           (("正阳街道", ("正阳社区", "胜利社区")),), (("奋斗镇", ("奋斗村", "哈克嘎查")),)),
    Region("150802", _NM + "巴彦淖尔市临河区", "015000",
           (("车站街道", ("车站社区", "解放社区")),), (("狼山镇", ("友谊村", "新丰村")),)),
    Region("150902", _NM + "乌兰察布市集宁区", "012000",
           (("新体路街道", ("新体社区", "桥西社区")),), (("白海子镇", ("白海子村", "三岔口村")),)),
    Region("152201", _NM + "兴安盟乌兰浩特市", "137400",
           (("和平街道", ("和平社区", "兴安社区")),), (("义勒力特镇", ("义勒力特嘎查", "新立村")),)),
    Region("152502", _NM + "锡林郭勒盟锡林浩特市", "026000",
           (("希日塔拉街道", ("希日塔拉社区", "额尔敦社区")),),
           (("朝克乌拉苏木", ("巴彦宝力格嘎查", "伊利勒特嘎查")), ("宝力根苏木", ("巴彦锡勒嘎查",)))),
)

# (name, region_code, 登记管理部门代码 + 机构类别代码)
_UNITS = (
    ("呼和浩特市青城乳业有限公司", "150102", "91"),
    ("内蒙古草原云数据科技有限公司", "150105", "91"),
    ("呼和浩特市大召餐饮管理有限公司", "150104", "91"),
    ("内蒙古北疆建筑工程有限责任公司", "150103", "91"),
    ("呼和浩特市敕勒川物业服务有限公司", "150105", "91"),
    ("包头市钢城机械制造有限公司", "150203", "91"),
    ("包头市鹿城物流有限公司", "150202", "91"),
    ("包头市青山稀土新材料有限公司", "150204", "91"),
    ("赤峰市红山物业服务有限公司", "150402", "91"),
    ("赤峰市松山农牧机械有限公司", "150404", "91"),
    ("通辽市科尔沁牛业有限公司", "150502", "91"),
    ("鄂尔多斯市东胜绒纺制品有限公司", "150602", "91"),
    ("呼伦贝尔市兴安岭旅游有限公司", "150702", "91"),
    ("海拉尔区呼伦乳品有限公司", "150702", "91"),
    ("巴彦淖尔市河套面业有限公司", "150802", "91"),
    ("乌兰察布市集宁马铃薯加工有限公司", "150902", "91"),
    ("乌兰浩特市洮儿河农牧民专业合作社", "152201", "93"),
    ("锡林浩特市草原羊肉食品有限公司", "152502", "91"),
    ("锡林浩特市白音锡勒牧业有限公司", "152502", "91"),
    ("呼和浩特市新城区老街坊便利店", "150102", "92"),
)

_HAN_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜"
    "戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林建国海峰志文东亮成庆振永福生春晓利"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲桂兰红梅琳燕萍雪慧倩婷颖露瑶怡佳月晶欢洁蕾薇丹玉凤"
_MONGOL_MALE = ("巴特尔", "额尔敦", "宝音", "朝鲁", "阿拉坦", "孟和", "布和", "达来", "巴雅尔", "苏和", "特木尔",
                "毕力格", "吉日木图", "那顺", "乌力吉", "图门", "敖其尔", "巴图", "额尔德木图", "哈斯巴根")
_MONGOL_FEMALE = ("其其格", "乌兰", "萨仁", "斯琴", "图雅", "苏日娜", "乌日娜", "娜仁花", "敖登", "格日勒", "萨日娜",
                  "托娅", "高娃", "塔娜", "吉雅", "娜荷芽", "阿拉坦其其格", "斯琴高娃", "乌云", "哈斯")
_MONGOL_SURNAMES = "包白鲍韩敖宝吴乌"
_MANCHU_SURNAMES = "关佟那富赵金"
_NORTHERN_SURNAMES = "鄂敖郭孟何杜涂"  # common among 达斡尔族 and 鄂温克族
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                    "155", "156", "157", "158", "159", "177", "180", "181", "183", "186", "187", "188", "189")
_NATIONS = ("汉族", "蒙古族", "回族", "满族", "达斡尔族", "鄂温克族")


@dataclass(frozen=True)
class DemoUnit:
    uscc: str
    name: str
    region_code: str


@dataclass(frozen=True)
class DemoInsurance:
    scheme: str
    status: str
    since: date
    unit_uscc: str | None


@dataclass(frozen=True)
class DemoPerson:
    kind: str
    ssn: str
    name: str
    gender: str
    birth_date: date
    nation: str
    phone: str
    hukou_address: str
    residence_address: str
    postcode: str
    region_code: str
    village: str
    insurances: tuple[DemoInsurance, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoData:
    units: tuple[DemoUnit, ...]
    persons: tuple[DemoPerson, ...]


def _org_code(rng: random.Random) -> str:
    """A 9-character 组织机构代码 (GB 11714): 8 digits and its check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2)))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _make_uscc(rng: random.Random, category: str, region_code: str) -> str:
    first17 = category + region_code + _org_code(rng)
    return first17 + uscc_check_char(first17)


def _nation(rng: random.Random, region_code: str) -> str:
    weights = [75, 17, 3, 3, 1, 1]
    if region_code in ("152502", "150502", "152201"):
        weights = [55, 40, 2, 2, 0.5, 0.5]
    elif region_code == "150702":
        weights = [65, 15, 2, 3, 8, 7]
    elif region_code == "150103":
        weights = [70, 12, 14, 3, 0.5, 0.5]
    elif region_code == "150404":
        weights = [72, 12, 2, 13, 0.5, 0.5]
    return rng.choices(_NATIONS, weights)[0]


def _name(rng: random.Random, nation: str, male: bool) -> str:
    chars = _MALE_CHARS if male else _FEMALE_CHARS
    han_given = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2))))
    if nation == "蒙古族":
        if rng.random() < 0.7:
            return rng.choice(_MONGOL_MALE if male else _MONGOL_FEMALE)
        return rng.choice(_MONGOL_SURNAMES) + han_given
    if nation == "满族":
        return rng.choice(_MANCHU_SURNAMES) + han_given
    if nation in ("达斡尔族", "鄂温克族"):
        return rng.choice(_NORTHERN_SURNAMES) + han_given
    return rng.choice(_HAN_SURNAMES) + han_given


def _birth(rng: random.Random, youngest: int, oldest: int) -> date:
    """A birth date giving an age in [youngest, oldest] on REFERENCE_DATE."""
    start = date(REFERENCE_DATE.year - oldest - 1, REFERENCE_DATE.month, REFERENCE_DATE.day) + timedelta(days=1)
    end = date(REFERENCE_DATE.year - youngest, REFERENCE_DATE.month, REFERENCE_DATE.day)
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _address(rng: random.Random, region: Region, rural: bool) -> tuple[str, str]:
    """A full address and its 村/嘎查/社区."""
    if rural:
        town, villages = rng.choice(region.towns)
        village = rng.choice(villages)
        if village.endswith("嘎查"):
            return f"{region.prefix}{town}{village}牧户{rng.randint(1, 80)}号", village
        return f"{region.prefix}{town}{village}{rng.choice('一二三四五六')}组{rng.randint(1, 120)}号", village
    street, communities = rng.choice(region.streets)
    community = rng.choice(communities)
    estate = rng.choice(("阳光", "锦绣", "草原", "青城", "幸福", "和谐", "万达", "金桥", "团结", "北苑"))
    return (
        f"{region.prefix}{street}{community}{estate}小区{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元"
        f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室",
        community,
    )


@lru_cache(maxsize=4)
def generate_demo_data(seed: int = SEED) -> DemoData:
    """The same units and persons for the same seed, on any machine and any day."""
    rng = random.Random(seed)
    units = tuple(DemoUnit(_make_uscc(rng, cat, code), name, code) for name, code, cat in _UNITS)
    employers = list(units)
    persons: list[DemoPerson] = []
    used_ssns: set[str] = set()
    for kind, count in PERSON_KINDS.items():
        for _ in range(count):
            persons.append(_person(rng, kind, employers, used_ssns))
    return DemoData(units=units, persons=tuple(persons))


def _person(rng: random.Random, kind: str, employers: list[DemoUnit], used: set[str]) -> DemoPerson:
    male = rng.random() < 0.5
    ages = {"employee": (20, 58), "resident": (18, 59), "suspended": (25, 59), "transferred": (25, 50),
            "uninsured": (18, 58)}
    if kind == "retiree":
        birth = _birth(rng, 61 if male else 56, 88)
    else:
        birth = _birth(rng, *ages[kind])
    region = rng.choice(REGIONS)
    rural = rng.random() < {"employee": 0.15, "transferred": 0.5, "retiree": 0.4}.get(kind, 0.75)
    nation = _nation(rng, region.code)
    born_in = region.code if rng.random() < 0.9 else rng.choice(REGIONS).code
    while True:
        ssn = make_id_number(born_in, birth, rng.randrange(500), male)
        if ssn not in used:
            used.add(ssn)
            break
    hukou, village = _address(rng, region, rural)
    residence = hukou if rng.random() < 0.7 else _address(rng, region, False)[0]
    phone = rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))

    adult = max(_add_years(birth, 18), date(1995, 1, 1))
    local = [u for u in employers if u.region_code[:4] == region.code[:4]] or employers
    insurances: list[DemoInsurance] = []
    if kind == "employee":
        unit = rng.choice(local)
        since = _between(rng, adult, date(2024, 10, 1))
        insurances.append(DemoInsurance(SCHEME_EMPLOYEE, "参保缴费", since, unit.uscc))
        if rng.random() < 0.8:
            insurances.append(DemoInsurance(SCHEME_UNEMPLOYMENT, "参保缴费", since, unit.uscc))
            insurances.append(DemoInsurance(SCHEME_INJURY, "参保缴费", since, unit.uscc))
    elif kind in ("resident", "suspended"):
        since = _between(rng, max(_add_years(birth, 16), date(2010, 1, 1)), date(2024, 10, 1))
        insurances.append(DemoInsurance(SCHEME_RESIDENT, "参保缴费" if kind == "resident" else "暂停缴费", since, None))
    elif kind == "transferred":
        first = _between(rng, max(_add_years(birth, 16), date(2010, 1, 1)), date(2020, 12, 31))
        moved = _between(rng, first + timedelta(days=365), date(2024, 10, 1))
        insurances.append(DemoInsurance(SCHEME_RESIDENT, "终止", first, None))
        insurances.append(DemoInsurance(SCHEME_EMPLOYEE, "参保缴费", moved, rng.choice(local).uscc))
    elif kind == "retiree":
        if rng.random() < 0.6:
            retired = _add_years(birth, 60 if male else rng.choice((50, 55)))
            insurances.append(DemoInsurance(SCHEME_EMPLOYEE, "待遇领取", retired, None))
        else:
            retired = max(_add_years(birth, 60), date(2011, 7, 1))
            insurances.append(DemoInsurance(SCHEME_RESIDENT, "待遇领取", retired, None))
    return DemoPerson(
        kind=kind, ssn=ssn, name=_name(rng, nation, male), gender="男" if male else "女", birth_date=birth,
        nation=nation, phone=phone, hukou_address=hukou, residence_address=residence, postcode=region.postcode,
        region_code=region.code, village=village, insurances=tuple(insurances),
    )


def demo_person_ssns(kind: str) -> list[str]:
    """SSNs of the demo persons of one kind (see PERSON_KINDS), in a stable order."""
    if kind not in PERSON_KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(PERSON_KINDS)}")
    return [p.ssn for p in generate_demo_data().persons if p.kind == kind]


def demo_person(ssn: str) -> DemoPerson:
    return next(p for p in generate_demo_data().persons if p.ssn == ssn)


def unknown_valid_ssn() -> str:
    """A valid 公民身份号码 that belongs to no demo person (for 404 tests)."""
    known = {p.ssn for p in generate_demo_data().persons}
    for seq in range(500):
        ssn = make_id_number("150121", date(1990, 1, 1), seq, True)
        if ssn not in known:
            return ssn
    raise RuntimeError("no free number")


def with_wrong_check_char(ssn: str) -> str:
    """The same number with a wrong 18th character (for invalid_ssn tests)."""
    right = id_check_char(ssn[:17])
    return ssn[:17] + ("0" if right != "0" else "1")


def seed_demo(engine: Engine) -> dict[str, int]:
    """Insert whatever demo rows are missing (safe to call again) and return the table counts."""
    data = generate_demo_data()
    with Session(engine) as s:
        have_units = set(s.scalars(select(Unit.uscc)))
        s.add_all(Unit(uscc=u.uscc, name=u.name, region_code=u.region_code) for u in data.units if u.uscc not in have_units)
        s.flush()
        have_persons = set(s.scalars(select(Person.ssn)))
        for p in data.persons:
            if p.ssn in have_persons:
                continue
            person = Person(
                ssn=p.ssn, name=p.name, gender=p.gender, birth_date=p.birth_date, nation=p.nation, phone=p.phone,
                hukou_address=p.hukou_address, residence_address=p.residence_address, postcode=p.postcode,
                region_code=p.region_code, village=p.village,
            )
            person.insurances = [
                Insurance(scheme=i.scheme, status=i.status, since=i.since, unit_uscc=i.unit_uscc) for i in p.insurances
            ]
            s.add(person)
        have_ops = set(s.scalars(select(Operator.operator_id)))
        for op_id, name, roles, agency, status in DEMO_OPERATORS:
            if op_id not in have_ops:
                s.add(Operator(operator_id=op_id, name=name, password_hash=hash_password(DEMO_PASSWORD),
                               roles=roles, agency_code=agency, status=status))
        add_enrolment_code(s, DEMO_ENROLMENT_CODE)
        s.commit()
        from server import contributions, sscard_status  # 自助终端 demo (issue 10): card states, 居民缴费 history

        for kiosk_module in (sscard_status, contributions):
            kiosk_module.create_tables(engine)
        sscard_status.seed_demo_cards(engine)
        contributions.seed_demo_contributions(engine)
        return demo_counts(s)


def demo_counts(s: Session) -> dict[str, int]:
    return {
        "units": s.scalar(select(func.count()).select_from(Unit)),
        "persons": s.scalar(select(func.count()).select_from(Person)),
        "insurances": s.scalar(select(func.count()).select_from(Insurance)),
        "operators": s.scalar(select(func.count()).select_from(Operator)),
    }


def is_empty(engine: Engine) -> bool:
    with Session(engine) as s:
        counts = demo_counts(s)
    return counts["persons"] == 0 and counts["operators"] == 0
