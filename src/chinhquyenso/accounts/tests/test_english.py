from __future__ import annotations

import pytest
from django.test import Client

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.tests.test_registration import citizen_form

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en"}


def test_registration_is_in_english_on_request_and_a_bad_cccd_is_explained_in_english(client: Client) -> None:
    form_page = client.get("/dang-ky/", headers=ENGLISH).content.decode()

    assert '<html lang="en">' in form_page
    for label in (
        "Register for an account",
        "Full name",
        "Date of birth",
        "Mobile phone number",
        "Email address (optional)",
    ):
        assert label in form_page
    assert "Họ và tên" not in form_page

    response = client.post("/dang-ky/", citizen_form(cccd="03119500432A"), headers=ENGLISH)

    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    assert '<span class="cqs-visually-hidden">Error:</span>' in page
    message = "Your CCCD (personal identification number) must be exactly 12 digits."
    assert message in page
    assert response.context["form"].errors["cccd"] == [message]
    assert "Số CCCD/định danh cá nhân" not in page
    assert not User.objects.exists()
