"""Demo findings for the three demo campaigns, written through the services with dated steps (``at``).

- Campaign A, 2022年“规范化管理制度落实年”专项督导: 221 problems found over the teams' inspections
  (a fixed table per facility, 203 of them rectified: 91.9% when all ten facilities exist). Found on
  the inspection day by one of its methods, mostly against standards judged partly or not met;
  deadlines 15–60 days later; rectified ones submitted by the facility (most on time), verified by
  the bureau (never the responsible person), some closed, all in 2022. The other 18 are still being
  rectified or await verification: overdue ever since, as the record says.
- Campaign B, 2022年对照“十一个严禁”自查自纠: 20 self-identified problems over the facilities'
  self-inspections and 15 measures against them, most rectified (problem texts are illustrative).
- Campaign C, this year's 规范化建设督导: at every facility a finding in each state — open, being
  rectified, awaiting verification, verified, closed, a failed verification sent back, one found
  again after closing, one withdrawn — and several overdue.

Campaigns, teams and inspections come from the supervision demo; a campaign (or a facility's
inspections) missing is skipped. Idempotent: a facility with findings in a campaign is left alone.
"""

from __future__ import annotations

import datetime
import io
from random import Random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from jiedu.demo.history import day_rng
from jiedu.evidence.models import EvidenceFile
from jiedu.findings import domain, services
from jiedu.findings.models import Finding, FindingEvent, RectificationMeasure
from jiedu.organisation import roles
from jiedu.organisation.models import Facility, Membership
from jiedu.organisation.scoping import can
from jiedu.people.models import Staff
from jiedu.standards.models import Standard
from jiedu.supervision.models import Campaign, Inspection, InspectionResult

CAMPAIGN_A = "2022年“规范化管理制度落实年”专项督导"
CAMPAIGN_B = "2022年对照“十一个严禁”自查自纠"
YEAR_END_2022 = datetime.date(2022, 12, 31)

# (found, rectified) per facility in code order: 221 found and 203 rectified (91.9%) over ten facilities.
CAMPAIGN_A_TABLE = (
    (26, 24),
    (24, 22),
    (23, 21),
    (23, 21),
    (22, 20),
    (22, 20),
    (21, 20),
    (21, 19),
    (20, 18),
    (19, 18),
)
# (problems, measures, rectified) per facility: 20 problems, 15 measures, 18 rectified over ten facilities.
CAMPAIGN_B_TABLE = ((2, 2, 2), (2, 2, 2), (2, 1, 2), (2, 2, 1), (2, 1, 2), (2, 2, 2), (2, 1, 2), (2, 2, 2), (2, 1, 1),
                    (2, 1, 2))  # fmt: skip
# This year's campaign: how many findings of each state a facility has, (least, most); the first
# facility gets at least one of each, so every state shows (overdue ones are past their deadline).
CAMPAIGN_C_SCENARIOS = (
    ("closed", 1, 6), ("verified", 0, 3), ("submitted", 0, 3), ("rectifying", 1, 4), ("open", 0, 3),
    ("rejected", 0, 1), ("reopened", 0, 1), ("withdrawn", 0, 1),
    ("overdue_rectifying", 0, 2), ("overdue_open", 0, 2), ("overdue_submitted", 0, 1),
)  # fmt: skip


def _scenarios_of(rng: Random, first: bool) -> list[str]:
    """A facility's own mix of states: some rectify fast, some fall behind."""
    chosen = []
    for scenario, least, most in CAMPAIGN_C_SCENARIOS:
        chosen += [scenario] * rng.randint(max(least, 1) if first else least, most)
    return chosen

