"""Factories for the overseas personnel ledger."""

import datetime

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, StaffFactory, UserFactory
from jiedu.overseas.models import OverseasEntry, OverseasStatus

REGISTERED_ON = datetime.date(2026, 10, 1)

# A complete set of facts per category, for tests that vary one of them.
FACTS = {
    "returned": {
        "return_date": datetime.date(2026, 10, 20),
        "current_residence": "呼和浩特市新城区某小区",
        "return_route": "CA934 巴黎—北京，高铁至呼和浩特",
        "fever_or_cough": False,
        "recent_medical_control": "入境后集中隔离14天，两次核酸阴性",
    },
    "planning": {
        "planned_return_date": datetime.date(2026, 12, 15),
        "planned_route": "首尔—北京 KE853",
        "reported_on": datetime.date(2026, 10, 5),
        "testing_quarantine_arrangements": "入境集中隔离，社区报备，回所前两次核酸",
    },
    "abroad": {
        "residence_abroad": "澳大利亚 墨尔本",
        "reason_abroad": "留学",
        "contact_method": "微信视频，每周一次",
    },
}


class OverseasEntryFactory(DjangoModelFactory):
    """A staff member's spouse in the ledger (statuses come separately)."""

    class Meta:
        model = OverseasEntry

    facility = factory.SubFactory(FacilityFactory)
    staff = factory.LazyAttribute(lambda o: StaffFactory(facility=o.facility))
    relation = "spouse"
    person_name = factory.Sequence(lambda n: f"李亲属{n}")
    id_number = ""
    recorded_by = factory.SubFactory(UserFactory)


class OverseasStatusFactory(DjangoModelFactory):
    """A relative registered abroad, not returning for now."""

    class Meta:
        model = OverseasStatus

    facility = factory.SubFactory(FacilityFactory)
    entry = factory.LazyAttribute(lambda o: OverseasEntryFactory(facility=o.facility))
    category = "abroad"
    effective_date = REGISTERED_ON
    residence_abroad = FACTS["abroad"]["residence_abroad"]
    reason_abroad = FACTS["abroad"]["reason_abroad"]
    contact_method = FACTS["abroad"]["contact_method"]
    recorded_by = factory.SubFactory(UserFactory)
