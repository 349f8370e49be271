"""What the services refuse is told in the language of the request: ``Accept-Language: en`` gives English problem
details in the API and English notices on the pages; the same request without the header is still Vietnamese."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.tests.conftest import World, local
from chinhquyenso.dossiers.tests.test_api_contract import URLCONF, ApiClient
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted
from chinhquyenso.dossiers.tests.test_officer_pages import intake_post

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
NEW = {"procedure_code": "1.001193", "case_code": "01"}
SCAN = "scan-giay-chung-sinh"
INTAKE = reverse("dossiers:intake_form", args=["1.001193", "01"])


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def in_english(client: ApiClient) -> ApiClient:
    client.headers.update(ENGLISH)
    return client


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def action_url(dossier: Dossier, action: str) -> str:
    return f"/api/v1/dossiers/{dossier.pk}/actions/{action}"


# --- the API ---------------------------------------------------------------------------------------------------------
@pytest.mark.urls(URLCONF)
def test_a_stale_expected_version_is_a_409_told_in_english(world: World) -> None:
    dossier = submitted(world)
    stale = {"expected_version": dossier.lock_version, "reason": "Không thuộc thẩm quyền"}
    ApiClient(world.desk).post(action_url(dossier, "receive"), {"expected_version": dossier.lock_version})

    english = in_english(ApiClient(world.desk)).post(action_url(dossier, "refuse"), stale)
    vietnamese = ApiClient(world.desk).post(action_url(dossier, "refuse"), stale)

    assert (english.status_code, english.json()["code"]) == (409, "stale_dossier")
    assert english.json()["title"] == "The application has just been updated"
    assert english.json()["detail"] == (
        "Someone else has just updated this application. Reload the page to see its new status, then try again."
    )
    assert english.json()["current_state"]["name"] == "Accepted"
    assert vietnamese.json()["title"] == "Hồ sơ vừa được cập nhật"
    assert vietnamese.json()["detail"] == (
        "Hồ sơ vừa được người khác cập nhật. Hãy tải lại trang để xem trạng thái mới rồi thao tác lại."
    )


@pytest.mark.urls(URLCONF)
def test_an_illegal_transition_is_a_409_told_in_english(world: World) -> None:
    dossier = submitted(world)
    body = {"expected_version": dossier.lock_version}

    english = in_english(ApiClient(world.desk)).post(action_url(dossier, "forward"), body)
    vietnamese = ApiClient(world.desk).post(action_url(dossier, "forward"), body)

    assert (english.status_code, english.json()["code"]) == (409, "illegal_transition")
    assert english.json()["title"] == "This action cannot be taken now"
    assert english.json()["detail"] == (
        "You cannot “Send to the next step” while the application's status is “Newly submitted”."
    )
    assert vietnamese.json()["detail"] == "Không thể «Chuyển bước tiếp theo» khi hồ sơ đang ở trạng thái «Mới đăng ký»."


@pytest.mark.urls(URLCONF)
def test_a_missing_reason_is_a_422_with_the_field_error_in_english(world: World) -> None:
    dossier = submitted(world)
    body = {"expected_version": dossier.lock_version, "reason": ""}

    english = in_english(ApiClient(world.desk)).post(action_url(dossier, "refuse"), body)
    vietnamese = ApiClient(world.desk).post(action_url(dossier, "refuse"), body)

    assert (english.status_code, english.json()["code"]) == (422, "invalid_dossier")
    assert english.json()["title"] == "The application is not valid"
    assert english.json()["detail"] == "Enter the reason for refusing."
    assert english.json()["errors"] == [{"field": "reason", "message": "Enter the reason for refusing."}]
    assert vietnamese.json()["errors"] == [{"field": "reason", "message": "Vui lòng nhập lý do từ chối."}]


@pytest.mark.urls(URLCONF)
def test_a_refused_upload_is_a_415_or_a_413_told_in_english(world: World, settings: Any) -> None:
    settings.CQS_MAX_FILE_BYTES = 32
    citizen = ApiClient(world.citizen)
    attachments = f"/api/v1/dossiers/{citizen.post('/api/v1/dossiers', NEW).json()['id']}/attachments"
    english = in_english(ApiClient(world.citizen))

    exe = english.post_multipart(attachments, {"component_code": "giay-chung-sinh",
                                               "file": SimpleUploadedFile("don.exe", b"MZ\x90\x00")})  # fmt: skip
    large = english.post_multipart(attachments, {"component_code": "giay-chung-sinh",
                                                 "file": SimpleUploadedFile("lon.pdf", PDF)})  # fmt: skip
    vietnamese = citizen.post_multipart(attachments, {"component_code": "giay-chung-sinh",
                                                      "file": SimpleUploadedFile("lon.pdf", PDF)})  # fmt: skip

    assert (exe.status_code, exe.json()["title"]) == (415, "File type not accepted")
    assert exe.json()["detail"] == (
        "The file “don.exe” is not a PDF, JPEG or PNG (the system checks the file's content, not its name). "
        "Save the file as a PDF or as a JPEG or PNG image."
    )
    assert (large.status_code, large.json()["title"]) == (413, "File too large")
    assert large.json()["detail"].startswith("The file “lon.pdf” is 1 KB, over the limit of 1 KB for each file.")
    assert (vietnamese.status_code, vietnamese.json()["title"]) == (413, "Tệp quá lớn")
    assert vietnamese.json()["detail"].startswith("Tệp «lon.pdf» dung lượng 1 KB, vượt giới hạn 1 KB cho mỗi tệp.")


@pytest.mark.urls(URLCONF)
def test_an_unknown_tracking_code_and_a_missing_token_are_told_in_english(world: World) -> None:
    english = in_english(ApiClient())

    unknown = english.get("/api/v1/tracking/KHONG-CO")
    anonymous = english.get("/api/v1/dossiers/mine")

    assert (unknown.json()["title"], unknown.json()["detail"]) == (
        "Application not found", "There is no application with reference “KHONG-CO”."
    )  # fmt: skip
    assert anonymous.json()["title"] == "Not authenticated"


# --- pages -----------------------------------------------------------------------------------------------------------
def test_the_officers_page_says_in_english_that_the_dossier_changed_or_the_action_is_not_allowed(
    world: World, at: Any
) -> None:
    with at(local(2026, 11, 16, 8)):
        desk = signed_in(world.desk)
        dossier = submitted(world)
        version = dossier.lock_version

        illegal = desk.post(reverse("dossiers:act", args=[dossier.pk, "approve"]), {"expected_version": version},
                            headers=ENGLISH)  # fmt: skip
        stale = desk.post(reverse("dossiers:act", args=[dossier.pk, "receive"]), {"expected_version": version - 1},
                          headers=ENGLISH)  # fmt: skip
        vietnamese = desk.post(reverse("dossiers:act", args=[dossier.pk, "receive"]),
                               {"expected_version": version - 1})  # fmt: skip

    assert illegal.status_code == 409
    assert "You cannot “Complete processing” while the application's status is “Newly submitted”." in text(illegal)
    assert stale.status_code == 409
    assert "The application has changed since you opened the page" in text(stale)
    assert "Hồ sơ đã thay đổi kể từ khi bạn mở trang" not in text(stale)
    assert "Hồ sơ đã thay đổi kể từ khi bạn mở trang" in text(vietnamese)


def test_the_applicant_withdrawing_from_a_stale_page_is_told_in_english(world: World) -> None:
    dossier = submitted(world)
    stale = {"reason": "Nộp nhầm thủ tục", "version": dossier.lock_version}
    act(world.desk, dossier, "receive")
    citizen = signed_in(world.citizen)

    english = citizen.post(reverse("dossiers:withdraw", args=[dossier.pk]), stale, headers=ENGLISH)
    vietnamese = citizen.post(reverse("dossiers:withdraw", args=[dossier.pk]), stale)

    assert english.status_code == 409
    assert (
        "Someone else has just updated this application. Reload the page to see its new status, then try again. "
        "Current status: “Accepted”."
    ) in text(english)
    assert "vừa được người khác cập nhật" not in text(english)
    assert "Hồ sơ vừa được người khác cập nhật." in text(vietnamese)


def test_the_desk_intake_page_refuses_a_scan_in_english(world: World, at: Any, settings: Any) -> None:
    settings.CQS_MAX_FILE_BYTES = 1024
    with at(local(2026, 11, 16, 8)):
        desk = signed_in(world.desk)
        files = {SCAN: [SimpleUploadedFile("don.pdf", b"van ban"), SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)]}

        english = desk.post(INTAKE, {**intake_post(world), **files}, headers=ENGLISH)
        files = {SCAN: [SimpleUploadedFile("don.pdf", b"van ban"), SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)]}
        vietnamese = desk.post(INTAKE, {**intake_post(world), **files})

    page = text(english)
    assert english.status_code == 415
    assert "The file “don.pdf” is not a PDF, JPEG or PNG (the system checks the file's content, not its name)." in page
    assert "The file “lon.pdf” is 2 KB, over the limit of 1 KB for each file." in page
    assert "không phải PDF, JPEG hay PNG" not in page
    assert "Tệp «don.pdf» không phải PDF, JPEG hay PNG" in text(vietnamese)
    assert "Tệp «lon.pdf» dung lượng 2 KB, vượt giới hạn 1 KB cho mỗi tệp." in text(vietnamese)
    assert Dossier.objects.count() == 0