PROBLEMS = (
    "戒毒人员入所登记信息不完整", "民警值班记录填写不规范", "教育矫正个案档案缺少阶段评估", "心理咨询记录未按要求归档",
    "诊断评估结论未经集体审议", "所政管理台账更新不及时", "医疗用药登记与处方不一致", "食堂留样记录缺项",
    "监控视频存储不足30天", "应急处置预案未组织演练", "习艺劳动安全防护措施不到位", "个别谈话记录过于简单",
    "探访登记未核验来访人身份", "消防器材未按期检查", "宿舍内务管理不规范", "戒毒人员物品保管登记手续不全",
    "执法记录仪使用不规范", "康复训练计划未按周执行", "卫生消毒记录不连续", "信息系统数据录入滞后",
    "大队安全检查记录流于形式", "奖惩考核材料不全", "夜间巡查签到记录缺失", "财务报销审批手续不全",
    "装备领用登记不规范", "队伍教育培训记录不完整", "出所衔接材料未按时移交", "亲情会见记录未及时归档",
    "诊室药品有效期未定期检查", "重点戒毒人员包夹措施落实不到位",
)  # fmt: skip
SELF_INSPECTION_PROBLEMS = (
    "个别民警值班期间使用手机处理私事", "戒毒人员代购物品登记不完整", "个别民警与戒毒人员家属交往未报告",
    "诊断评估材料存在代签现象", "习艺劳动超时未及时纠正", "会见监听记录未按要求保存", "个别民警酒后着装外出",
    "所外就医押解警力不足", "生活卫生费用公示不及时", "警械使用登记不规范",
)  # fmt: skip
MEASURES = (
    "修订民警值班纪律规定并组织学习", "建立代购物品双人登记复核制度", "开展警示教育专题会",
    "完善诊断评估签字审核流程", "严格落实习艺劳动时间台账", "规范会见监听记录保存", "签订廉洁从警承诺书",
    "修订所外就医押解工作规范", "每月公示生活卫生费用", "建立警械使用登记抽查机制",
)  # fmt: skip
FIXES = (
    "已完成整改并建立长效机制",
    "已补齐相关台账",
    "已组织专题学习并落实整改",
    "已更换设施并复查",
    "已修订制度并公示",
)
ACTIVE_STAFF = ("on_duty", "on_leave")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _photo(rng: Random) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))).save(
        buffer, "PNG"
    )
    return SimpleUploadedFile("整改照片.png", buffer.getvalue(), content_type="image/png")


def _written() -> int:
    return sum(m.objects.count() for m in (Finding, FindingEvent, RectificationMeasure, EvidenceFile))


class _People:
    """Who takes each step at a facility: its staff, a login of its own, and the bureau's verifiers."""

    def __init__(self, system, facility):
        self.system = system
        self.staff = list(
            Staff.objects.filter(
                facility=facility, status__in=ACTIVE_STAFF, department__isnull=False, department__is_active=True
            ).select_related("department").order_by("police_number")
        )  # fmt: skip
        own = Membership.objects.filter(
            facility=facility, is_active=True, user__is_active=True
        ).select_related("user")
        # An officer submits where there is one; the leadership may then verify its self-identified findings.
        ranked = sorted(own, key=lambda m: (m.role != roles.Role.FACILITY_OFFICER, m.user.username))
        self.rectifier = next(
            (m.user for m in ranked if can(m.user, roles.RECTIFY_FINDING, facility.pk)), system
        )
        self.leader = next((m.user for m in own if m.role == roles.Role.FACILITY_LEADER), None)
        bureau = Membership.objects.filter(facility__isnull=True, is_active=True, user__is_active=True)
        self.bureau = [m.user for m in bureau.select_related("user").order_by("user__username")]

    def verifier(self, finding: Finding, preferred=()) -> object:
        """The first of ``preferred`` (then the bureau) who is neither responsible nor the submitter."""
        excluded = {finding.responsible_user_id, finding.submitted_by_id}
        for user in [*preferred, *self.bureau, self.system]:
            if (
                user is not None
                and user.pk not in excluded
                and can(user, roles.VERIFY_FINDING, finding.facility_id)
            ):
                return user
        raise LookupError("no independent verifier")

    def recorder(self, team, facility_id: int) -> object:
        """The team's leader for an inspection, the facility's leader for its own findings, else the system."""
        who = team.leader if team is not None else self.leader
        return who if who is not None and can(who, roles.RECORD_FINDING, facility_id) else self.system


def _methods(inspection: Inspection) -> tuple[str, ...]:
    return domain.methods_used(
        site_check=inspection.by_site_check, ledger_review=inspection.by_ledger_review,
        video_patrol=inspection.by_video_patrol, talks=inspection.by_talks,
    )  # fmt: skip


def _severity(rng: Random) -> str:
    roll = rng.random()
    return (
        Finding.Severity.GENERAL
        if roll < 0.85
        else Finding.Severity.SERIOUS
        if roll < 0.97
        else Finding.Severity.MAJOR
    )


