"""Forms 01–07 as documents a person can open: real PDFs with Vietnamese text, the agency header, the code and a QR
code of the tracking page; the register as XLSX; and who may download them."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import segno
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from chinhquyenso.agencies.models import Agency
from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.documents import (
    control_sheet_rows,
    render_control_sheet,
    render_issued_form,
    render_register_pdf,
    render_register_xlsx,
    tracking_url,
)
from chinhquyenso.dossiers.documents.pdf import FONT_DIR, FONT_FILES, place_date_text
from chinhquyenso.dossiers.models import Channel, Dossier, IssuedForm
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted

pytestmark = pytest.mark.django_db

CODE = "113.11.00.H26-261116-0001"
TRACKING = f"http://127.0.0.1:8000/tra-cuu/?ma={CODE}"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CQS_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def city(world: World) -> Agency:
    """The commune's governing body and its desk's phone number, as printed in the header and contact line."""
    city = Agency.objects.create(code="000.00.00.H26", name="Ủy ban nhân dân thành phố Hải Phòng",
                                 kind=Agency.Kind.PROVINCE, level=Agency.Level.PROVINCE)  # fmt: skip
    Agency.objects.filter(pk=world.commune.pk).update(parent=city, phone="0225 3842 100")
    return city


def received(world: World, at: Any) -> Dossier:
    with at(local(2026, 11, 16, 8, 0)):  # Monday; 2 working days → due Wednesday 18/11/2026 08:00
        return act(world.desk, submitted(world), "receive")


def form(dossier: Dossier, number: str) -> IssuedForm:
    return IssuedForm.objects.filter(dossier=dossier, number=number).latest("created_at")


def text_of(pdf: bytes) -> str:
    """The text a person (or a screen reader) gets out of the PDF, whitespace collapsed across line breaks."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def images_of(pdf: bytes) -> list[Any]:
    return [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]


# --- the font and the QR code --------------------------------------------------------------------------------------
def test_the_vendored_font_files_and_their_licence_ship_with_the_code() -> None:
    assert all((FONT_DIR / name).is_file() for name in FONT_FILES.values())
    assert "Bitstream Vera" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text()


def test_vietnamese_text_survives_the_round_trip_through_the_embedded_font(world: World, at: Any, city: Agency) -> None:
    dossier = received(world, at)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name="Nguyễn Thị Hồng Nhung")

    pdf = render_issued_form(form(dossier, "01"))

    assert "Nguyễn Thị Hồng Nhung" in text_of(pdf)
    assert "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG" in text_of(pdf)
    assert b"/FontFile2" in pdf  # the TrueType font is embedded, not referenced
    assert b"DejaVuSerifCondensed" in pdf


def test_the_tracking_url_is_the_public_page_with_the_code(settings: Any) -> None:
    assert tracking_url(CODE) == TRACKING
    settings.CQS_PUBLIC_BASE_URL = "https://dichvucong.haiphong.gov.vn/"
    assert tracking_url(CODE) == f"https://dichvucong.haiphong.gov.vn/tra-cuu/?ma={CODE}"
    assert tracking_url("A B&C") == "https://dichvucong.haiphong.gov.vn/tra-cuu/?ma=A+B%26C"


def test_the_qr_code_printed_on_form_01_is_the_symbol_of_the_tracking_url(world: World, at: Any) -> None:
    dossier = received(world, at)

    pdf = render_issued_form(form(dossier, "01"))

    [printed] = images_of(pdf)
    expected = io.BytesIO()
    segno.make(TRACKING, error="m", micro=False).save(expected, kind="png", scale=8, border=4)
    assert printed.image.convert("1").tobytes() == Image.open(expected).convert("1").tobytes()


def test_the_date_line_follows_the_administrative_style() -> None:
    assert place_date_text(date(2026, 11, 16), "Hải Phòng") == "Hải Phòng, ngày 16 tháng 11 năm 2026"
    assert place_date_text(date(2026, 3, 5), "Hải Phòng") == "Hải Phòng, ngày 05 tháng 3 năm 2026"
    assert place_date_text(date(2026, 2, 9), "Hải Phòng") == "Hải Phòng, ngày 09 tháng 02 năm 2026"


