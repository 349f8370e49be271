from __future__ import annotations

import pytest
from django.test import Client

from chinhquyenso.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_axes() -> None:
    from axes.utils import reset

    reset()


@pytest.mark.parametrize("identifier", ["031000000042", "0912000042", "+84912000042", "hoa42@example.vn", "citizen42"])
def test_a_citizen_signs_in_with_cccd_phone_email_or_username(client: Client, identifier: str) -> None:
    UserFactory(username="citizen42", cccd="031000000042", phone="0912000042", email="hoa42@example.vn")

    response = client.post("/dang-nhap/", {"username": identifier, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/"


def test_a_wrong_password_is_explained_without_saying_which_part_was_wrong(client: Client) -> None:
    UserFactory(cccd="031000000043")

    response = client.post("/dang-nhap/", {"username": "031000000043", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert "Thông tin đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client: Client) -> None:
    UserFactory(cccd="031000000044")
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "031000000044", "password": "sai-mat-khau"})

    response = client.post("/dang-nhap/", {"username": "031000000044", "password": PASSWORD})

    assert response.status_code == 429
    assert "tạm khóa trong 15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_officer_signs_in_and_reaches_the_officer_start_page(client: Client) -> None:
    from chinhquyenso.agencies.tests.factories import MembershipFactory

    membership = MembershipFactory(user__username="motcua.test", agency__name="Sở Tư pháp")

    client.post("/dang-nhap/", {"username": "motcua.test", "password": PASSWORD})
    page = client.get("/can-bo/").content.decode()

    assert "Sở Tư pháp" in page
    assert membership.agency.code in page
    assert "Cán bộ một cửa" in page
