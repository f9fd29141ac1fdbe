"""Demo history: the bureau's supervision teams and three campaigns.

- A: 2022年“规范化管理制度落实年”专项督导 — every facility inspected once on site (round-robin over
  the three on-site teams, all four methods, every standard judged) and once by the video team
  (video patrol only, one or two signed-off sessions); all completed;
- B: 2022年对照“十一个严禁”自查自纠 — one completed self-inspection per facility (no team);
- C: this year's 规范化建设督导 — completed inspections in the months already past for most
  facilities, and one in progress.

Extra bureau logins (unusable passwords) make four teams, each led by a member of the leadership
(张志刚 = bureau_leader leads 第一现场督导组) with two or three members. Everything is written through
the services as the system user (video sessions signed off by their inspectors), deterministic
(``day_rng``) and idempotent: campaigns, teams and inspections are found by their natural keys.
Without the 2022 catalogue (standards demo not run) nothing is written.
"""

from __future__ import annotations

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from jiedu.accounts.models import User
from jiedu.audit import services as audit
from jiedu.demo.history import day_rng
from jiedu.organisation.models import Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.organisation.scoping import forget_memberships
from jiedu.standards.models import CatalogueVersion, Standard
from jiedu.supervision import domain, services
from jiedu.supervision.models import Campaign, Inspection, Team

CATALOGUE = ("戒毒场所规范化建设标准", "2022版")
CAMPAIGN_A = "2022年“规范化管理制度落实年”专项督导"
CAMPAIGN_B = "2022年对照“十一个严禁”自查自纠"
ON_SITE_TEAMS = ("第一现场督导组", "第二现场督导组", "第三现场督导组")
VIDEO_TEAM = "视频监控督导组"
ALL_METHODS = tuple(domain.METHOD_FIELDS)

# username, display name, role
BUREAU_USERS = (
    ("bureau_deputy_1", "赵卫东", Role.BUREAU_LEADER),
    ("bureau_deputy_2", "巴特尔", Role.BUREAU_LEADER),
    ("bureau_deputy_3", "刘建平", Role.BUREAU_LEADER),
    ("supervisor_2", "陈晓梅", Role.BUREAU_SUPERVISOR),
    ("supervisor_3", "苏和", Role.BUREAU_SUPERVISOR),
    ("supervisor_4", "杨帆", Role.BUREAU_SUPERVISOR),
    ("supervisor_5", "乌兰", Role.BUREAU_SUPERVISOR),
    ("supervisor_6", "郭建军", Role.BUREAU_SUPERVISOR),
    ("supervisor_7", "张丽华", Role.BUREAU_SUPERVISOR),
    ("supervisor_8", "敖登", Role.BUREAU_SUPERVISOR),
    ("supervisor_9", "马俊", Role.BUREAU_SUPERVISOR),
)
# team name, kind, leader, members
TEAMS = (
    (ON_SITE_TEAMS[0], Team.Kind.ON_SITE, "bureau_leader", ("supervisor", "supervisor_2")),
    (ON_SITE_TEAMS[1], Team.Kind.ON_SITE, "bureau_deputy_1", ("supervisor_3", "supervisor_4", "supervisor_5")),
    (ON_SITE_TEAMS[2], Team.Kind.ON_SITE, "bureau_deputy_2", ("supervisor_6", "supervisor_7")),
    (VIDEO_TEAM, Team.Kind.VIDEO, "bureau_deputy_3", ("supervisor_8", "supervisor_9")),
)
SHORTFALL_NOTES = (
    "台账记录不全，缺少部分月份的记录",
    "制度已建立但未按要求组织学习",
    "个别民警对操作规程不熟悉",
    "档案资料归档不及时",
    "监控存在盲区，未及时调整",
    "记录填写不规范，存在涂改",
    "未按规定频次开展检查",
)
CAMERAS = (
    ("二大队宿舍走廊-03", "二大队宿舍区"),
    ("医疗区走廊", "医疗区"),
    ("教育矫治中心-01", "教育矫治中心"),
    ("康复训练场-02", "康复训练场"),
    ("会见室-01", "会见区"),
    ("食堂操作间", "生活卫生区"),
)
OBSERVATIONS = (
    "值班民警在岗在位，巡查记录与视频一致。",
    "夜间巡查间隔符合规定，未发现异常。",
    "发现一名值班民警离岗约5分钟，已当场反馈。",
    "戒毒人员作息秩序良好，内务整齐。",
)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- People and teams ----------------------------------------------------------------------------


def _user(system, username: str, display_name: str, role: str) -> tuple[User, int]:
    written = 0
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=display_name)
        user.set_unusable_password()
        user.save()
        audit.record(
            actor=system, action="user.created", facility_id=None, target=user,
            changed_fields=["username", "display_name", "password"],
        )  # fmt: skip
        written += 1
    if not Membership.objects.filter(user=user, facility__isnull=True).exists():
        membership = Membership(user=user, facility=None, role=role)
        membership.full_clean()
        membership.save()
        audit.record(
            actor=system, action="membership.created", facility_id=None, target=membership,
            changed_fields=["user", "facility", "role"],
        )  # fmt: skip
        forget_memberships(user)
        written += 1
    return user, written


