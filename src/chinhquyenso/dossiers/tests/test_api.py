"""The dossier API as integrators use it: /api/v1/dossiers (applicants and officers) and /api/v1/tracking/{code}.

Every call goes through ``ApiClient``, which also checks the response against the OpenAPI document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.dossiers.models import Attachment, Dossier, State
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local
from chinhquyenso.dossiers.tests.test_api_contract import URLCONF, ApiClient
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
NEW = {"procedure_code": "1.001193", "case_code": "01"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def upload(content: bytes, name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def received(world: World) -> Dossier:
    return act(world.desk, submitted(world), "receive")


# --- applicant -------------------------------------------------------------------------------------------------------
def test_the_same_idempotency_key_twice_creates_one_dossier_and_answers_200_the_second_time(world: World) -> None:
    citizen = ApiClient(world.citizen)

    first = citizen.post("/api/v1/dossiers", {**NEW, "data": VALID_DATA}, headers={"Idempotency-Key": "k-42"})
    again = citizen.post("/api/v1/dossiers", {**NEW, "data": VALID_DATA}, headers={"Idempotency-Key": "k-42"})
    other = citizen.post("/api/v1/dossiers", {**NEW, "data": VALID_DATA}, headers={"Idempotency-Key": "k-43"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    assert Dossier.objects.count() == 2
    assert first.json()["is_draft"] is True
    assert first.json()["state"] == {"id": 1, "name": "Mới đăng ký", "sync_code": "receiving"}
    assert first.json()["data"] == VALID_DATA


def test_an_unpublished_procedure_or_an_unknown_case_is_a_422_problem(world: World) -> None:
    citizen = ApiClient(world.citizen)

    unknown = citizen.post("/api/v1/dossiers", {"procedure_code": "HP.KHONG.CO", "case_code": "01"})
    no_case = citizen.post("/api/v1/dossiers", {"procedure_code": "1.001193", "case_code": "99"})

    assert (unknown.status_code, unknown.json()["code"]) == (422, "not_fileable")
    assert unknown.json()["detail"] == "Thủ tục HP.KHONG.CO chưa được công bố nên chưa nhận hồ sơ."
    assert no_case.json()["detail"] == "Thủ tục 1.001193 không có trường hợp «99»."
    assert not Dossier.objects.exists()


def test_invalid_data_is_refused_at_submission_with_one_error_per_field(world: World) -> None:
    citizen = ApiClient(world.citizen)
    draft = citizen.post("/api/v1/dossiers", {**NEW, "data": {"ho_ten_tre": "", "ngay_sinh": "31/02/2026"}}).json()

    response = citizen.post(f"/api/v1/dossiers/{draft['id']}/submit")

    assert response.status_code == 422
    assert response.json()["title"] == "Hồ sơ chưa hợp lệ"
    assert response.json()["code"] == "invalid_dossier"
    assert response.json()["errors"] == [
        {"field": "ho_ten_tre", "message": "Họ, chữ đệm, tên của trẻ phải có ít nhất 1 ký tự."},
        {"field": "ngay_sinh", "message": "Ngày sinh phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 27/03/1990."},
        {"field": "component-giay-chung-sinh", "message": "Chưa đính kèm «Giấy chứng sinh» (bắt buộc)."},
    ]
    assert Dossier.objects.get().is_draft


def test_a_request_of_the_wrong_shape_is_a_422_problem(world: World) -> None:
    citizen = ApiClient(world.citizen)
    draft = citizen.post("/api/v1/dossiers", NEW).json()

    response = citizen.put(f"/api/v1/dossiers/{draft['id']}/data", {"data": ["không", "phải", "đối tượng"]})

    assert response.status_code == 422
    assert response.json()["title"] == "Dữ liệu không hợp lệ"
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "data"]


def test_the_applicant_fills_in_attaches_and_submits(world: World) -> None:
    citizen = ApiClient(world.citizen)
    draft = citizen.post("/api/v1/dossiers", NEW).json()
    base = f"/api/v1/dossiers/{draft['id']}"

    filled = citizen.put(f"{base}/data", {"data": VALID_DATA})
    attached = citizen.post_multipart(f"{base}/attachments", {"component_code": "giay-chung-sinh", "file": upload(PDF)})
    sent = citizen.post(f"{base}/submit")
    mine = citizen.get("/api/v1/dossiers/mine")

    assert filled.json()["data"] == VALID_DATA
    assert attached.status_code == 201
    assert attached.json()["component_code"] == "giay-chung-sinh"
    assert attached.json()["content_type"] == "application/pdf"
    assert attached.json()["size"] == len(PDF)
    assert sent.status_code == 200
    assert sent.json()["is_draft"] is False
    assert sent.json()["submitted_at"].endswith("+07:00")
    assert [a["id"] for a in sent.json()["attachments"]] == [attached.json()["id"]]
    assert [e["action"] for e in sent.json()["timeline"]] == ["submit"]
    assert mine.json()["count"] == 1
    assert mine.json()["items"][0]["id"] == draft["id"]


def test_a_file_that_is_not_pdf_jpeg_or_png_is_415_and_a_too_large_one_413(world: World, settings: Any) -> None:
    settings.CQS_MAX_FILE_BYTES = 32
    citizen = ApiClient(world.citizen)
    attachments = f"/api/v1/dossiers/{citizen.post('/api/v1/dossiers', NEW).json()['id']}/attachments"

    exe = citizen.post_multipart(attachments, {"component_code": "giay-chung-sinh", "file": upload(b"MZ\x90\x00")})
    large = citizen.post_multipart(attachments, {"component_code": "giay-chung-sinh", "file": upload(PDF)})

    assert (exe.status_code, exe.json()["code"]) == (415, "unsupported_file_type")
    assert "không phải PDF, JPEG hay PNG" in exe.json()["detail"]
    assert (large.status_code, large.json()["code"]) == (413, "file_too_large")
    assert "vượt giới hạn 1 KB cho mỗi tệp" in large.json()["detail"]
    assert not Attachment.objects.exists()


def test_a_component_of_another_procedure_is_422(world: World) -> None:
    citizen = ApiClient(world.citizen)
    attachments = f"/api/v1/dossiers/{citizen.post('/api/v1/dossiers', NEW).json()['id']}/attachments"

    response = citizen.post_multipart(attachments, {"component_code": "giay-phep-lai-xe", "file": upload(PDF)})

    assert response.status_code == 422
    assert response.json()["detail"] == "Thành phần hồ sơ không thuộc thủ tục này."


def test_someone_elses_dossier_is_404_for_an_applicant(world: World) -> None:
    dossier = submitted(world)
    other_citizen = ApiClient(UserFactory())

    response = other_citizen.get(f"/api/v1/dossiers/{dossier.pk}")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_applicant_supplements_and_then_withdraws(world: World) -> None:
    dossier = received(world)
    act(world.specialist, dossier, "request_supplement", missing=["Bản sao giấy chứng sinh rõ nét"])
    dossier.refresh_from_db()
    citizen = ApiClient(world.citizen)

    supplemented = citizen.post(f"/api/v1/dossiers/{dossier.pk}/supplement",
                                {"note": "Đã chụp lại", "expected_version": dossier.lock_version})  # fmt: skip
    no_reason = citizen.post(f"/api/v1/dossiers/{dossier.pk}/withdraw",
                             {"reason": " ", "expected_version": supplemented.json()["version"]})  # fmt: skip
    withdrawn = citizen.post(f"/api/v1/dossiers/{dossier.pk}/withdraw",
                             {"reason": "Nộp nhầm thủ tục", "expected_version": supplemented.json()["version"]})  # fmt: skip

    assert supplemented.json()["state"]["id"] == State.PROCESSING
    assert supplemented.json()["timeline"][-1]["note"] == "Đã chụp lại"
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"] == [{"field": "reason", "message": "Vui lòng nhập lý do rút hồ sơ."}]
    assert withdrawn.json()["state"] == {"id": 7, "name": "Công dân yêu cầu rút hồ sơ", "sync_code": "cancelled"}
    assert withdrawn.json()["finished_at"] is not None


# --- officer ---------------------------------------------------------------------------------------------------------
def test_the_officer_inbox_shows_the_submitted_dossier_and_another_agency_gets_404(world: World) -> None:
    dossier = submitted(world)
    stranger = ApiClient(world.stranger)

    inbox = ApiClient(world.desk).get("/api/v1/dossiers/inbox", {"state": 1, "procedure_code": "1.001193"})
    seen = ApiClient(world.desk).get(f"/api/v1/dossiers/{dossier.pk}")
    stranger_inbox = stranger.get("/api/v1/dossiers/inbox")
    hidden = stranger.get(f"/api/v1/dossiers/{dossier.pk}")
    acting = stranger.post(f"/api/v1/dossiers/{dossier.pk}/actions/receive", {"expected_version": dossier.lock_version})

    assert [item["id"] for item in inbox.json()["items"]] == [dossier.pk]
    assert inbox.json()["next_cursor"] is None
    assert seen.json()["allowed_actions"] == ["receive", "request_completion", "refuse"]
    assert seen.json()["applicant"]["id_number"] == world.citizen.cccd
    assert stranger_inbox.json()["items"] == []
    assert (hidden.status_code, acting.status_code) == (404, 404)
    assert acting.json()["detail"] == "Không tìm thấy hồ sơ."


def test_the_inbox_pages_with_a_cursor(world: World, at: Any) -> None:
    for hour in (8, 9, 10):
        with at(local(2026, 11, 16, hour)):
            submitted(world)
    desk = ApiClient(world.desk)

    first = desk.get("/api/v1/dossiers/inbox", {"limit": 2}).json()
    second = desk.get("/api/v1/dossiers/inbox", {"limit": 2, "cursor": first["next_cursor"]}).json()

    assert [item["submitted_at"] for item in first["items"]] == ["2026-11-16T10:00:00+07:00",
                                                                 "2026-11-16T09:00:00+07:00"]  # fmt: skip
    assert [item["submitted_at"] for item in second["items"]] == ["2026-11-16T08:00:00+07:00"]
    assert second["next_cursor"] is None


def test_the_inbox_is_for_officers_only(world: World) -> None:
    response = ApiClient(world.citizen).get("/api/v1/dossiers/inbox")

    assert (response.status_code, response.json()["code"]) == (403, "not_officer")


def test_officers_take_the_dossier_to_the_result_through_the_api(world: World, at: Any) -> None:
    desk, specialist, leader = ApiClient(world.desk), ApiClient(world.specialist), ApiClient(world.leader)

    with at(local(2026, 11, 16, 8)):
        dossier = submitted(world)
        base = f"/api/v1/dossiers/{dossier.pk}"
        step = desk.post(f"{base}/actions/receive", {"expected_version": dossier.lock_version}).json()
    with at(local(2026, 11, 16, 9)):
        step = specialist.post(f"{base}/actions/claim", {"expected_version": step["version"]}).json()
        step = specialist.post(f"{base}/actions/forward", {"expected_version": step["version"], "note": "Đủ"}).json()
    with at(local(2026, 11, 17, 10)):
        step = leader.post_multipart(f"{base}/actions/approve",
                                     {"expected_version": step["version"], "result_file": upload(PDF, "kq.pdf")}).json()  # fmt: skip
        done = desk.post(f"{base}/actions/return_result", {"expected_version": step["version"], "return_channel": 2})

    assert done.status_code == 200
    assert done.json()["state"]["sync_code"] == "done"
    assert done.json()["code"] == "113.11.00.H26-261116-0001"
    assert done.json()["due_at"] == "2026-11-18T08:00:00+07:00"
    assert done.json()["finished_at"] == "2026-11-17T10:00:00+07:00"
    assert done.json()["timeliness"] == "early"
    assert done.json()["has_result"] is True
    assert [e["action"] for e in done.json()["timeline"]] == ["submit", "receive", "claim", "forward", "approve",
                                                              "return_result"]  # fmt: skip


def test_an_illegal_transition_is_409_with_the_allowed_actions_and_the_current_state(world: World) -> None:
    dossier = submitted(world)

    response = ApiClient(world.desk).post(f"/api/v1/dossiers/{dossier.pk}/actions/forward",
                                          {"expected_version": dossier.lock_version})  # fmt: skip

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert response.json()["detail"] == "Không thể «Chuyển bước tiếp theo» khi hồ sơ đang ở trạng thái «Mới đăng ký»."
    assert response.json()["allowed_actions"] == ["receive", "request_completion", "refuse"]
    assert response.json()["current_state"] == {"id": 1, "name": "Mới đăng ký", "sync_code": "receiving"}


def test_a_stale_expected_version_is_409_already_changed(world: World) -> None:
    dossier = submitted(world)
    desk = ApiClient(world.desk)
    desk.post(f"/api/v1/dossiers/{dossier.pk}/actions/receive", {"expected_version": dossier.lock_version})

    response = desk.post(f"/api/v1/dossiers/{dossier.pk}/actions/refuse",
                         {"expected_version": dossier.lock_version, "reason": "Không thuộc thẩm quyền"})  # fmt: skip

    assert response.status_code == 409
    assert response.json()["code"] == "stale_dossier"
    assert "vừa được người khác cập nhật" in response.json()["detail"]
    assert response.json()["current_state"]["id"] == State.RECEIVED
    assert Dossier.objects.get().state == State.RECEIVED


def test_an_action_missing_what_it_needs_is_422_with_field_errors(world: World) -> None:
    dossier = submitted(world)

    response = ApiClient(world.desk).post(f"/api/v1/dossiers/{dossier.pk}/actions/refuse",
                                          {"expected_version": dossier.lock_version, "reason": ""})  # fmt: skip

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "reason", "message": "Vui lòng nhập lý do từ chối."}]


# --- public tracking -------------------------------------------------------------------------------------------------
def test_tracking_shows_progress_without_personal_data_or_notes(world: World) -> None:
    dossier = received(world)
    act(world.specialist, dossier, "claim")
    act(world.specialist, dossier, "forward", note="Ghi chú nội bộ: đã gọi 0912000111")

    response = ApiClient().get(f"/api/v1/tracking/{dossier.code.lower()}")

    body = json.dumps(response.json(), ensure_ascii=False)
    assert response.status_code == 200
    assert response.json()["code"] == dossier.code
    assert response.json()["state"]["id"] == State.PROCESSING
    assert [e["action"] for e in response.json()["timeline"]] == ["submit", "receive", "claim", "forward"]
    for personal in (world.citizen.cccd, world.citizen.full_name, world.citizen.phone, world.citizen.email,
                     "Ghi chú nội bộ", "Hồ sơ đã được nộp trực tuyến"):  # fmt: skip
        assert personal not in body


def test_tracking_an_unknown_code_is_a_404_problem(world: World) -> None:
    response = ApiClient().get("/api/v1/tracking/113.11.00.H26-261116-9999")

    assert response.status_code == 404
    assert response.json()["detail"] == "Không có hồ sơ mang mã «113.11.00.H26-261116-9999»."


# --- authentication --------------------------------------------------------------------------------------------------
def test_without_a_token_or_with_a_wrong_one_the_answer_is_401_problem_json(world: World) -> None:
    anonymous = ApiClient()
    wrong = ApiClient()
    wrong.headers["Authorization"] = "Bearer cqs_khong-dung"

    responses = [
        anonymous.get("/api/v1/dossiers/mine"),
        anonymous.post("/api/v1/dossiers", NEW),
        wrong.get("/api/v1/dossiers/inbox"),
    ]

    assert [r.status_code for r in responses] == [401, 401, 401]
    assert {r["Content-Type"] for r in responses} == {"application/problem+json"}
    assert {r.json()["title"] for r in responses} == {"Chưa xác thực"}
    assert not Dossier.objects.exists()


def test_a_signed_in_session_works_like_a_token(world: World) -> None:
    response = ApiClient(world.citizen, session=True).get("/api/v1/dossiers/mine")

    assert response.status_code == 200
    assert response.json()["items"] == []
