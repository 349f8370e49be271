"""The applicant's pages: start a dossier, fill in the declaration, attach documents, review, submit, follow it,
hand in a supplement, withdraw. Driven with the Django test client, as a browser without JavaScript would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.models import Attachment, Dossier, State
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted

pytestmark = [pytest.mark.django_db]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
COMPONENT_FIELD = "tep-giay-chung-sinh"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def citizen(client: Client, world: World) -> Client:
    client.force_login(world.citizen)
    return client


def start_url(world: World) -> str:
    return reverse("dossiers:start", args=[world.case.version.procedure.code, world.case.code])


def url(name: str, dossier: Dossier | int) -> str:
    return reverse(f"dossiers:{name}", args=[dossier if isinstance(dossier, int) else dossier.pk])


def token(page: str) -> str:
    match = re.search(r'name="khoa" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def draft(world: World, data: dict[str, Any] | None = None) -> Dossier:
    dossier, _ = services.dossier_draft_create(actor=world.citizen, case=world.case, data=data or {})
    return dossier


def text(response: Any) -> str:
    return response.content.decode()


def inline_code(page: str) -> list[str]:
    """Inline scripts, event handlers and styles: the strict CSP would block them."""
    return re.findall(r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|\sstyle=", page)


def dangling_references(page: str) -> set[str]:
    """Ids that a label, a description or an error link points at but that are not on the page."""
    described = " ".join(re.findall(r'\saria-describedby="([^"]+)"', page)).split()
    targets = {*described, *re.findall(r'<label[^>]*\sfor="([^"]+)"', page), *re.findall(r'href="#([^"]+)"', page)}
    return targets - set(re.findall(r'\sid="([^"]+)"', page)) - {"main"}


# --- the whole journey ---------------------------------------------------------------------------------------------
def test_a_citizen_starts_fills_in_fixes_an_error_attaches_reviews_and_submits(citizen: Client, world: World) -> None:
    before = citizen.get(start_url(world))
    assert before.status_code == 200
    assert "Giấy chứng sinh" in text(before)
    assert world.case.processing_time_display() in text(before)
    assert "Không thu phí, lệ phí." in text(before)

    started = citizen.post(start_url(world), {"khoa": token(text(before))})
    dossier = Dossier.objects.get(applicant=world.citizen)
    assert started.status_code == 302
    assert started["Location"] == url("declaration", dossier)
    assert dossier.is_draft

    wrong = citizen.post(url("declaration", dossier), {"ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "31/02/2026"})
    page = text(wrong)
    assert wrong.status_code == 422
    assert "Có lỗi cần sửa" in page
    assert 'href="#f-ngay_sinh"' in page
    assert "Ngày sinh phải là một ngày có thật" in page
    assert 'value="Nguyễn Minh Khôi"' in page and 'value="31/02/2026"' in page
    dossier.refresh_from_db()
    assert dossier.data == {"ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "31/02/2026"}  # nothing typed is lost

    fixed = citizen.post(url("declaration", dossier), {"ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "02/11/2026"})
    assert fixed.status_code == 302
    assert fixed["Location"] == url("attachments", dossier)

    upload_page = text(citizen.get(url("attachments", dossier)))
    assert '<label class="cqs-label" for="tep-giay-chung-sinh">Giấy chứng sinh (bắt buộc)</label>' in upload_page
    assert "PDF, JPEG hoặc PNG, tối đa 10 MB." in upload_page
    uploaded = citizen.post(
        url("attachments", dossier), {COMPONENT_FIELD: SimpleUploadedFile("giay-chung-sinh.png", PNG), "tiep-tuc": "1"}
    )
    assert uploaded.status_code == 302
    assert uploaded["Location"] == url("review", dossier)

    review = citizen.get(url("review", dossier))
    assert review.status_code == 200
    assert "Nguyễn Minh Khôi" in text(review) and "02/11/2026" in text(review)
    assert "giay-chung-sinh.png" in text(review)
    assert text(review).count(">Thay đổi<") == 2

    sent = citizen.post(url("review", dossier))
    assert sent.status_code == 302
    detail = citizen.get(sent["Location"])
    assert detail.status_code == 200
    assert "Hồ sơ đã được gửi" in text(detail)
    assert "Mới đăng ký" in text(detail)
    dossier.refresh_from_db()
    assert not dossier.is_draft
    assert dossier.state == State.SUBMITTED
    assert dossier.data == VALID_DATA


def test_a_double_click_on_start_creates_one_draft(citizen: Client, world: World) -> None:
    key = token(text(citizen.get(start_url(world))))

    first = citizen.post(start_url(world), {"khoa": key})
    second = citizen.post(start_url(world), {"khoa": key})

    assert Dossier.objects.filter(applicant=world.citizen).count() == 1
    assert first["Location"] == second["Location"]


def test_each_visit_to_the_start_page_gets_its_own_token(citizen: Client, world: World) -> None:
    first = token(text(citizen.get(start_url(world))))
    second = token(text(citizen.get(start_url(world))))

    assert first != second
    assert len(first) >= 24


def test_submitting_twice_is_harmless(citizen: Client, world: World) -> None:
    dossier = draft(world, VALID_DATA)
    citizen.post(url("attachments", dossier), {COMPONENT_FIELD: SimpleUploadedFile("a.png", PNG)})

    first = citizen.post(url("review", dossier))
    second = citizen.post(url("review", dossier))

    assert first.status_code == second.status_code == 302
    assert dossier.events.filter(action="submit").count() == 1


def test_save_draft_keeps_an_incomplete_declaration_without_checking_it(citizen: Client, world: World) -> None:
    dossier = draft(world)

    saved = citizen.post(url("declaration", dossier), {"ho_ten_tre": "Nguyễn Minh Khôi", "luu-nhap": "1"})

    assert saved.status_code == 302
    assert saved["Location"] == url("declaration", dossier)
    dossier.refresh_from_db()
    assert dossier.data == {"ho_ten_tre": "Nguyễn Minh Khôi"}
    again = text(citizen.get(url("declaration", dossier)))
    assert "Đã lưu nháp" in again
    assert 'value="Nguyễn Minh Khôi"' in again
    assert "Có lỗi cần sửa" not in again


# --- attachments ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("lon.pdf", b"%PDF-1.7" + b"0" * 2000, 413, "vượt giới hạn 1 KB cho mỗi tệp"),
        ("giay-to.pdf", b"MZ\x90\x00 not a pdf", 415, "không phải PDF, JPEG hay PNG"),
    ],
)
def test_a_refused_file_is_explained_next_to_its_document_and_nothing_is_stored(
    citizen: Client, world: World, settings: Any, tmp_path: Path, name: str, content: bytes, status: int, message: str
) -> None:
    settings.CQS_MAX_FILE_BYTES = 1024
    dossier = draft(world, VALID_DATA)

    response = citizen.post(url("attachments", dossier), {COMPONENT_FIELD: SimpleUploadedFile(name, content),
                                                          "tiep-tuc": "1"})  # fmt: skip

    page = text(response)
    assert response.status_code == status
    assert message in page
    assert 'href="#tep-giay-chung-sinh"' in page  # the error summary links to the field
    assert re.search(r'<p class="cqs-error-message" id="tep-giay-chung-sinh-error">.*' + re.escape(message), page)
    assert 'aria-describedby="tep-giay-chung-sinh-hint tep-giay-chung-sinh-error"' in page
    assert "tối đa 1 KB" in page
    assert not Attachment.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_an_attached_file_is_listed_and_can_be_removed(citizen: Client, world: World) -> None:
    dossier = draft(world, VALID_DATA)
    citizen.post(url("attachments", dossier), {COMPONENT_FIELD: SimpleUploadedFile("anh-chup.png", PNG)})
    attachment = Attachment.objects.get()

    listed = text(citizen.get(url("attachments", dossier)))
    removed = citizen.post(url("attachments", dossier), {"xoa": str(attachment.pk)})

    assert "anh-chup.png" in listed
    assert f'form="xoa-tep" name="xoa" value="{attachment.pk}"' in listed
    assert removed.status_code == 302
    assert not Attachment.objects.exists()


def test_review_lists_what_is_missing_with_links_to_where_it_is_fixed(citizen: Client, world: World) -> None:
    dossier = draft(world, {"ho_ten_tre": "Nguyễn Minh Khôi"})

    response = citizen.post(url("review", dossier))

    page = text(response)
    assert response.status_code == 422
    assert f'href="{url("declaration", dossier)}?kiem-tra=1#f-ngay_sinh"' in page
    assert f'href="{url("attachments", dossier)}?kiem-tra=1#tep-giay-chung-sinh"' in page
    assert "Chưa đính kèm «Giấy chứng sinh» (bắt buộc)." in page
    dossier.refresh_from_db()
    assert dossier.is_draft
    assert "Vui lòng nhập ngày sinh." in text(citizen.get(url("declaration", dossier) + "?kiem-tra=1"))
    assert "Chưa đính kèm «Giấy chứng sinh»" in text(citizen.get(url("attachments", dossier) + "?kiem-tra=1"))


# --- who may see what ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("declaration", draft),
        ("attachments", draft),
        ("review", draft),
        ("applicant_detail", submitted),
        ("supplement", submitted),
        ("withdraw", submitted),
    ],
)
def test_another_citizen_gets_not_found(client: Client, world: World, name: str, make: Any) -> None:
    dossier = make(world)
    client.force_login(UserFactory())

    response = client.get(url(name, dossier))

    assert response.status_code == 404


def test_a_stranger_cannot_submit_or_withdraw_someone_elses_dossier(client: Client, world: World) -> None:
    dossier = submitted(world)
    client.force_login(UserFactory())

    response = client.post(url("withdraw", dossier), {"reason": "x", "version": dossier.lock_version})

    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED


def test_signing_in_is_required_and_officers_are_sent_to_their_own_pages(client: Client, world: World) -> None:
    anonymous = client.get(start_url(world))
    client.force_login(world.desk)
    officer = client.get(start_url(world))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert officer.status_code == 403
    assert "Trang cán bộ" in text(officer)


def test_a_procedure_that_does_not_take_dossiers_answers_404_with_why(citizen: Client, world: World) -> None:
    response = citizen.get(reverse("dossiers:start", args=["9.999999", "01"]))

    assert response.status_code == 404
    assert "Thủ tục 9.999999 chưa được công bố nên chưa nhận hồ sơ." in text(response)


# --- my dossiers and one dossier -----------------------------------------------------------------------------------
def test_my_dossiers_lists_drafts_first_with_continue(citizen: Client, world: World) -> None:
    received = act(world.desk, submitted(world), "receive")
    waiting = draft(world)

    page = text(citizen.get(reverse("dossiers:mine")))

    assert page.index(url("declaration", waiting)) < page.index(received.code)
    assert "chưa có mã" in page
    assert "Tiếp tục" in page
    assert "Được tiếp nhận" in page


def test_the_dossier_page_shows_the_timeline_but_no_internal_note(citizen: Client, world: World) -> None:
    dossier = act(world.desk, submitted(world), "receive")
    act(world.specialist, dossier, "claim")
    act(world.specialist, dossier, "forward", note="Ghi chú nội bộ: hồ sơ của người quen")

    response = citizen.get(url("applicant_detail", dossier))

    page = text(response)
    assert response.status_code == 200
    assert dossier.code in page
    assert f"Hồ sơ đã được tiếp nhận, mã số {dossier.code}." in page
    assert "Đang xử lý" in page
    assert "người quen" not in page
    assert "Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page  # listed even while its PDF view is not wired
    assert "Rút hồ sơ" in page
    assert inline_code(page) == []


def test_the_result_can_be_downloaded_once_processed(citizen: Client, world: World) -> None:
    dossier = act(world.desk, submitted(world), "receive")
    act(world.specialist, dossier, "forward")
    act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4 ket qua", name="kq.pdf"))

    page = text(citizen.get(url("applicant_detail", dossier)))
    download = citizen.get(url("applicant_detail", dossier) + "?tai-ve=ket-qua")

    assert "Tải tệp kết quả (PDF)" in page
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ket qua"
    assert f"{dossier.code}-ket-qua.pdf" in download["Content-Disposition"]


def test_no_result_to_download_before_it_is_processed(citizen: Client, world: World) -> None:
    dossier = submitted(world)

    assert citizen.get(url("applicant_detail", dossier) + "?tai-ve=ket-qua").status_code == 404


# --- supplement ----------------------------------------------------------------------------------------------------
def test_the_applicant_sees_what_is_asked_and_hands_in_a_supplement(citizen: Client, world: World) -> None:
    dossier = act(world.desk, submitted(world), "receive")
    act(world.specialist, dossier, "request_supplement", missing=["Bản chụp giấy chứng sinh rõ nét"])
    dossier.refresh_from_db()

    detail = text(citizen.get(url("applicant_detail", dossier)))
    form = citizen.get(url("supplement", dossier))
    sent = citizen.post(url("supplement", dossier), {
        COMPONENT_FIELD: SimpleUploadedFile("gcs-ro-net.png", PNG), "bs-note": "Đã chụp lại rõ hơn",
        "bs-version": dossier.lock_version, "to-khai": "1", **{"ho_ten_tre": "Nguyễn Minh Khôi",
                                                                 "ngay_sinh": "02/11/2026"},
    })  # fmt: skip

    assert "Bản chụp giấy chứng sinh rõ nét" in detail
    assert "Bản chụp giấy chứng sinh rõ nét" in text(form)
    assert sent.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert dossier.data == VALID_DATA  # the declaration, posted back unchanged, is kept as filed
    assert dossier.attachments.filter(original_name="gcs-ro-net.png").exists()
    assert dossier.events.last().note == "Đã chụp lại rõ hơn"


def test_a_supplement_with_an_invalid_declaration_shows_the_field_error(citizen: Client, world: World) -> None:
    dossier = act(world.desk, submitted(world), "receive")
    act(world.specialist, dossier, "request_supplement", missing=["Sửa ngày sinh"])
    dossier.refresh_from_db()

    response = citizen.post(url("supplement", dossier), {
        "bs-version": dossier.lock_version, "to-khai": "1", "ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "",
    })  # fmt: skip

    assert response.status_code == 422
    assert 'href="#f-ngay_sinh"' in text(response)
    assert '<details class="cqs-section" open>' in text(response)
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT


def test_supplement_is_only_offered_while_the_agency_waits_for_one(citizen: Client, world: World) -> None:
    dossier = submitted(world)

    response = citizen.get(url("supplement", dossier))

    assert response.status_code == 302
    assert response["Location"] == url("applicant_detail", dossier)


# --- withdraw ------------------------------------------------------------------------------------------------------
def test_withdrawal_needs_a_reason_then_ends_the_dossier(citizen: Client, world: World) -> None:
    dossier = submitted(world)

    empty = citizen.post(url("withdraw", dossier), {"reason": " ", "version": dossier.lock_version})
    done = citizen.post(url("withdraw", dossier), {"reason": "Nộp nhầm thủ tục", "version": dossier.lock_version})

    assert empty.status_code == 422
    assert 'href="#id_reason"' in text(empty)
    assert "Vui lòng nhập lý do rút hồ sơ." in text(empty)
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.WITHDRAWN
    assert "Đã rút hồ sơ" in text(citizen.get(done["Location"]))


def test_withdrawing_from_a_stale_page_says_the_dossier_changed_and_keeps_the_reason(
    citizen: Client, world: World
) -> None:
    dossier = submitted(world)
    stale_version = dossier.lock_version
    act(world.desk, dossier, "receive")

    response = citizen.post(url("withdraw", dossier), {"reason": "Nộp nhầm thủ tục", "version": stale_version})

    page = text(response)
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in page
    assert "Được tiếp nhận" in page
    assert "Nộp nhầm thủ tục" in page
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_a_finished_dossier_cannot_be_withdrawn(citizen: Client, world: World) -> None:
    dossier = act(world.desk, submitted(world), "refuse", reason="Không thuộc thẩm quyền")

    response = citizen.get(url("withdraw", dossier))

    assert response.status_code == 302
    assert response["Location"] == url("applicant_detail", dossier)
    assert f'href="{url("withdraw", dossier)}"' not in text(citizen.get(url("applicant_detail", dossier)))


# --- pages as markup -----------------------------------------------------------------------------------------------
def test_every_page_has_no_inline_code_and_every_reference_resolves(citizen: Client, world: World) -> None:
    dossier = draft(world, {"ho_ten_tre": "Nguyễn Minh Khôi"})
    pages = [
        citizen.get(start_url(world)),
        citizen.post(url("declaration", dossier), {"ho_ten_tre": ""}),
        citizen.get(url("attachments", dossier) + "?kiem-tra=1"),
        citizen.get(url("review", dossier)),
        citizen.get(reverse("dossiers:mine")),
    ]

    for response in pages:
        page = text(response)
        assert inline_code(page) == []
        assert dangling_references(page) == set()
        assert "no-store" in response["Cache-Control"]