def _record(people: _People, inspection: Inspection, rng: Random, *, standards, weak, origin, title, deadline_days,
            found_on=None, deadline=None) -> Finding:  # fmt: skip
    staff = rng.choice(people.staff)
    found_on = found_on or inspection.starts_on
    standard = None
    if standards:
        own_weak = weak.get(inspection.pk, [])
        standard = rng.choice(own_weak) if own_weak and rng.random() < 0.85 else rng.choice(standards)
    description = (
        f"对照{standard.code}“{standard.title}”检查发现：{title}。" if standard else f"查摆发现：{title}。"
    )
    return services.record_finding(
        actor=people.recorder(inspection.team, inspection.facility_id), facility=inspection.facility, origin=origin, inspection=inspection,
        standard=standard, method=rng.choice(_methods(inspection)), severity=_severity(rng), title=title,
        description=description, responsible_department=staff.department, responsible_staff=staff, found_on=found_on,
        deadline=deadline or found_on + datetime.timedelta(days=deadline_days), at=_at(found_on, 17, rng.randint(0, 50)),
    )  # fmt: skip


def _rectify(people: _People, finding: Finding, rng: Random, *, submit_on, verify_on=None, close_on=None,
             preferred=()) -> Finding:  # fmt: skip
    """Start, submit on ``submit_on``; verify and close on the days given (None: not yet)."""
    # The record is dated the evening of the day found: every later step falls on a later day.
    submit_on = max(submit_on, finding.found_on + datetime.timedelta(days=1))
    start_on = min(finding.found_on + datetime.timedelta(days=rng.randint(1, 3)), submit_on)
    finding = services.start_rectification(
        actor=people.rectifier,
        finding=finding,
        note="已制定整改方案",
        at=_at(start_on, 9, rng.randint(0, 59)),
    )
    finding = services.submit_rectification(
        actor=people.rectifier, finding=finding, note=rng.choice(FIXES) + "，附整改照片。", files=[_photo(rng)],
        at=_at(submit_on, 15, rng.randint(0, 59)),
    )  # fmt: skip
    if verify_on is not None:
        verify_on = max(verify_on, submit_on)
        close_on = max(close_on, verify_on) if close_on is not None else None
        verifier = people.verifier(finding, preferred)
        finding = services.verify(
            actor=verifier, finding=finding, note="现场复核，整改到位。", at=_at(verify_on, 16, 30)
        )
        if close_on is not None:
            finding = services.close(actor=verifier, finding=finding, note="销号。", at=_at(close_on, 17, 30))
    return finding


def _weak_standards(inspections) -> dict[int, list]:
    """Standards judged partly or not met, per inspection."""
    results = InspectionResult.objects.filter(
        inspection__in=inspections,
        verdict__in=[InspectionResult.Verdict.PARTLY, InspectionResult.Verdict.NOT_MET],
    ).select_related("standard")
    weak: dict[int, list] = {}
    for result in results.order_by("inspection_id", "standard__code"):
        weak.setdefault(result.inspection_id, []).append(result.standard)
    return weak


def _team_inspections(campaign, facility, *, before: datetime.date):
    return list(
        Inspection.objects.filter(
            campaign=campaign, facility=facility, team__isnull=False, starts_on__lt=before
        )
        .select_related("team", "facility", "campaign")
        .prefetch_related("team__members")
        .order_by("starts_on", "id")
    )


# --- Campaign A: 221 found, 203 rectified -------------------------------------------------------------


def _campaign_a(system, facilities, today) -> None:
    campaign = Campaign.objects.filter(name=CAMPAIGN_A).first()
    if campaign is None:
        return
    standards = list(Standard.objects.filter(catalogue_id=campaign.catalogue_id).order_by("code"))
    for facility, (found, rectified) in zip(facilities, CAMPAIGN_A_TABLE, strict=False):
        if Finding.objects.filter(campaign=campaign, facility=facility).exists():
            continue
        inspections = _team_inspections(campaign, facility, before=today)
        people = _People(system, facility)
        if not inspections or not people.staff:
            continue
        rng = day_rng(facility.code, campaign.starts_on, "findings")
        weak = _weak_standards(inspections)
        open_ones = set(rng.sample(range(found), found - rectified))
        with transaction.atomic():
            for k in range(found):
                inspection = inspections[k % len(inspections)]
                finding = _record(
                    people, inspection, rng, standards=standards, weak=weak, origin=Finding.Origin.INSPECTION,
                    title=rng.choice(PROBLEMS), deadline_days=rng.randint(15, 60),
                )  # fmt: skip
                team = [inspection.team.leader, *inspection.team.members.all()]
                if k in open_ones:
                    _still_open(people, finding, rng, today)
                else:
                    _rectified_2022(people, finding, rng, team, today)