# --- forms 01–05 ---------------------------------------------------------------------------------------------------
def test_form_01_receipt_and_appointment(world: World, at: Any, city: Agency) -> None:
    dossier = received(world, at)

    text = text_of(render_issued_form(form(dossier, "01")))

    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Hải Phòng, ngày 16 tháng 11 năm 2026" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert world.citizen.display_name in text
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Giấy chứng sinh" in text
    assert "Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 16/11/2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 00 phút, ngày 18/11/2026" in text
    assert "02 ngày làm việc" in text
    assert "số điện thoại 0225 3842 100" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert world.desk.display_name in text
    assert TRACKING in text


def test_form_02_lists_what_is_missing(world: World, at: Any) -> None:
    dossier = received(world, at)
    with at(local(2026, 11, 16, 9, 0)):
        act(world.specialist, dossier, "request_supplement", note="Nộp bản scan rõ nét",
            missing=["Bản sao giấy chứng nhận kết hôn", "Tờ khai có chữ ký của người đi đăng ký"])  # fmt: skip

    pdf = render_issued_form(form(dossier, "02"))
    text = text_of(pdf)

    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "1. Bản sao giấy chứng nhận kết hôn" in text
    assert "2. Tờ khai có chữ ký của người đi đăng ký" in text
    assert "Ghi chú: Nộp bản scan rõ nét" in text
    assert "Yêu cầu bổ sung lần thứ: 1" in text
    assert CODE in text
    assert "NGƯỜI HƯỚNG DẪN" in text
    assert world.specialist.display_name in text
    assert len(images_of(pdf)) == 1


def test_form_03_refusal_before_receipt_has_the_reason_and_no_code(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8, 0)):
        dossier = act(world.desk, submitted(world), "refuse", reason="Thủ tục không thuộc thẩm quyền của phường")

    pdf = render_issued_form(form(dossier, "03"))
    text = text_of(pdf)

    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Thủ tục không thuộc thẩm quyền của phường" in text
    assert "nộp ngày 16/11/2026" in text
    assert "Mã hồ sơ" not in text
    assert images_of(pdf) == []  # no code yet, so nothing to track


def test_form_04_apology_and_extension_states_the_old_and_new_dates(world: World, at: Any) -> None:
    dossier = received(world, at)
    with at(local(2026, 11, 17, 9, 0)):
        act(world.leader, dossier, "extend", reason="Cần xác minh thông tin tại nơi cư trú",
            new_due_date=date(2026, 11, 20))  # fmt: skip

    text = text_of(render_issued_form(form(dossier, "04")))

    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "Cần xác minh thông tin tại nơi cư trú" in text
    assert "08 giờ 00 phút, ngày 18/11/2026" in text
    assert "17 giờ 00 phút, ngày 20/11/2026" in text
    assert "Hải Phòng, ngày 17 tháng 11 năm 2026" in text
    assert "Nơi nhận:" in text


def test_form_05_stop_notice_has_the_reason(world: World, at: Any) -> None:
    dossier = received(world, at)
    with at(local(2026, 11, 16, 9, 0)):
        act(world.specialist, dossier, "request_supplement", missing=["Giấy tờ chứng minh nơi cư trú"])
    with at(local(2026, 11, 30, 9, 0)):
        act(world.specialist, dossier, "stop", reason="Quá thời hạn bổ sung mà người nộp không bổ sung")

    text = text_of(render_issued_form(form(dossier, "05")))

    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Quá thời hạn bổ sung mà người nộp không bổ sung" in text
    assert f"mã số {CODE}" in text
    assert "tiếp nhận ngày 16/11/2026" in text


# --- form 06 -------------------------------------------------------------------------------------------------------
def test_form_06_follows_the_route_with_the_deadlines_the_services_set(world: World, at: Any) -> None:
    dossier = received(world, at)
    step_dues = [Dossier.objects.get(pk=dossier.pk).step_due_at]
    with at(local(2026, 11, 16, 9, 0)):
        act(world.specialist, dossier, "claim")
        act(world.specialist, dossier, "forward")
    step_dues.append(Dossier.objects.get(pk=dossier.pk).step_due_at)
    with at(local(2026, 11, 17, 10, 0)):
        act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4 ket qua", name="kq.pdf"))
    with at(local(2026, 11, 17, 14, 0)):
        act(world.desk, dossier, "return_result", return_channel=Channel.ONLINE)
    dossier.refresh_from_db()

    rows = control_sheet_rows(dossier)
    text = text_of(render_control_sheet(dossier))

    assert [r.step for r in rows] == ["Tiếp nhận hồ sơ", "Thẩm định, xử lý hồ sơ", "Phê duyệt, ký kết quả",
                                      "Trả kết quả"]  # fmt: skip
    assert [r.due_at for r in rows] == [None, *step_dues, dossier.due_at]
    assert [r.done_at for r in rows] == [local(2026, 11, 16, 8), local(2026, 11, 16, 9), local(2026, 11, 17, 10),
                                         local(2026, 11, 17, 14)]  # fmt: skip
    assert rows[1].handler == world.specialist.display_name
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert "Thẩm định, xử lý hồ sơ" in text
    assert "18/11/2026" in text
    assert "Kết quả giải quyết hồ sơ: Trước hạn" in text


