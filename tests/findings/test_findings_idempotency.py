"""Findings recorded from a phone on a poor link: a retried record or submission counts once."""

import re

import pytest
from findings_helpers import png, record
from rest_framework.test import APIClient

from factories_findings import days
from jiedu.findings.models import Finding, FindingEvent

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_retried_finding_is_recorded_once(world):
    bureau = client_for(world.supervisor)
    payload = {
        "facility": world.a.pk, "origin": "inspection", "inspection": world.inspection.pk, "method": "site_check",
        "standard": world.standard.pk, "severity": "serious", "title": "监控室值守脱岗",
        "responsible_department": world.department.pk, "responsible_staff": world.staff.pk,
        "found_on": world.inspection.starts_on.isoformat(), "deadline": days(15).isoformat(),
    }  # fmt: skip
    headers = {"Idempotency-Key": "finding-0001"}
    first = bureau.post("/api/v1/findings/", payload, format="json", headers=headers)
    again = bureau.post("/api/v1/findings/", payload, format="json", headers=headers)
    assert first.status_code == again.status_code == 201, first.json()
    assert again.json()["id"] == first.json()["id"]
    assert Finding.objects.count() == 1


def test_a_retried_submission_with_photos_is_one_step_and_other_photos_are_422(world):
    finding = record(world)
    facility = client_for(world.officer_a)
    url = f"/api/v1/findings/{finding.pk}/submit/"
    headers = {"Idempotency-Key": "submit-1"}
    first = facility.post(url, {"note": "已调整排班", "files": [png()]}, format="multipart", headers=headers)
    again = facility.post(url, {"note": "已调整排班", "files": [png()]}, format="multipart", headers=headers)
    assert first.status_code == again.status_code == 200, first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    other_photo = facility.post(
        url, {"note": "已调整排班", "files": [png(colour=(0, 90, 200))]}, format="multipart", headers=headers
    )
    assert other_photo.status_code == 422
    assert FindingEvent.objects.filter(finding=finding, kind="submitted").count() == 1


def test_the_submit_form_sent_twice_with_its_photos_is_one_step(world, client):
    finding = record(world)
    client.force_login(world.officer_a)
    page = client.get(f"/findings/{finding.pk}/").content.decode()
    key = re.search(r'id="step-submit".*?name="submission_key" value="([^"]+)"', page, re.S).group(1)
    data = {"submit-note": "已补齐值班记录", "submission_key": key}
    first = client.post(f"/findings/{finding.pk}/submit/", {**data, "submit-files": [png()]})
    again = client.post(f"/findings/{finding.pk}/submit/", {**data, "submit-files": [png()]})
    assert first.status_code == again.status_code
    assert first.status_code < 400 and again["Idempotency-Replayed"] == "true"
    assert FindingEvent.objects.filter(finding=finding, kind="submitted").count() == 1