def _rectified_2022(people, finding, rng, team, today) -> None:
    last = min(YEAR_END_2022 - datetime.timedelta(days=3), today - datetime.timedelta(days=3))
    first = finding.found_on + datetime.timedelta(days=2)
    on_time_until = min(finding.deadline, last)
    late = rng.random() < 0.1 and finding.deadline + datetime.timedelta(days=1) <= last
    if late:
        submit_on = finding.deadline + datetime.timedelta(
            days=rng.randint(1, max(1, (last - finding.deadline).days))
        )
    else:
        submit_on = first + datetime.timedelta(days=rng.randint(0, max(0, (on_time_until - first).days)))
    submit_on = max(min(submit_on, last), finding.found_on)
    verify_on = min(submit_on + datetime.timedelta(days=rng.randint(1, 5)), last + datetime.timedelta(days=2))
    close_on = verify_on + datetime.timedelta(days=rng.randint(0, 1)) if rng.random() < 0.6 else None
    _rectify(
        people, finding, rng, submit_on=submit_on, verify_on=verify_on, close_on=close_on, preferred=team
    )


def _still_open(people, finding, rng, today) -> None:
    """Started, and for a third of them submitted late: the verification is still awaited."""
    start_on = finding.found_on + datetime.timedelta(days=rng.randint(1, 5))
    if rng.random() < 1 / 3:
        submit_on = min(
            finding.deadline + datetime.timedelta(days=rng.randint(5, 30)), today - datetime.timedelta(days=1)
        )
        _rectify(people, finding, rng, submit_on=max(submit_on, start_on))
    else:
        services.start_rectification(
            actor=people.rectifier, finding=finding, note="整改方案需申请经费，正在推进", at=_at(start_on, 10)
        )


# --- Campaign B: 20 self-identified problems, 15 measures --------------------------------------------


def _campaign_b(system, facilities, today) -> None:
    campaign = Campaign.objects.filter(name=CAMPAIGN_B).first()
    if campaign is None:
        return
    for index, (facility, (found, measures, rectified)) in enumerate(
        zip(facilities, CAMPAIGN_B_TABLE, strict=False)
    ):
        if Finding.objects.filter(campaign=campaign, facility=facility).exists():
            continue
        inspection = (
            Inspection.objects.filter(
                campaign=campaign, facility=facility, team__isnull=True, starts_on__lt=today
            )
            .select_related("facility", "campaign")
            .order_by("starts_on", "id")
            .first()
        )
        people = _People(system, facility)
        if inspection is None or not people.staff:
            continue
        rng = day_rng(facility.code, campaign.starts_on, "findings-self")
        with transaction.atomic():
            problems = []
            for k in range(found):
                title = SELF_INSPECTION_PROBLEMS[(2 * index + k) % len(SELF_INSPECTION_PROBLEMS)]
                problems.append(_record(
                    people, inspection, rng, standards=[], weak={}, origin=Finding.Origin.SELF_IDENTIFIED,
                    title=title, deadline_days=30,
                ))  # fmt: skip
            _measures(people, campaign, problems, measures, index, rng)
            preferred = [people.leader] if people.leader is not None else []
            for k, finding in enumerate(problems):
                submit_on = finding.found_on + datetime.timedelta(days=rng.randint(7, 25))
                if k < rectified:
                    verify_on = submit_on + datetime.timedelta(days=rng.randint(1, 4))
                    _rectify(people, finding, rng, submit_on=submit_on, verify_on=verify_on, close_on=verify_on,
                             preferred=preferred)  # fmt: skip
                else:
                    services.start_rectification(
                        actor=people.rectifier, finding=finding, note="正在整改", at=_at(submit_on, 10)
                    )