@pytest.mark.parametrize("mode", ["restart", "pause"])
def test_form_06_shows_the_wait_for_a_supplement_and_a_transfer(world: World, at: Any, mode: str) -> None:
    dossier = received(world, at)
    dossier.rule_set.supplement_mode = mode
    dossier.rule_set.save()
    with at(local(2026, 11, 16, 9, 0)):
        act(world.specialist, dossier, "request_supplement", missing=["Giấy chứng sinh bản chính"])
    with at(local(2026, 11, 17, 9, 0)):
        services.dossier_supplement(actor=world.citizen, dossier_id=dossier.pk, expected_version=None,
                                    data=VALID_DATA)  # fmt: skip
    resumed_step_due = Dossier.objects.get(pk=dossier.pk).step_due_at
    with at(local(2026, 11, 17, 10, 0)):
        act(world.specialist, dossier, "transfer", target_agency_code=world.other_commune.code, reason="Liên thông")

    rows = control_sheet_rows(dossier)

    assert [r.step for r in rows] == ["Tiếp nhận hồ sơ", "Thẩm định, xử lý hồ sơ", "Chờ người nộp bổ sung hồ sơ",
                                      "Thẩm định, xử lý hồ sơ", "Thẩm định, xử lý hồ sơ"]  # fmt: skip
    assert [r.agency for r in rows][-1] == "Ủy ban nhân dân phường Ngô Quyền"
    assert rows[2].handed_at == local(2026, 11, 16, 9) and rows[2].done_at == local(2026, 11, 17, 9)
    assert rows[3].due_at == resumed_step_due  # the deadline the services gave the resumed step
    assert rows[-1].done_at is None and rows[-1].due_at == Dossier.objects.get(pk=dossier.pk).step_due_at


# --- form 07 -------------------------------------------------------------------------------------------------------
def register_world(world: World, at: Any) -> list[Dossier]:
    dossiers = []
    for moment in (local(2026, 11, 16, 8), local(2026, 11, 16, 9), local(2026, 11, 17, 8), local(2026, 11, 20, 8)):
        with at(moment):
            dossiers.append(act(world.desk, submitted(world), "receive"))
    with at(local(2026, 11, 16, 10)):
        services.dossier_intake_at_desk(
            actor=world.desk, case=world.case, agency=world.commune, channel=Channel.IN_PERSON, data=VALID_DATA,
            applicant=services.Applicant(name='=HYPERLINK("http://x.example","Bấm vào đây")'),
        )  # fmt: skip
    return dossiers


def test_form_07_xlsx_has_one_row_per_dossier_received_in_the_period(world: World, at: Any) -> None:
    register_world(world, at)

    with at(local(2026, 11, 17, 12)):
        xlsx = render_register_xlsx(agency=world.commune, start=date(2026, 11, 16), end=date(2026, 11, 17))

    workbook = load_workbook(io.BytesIO(xlsx))
    sheet = workbook.active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    heading = rows.index(("STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Người nộp hồ sơ", "Ngày nhận", "Hẹn trả",
                          "Ngày trả", "Tình trạng"))  # fmt: skip
    lines = [row for row in rows[heading + 1 :] if isinstance(row[0], int)]

    assert [line[1] for line in lines] == [CODE, "113.11.00.H26-261116-0002", "113.11.00.H26-261116-0003",
                                           "113.11.00.H26-261117-0001"]  # fmt: skip
    assert lines[0][4].strftime("%d/%m/%Y %H:%M") == "16/11/2026 08:00"
    assert lines[0][5].strftime("%d/%m/%Y %H:%M") == "18/11/2026 08:00"
    assert lines[0][7] == "Được tiếp nhận"
    assert sheet.cell(row=heading + 1 + 3, column=4).value.startswith("=HYPERLINK")
    assert sheet.cell(row=heading + 1 + 3, column=4).data_type == "s"  # text, never a formula


