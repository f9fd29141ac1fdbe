"""Factories for saved cross-check runs and their findings."""

import datetime

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, UserFactory
from jiedu.crosscheck.models import CrossCheckFinding, CrossCheckRun


class CrossCheckRunFactory(DjangoModelFactory):
    class Meta:
        model = CrossCheckRun

    facility = factory.SubFactory(FacilityFactory)
    day = datetime.date(2026, 11, 20)
    uploaded_by = factory.SubFactory(UserFactory)
    dingtalk_file_name = "钉钉打卡.xlsx"
    dingtalk_sha256 = factory.Sequence(lambda n: f"{n:064x}")
    healthcode_file_name = "健康码.xlsx"
    healthcode_sha256 = factory.Sequence(lambda n: f"{n + 1:064x}")
    dingtalk_rows = 3
    healthcode_rows = 3
    findings_count = 0


class CrossCheckFindingFactory(DjangoModelFactory):
    class Meta:
        model = CrossCheckFinding

    facility = factory.SubFactory(FacilityFactory)
    run = factory.SubFactory(CrossCheckRunFactory, facility=factory.SelfAttribute("..facility"))
    kind = CrossCheckFinding.Kind.UNMATCHED_DINGTALK
    row = 2
    detail = "第2行：王某"