def _measures(people, campaign, problems, count, index, rng) -> None:
    groups = [problems[k::count] for k in range(count)]
    for k, addressed in enumerate(groups):
        found_on = addressed[0].found_on
        measure = services.record_measure(
            actor=people.leader or people.system, facility=addressed[0].facility, campaign=campaign,
            title=MEASURES[(2 * index + k) % len(MEASURES)], description="对照“十一个严禁”逐条整改。",
            responsible_department=addressed[0].responsible_department, due_on=found_on + datetime.timedelta(days=30),
            findings=addressed,
        )  # fmt: skip
        services.complete_measure(
            actor=people.rectifier,
            measure=measure,
            completed_on=found_on + datetime.timedelta(days=rng.randint(10, 30)),
        )


# --- Campaign C: this year, every state ----------------------------------------------------------------


def _campaign_c(system, facilities, today) -> None:
    campaign = Campaign.objects.filter(name=f"{today.year}年规范化建设督导").first()
    if campaign is None:
        return
    standards = list(Standard.objects.filter(catalogue_id=campaign.catalogue_id).order_by("code"))
    for index, facility in enumerate(facilities):
        if Finding.objects.filter(campaign=campaign, facility=facility).exists():
            continue
        # Steps are dated before today: only inspections that ended at least a week ago take part.
        inspections = _team_inspections(campaign, facility, before=today - datetime.timedelta(days=7))
        people = _People(system, facility)
        if not inspections or not people.staff:
            continue
        rng = day_rng(facility.code, campaign.starts_on, "findings-current")
        weak = _weak_standards(inspections)
        with transaction.atomic():
            for k, scenario in enumerate(_scenarios_of(rng, first=index == 0)):
                inspection = inspections[k % len(inspections)]
                _scenario(people, inspection, scenario, rng, standards, weak, today)


def _scenario(people, inspection, scenario, rng, standards, weak, today) -> None:
    found_on = inspection.starts_on
    elapsed = (today - found_on).days  # at least 7
    overdue = scenario.startswith("overdue")
    if overdue:
        deadline = found_on + datetime.timedelta(days=min(rng.randint(15, 30), elapsed - 2))
    else:
        deadline = max(
            found_on + datetime.timedelta(days=rng.randint(15, 60)),
            today + datetime.timedelta(days=rng.randint(5, 30)),
        )
    finding = _record(
        people, inspection, rng, standards=standards, weak=weak, origin="inspection", title=rng.choice(PROBLEMS),
        deadline_days=0, deadline=deadline,
    )  # fmt: skip
    team = [inspection.team.leader, *inspection.team.members.all()]

    def day(share: float) -> datetime.date:
        """A day ``share`` of the way from the finding to yesterday."""
        return found_on + datetime.timedelta(days=max(1, int((elapsed - 1) * share)))

    if scenario in ("open", "overdue_open"):
        return
    if scenario in ("rectifying", "overdue_rectifying"):
        services.start_rectification(
            actor=people.rectifier, finding=finding, note="正在整改", at=_at(day(0.2), 10)
        )
    elif scenario in ("submitted", "overdue_submitted"):
        _rectify(people, finding, rng, submit_on=day(0.7) if not overdue else day(0.9))
    elif scenario == "verified":
        _rectify(people, finding, rng, submit_on=day(0.4), verify_on=day(0.6), preferred=team)
    elif scenario == "closed":
        _rectify(
            people, finding, rng, submit_on=day(0.3), verify_on=day(0.5), close_on=day(0.6), preferred=team
        )
    elif scenario == "rejected":
        finding = _rectify(people, finding, rng, submit_on=day(0.4))
        services.reject(
            actor=people.verifier(finding, team), finding=finding, note="复核发现整改不到位，台账仍有缺项。",
            at=_at(day(0.6), 16),
        )  # fmt: skip
    elif scenario == "reopened":
        finding = _rectify(
            people, finding, rng, submit_on=day(0.3), verify_on=day(0.4), close_on=day(0.5), preferred=team
        )
        services.reopen(
            actor=people.verifier(finding, team),
            finding=finding,
            reason="“回头看”发现问题反弹。",
            at=_at(day(0.8), 11),
        )
    elif scenario == "withdrawn":
        services.withdraw(
            actor=people.recorder(inspection.team, inspection.facility_id),
            finding=finding,
            reason="与另一条问题重复记录。",
            at=_at(day(0.2), 9),
        )


def seed_history(*, system, today: datetime.date, days: int) -> int:
    before = _written()
    facilities = list(Facility.objects.order_by("code"))
    _campaign_a(system, facilities, today)
    _campaign_b(system, facilities, today)
    _campaign_c(system, facilities, today)
    return _written() - before
