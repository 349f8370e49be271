from __future__ import annotations

import pytest
from django.test import Client

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.agencies.tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_officer_sees_their_agency_and_colleagues_but_not_other_agencies(client: Client) -> None:
    mine = MembershipFactory(agency__name="Ủy ban nhân dân phường Ngô Quyền", user__full_name="Hoàng Thị Lan")
    colleague = MembershipFactory(agency=mine.agency, user__full_name="Nguyễn Hữu Phúc")
    stranger = MembershipFactory(agency=AgencyFactory(name="Sở Y tế"), user__full_name="Người Đơn Vị Khác")
    client.force_login(mine.user)

    page = client.get("/can-bo/").content.decode()

    assert "Ủy ban nhân dân phường Ngô Quyền" in page
    assert colleague.user.full_name in page
    assert "07:00–11:30, 13:30–17:00" in page
    assert stranger.agency.name not in page
    assert stranger.user.full_name not in page


def test_a_citizen_cannot_open_the_officer_page(client: Client) -> None:
    client.force_login(UserFactory())

    assert client.get("/can-bo/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/can-bo/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")
