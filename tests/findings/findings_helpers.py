"""Helpers the findings tests share: a small PNG upload, and recording findings in the test world."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from factories_findings import days
from jiedu.findings import services


def png(name="整改照片.png", colour=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def record(world, actor=None, **overrides):
    """An inspection finding of facility A recorded by the supervisor, due in 20 days."""
    data = dict(
        facility=world.a, origin="inspection", inspection=world.inspection, standard=world.standard,
        method="site_check", severity="general", title="值班记录不全", description="三大队值班记录缺两天",
        responsible_department=world.department, responsible_staff=world.staff,
        found_on=world.inspection.starts_on, deadline=days(20),
    )  # fmt: skip
    data.update(overrides)
    return services.record_finding(actor=actor or world.supervisor, **data)


def self_identified(world, actor=None, **overrides):
    data = dict(
        facility=world.a, origin="self_identified", severity="general", title="消防通道堆放杂物",
        responsible_department=world.department, responsible_staff=world.staff, found_on=days(-5), deadline=days(10),
    )  # fmt: skip
    data.update(overrides)
    return services.record_finding(actor=actor or world.leader_a, **data)
