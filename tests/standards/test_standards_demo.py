"""Demo history: the 2022 catalogue published as in the report, a 2026 draft to compare, this year's self-assessments."""

import datetime
from decimal import Decimal

import pytest

from jiedu.demo.seeding import seed_region, system_user
from jiedu.standards import demo, selectors
from jiedu.standards.models import CatalogueVersion, SelfAssessment

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.django_db
def test_demo_publishes_the_2022_catalogue_drafts_2026_and_self_assesses_once():
    seed_region(today=TODAY, facilities=3)
    system = system_user()

    written = demo.seed_history(system=system, today=TODAY, days=14)

    published = CatalogueVersion.objects.get(name="戒毒场所规范化建设标准", version="2022版")
    assert published.status == "published" and published.effective_from == datetime.date(2022, 1, 1)
    outline = selectors.version_outline(published)
    assert len(outline) == 14 and sum(block.count for block in outline) == 100
    assert sum(block.points for block in outline) == Decimal("1000")
    names = [block.area.name for block in outline]
    for named in ("基本模式", "教育矫正", "心理矫治", "诊断评估", "戒毒执法", "生活卫生", "规划建设", "信息化建设", "财务装备", "队伍建设"):
        assert named in names and not next(b.area for b in outline if b.area.name == named).is_illustrative
    assert sum(block.area.is_illustrative for block in outline) == 4

    draft = CatalogueVersion.objects.get(version="2026版")
    diff = selectors.diff(published, draft)
    assert draft.status == "draft" and draft.based_on == published
    assert len(diff.added) == 1 and len(diff.removed) == 1 and len(diff.changed) == 4

    assessments = SelfAssessment.objects.filter(period="2026年度自查")
    assert assessments.count() == 3 and all(a.status == "submitted" for a in assessments)
    sheet = selectors.assessment_sheet(assessments.first())
    assert sheet.total.count == sheet.total.scored == 100 and 0 < sheet.total.points <= 1000
    assert written == 115 + 116 + 3 * 101

    assert demo.seed_history(system=system, today=TODAY, days=14) == 0
