from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from chinhquyenso.accounts.models import ApiToken
from chinhquyenso.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_create_command_prints_the_token_alone_on_its_last_line_and_it_authenticates(client: Client) -> None:
    user = UserFactory(username="ketoan", full_name="Phần mềm kế toán")
    out = StringIO()

    call_command("token", "create", "ketoan", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert token.startswith("cqs_")
    assert response.status_code == 200
    assert response.json() == {"username": "ketoan", "kind": "citizen", "display_name": user.display_name}
    assert not ApiToken.objects.filter(token_hash=token).exists()  # only the hash is stored


def test_token_create_for_an_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tài khoản"):
        call_command("token", "create", "khong-ton-tai")


def test_the_api_refuses_a_missing_or_wrong_token_as_problem_json(client: Client) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer cqs_wrong"})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Chưa xác thực"


def test_a_token_created_on_the_account_page_is_shown_once_and_can_be_revoked(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)

    first = client.post("/tai-khoan/ma-truy-cap/", {"name": "Ứng dụng di động"}, follow=True).content.decode()
    token = first.split('id="new-token">')[1].split("<")[0]
    second = client.get("/tai-khoan/").content.decode()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    api_token = ApiToken.objects.get(user=user)
    client.post(f"/tai-khoan/ma-truy-cap/{api_token.pk}/thu-hoi/")

    assert token.startswith("cqs_")
    assert token not in second
    assert "Ứng dụng di động" in second
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client: Client) -> None:
    owner, other = UserFactory(), UserFactory()
    client.force_login(owner)
    client.post("/tai-khoan/ma-truy-cap/", {"name": "A"})
    token = ApiToken.objects.get(user=owner)
    client.force_login(other)

    response = client.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_without_a_name_is_refused_in_vietnamese(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.post("/tai-khoan/ma-truy-cap/", {"name": ""})

    assert response.status_code == 422
    assert "Vui lòng nhập tên gợi nhớ." in response.content.decode()
    assert not ApiToken.objects.exists()
