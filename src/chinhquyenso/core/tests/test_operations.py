from __future__ import annotations

import json
import logging

import pytest
from django.test import Client


@pytest.mark.django_db
def test_readyz_reports_database_and_migrations(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_healthz_answers_without_the_database(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_strict_csp(client: Client) -> None:
    response = client.get("/")

    assert len(response["X-Request-ID"]) >= 8
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_well_formed_incoming_request_id_is_kept(client: Client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "lb-0123456789abcdef"})

    assert response["X-Request-ID"] == "lb-0123456789abcdef"


@pytest.mark.django_db
def test_request_log_is_json_with_request_id_and_without_the_query_string(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    from chinhquyenso.core.logging import JsonFormatter, RequestIdFilter

    with caplog.at_level(logging.INFO, logger="chinhquyenso.request"):
        client.get("/?cccd=031090001234", headers={"X-Request-ID": "req-abcdef123456"})
    record = next(r for r in caplog.records if r.name == "chinhquyenso.request")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))

    assert line["path"] == "/"
    assert line["request_id"] == "req-abcdef123456"
    assert "031090001234" not in json.dumps(line)


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_and_english_on_request(client: Client) -> None:
    vietnamese = client.get("/")
    english = client.get("/", headers={"Accept-Language": "en"})

    assert '<html lang="vi">' in vietnamese.content.decode()
    assert "Dịch vụ công trực tuyến" in vietnamese.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Online public services" in english.content.decode()


@pytest.mark.django_db
def test_openapi_document_and_interactive_docs_are_published(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Chính quyền số API"
    assert "/api/v1/me" in schema.json()["paths"]
    assert docs.status_code == 200


@pytest.mark.django_db
def test_an_unknown_page_answers_404_in_vietnamese(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_api_answers_to_a_signed_in_caller_are_never_cached_and_public_reads_are_left_alone(client: Client) -> None:
    from chinhquyenso.accounts.services import api_token_create
    from chinhquyenso.accounts.tests.factories import UserFactory

    user = UserFactory()
    _, secret = api_token_create(actor=user, name="Ứng dụng thử")

    by_token = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    client.force_login(user)
    by_session = client.get("/api/v1/me")
    client.logout()
    public = client.get("/api/v1/procedures")

    assert by_token.status_code == 200 and by_token["Cache-Control"] == "private, no-store"
    assert by_session.status_code == 200 and by_session["Cache-Control"] == "private, no-store"
    assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")
