"""The demo region: the bureau, its facilities, their layout, the catchment counties and the logins.

Facilities 1-9 are the ones named in the source reports (DOMAIN.md §1). Ordos is the tenth and is
illustrative only (``is_illustrative``): S2 inspected ten facilities without naming the tenth, and a
2015-era report lists Ordos as under construction. Codes, addresses (city or county level only),
sizes and stations are made up for the demo; county codes are real GB/T 2260 codes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from jiedu.organisation.models import Facility, ZoneType
from jiedu.organisation.roles import Role

# Generated dates are relative to this fixed day, never to the run date, so a re-run on a later
# day plans exactly the same rows (and the second run changes nothing).
ANCHOR = datetime.date(2026, 11, 1)

BUREAU_CODE = "150000"
BUREAU_NAME = "内蒙古自治区戒毒管理局"

REGION = Facility.Level.REGION
CITY = Facility.Level.LEAGUE_CITY


@dataclass(frozen=True)
class County:
    code: str  # GB/T 2260
    city: str  # league or city
    name: str  # banner, county, district or county-level city
    decision_prefix: str  # abbreviation used in decision numbers: 新城公强戒决字〔2025〕…号

    @property
    def deciding_organ(self) -> str:
        """City districts have a branch (分局) of the city bureau; banners and counties their own bureau."""
        if self.name.endswith("区"):
            return f"{self.city}公安局{self.name}分局"
        return f"{self.name}公安局"


_COUNTY_ROWS = [
    ("150102", "呼和浩特市", "新城区", "呼新"),
    ("150103", "呼和浩特市", "回民区", "呼回"),
    ("150104", "呼和浩特市", "玉泉区", "呼玉"),
    ("150105", "呼和浩特市", "赛罕区", "呼赛"),
    ("150121", "呼和浩特市", "土默特左旗", "土左"),
    ("150122", "呼和浩特市", "托克托县", "托县"),
    ("150123", "呼和浩特市", "和林格尔县", "和林"),
    ("150124", "呼和浩特市", "清水河县", "清水河"),
    ("150125", "呼和浩特市", "武川县", "武川"),
    ("150202", "包头市", "东河区", "包东"),
    ("150203", "包头市", "昆都仑区", "包昆"),
    ("150204", "包头市", "青山区", "包青"),
    ("150207", "包头市", "九原区", "包九"),
    ("150221", "包头市", "土默特右旗", "土右"),
    ("150222", "包头市", "固阳县", "固阳"),
    ("150302", "乌海市", "海勃湾区", "海勃湾"),
    ("150303", "乌海市", "海南区", "乌海南"),
    ("150304", "乌海市", "乌达区", "乌达"),
    ("150402", "赤峰市", "红山区", "赤红"),
    ("150403", "赤峰市", "元宝山区", "赤元"),
    ("150404", "赤峰市", "松山区", "赤松"),
    ("150429", "赤峰市", "宁城县", "宁城"),
    ("150502", "通辽市", "科尔沁区", "通科"),
    ("150602", "鄂尔多斯市", "东胜区", "鄂东"),
    ("150603", "鄂尔多斯市", "康巴什区", "鄂康"),
    ("150621", "鄂尔多斯市", "达拉特旗", "达旗"),
    ("150622", "鄂尔多斯市", "准格尔旗", "准旗"),
    ("150702", "呼伦贝尔市", "海拉尔区", "海拉尔"),
    ("150781", "呼伦贝尔市", "满洲里市", "满洲里"),
    ("150782", "呼伦贝尔市", "牙克石市", "牙克石"),
    ("150783", "呼伦贝尔市", "扎兰屯市", "扎兰屯"),
    ("150802", "巴彦淖尔市", "临河区", "巴临"),
    ("150821", "巴彦淖尔市", "五原县", "五原"),
    ("150822", "巴彦淖尔市", "磴口县", "磴口"),
    ("150823", "巴彦淖尔市", "乌拉特前旗", "乌前旗"),
    ("150902", "乌兰察布市", "集宁区", "乌集"),
    ("150921", "乌兰察布市", "卓资县", "卓资"),
    ("150926", "乌兰察布市", "察哈尔右翼前旗", "察右前旗"),
    ("150981", "乌兰察布市", "丰镇市", "丰镇"),
    ("152201", "兴安盟", "乌兰浩特市", "乌兰浩特"),
    ("152221", "兴安盟", "科尔沁右翼前旗", "科右前旗"),
    ("152223", "兴安盟", "扎赉特旗", "扎旗"),
    ("152501", "锡林郭勒盟", "二连浩特市", "二连"),
    ("152502", "锡林郭勒盟", "锡林浩特市", "锡市"),
    ("152921", "阿拉善盟", "阿拉善左旗", "阿左旗"),
]
COUNTIES: dict[str, County] = {row[0]: County(*row) for row in _COUNTY_ROWS}

# Ethnic mix by league/city (weights). Hinggan, Tongliao and Xilingol are the most Mongolian;
# Hulunbuir has Daur, Evenki and Oroqen communities.
_DEFAULT_ETHNICITIES = {"汉族": 78, "蒙古族": 16, "回族": 3, "满族": 3}
ETHNICITIES_BY_CITY = {
    "兴安盟": {"汉族": 52, "蒙古族": 44, "满族": 3, "回族": 1},
    "通辽市": {"汉族": 55, "蒙古族": 42, "满族": 2, "回族": 1},
    "锡林郭勒盟": {"汉族": 62, "蒙古族": 35, "回族": 2, "满族": 1},
    "呼伦贝尔市": {
        "汉族": 74, "蒙古族": 14, "达斡尔族": 5, "鄂温克族": 3, "满族": 2, "回族": 1, "鄂伦春族": 1,
    },  # fmt: skip
    "呼和浩特市": {"汉族": 80, "蒙古族": 13, "回族": 5, "满族": 2},
    "阿拉善盟": {"汉族": 70, "蒙古族": 27, "回族": 3},
}


def ethnicities_for(city: str) -> dict[str, int]:
    return ETHNICITIES_BY_CITY.get(city, _DEFAULT_ETHNICITIES)


@dataclass(frozen=True)
class StationSpec:
    county: str  # county code; the station sits in that banner/county

    @property
    def name(self) -> str:
        c = COUNTIES[self.county]
        return f"{c.city}{c.name}社区戒毒康复指导站"


@dataclass(frozen=True)
class FacilitySpec:
    number: int  # 1-10: the facility's digits in police numbers, ID sequences and decision numbers
    code: str
    name: str
    short_name: str
    level: str
    address: str
    file_prefix: str
    residents: int  # 50-150
    staff: int  # 30-80
    catchment: dict[str, int]  # county code -> weight, where its residents come from
    stations: tuple[str, ...]  # county codes
    is_womens: bool = False
    is_procuratorial_pilot: bool = False
    is_illustrative: bool = False
    extra_brigades: tuple[str, ...] = field(default=())

    def facility_fields(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "short_name": self.short_name,
            "level": self.level,
            "is_womens": self.is_womens,
            "is_procuratorial_pilot": self.is_procuratorial_pilot,
            "is_illustrative": self.is_illustrative,
            "address": self.address,
        }


FACILITIES: tuple[FacilitySpec, ...] = (
    FacilitySpec(
        number=1, code="NM-R01", name="内蒙古女子强制隔离戒毒所", short_name="女子所", level=REGION,
        address="内蒙古自治区呼和浩特市", file_prefix="NZ", residents=72, staff=46,
        is_womens=True, is_procuratorial_pilot=True,
        # Women from the whole region.
        catchment={"150102": 5, "150103": 4, "150104": 4, "150105": 5, "150203": 5, "150204": 3, "150202": 3,
                   "150302": 2, "150402": 3, "150404": 2, "150502": 2, "150602": 3, "150702": 2, "150802": 2,
                   "150902": 2, "152201": 1, "152502": 1},
        stations=("150402", "150404", "150403", "150429"),
    ),
    FacilitySpec(
        number=2, code="NM-R02", name="内蒙古五原强制隔离戒毒所", short_name="五原所", level=REGION,
        address="内蒙古自治区巴彦淖尔市五原县", file_prefix="WY", residents=118, staff=64,
        catchment={"150802": 10, "150821": 6, "150822": 3, "150823": 4, "150203": 3, "150202": 2,
                   "150302": 2, "150304": 1, "152921": 2, "150621": 2},
        stations=("150802", "150821", "150822", "150823"),
    ),
    FacilitySpec(
        number=3, code="NM-R03", name="内蒙古图牧吉强制隔离戒毒所", short_name="图牧吉所", level=REGION,
        address="内蒙古自治区兴安盟扎赉特旗图牧吉镇", file_prefix="TMJ", residents=104, staff=58,
        is_procuratorial_pilot=True,
        catchment={"152201": 8, "152221": 5, "152223": 5, "150502": 7, "150402": 3, "150783": 3,
                   "150702": 2, "152502": 2},
        stations=("152201", "152223", "152221", "150502"),
    ),
    FacilitySpec(
        number=4, code="NM-C0101", name="呼和浩特市强制隔离戒毒所", short_name="呼和浩特所", level=CITY,
        address="内蒙古自治区呼和浩特市", file_prefix="HH", residents=142, staff=76,
        catchment={"150102": 9, "150103": 8, "150104": 7, "150105": 4, "150121": 3, "150122": 2},
        stations=("150102", "150103", "150104", "150121", "150122"),
        extra_brigades=("四大队",),
    ),
    FacilitySpec(
        number=5, code="NM-C0102", name="呼和浩特市赛罕强制隔离戒毒所", short_name="赛罕所", level=CITY,
        address="内蒙古自治区呼和浩特市赛罕区", file_prefix="SH", residents=88, staff=50,
        catchment={"150105": 10, "150123": 3, "150124": 2, "150125": 2, "150102": 2, "150104": 2},
        stations=("150105", "150123", "150124", "150125"),
    ),
    FacilitySpec(
        number=6, code="NM-C0901", name="乌兰察布市强制隔离戒毒所", short_name="乌兰察布所", level=CITY,
        address="内蒙古自治区乌兰察布市集宁区", file_prefix="WLCB", residents=84, staff=44,
        catchment={"150902": 10, "150921": 3, "150926": 3, "150981": 4, "152501": 2, "152502": 2},
        stations=("150902", "150981", "150921", "150926"),
    ),
    FacilitySpec(
        number=7, code="NM-C0701", name="呼伦贝尔市强制隔离戒毒所", short_name="呼伦贝尔所", level=CITY,
        address="内蒙古自治区呼伦贝尔市海拉尔区", file_prefix="HLBE", residents=93, staff=52,
        catchment={"150702": 10, "150781": 5, "150782": 4, "150783": 4},
        stations=("150702", "150781", "150782", "150783"),
    ),
    FacilitySpec(
        number=8, code="NM-C0201", name="包头市强制隔离戒毒所", short_name="包头所", level=CITY,
        address="内蒙古自治区包头市", file_prefix="BT", residents=134, staff=72,
        is_procuratorial_pilot=True,
        catchment={"150203": 10, "150204": 7, "150202": 6, "150207": 4, "150221": 3, "150222": 2},
        stations=("150203", "150204", "150202", "150207", "150221"),
        extra_brigades=("四大队",),
    ),
    FacilitySpec(
        number=9, code="NM-C0301", name="乌海市强制隔离戒毒所", short_name="乌海所", level=CITY,
        address="内蒙古自治区乌海市", file_prefix="WH", residents=66, staff=38,
        is_procuratorial_pilot=True,
        catchment={"150302": 10, "150303": 5, "150304": 6, "152921": 2},
        stations=("150302", "150303", "150304", "152921"),
    ),
    FacilitySpec(
        number=10, code="NM-C0601", name="鄂尔多斯市强制隔离戒毒所", short_name="鄂尔多斯所", level=CITY,
        address="内蒙古自治区鄂尔多斯市东胜区", file_prefix="ERDS", residents=58, staff=34,
        is_illustrative=True,
        catchment={"150602": 10, "150603": 3, "150621": 4, "150622": 4},
        stations=("150602", "150603", "150621", "150622"),
    ),
)  # fmt: skip

FACILITIES_BY_CODE = {spec.code: spec for spec in FACILITIES}
HOHHOT = "NM-C0101"
BAOTOU = "NM-C0201"

# --- Departments -----------------------------------------------------------------------------

BRIGADES = ("生理脱毒大队", "一大队", "二大队", "三大队", "回归指导大队", "警戒护卫大队")
OFFICES = ("办公室", "政治处", "管理科", "教育矫治科", "医务科", "后勤保障科")
MEDICAL_OFFICE = "医务科"
GUARD_BRIGADE = "警戒护卫大队"
# Brigades that hold residents (their staff are mostly 民警 on the wings).
CUSTODIAL_BRIGADES = ("生理脱毒大队", "一大队", "二大队", "三大队", "回归指导大队")


def departments_for(spec: FacilitySpec) -> list[tuple[str, str]]:
    """(name, kind) for each department, brigades first."""
    brigades = list(BRIGADES[:4]) + list(spec.extra_brigades) + list(BRIGADES[4:])
    return [(name, "brigade") for name in brigades] + [(name, "office") for name in OFFICES]


# --- Zones and rooms -------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneSpec:
    name: str
    zone_type: str
    room_prefix: str
    single_rooms: int = 0  # isolation zones: single-occupancy rooms, capacity 1
    fixed_rooms: int = 0  # epidemic areas: a fixed number of ordinary rooms
    capacity: tuple[int, int] = (8, 12)


FOUR_ZONES = (
    ZoneSpec("生理脱毒区", ZoneType.DETOX, "1"),
    ZoneSpec("教育适应区", ZoneType.EDUCATION, "2"),
    ZoneSpec("康复巩固区", ZoneType.REHABILITATION, "3"),
    ZoneSpec("回归指导区", ZoneType.RETURN_GUIDANCE, "4"),
)
EPIDEMIC_ZONES = (
    ZoneSpec("封闭管理区", ZoneType.CLOSED_MANAGEMENT, "5", fixed_rooms=3),
    # Police standby dormitories before a closed-management shift: small rooms.
    ZoneSpec("隔离备勤区", ZoneType.STANDBY_ISOLATION, "6", fixed_rooms=4, capacity=(4, 6)),
    ZoneSpec("发热隔离区", ZoneType.FEVER_ISOLATION, "7", single_rooms=4),
    ZoneSpec("密切接触者隔离区", ZoneType.CONTACT_ISOLATION, "8", single_rooms=6),
    ZoneSpec("解戒前隔离区", ZoneType.PRE_RELEASE_ISOLATION, "9", single_rooms=4),
)
ZONES = FOUR_ZONES + EPIDEMIC_ZONES
ZONES_BY_TYPE = {z.zone_type: z for z in ZONES}

# Residents move through the four zones with time served (days since the term started).
DETOX_DAYS = 30
EDUCATION_DAYS = 120
RETURN_GUIDANCE_DAYS_LEFT = 120

DEACTIVATION_REASONS = (
    "墙体渗水，停用维修",
    "消防设施改造，暂停使用",
    "监控设备更换，暂停使用",
    "门窗加固改造中",
)

# --- Staff positions -------------------------------------------------------------------------

DIRECTOR = "所长"
POLITICAL_COMMISSAR = "政委"
DEPUTY_DIRECTOR = "副所长"
BRIGADE_CHIEF = "大队长"
BRIGADE_INSTRUCTOR = "教导员"
OFFICE_CHIEF = "科长"
OFFICE_HEAD = "主任"  # 办公室主任; 政治处 has a 主任 too
OFFICER = "民警"
DOCTOR = "医生"
NURSE = "护士"
CLERK = "职工"
HEADS = (BRIGADE_CHIEF, BRIGADE_INSTRUCTOR, OFFICE_CHIEF, OFFICE_HEAD)

# --- Logins ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginSpec:
    username: str
    display_name: str
    role: str
    facilities: tuple[str, ...] = ()  # facility codes; empty for a bureau-wide role
    # A linked Staff record: (department, position, sex) of the slot it takes in the facility.
    staff_slot: tuple[str | None, str, str] | None = None


LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("bureau_leader", "张志刚", Role.BUREAU_LEADER),
    LoginSpec("supervisor", "乌日娜", Role.BUREAU_SUPERVISOR),
    LoginSpec("hohhot_leader", "王建国", Role.FACILITY_LEADER, (HOHHOT,), (None, DIRECTOR, "M")),
    LoginSpec("hohhot_officer", "李海军", Role.FACILITY_OFFICER, (HOHHOT,), ("一大队", OFFICER, "M")),
    LoginSpec("hohhot_medical", "刘丽娟", Role.MEDICAL_STAFF, (HOHHOT,), (MEDICAL_OFFICE, DOCTOR, "F")),
    LoginSpec("hohhot_gate", "赵鹏", Role.GATE_OFFICER, (HOHHOT,), (GUARD_BRIGADE, OFFICER, "M")),
    LoginSpec("baotou_officer", "高志强", Role.FACILITY_OFFICER, (BAOTOU,), ("一大队", OFFICER, "M")),
    LoginSpec(
        "prosecutor",
        "孙晓燕",
        Role.PROSECUTOR,
        tuple(spec.code for spec in FACILITIES if spec.is_procuratorial_pilot),
    ),
    LoginSpec("station_worker", "其其格", Role.STATION_WORKER, (HOHHOT,)),
    # 三员分立: one login per administrator role, bureau-wide, none of them also a leader or officer.
    LoginSpec("sysadmin", "韩振宇", Role.SYSTEM_ADMIN),
    LoginSpec("secadmin", "包晓东", Role.SECURITY_ADMIN),
    LoginSpec("auditadmin", "陈静", Role.AUDIT_ADMIN),
)

# The command's table is read by people setting up a demo; the role names are spelled out here
# so the table is Chinese whatever the state of the translation catalogue.
ROLE_NAMES_ZH = {
    Role.BUREAU_LEADER: "局领导",
    Role.BUREAU_SUPERVISOR: "局督查",
    Role.FACILITY_LEADER: "所领导",
    Role.FACILITY_OFFICER: "所民警",
    Role.MEDICAL_STAFF: "医务人员",
    Role.GATE_OFFICER: "门岗民警",
    Role.PROSECUTOR: "驻所检察官",
    Role.STATION_WORKER: "社区指导站工作人员",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
}

SYSTEM_USERNAME = "system"
SYSTEM_DISPLAY_NAME = "系统"