def _people(system) -> tuple[dict[str, User], int]:
    specs = [("bureau_leader", "张志刚", Role.BUREAU_LEADER), ("supervisor", "乌日娜", Role.BUREAU_SUPERVISOR)]
    users, written = {}, 0
    for username, name, role in (*specs, *BUREAU_USERS):
        users[username], count = _user(system, username, name, role)
        written += count
    return users, written


def _teams(system, campaign: Campaign, users: dict[str, User]) -> tuple[dict[str, Team], int]:
    existing = {team.name: team for team in Team.objects.filter(campaign=campaign)}
    written = 0
    for name, kind, leader, members in TEAMS:
        if name not in existing:
            existing[name] = services.add_team(
                actor=system, campaign=campaign, name=name, kind=kind, leader=users[leader],
                members=[users[m] for m in members],
            )  # fmt: skip
            written += 1
    return existing, written


def _campaign(system, name: str, **fields) -> tuple[Campaign, int]:
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is not None:
        return campaign, 0
    return services.create_campaign(actor=system, name=name, **fields), 1


# --- Inspections ---------------------------------------------------------------------------------


def _points(rng, max_points: Decimal, share: float) -> Decimal:
    points = (max_points * Decimal(str(share)) * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2
    return min(max(points, Decimal("0.5")), max_points - Decimal("0.5"))


def _entries(rng, standards: list[Standard]) -> list[dict]:
    """Mostly met, some partly or not met (with a note), a few not applicable."""
    entries = []
    for standard in standards:
        draw = rng.random()
        entry = {"standard": standard, "verdict": domain.MET, "points": None, "note": ""}
        if draw < 0.03:
            entry["verdict"] = domain.NOT_APPLICABLE
        elif draw < 0.09:
            entry.update(verdict=domain.NOT_MET, points=Decimal("0"), note=rng.choice(SHORTFALL_NOTES))
        elif draw < 0.22 and standard.max_points > 1:
            entry.update(
                verdict=domain.PARTLY, points=_points(rng, standard.max_points, rng.uniform(0.4, 0.85)),
                note=rng.choice(SHORTFALL_NOTES),
            )  # fmt: skip
        entries.append(entry)
    return entries


def _watchable(standards: list[Standard], offset: int) -> list[Standard]:
    """What a video patrol can judge: a sample of about one standard in twelve."""
    return standards[offset % 12 :: 12]


def _exists(campaign, facility, team, starts_on) -> bool:
    return Inspection.objects.filter(campaign=campaign, facility=facility, team=team, starts_on=starts_on).exists()


def _inspection(
    system, campaign, facility, *, team, starts_on, days, methods, standards=(), sessions=0, complete=True
) -> int:
    """One inspection's whole story (plan, start, results, sessions, completion) or nothing."""
    if _exists(campaign, facility, team, starts_on):
        return 0
    ends_on = starts_on + datetime.timedelta(days=days - 1)
    rng = day_rng(facility.code, starts_on, campaign.name + (team.name if team else ""))
    with transaction.atomic():
        inspection = services.plan_inspection(
            actor=system, campaign=campaign, facility=facility, team=team, starts_on=starts_on, ends_on=ends_on,
            methods=methods,
        )  # fmt: skip
        services.start_inspection(actor=system, inspection=inspection)
        written = 1
        if standards:
            entries = _entries(rng, standards)
            written += len(services.record_results(actor=system, inspection=inspection, entries=entries))
        for index in range(sessions):
            written += _session(system, inspection, rng, index)
        if complete:
            services.complete_inspection(
                actor=system, inspection=inspection, at=_at(ends_on, 17, 30),
                summary=f"{facility.short_name}：{campaign.name}检查完毕，已当场反馈发现的问题。",
            )  # fmt: skip
    return written


def _session(system, inspection, rng, index: int) -> int:
    team_members = list(inspection.team.members.order_by("username"))
    inspector = team_members[index % len(team_members)]
    cameras = rng.sample(CAMERAS, 2)
    started_at = _at(inspection.starts_on, 9 + 3 * index, rng.choice((0, 15, 30)))
    session = services.record_video_session(
        actor=system, inspection=inspection, inspector=inspector,
        areas_watched="、".join(area for _camera, area in cameras), cameras="、".join(c for c, _area in cameras),
        started_at=started_at, ended_at=started_at + datetime.timedelta(minutes=rng.choice((60, 90, 120))),
        observations=rng.choice(OBSERVATIONS),
    )  # fmt: skip
    camera = cameras[0][0]
    shot = SimpleUploadedFile(f"{camera}-{started_at:%Y%m%d%H%M}.png", _screenshot(rng), content_type="image/png")
    services.attach_screenshots(actor=inspector, session=session, uploads=[shot], caption=f"{camera}截图")
    services.sign_off_video_session(
        actor=inspector, session=session, at=session.ended_at + datetime.timedelta(minutes=20)
    )
    return 2


def _screenshot(rng) -> bytes:
    """A stand-in for a camera still: a dim corridor with a lit doorway (no text, no font needed)."""
    image = Image.new("RGB", (320, 180), (46, 52, 58))
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 180), (120, 70), (200, 70), (320, 180)], fill=(92, 98, 104))
    left = rng.randint(130, 170)
    draw.rectangle([left, 80, left + 18, 120], fill=(214, 200, 150))
    draw.rectangle([8, 8, 70, 18], fill=(180, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _campaign_a(system, facilities, catalogue, users, standards) -> int:
    campaign, written = _campaign(
        system, CAMPAIGN_A, kind=Campaign.Kind.STANDARDISATION, catalogue=catalogue,
        starts_on=datetime.date(2022, 3, 1), ends_on=datetime.date(2022, 11, 30), facilities=facilities,
    )  # fmt: skip
    teams, count = _teams(system, campaign, users)
    written += count
    for index, facility in enumerate(facilities):
        written += _inspection(
            system, campaign, facility, team=teams[ON_SITE_TEAMS[index % 3]], methods=ALL_METHODS,
            starts_on=datetime.date(2022, 4, 11) + datetime.timedelta(days=14 * index), days=2, standards=standards,
        )  # fmt: skip
        written += _inspection(
            system, campaign, facility, team=teams[VIDEO_TEAM], methods=(domain.VIDEO_PATROL,),
            starts_on=datetime.date(2022, 5, 16) + datetime.timedelta(days=10 * index), days=1,
            sessions=1 + index % 2, standards=_watchable(standards, index),
        )  # fmt: skip
    return written


def _campaign_b(system, facilities) -> int:
    campaign, written = _campaign(
        system, CAMPAIGN_B, kind=Campaign.Kind.SELF_INSPECTION, basis="十一个严禁",
        starts_on=datetime.date(2022, 5, 1), ends_on=datetime.date(2022, 7, 31), facilities=facilities,
    )  # fmt: skip
    for index, facility in enumerate(facilities):
        written += _inspection(
            system, campaign, facility, team=None, methods=(domain.SITE_CHECK, domain.LEDGER_REVIEW, domain.TALK),
            starts_on=datetime.date(2022, 5, 9) + datetime.timedelta(days=3 * index), days=3,
        )  # fmt: skip
    return written


def campaign_c_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """1 March to 30 November of this year, begun by today at the latest."""
    return min(datetime.date(today.year, 3, 1), today), datetime.date(today.year, 11, 30)


def _campaign_c(system, facilities, catalogue, users, standards, today) -> int:
    """Each facility but the last has its month (March to October, in turn); its inspection exists
    once that month is over. The last facility's inspection is under way (yesterday and today)."""
    starts_on, ends_on = campaign_c_period(today)
    campaign, written = _campaign(
        system, f"{today.year}年规范化建设督导", kind=Campaign.Kind.STANDARDISATION, catalogue=catalogue,
        starts_on=starts_on, ends_on=ends_on, facilities=facilities,
    )  # fmt: skip
    teams, count = _teams(system, campaign, users)
    written += count
    in_progress = facilities[-1] if len(facilities) > 1 else None
    for index, facility in enumerate(f for f in facilities if f != in_progress):
        month = 3 + index % 8
        day = datetime.date(today.year, month, 8 + 7 * (index // 8))
        if month >= today.month or day < starts_on:
            continue
        written += _inspection(
            system, campaign, facility, team=teams[ON_SITE_TEAMS[index % 3]], methods=ALL_METHODS,
            starts_on=day, days=2, standards=standards,
        )  # fmt: skip
        if index % 4 == 0:
            written += _inspection(
                system, campaign, facility, team=teams[VIDEO_TEAM], methods=(domain.VIDEO_PATROL,),
                starts_on=day + datetime.timedelta(days=3), days=1, sessions=1, standards=_watchable(standards, index),
            )  # fmt: skip
    under_way = Inspection.objects.filter(campaign=campaign, facility=in_progress).exists()
    if in_progress is not None and not under_way:
        first = min(max(starts_on, today - datetime.timedelta(days=1)), ends_on)
        written += _inspection(
            system, campaign, in_progress, team=teams[ON_SITE_TEAMS[0]], methods=ALL_METHODS, starts_on=first,
            days=min(3, (ends_on - first).days + 1), standards=standards[: len(standards) // 2], complete=False,
        )  # fmt: skip
    return written


def seed_history(*, system, today: datetime.date, days: int) -> int:
    facilities = list(Facility.objects.order_by("code"))
    name, version = CATALOGUE
    catalogue = CatalogueVersion.objects.filter(
        name=name, version=version, status=CatalogueVersion.Status.PUBLISHED
    ).first()
    if catalogue is None or not facilities:
        return 0
    standards = list(Standard.objects.filter(catalogue=catalogue).order_by("area__position", "position", "code"))
    with transaction.atomic():
        users, written = _people(system)
    written += _campaign_a(system, facilities, catalogue, users, standards)
    written += _campaign_b(system, facilities)
    written += _campaign_c(system, facilities, catalogue, users, standards, today)
    return written
