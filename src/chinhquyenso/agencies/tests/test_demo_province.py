from __future__ import annotations

import pytest
from django.test import Client

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.demo.loader import DEMO_SIGN_INS, load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_province_is_hai_phong_in_two_tiers() -> None:
    load_demo(with_dossiers=False)

    city = Agency.objects.get(kind=Agency.Kind.PROVINCE)
    departments = Agency.objects.filter(kind=Agency.Kind.DEPARTMENT, parent=city)
    communes = Agency.objects.filter(kind=Agency.Kind.COMMUNE, parent=city)
    assert city.name == "Ủy ban nhân dân thành phố Hải Phòng"
    assert departments.count() >= 15
    assert communes.count() >= 20
    assert communes.filter(name="Ủy ban nhân dân phường Hồng Bàng", ward_code=11311).exists()
    assert not Agency.objects.filter(name__icontains="quận").exists()  # no district tier since 1/7/2025


def test_every_demo_sign_in_works_with_password_demo(client: Client) -> None:
    load_demo(with_dossiers=False)

    signed_in = []
    for username, _ in DEMO_SIGN_INS:
        response = client.post("/dang-nhap/", {"username": username, "password": "demo"})
        signed_in.append((username, response.status_code, client.session.get("_auth_user_id") is not None))
        client.logout()

    assert signed_in == [(username, 302, True) for username, _ in DEMO_SIGN_INS]


def test_loading_twice_keeps_the_data() -> None:
    load_demo(with_dossiers=False)
    congdan = User.objects.get(username="congdan")
    congdan.full_name = "Tên đã đổi"
    congdan.save()

    assert load_demo(with_dossiers=False) is False
    congdan.refresh_from_db()
    assert congdan.full_name == "Tên đã đổi"
    assert Agency.objects.filter(kind=Agency.Kind.COMMUNE).count() == 114


def test_demo_staff_hold_the_roles_the_readme_promises() -> None:
    load_demo(with_dossiers=False)

    roles = set(Membership.objects.values_list("user__username", "role"))
    assert ("motcua", Role.ONE_STOP) in roles
    assert ("chuyenvien", Role.SPECIALIST) in roles
    assert ("lanhdao", Role.LEADER) in roles
    assert ("quantri", Role.SYSTEM_ADMIN) in roles
    assert User.objects.get(username="quantri").is_superuser


def test_demo_data_is_never_loaded_outside_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]

    with pytest.raises(RuntimeError, match="CQS_DEMO"):
        load_demo(with_dossiers=False)
    assert not User.objects.exists()
