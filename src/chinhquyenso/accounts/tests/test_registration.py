from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.services import UNIQUE_FIELD_MESSAGES
from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def citizen_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "citizen",
        "full_name": "Trần Thị Hoa",
        "cccd": "031195004321",
        "date_of_birth": "14/08/1995",
        "phone": "+84 903 123 456",
        "email": "hoa@example.vn",
        "ward_code": "11383",
        "address_line": "Số 5 ngõ 12 Tô Hiệu",
        "password1": "Hoa-Le-Chan-2026",
        "password2": "Hoa-Le-Chan-2026",
    }
    data.update(overrides)
    return data


def test_a_citizen_registers_is_signed_in_and_sees_the_account_page(client: Client) -> None:
    response = client.post("/dang-ky/", citizen_form(), follow=True)

    assert response.redirect_chain[-1][0] == "/tai-khoan/"
    page = response.content.decode()
    assert "Trần Thị Hoa" in page
    assert "Phường Lê Chân" in page
    assert "031195004321" not in page  # the CCCD is masked on screen
    user = User.objects.get(cccd="031195004321")
    assert user.phone == "0903123456"
    assert user.check_password("Hoa-Le-Chan-2026")
    assert user.password.startswith("argon2")
    assert AuditEntry.objects.filter(action="account.register", object_id=str(user.pk)).exists()


def test_a_business_registers_with_its_tax_code(client: Client) -> None:
    form = citizen_form(kind="business", organization_name="Công ty CP Vận tải Bạch Đằng", tax_code="0200123456")

    client.post("/dang-ky/", form)

    user = User.objects.get(tax_code="0200123456")
    assert user.kind == User.Kind.BUSINESS
    assert user.display_name == "Công ty CP Vận tải Bạch Đằng"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cccd", "03119500432", "Số CCCD phải gồm đúng 12 chữ số."),
        ("cccd", "03119500432A", "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."),
        ("phone", "0123", "Số điện thoại di động phải gồm 10 chữ số"),
        ("date_of_birth", "1995-14-08", "Ngày sinh phải có dạng ngày/tháng/năm"),
        ("date_of_birth", "01/01/2999", "Ngày sinh không thể ở tương lai."),
        ("ward_code", "1", "Hãy chọn một xã, phường trong danh sách."),
        ("password2", "khac-mat-khau-1", "Hai mật khẩu đã nhập không giống nhau."),
        ("full_name", "", "Vui lòng nhập họ và tên."),
    ],
)
def test_bad_input_is_explained_in_vietnamese_next_to_the_field_and_nothing_is_created(
    client: Client, field: str, value: str, message: str
) -> None:
    response = client.post("/dang-ky/", citizen_form(**{field: value}))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert message in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()  # the error summary links to the field
    assert not User.objects.exists()


def test_a_business_without_tax_code_is_told_to_enter_it(client: Client) -> None:
    response = client.post("/dang-ky/", citizen_form(kind="business", organization_name="Công ty A"))

    assert response.context["form"].errors["tax_code"] == ["Vui lòng nhập mã số thuế."]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "taken_value", "message"),
    [
        ("phone", "0903123456", UNIQUE_FIELD_MESSAGES["phone"]),
        ("cccd", "031195004321", UNIQUE_FIELD_MESSAGES["cccd"]),
    ],
)
def test_a_taken_identifier_is_refused_and_the_existing_account_is_unchanged(
    client: Client, field: str, taken_value: str, message: str
) -> None:
    existing = UserFactory(**{field: taken_value})

    response = client.post("/dang-ky/", citizen_form())

    assert response.status_code == 422
    assert message in response.context["form"].errors[field]
    assert User.objects.count() == 1
    existing.refresh_from_db()
    assert existing.full_name.startswith("Nguyễn Văn Thử")


def test_registration_is_rate_limited_per_address(client: Client) -> None:
    for n in range(10):
        client.post("/dang-ky/", citizen_form(cccd=f"0311950{n:05d}", phone=f"09031{n:05d}", email=f"h{n}@example.vn"))
        client.logout()

    response = client.post("/dang-ky/", citizen_form(cccd="031195099999", phone="0903199999", email="x@example.vn"))

    assert response.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu" in response.content.decode()
    assert User.objects.count() == 10