def test_form_07_pdf_is_a_landscape_table_with_the_period(world: World, at: Any) -> None:
    register_world(world, at)

    pdf = render_register_pdf(agency=world.commune, start=date(2026, 11, 16), end=date(2026, 11, 17))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = text_of(pdf)

    assert page.mediabox.width > page.mediabox.height
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 16/11/2026 đến ngày 17/11/2026" in text
    assert "113.11.00.H26-261117-0001" in text
    assert "261120" not in text
    assert "Tổng số hồ sơ tiếp nhận: 4" in text


# --- who may download ----------------------------------------------------------------------------------------------


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_applicant_downloads_their_form_01_and_the_second_download_is_the_stored_file(
    world: World, at: Any
) -> None:
    dossier = received(world, at)
    issued = form(dossier, "01")
    url = reverse("dossiers:form_pdf", args=[dossier.pk, issued.pk])
    client = signed_in(world.citizen)

    first = client.get(url)
    with mock.patch("chinhquyenso.dossiers.documents.forms.render_issued_form", side_effect=AssertionError):
        second = client.get(url)

    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == f'inline; filename="{CODE}-mau-01.pdf"'
    assert "no-store" in first["Cache-Control"]
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF-")
    assert b"".join(second.streaming_content) == body
    issued.refresh_from_db()
    assert issued.file.name.endswith(f"{CODE}-mau-01.pdf")


def test_another_agencys_officer_gets_404(world: World, at: Any) -> None:
    dossier = received(world, at)
    client = signed_in(world.stranger)

    assert client.get(reverse("dossiers:form_pdf", args=[dossier.pk, form(dossier, "01").pk])).status_code == 404
    assert client.get(reverse("dossiers:control_sheet", args=[dossier.pk])).status_code == 404
    assert not IssuedForm.objects.get(dossier=dossier).file


def test_a_form_of_another_dossier_answers_404(world: World, at: Any) -> None:
    dossier = received(world, at)
    with at(local(2026, 11, 16, 9)):
        other = act(world.desk, submitted(world), "receive")

    response = signed_in(world.citizen).get(reverse("dossiers:form_pdf", args=[dossier.pk, form(other, "01").pk]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world: World, at: Any) -> None:
    dossier = received(world, at)
    urls = [reverse("dossiers:form_pdf", args=[dossier.pk, form(dossier, "01").pk]),
            reverse("dossiers:control_sheet", args=[dossier.pk]), reverse("dossiers:register")]  # fmt: skip

    responses = [Client().get(url) for url in urls]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert all(r["Location"].startswith(reverse("accounts:login")) for r in responses)


def test_the_desk_officer_opens_the_control_sheet(world: World, at: Any) -> None:
    dossier = received(world, at)

    response = signed_in(world.desk).get(reverse("dossiers:control_sheet", args=[dossier.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="{CODE}-phieu-kiem-soat.pdf"'
    assert "PHIẾU KIỂM SOÁT" in text_of(b"".join(response.streaming_content))


def test_the_register_form_then_the_file_for_the_officers_own_agency(world: World, at: Any) -> None:
    register_world(world, at)
    client = signed_in(world.desk)
    url = reverse("dossiers:register")
    query = {"agency": world.commune.pk, "start": "16/11/2026", "end": "17/11/2026", "format": "xlsx"}

    page = client.get(url)
    download = client.get(url, query)

    assert page.status_code == 200
    assert "Sổ theo dõi hồ sơ" in page.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="so-theo-doi-ho-so-113.11.00.H26-20261116-20261117.xlsx"' in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert CODE in [cell.value for cell in workbook.active["B"]]


def test_the_register_of_another_agency_or_for_a_citizen_answers_404(world: World) -> None:
    query = {"agency": world.commune.pk, "start": "16/11/2026", "end": "17/11/2026", "format": "pdf"}
    url = reverse("dossiers:register")

    assert signed_in(world.stranger).get(url, query).status_code == 404
    assert signed_in(world.citizen).get(url).status_code == 404


def test_the_register_form_explains_wrong_dates(world: World) -> None:
    query = {"agency": world.commune.pk, "start": "17/11/2026", "end": "2026-11-16", "format": "pdf"}

    response = signed_in(world.desk).get(reverse("dossiers:register"), query)

    assert response.status_code == 200
    assert "Ngày kết thúc phải có dạng ngày/tháng/năm, ví dụ 30/11/2026." in response.content.decode()
