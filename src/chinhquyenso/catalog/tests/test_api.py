"""The public catalog API: /api/v1/procedures and /api/v1/procedures/{code}, without sign-in."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client

from chinhquyenso.catalog import services
from chinhquyenso.catalog.models import (
    ApplicantCategory,
    DocumentComponent,
    DocumentType,
    Level,
    OnlineLevel,
    ProcedureVersion,
)
from chinhquyenso.catalog.tests.factories import (
    SIMPLE_SCHEMA,
    SIMPLE_UI,
    DocumentComponentFactory,
    FeeFactory,
    FieldFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
)

pytestmark = pytest.mark.django_db


def published(code: str, name: str, **version: Any) -> ProcedureVersion:
    """A procedure whose current version (v1, one case "01" of 3 working days) has this name."""
    options = {f"version__{key}": value for key, value in version.items()}
    procedure = ProcedureFactory(code=code, is_local_code=code.startswith("HP."), version__name=name, **options)
    return procedure.current_version


def test_the_list_finds_procedures_without_diacritics_and_needs_no_sign_in(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh", field=FieldFactory(code="HT", name="Hộ tịch"))
    published("1.000894", "Thủ tục đăng ký kết hôn")

    response = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"})

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "code": "1.001193",
                "is_local_code": False,
                "name": "Thủ tục đăng ký khai sinh",
                "field": {"code": "HT", "name": "Hộ tịch"},
                "level": "commune",
                "level_label": "Cấp xã",
                "online_level": "full",
                "online_level_label": "Toàn trình",
                "processing_time": "3 ngày làm việc",
            }
        ],
        "count": 1,
        "page": 1,
        "page_size": 20,
        "pages": 1,
    }


def test_the_list_filters_and_pages(client: Client) -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")
    published("1.000894", "Thủ tục đăng ký kết hôn")
    published("1.000656", "Thủ tục đăng ký khai tử", online_level=OnlineLevel.PARTIAL)
    published("3.000333", "Cấp Phiếu lý lịch tư pháp", level=Level.PROVINCE)

    second = client.get("/api/v1/procedures", {"level": "commune", "online_level": "full", "page_size": 1, "page": 2})
    beyond = client.get("/api/v1/procedures", {"page": 9}).json()

    body = second.json()
    assert [item["code"] for item in body.pop("items")] == ["1.001193"]
    assert body == {"count": 2, "page": 2, "page_size": 1, "pages": 2}
    assert beyond["items"] == []
    assert beyond["count"] == 4


def test_a_page_size_over_100_or_an_unknown_level_is_refused_as_problem_json(client: Client) -> None:
    too_big = client.get("/api/v1/procedures", {"page_size": 101})
    unknown = client.get("/api/v1/procedures", {"level": "district"})

    assert too_big.status_code == 422
    assert too_big["Content-Type"] == "application/problem+json"
    assert too_big.json()["title"] == "Dữ liệu không hợp lệ"
    assert unknown.status_code == 422


def test_the_detail_has_cases_fees_in_dong_documents_and_the_form(client: Client) -> None:
    version = published(
        "1.001612", "Đăng ký thành lập hộ kinh doanh", result_type="Giấy chứng nhận đăng ký hộ kinh doanh",
        competent_authority="UBND cấp xã", for_businesses=True, case__cutoff=time(15, 0),
    )  # fmt: skip
    case = version.cases.get()
    fee = FeeFactory(case=case, name="Lệ phí đăng ký", amount=1250000, unit="")
    fee.exemptions.set([ApplicantCategory.objects.create(code="ho-ngheo", name="Hộ nghèo")])
    DocumentComponentFactory(
        case=case, code="cccd", name="Bản sao căn cước", form=DocumentComponent.Form.COPY, quantity=2,
        required=False, reusable_type=DocumentType.objects.create(code="cccd", name="Căn cước"),
        template="catalog/templates/mau.docx",
    )  # fmt: skip

    body = client.get("/api/v1/procedures/1.001612").json()

    assert body["name"] == "Đăng ký thành lập hộ kinh doanh"
    assert body["status"] == "active"
    assert body["version"] == 1
    assert body["receiving_agencies"] == []
    assert (body["for_citizens"], body["for_businesses"]) == (True, True)
    assert body["result_type"] == "Giấy chứng nhận đăng ký hộ kinh doanh"
    [case_out] = body["cases"]
    assert case_out["processing_time"] == "3 ngày làm việc"
    assert case_out["cutoff"] == "15:00"
    assert case_out["fees"] == [
        {
            "kind": "le_phi",
            "kind_label": "Lệ phí",
            "name": "Lệ phí đăng ký",
            "amount": 1250000,
            "unit": "",
            "variable": False,
            "note": "",
            "exemptions": [{"code": "ho-ngheo", "name": "Hộ nghèo"}],
        }
    ]
    assert case_out["components"] == [
        {
            "code": "cccd",
            "name": "Bản sao căn cước",
            "form": "copy",
            "form_label": "Bản sao",
            "quantity": 2,
            "required": False,
            "template_url": "/media/catalog/templates/mau.docx",
            "reusable_type": {"code": "cccd", "name": "Căn cước"},
        }
    ]
    assert case_out["form_schema"] == SIMPLE_SCHEMA
    assert case_out["form_ui"] == SIMPLE_UI


def test_a_retired_procedure_is_still_readable_with_its_status(client: Client) -> None:
    version = published("1.000894", "Thủ tục đăng ký kết hôn")
    services.procedure_retire(actor=None, procedure=version.procedure, reason="Đã được thay thế")

    body = client.get("/api/v1/procedures/1.000894").json()

    assert (body["status"], body["status_label"]) == ("retired", "Đã bãi bỏ")
    assert client.get("/api/v1/procedures", {"q": "ket hon"}).json()["count"] == 0


def test_an_unknown_or_draft_only_procedure_is_a_404_problem_in_vietnamese(client: Client) -> None:
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.001193", is_local_code=False, version=None),
        status=ProcedureVersion.Status.DRAFT,
    )

    unknown = client.get("/api/v1/procedures/HP.KHONG.CO")
    draft_only = client.get("/api/v1/procedures/1.001193")

    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    assert unknown.json()["status"] == 404
    assert unknown.json()["detail"] == "Không tìm thấy thủ tục có mã «HP.KHONG.CO» trong danh mục đang công bố."
    assert draft_only.status_code == 404


def test_the_openapi_schema_publishes_both_operations_as_public(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    listing = schema["paths"]["/api/v1/procedures"]["get"]
    detail = schema["paths"]["/api/v1/procedures/{code}"]["get"]
    assert (listing["operationId"], listing["summary"]) == ("procedure_list", "Tra cứu thủ tục hành chính")
    assert (detail["operationId"], detail["summary"]) == ("procedure_get", "Chi tiết một thủ tục hành chính")
    assert listing["tags"] == detail["tags"] == ["Thủ tục hành chính"]
    assert "security" not in listing
    assert "security" not in detail
    assert {"ProcedureListOut", "ProcedureDetailOut", "CaseOut", "FeeOut", "ComponentOut"} <= set(
        schema["components"]["schemas"]
    )
    assert [p["name"] for p in listing["parameters"]] == [
        "q", "field", "agency", "level", "online_level", "page", "page_size"
    ]  # fmt: skip
