"""The evidence-files API: metadata, multipart upload, download; scoped like everything else."""

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from factories_evidence import PDF_BYTES, EvidenceFileFactory, png_bytes
from jiedu.evidence.models import EvidenceFile
from jiedu.organisation.roles import Role


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_upload_by_multipart_answers_201_with_the_type_read_from_the_bytes(member, facility_a):
    client = client_for(member(Role.FACILITY_OFFICER, facility_a))

    response = client.post(
        "/api/v1/evidence-files/",
        {"facility": facility_a.pk, "file": SimpleUploadedFile("扫描件.jpg", PDF_BYTES), "caption": "台账扫描"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["original_name"], body["caption"]) == ("pdf", "扫描件.jpg", "台账扫描")
    assert body["download_url"].endswith(f"/api/v1/evidence-files/{body['id']}/download/")
    assert EvidenceFile.objects.get().uploaded_by.pk is not None


def test_a_refused_file_is_a_400_on_file(member, facility_a):
    client = client_for(member(Role.FACILITY_OFFICER, facility_a))

    response = client.post(
        "/api/v1/evidence-files/",
        {"facility": facility_a.pk, "file": SimpleUploadedFile("a.png", b"<html></html>")},
        format="multipart",
    )

    assert response.status_code == 400 and "file" in response.json()


def test_uploading_for_another_facility_is_a_400(member, facility_a, facility_b):
    client = client_for(member(Role.FACILITY_OFFICER, facility_a))

    response = client.post(
        "/api/v1/evidence-files/",
        {"facility": facility_b.pk, "file": SimpleUploadedFile("a.png", png_bytes())},
        format="multipart",
    )

    assert response.status_code == 400 and "facility" in response.json()
    assert not EvidenceFile.objects.exists()


def test_lists_show_own_facility_files_and_download_works(member, facility_a, facility_b):
    own = EvidenceFileFactory(facility=facility_a)
    other = EvidenceFileFactory(facility=facility_b)
    client = client_for(member(Role.FACILITY_LEADER, facility_a))

    ids = [row["id"] for row in client.get("/api/v1/evidence-files/").json()["results"]]
    download = client.get(f"/api/v1/evidence-files/{own.pk}/download/")

    assert ids == [own.pk]
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content)[:8] == png_bytes()[:8]
    assert client.get(f"/api/v1/evidence-files/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/evidence-files/{other.pk}/download/").status_code == 404
