"""The public catalog pages: find a procedure, then read everything needed before applying."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest
from django.test import Client

from chinhquyenso.agencies.tests.factories import AgencyFactory
from chinhquyenso.catalog import services
from chinhquyenso.catalog.models import (
    ApplicantCategory,
    DocumentComponent,
    DocumentType,
    Fee,
    Level,
    OnlineLevel,
    ProcedureVersion,
)
from chinhquyenso.catalog.tests.factories import (
    DocumentComponentFactory,
    FeeFactory,
    FieldFactory,
    ProcedureCaseFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def published(code: str, name: str, **version: Any) -> ProcedureVersion:
    """A procedure whose current version (v1, one case of 3 working days) has this name."""
    options = {f"version__{key}": value for key, value in version.items()}
    procedure = ProcedureFactory(code=code, is_local_code=code.startswith("HP."), version__name=name, **options)
    return procedure.current_version


def business_registration() -> ProcedureVersion:
    """Two cases; the first with a same-day cut-off, a fee with an exemption, a template and a reusable document."""
    version = published(
        "1.001612", "Đăng ký thành lập hộ kinh doanh", field=FieldFactory(code="HKD", name="Hộ kinh doanh"),
        online_level=OnlineLevel.PARTIAL, competent_authority="Phòng Kinh tế thuộc UBND cấp xã",
        result_type="Giấy chứng nhận đăng ký hộ kinh doanh", legal_basis="Nghị định 168/2025/NĐ-CP",
        for_businesses=True, case__code="moi", case__name="Thành lập mới", case__cutoff=time(15, 0),
    )  # fmt: skip
    new = version.cases.get()
    ProcedureCaseFactory(
        version=version, code="chuyen-doi", name="Chuyển đổi từ hộ gia đình", processing_value=5,
        online_processing_value=4,
    )  # fmt: skip
    fee = FeeFactory(case=new, kind=Fee.Kind.FEE, name="Lệ phí đăng ký hộ kinh doanh", amount=1250000, unit="lần")
    fee.exemptions.set([ApplicantCategory.objects.create(code="ho-ngheo", name="Hộ nghèo")])
    DocumentComponentFactory(
        case=new, code="giay-de-nghi", name="Giấy đề nghị đăng ký hộ kinh doanh",
        template="catalog/templates/giay-de-nghi.docx", form=DocumentComponent.Form.ORIGINAL, order=1,
    )  # fmt: skip
    DocumentComponentFactory(
        case=new, code="cccd", name="Bản sao căn cước của chủ hộ", form=DocumentComponent.Form.COPY, quantity=2,
        required=False, reusable_type=DocumentType.objects.create(code="cccd", name="Căn cước công dân"), order=2,
    )  # fmt: skip
    return version


def text(html: str) -> str:
    """The page's text as a reader hears it: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_list_page_has_a_labelled_search_box_and_filters_that_work_without_javascript(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh", field=FieldFactory(code="HT", name="Hộ tịch"))
    published("1.000894", "Thủ tục đăng ký kết hôn", online_level=OnlineLevel.PARTIAL)

    response = client.get("/thu-tuc/")
    html = response.content.decode()

    assert response.status_code == 200
    assert re.search(r'<form method="get" action="/thu-tuc/" role="search"', html)
    assert re.search(r'<label class="cqs-label" for="id_q">Tìm thủ tục</label>', html)
    assert '<option value="HT">Hộ tịch</option>' in html
    assert "Tìm thấy 2 thủ tục" in text(html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # CSP: no inline script
    assert not re.search(r"<style|\sstyle=", html)  # nor inline style


def test_a_search_without_diacritics_lists_the_match_with_its_code_field_level_and_time(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh", field=FieldFactory(code="HT", name="Hộ tịch"))
    published("1.000894", "Thủ tục đăng ký kết hôn")

    page = text(client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode())

    assert "Tìm thấy 1 thủ tục" in page
    assert "Thủ tục đăng ký khai sinh Mã thủ tục: 1.001193 Lĩnh vực: Hộ tịch Cấp thực hiện: Cấp xã" in page
    assert "Thời hạn giải quyết: 3 ngày làm việc Mức độ trực tuyến: Toàn trình" in page
    assert "kết hôn" not in page.split("Tìm thấy")[1]


def test_filters_are_kept_in_the_form_and_narrow_the_results(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")
    published("3.000333", "Cấp Phiếu lý lịch tư pháp", level=Level.PROVINCE)

    html = client.get("/thu-tuc/", {"level": "province"}).content.decode()

    assert '<option value="province" selected>Cấp tỉnh</option>' in html
    assert "Tìm thấy 1 thủ tục" in text(html)
    assert "Cấp Phiếu lý lịch tư pháp" in html
    assert "đăng ký khai sinh" not in html


def test_results_come_twenty_to_a_page_with_an_accessible_page_navigation(client: Client) -> None:
    field = FieldFactory(code="HT", name="Hộ tịch")
    procedures = ProcedureFactory.create_batch(21, version__field=field)
    ProcedureFactory()  # another field

    first = client.get("/thu-tuc/", {"field": "HT"}).content.decode()
    second = client.get("/thu-tuc/", {"field": "HT", "page": "2"}).content.decode()

    assert "Tìm thấy 21 thủ tục" in text(first)
    assert first.count('class="cqs-results__item"') == 20
    assert '<nav class="cqs-pagination" aria-label="Các trang kết quả">' in first
    assert 'href="?field=HT&amp;page=2" rel="next"' in first
    assert 'aria-current="page"><span class="cqs-visually-hidden">Trang </span>1</a>' in first
    assert second.count('class="cqs-results__item"') == 1
    assert max(procedure.code for procedure in procedures) in second


def test_no_result_gives_advice_on_what_to_try_next(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")

    page = text(client.get("/thu-tuc/", {"q": "cap phep bay flycam"}).content.decode())

    assert "Không tìm thấy thủ tục nào" in page
    assert "có dấu hay không dấu đều được" in page
    assert "tìm theo mã thủ tục, ví dụ 1.001193" in page
    assert "bỏ tìm kiếm và bộ lọc để xem tất cả thủ tục" in page


def test_an_unknown_filter_value_is_reported_and_the_rest_of_the_search_still_applies(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")

    response = client.get("/thu-tuc/", {"q": "khai sinh", "field": "khong-co"})

    assert response.status_code == 200
    assert "cqs-error-summary" in response.content.decode()
    assert "Tìm thấy 1 thủ tục" in text(response.content.decode())


def test_an_htmx_search_gets_only_the_results_region(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")

    html = client.get("/thu-tuc/", {"q": "khai sinh"}, headers={"HX-Request": "true"}).content.decode()

    assert html.lstrip().startswith('<section class="cqs-results" id="ket-qua"')
    assert "<html" not in html
    assert "Tìm thấy 1 thủ tục" in text(html)


def test_the_detail_page_shows_everything_needed_before_applying(client: Client) -> None:
    business_registration()

    response = client.get("/thu-tuc/1.001612/")
    html = response.content.decode()
    page = text(html)

    assert response.status_code == 200
    assert '<h1 class="cqs-heading-l">Đăng ký thành lập hộ kinh doanh</h1>' in html
    assert "Lĩnh vực Hộ kinh doanh" in page
    assert "Cơ quan có thẩm quyền Phòng Kinh tế thuộc UBND cấp xã" in page
    assert "Bất kỳ Bộ phận Một cửa cấp xã nào trong thành phố" in page
    assert "Đối tượng thực hiện Công dân; Doanh nghiệp, tổ chức" in page
    assert "Kết quả Giấy chứng nhận đăng ký hộ kinh doanh" in page
    assert "Căn cứ pháp lý Nghị định 168/2025/NĐ-CP" in page
    assert "Trường hợp: Thành lập mới" in page
    assert "Trường hợp: Chuyển đổi từ hộ gia đình" in page
    assert "5 ngày làm việc (4 ngày làm việc khi nộp trực tuyến)" in page
    assert "Nhận hồ sơ sau 15:00 trả kết quả ngày làm việc tiếp theo." in page


def test_the_processing_time_reads_in_english_on_an_english_page(client: Client) -> None:
    business_registration()

    page = text(client.get("/thu-tuc/1.001612/", headers={"Accept-Language": "en"}).content.decode())

    assert "5 working days (4 working days when filed online)" in page
    assert "khi nộp" not in page


def test_the_detail_page_lists_fees_in_dong_with_exemptions(client: Client) -> None:
    business_registration()

    html = client.get("/thu-tuc/1.001612/").content.decode()
    page = text(html)

    assert f'<span class="cqs-money">1.250.000{NBSP}đ</span> / lần' in html  # a no-break space before đ
    assert "Lệ phí đăng ký hộ kinh doanh (lệ phí) 1.250.000 đ / lần Hộ nghèo" in page
    assert "Không thu phí, lệ phí." in page  # the second case has no fee


def test_the_detail_page_lists_the_documents_with_form_quantity_requirement_and_template(client: Client) -> None:
    business_registration()

    html = client.get("/thu-tuc/1.001612/").content.decode()
    page = text(html)

    assert "Giấy tờ Hình thức Số lượng Bắt buộc" in page
    assert "Giấy đề nghị đăng ký hộ kinh doanh Tải mẫu : Giấy đề nghị đăng ký hộ kinh doanh Bản chính 1 Bắt" in page
    assert '<a href="/media/catalog/templates/giay-de-nghi.docx" download>' in html
    assert "Bản sao căn cước của chủ hộ Có thể dùng lại từ kho dữ liệu (Căn cước công dân)" in page
    assert "Bản sao 2 Không bắt buộc" in page


def test_each_case_links_to_online_filing_and_to_its_form_preview(client: Client) -> None:
    business_registration()

    html = client.get("/thu-tuc/1.001612/").content.decode()

    assert '<a class="cqs-button" href="/thu-tuc/1.001612/nop/moi/">Nộp hồ sơ trực tuyến' in html
    assert '<a class="cqs-button" href="/thu-tuc/1.001612/nop/chuyen-doi/">Nộp hồ sơ trực tuyến' in html
    assert 'href="/thu-tuc/1.001612/bieu-mau/moi/">Xem trước biểu mẫu' in html


def test_named_receiving_agencies_replace_the_any_one_stop_desk_sentence(client: Client) -> None:
    version = published("3.000333", "Cấp Phiếu lý lịch tư pháp", level=Level.PROVINCE)
    version.receiving_agencies.set([AgencyFactory(name="Sở Tư pháp", address="1 Lý Tự Trọng")])

    page = text(client.get("/thu-tuc/3.000333/").content.decode())

    assert "Nơi nộp hồ sơ Sở Tư pháp, 1 Lý Tự Trọng" in page
    assert "Bất kỳ Bộ phận Một cửa" not in page


def test_a_retired_procedure_stays_readable_with_a_banner_and_no_form_link(client: Client) -> None:
    version = published("1.000894", "Thủ tục đăng ký kết hôn")
    services.procedure_retire(actor=None, procedure=version.procedure, reason="Đã được thay thế")

    detail = client.get("/thu-tuc/1.000894/")
    listing = client.get("/thu-tuc/", {"q": "ket hon"}).content.decode()

    assert detail.status_code == 200
    assert "Thủ tục này đã bị bãi bỏ" in detail.content.decode()
    assert "Điền biểu mẫu" not in detail.content.decode()
    assert "Không tìm thấy thủ tục nào" in listing


def test_an_unknown_code_or_a_procedure_with_only_a_draft_is_not_found(client: Client) -> None:
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.001193", is_local_code=False, version=None),
        status=ProcedureVersion.Status.DRAFT,
    )

    assert client.get("/thu-tuc/1.001193/").status_code == 404
    assert client.get("/thu-tuc/HP.KHONG.CO/").status_code == 404
