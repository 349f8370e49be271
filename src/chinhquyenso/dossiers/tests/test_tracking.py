"""Public tracking by code (/tra-cuu/?ma=…): anyone can follow a dossier, nobody learns who filed it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.tests.conftest import World, local
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted
from chinhquyenso.dossiers.views import tracking

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    cache.clear()
    with mock.patch.object(tracking, "_window", return_value=1):  # one window for the whole test: no flakiness
        yield
    cache.clear()


def track(client: Client, code: str) -> Any:
    return client.get(reverse("dossiers:track"), {"ma": code})


@pytest.fixture
def in_progress(world: World, at: Any) -> Dossier:
    with at(local(2026, 11, 16, 8, 0)):
        dossier = act(world.desk, submitted(world), "receive")
    with at(local(2026, 11, 16, 9, 30)):
        act(world.specialist, dossier, "claim")
        act(world.specialist, dossier, "request_supplement", missing=["Bản sao giấy chứng sinh của bà Lê Thị Hoa"],
            note="Gọi số 0988777666 của người nộp")  # fmt: skip
    dossier.refresh_from_db()
    return dossier


def test_anyone_sees_the_state_dates_and_public_timeline(client: Client, in_progress: Dossier) -> None:
    response = track(client, in_progress.code or "")

    page = response.content.decode()
    assert response.status_code == 200
    assert in_progress.code in page
    assert "Yêu cầu bổ sung giấy tờ" in page
    assert "Thủ tục đăng ký khai sinh" in page
    assert "Ủy ban nhân dân phường Hồng Bàng" in page
    assert "Thẩm định, xử lý hồ sơ" in page  # the current step
    assert "16/11/2026 08:00" in page  # received
    assert "18/11/2026 08:00" in page  # due
    assert page.index("Nộp hồ sơ") < page.index("Tiếp nhận hồ sơ") < page.index("Cán bộ nhận xử lý")


def test_tracking_shows_no_personal_data_and_no_notes(client: Client, world: World, in_progress: Dossier) -> None:
    citizen = world.citizen

    page = track(client, in_progress.code or "").content.decode()

    for private in (citizen.full_name, citizen.cccd, citizen.phone, citizen.email, in_progress.applicant_name,
                    "Nguyễn Minh Khôi", "Lê Thị Hoa", "0988777666", "Hồ sơ đã được tiếp nhận, mã số"):  # fmt: skip
        assert private
        assert private not in page
    assert world.specialist.display_name not in page


def test_the_qr_code_link_shows_the_result_directly_and_case_does_not_matter(
    client: Client, in_progress: Dossier
) -> None:
    response = client.get(f"/tra-cuu/?ma={(in_progress.code or '').lower()}")

    assert response.status_code == 200
    assert "Yêu cầu bổ sung giấy tờ" in response.content.decode()


def test_an_unknown_code_gets_a_friendly_not_found_page(client: Client, world: World) -> None:
    response = track(client, " 113.11.00.H26-261116-9999 ")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ có mã «113.11.00.H26-261116-9999»" in page
    assert 'value="113.11.00.H26-261116-9999"' in page  # the form again, to correct the code
    assert 'href="/dang-nhap/"' in page  # the normal page, with the site's header


def test_a_draft_or_a_dossier_without_a_code_cannot_be_found(client: Client, world: World) -> None:
    submitted(world)  # online, not yet received: no code

    assert track(client, "None").status_code == 404


def test_the_empty_page_is_the_form_and_an_empty_code_is_an_error(client: Client, world: World) -> None:
    empty_page = client.get(reverse("dossiers:track"))
    no_code = track(client, "  ")

    assert empty_page.status_code == 200
    assert '<label class="cqs-label" for="ma">Mã hồ sơ</label>' in empty_page.content.decode()
    assert no_code.status_code == 422
    assert '<a href="#ma">Vui lòng nhập mã hồ sơ.</a>' in no_code.content.decode()


def test_lookups_are_rate_limited_per_client(client: Client, world: World) -> None:
    for _ in range(tracking.LIMIT):
        assert track(client, "KHONG-CO").status_code == 404

    blocked = track(client, "KHONG-CO")

    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert client.get(reverse("dossiers:track")).status_code == 200  # the empty form is never refused


def test_the_page_has_no_inline_code_and_is_not_cached(client: Client, in_progress: Dossier) -> None:
    response = track(client, in_progress.code or "")

    page = response.content.decode()
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|\sstyle=", page) == []
    assert "no-store" in response["Cache-Control"]
