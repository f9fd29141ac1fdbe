"""Downloading evidence: only those who can see the record, always as an attachment, audited."""

from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client

from factories import PASSWORD
from factories_evidence import PDF_BYTES, EvidenceFileFactory
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import Role


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_facility_user_downloads_its_own_evidence_as_an_attachment(member, facility_a):
    evidence = EvidenceFileFactory(
        facility=facility_a, original_name="整改报告.pdf", kind="pdf", content_type="application/pdf",
        content=PDF_BYTES,
    )  # fmt: skip
    client = _client(member(Role.FACILITY_OFFICER, facility_a))

    response = client.get(f"/evidence/{evidence.pk}/download/")

    assert response.status_code == 200 and _body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{quote('整改报告.pdf')}" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="evidence.downloaded", target_id=str(evidence.pk)).exists()


def test_another_facilitys_evidence_answers_404_and_the_attempt_is_audited(member, facility_a, facility_b):
    evidence = EvidenceFileFactory(facility=facility_b)
    client = _client(member(Role.FACILITY_LEADER, facility_a))

    response = client.get(f"/evidence/{evidence.pk}/download/")

    assert response.status_code == 404
    denied = AuditEvent.objects.get(outcome="denied", target_id=str(evidence.pk))
    assert denied.facility_id == facility_b.pk
    assert not AuditEvent.objects.filter(action="evidence.downloaded").exists()


def test_a_role_without_supervision_access_gets_404(member, facility_a):
    evidence = EvidenceFileFactory(facility=facility_a)
    assert _client(member(Role.GATE_OFFICER, facility_a)).get(f"/evidence/{evidence.pk}/download/").status_code == 404


def test_the_bureau_and_the_prosecutor_may_download(member, facility_a):
    evidence = EvidenceFileFactory(facility=facility_a)
    for user in (member(Role.BUREAU_SUPERVISOR), member(Role.PROSECUTOR, facility_a)):
        assert _client(user).get(f"/evidence/{evidence.pk}/download/").status_code == 200


def test_a_row_whose_file_is_gone_answers_404(member, facility_a, settings):
    evidence = EvidenceFileFactory(facility=facility_a)
    from jiedu.evidence.services import evidence_path

    evidence_path(evidence).unlink()

    assert _client(member(Role.FACILITY_OFFICER, facility_a)).get(f"/evidence/{evidence.pk}/download/").status_code == 404


def test_the_file_list_include_links_each_file(member, facility_a):
    from django.template.loader import render_to_string

    files = EvidenceFileFactory.create_batch(2, facility=facility_a, caption="宿舍走廊")

    html = render_to_string("evidence/includes/file_list.html", {"files": files})

    for evidence in files:
        assert f'href="/evidence/{evidence.pk}/download/"' in html and evidence.original_name in html
    assert "宿舍走廊" in html


def test_the_purge_command_takes_only_old_orphans(facility_a, settings):
    import os
    import time
    from pathlib import Path

    from jiedu.evidence.services import evidence_path

    kept = EvidenceFileFactory(facility=facility_a)
    root = Path(settings.EVIDENCE_ROOT)
    old_orphan = root / "ab" / ("ab" + "0" * 30 + ".png")
    new_orphan = root / "cd" / ("cd" + "0" * 30 + ".png")
    for path in (old_orphan, new_orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old_orphan, (two_hours_ago, two_hours_ago))
    os.utime(evidence_path(kept), (two_hours_ago, two_hours_ago))

    call_command("purge_orphan_evidence", "--dry-run")
    assert old_orphan.exists()

    call_command("purge_orphan_evidence")

    assert not old_orphan.exists()
    assert new_orphan.exists() and evidence_path(kept).exists()


def test_the_purge_command_says_what_it_did(facility_a, settings, capsys):
    import os
    import time
    from pathlib import Path

    orphan = Path(settings.EVIDENCE_ROOT) / "ef" / ("ef" + "1" * 30 + ".pdf")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-")
    os.utime(orphan, (time.time() - 4000, time.time() - 4000))

    call_command("purge_orphan_evidence", "--dry-run")

    out = capsys.readouterr().out
    assert str(orphan) in out and "1 orphan evidence file(s) would be deleted." in out


@pytest.mark.django_db
def test_the_purge_command_copes_with_no_evidence_folder(settings, tmp_path, capsys):
    settings.EVIDENCE_ROOT = tmp_path / "none-yet"
    call_command("purge_orphan_evidence")
    assert "0 orphan evidence file(s) deleted." in capsys.readouterr().out
