"""Contract: the dossier API's real responses match the OpenAPI document it publishes (GOV.UK Notify style).

``ApiClient`` checks every response it receives against the document: the status code must be documented for the
operation and the body must validate against its JSON Schema (components resolved with a ``referencing`` registry).
``test_api.py`` talks to the API only through it, so every response in both files is checked.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any, get_args
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.services import api_token_create
from chinhquyenso.config.api import api
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.schemas import OfficerAction
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted
from chinhquyenso.dossiers.workflow import ACTIONS, APPLICANT_ACTIONS

URLCONF = "chinhquyenso.config.urls"
DOCUMENT_URI = "urn:chinhquyenso:openapi:v1"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


# --- the published document ------------------------------------------------------------------------------------------
@cache
def document() -> dict[str, Any]:
    """The OpenAPI document as clients download it (plain JSON)."""
    loaded: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    return loaded


@cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(document(), default_specification=DRAFT202012)
    return Registry().with_resource(DOCUMENT_URI, resource)


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    # Fixed paths before parametrised ones: /dossiers/inbox is not /dossiers/{dossier_id}.
    paths = sorted(document()["paths"], key=lambda p: (p.count("{"), p))
    return [(re.compile(re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p) for p in paths]


def template_for(path: str) -> str:
    return next(template for pattern, template in _templates() if pattern.match(path))


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def response_validator(method: str, template: str, status: int) -> Draft202012Validator:
    """Validates a body against the schema documented for (operation, status), which must be documented."""
    operation = document()["paths"][template][method.lower()]
    assert str(status) in operation["responses"], f"{method} {template} does not document status {status}"
    pointer = _pointer("paths", template, method.lower(), "responses", str(status), "content", "application/json",
                       "schema")  # fmt: skip
    return Draft202012Validator({"$ref": f"{DOCUMENT_URI}#{quote(pointer)}"}, registry=_registry())


def check_response(method: str, path: str, response: HttpResponse) -> None:
    """The status is documented, the content type is right and the body validates."""
    template = template_for(path)
    expected_type = "application/problem+json" if response.status_code >= 400 else "application/json"
    assert response["Content-Type"].startswith(expected_type), (path, response.status_code, response["Content-Type"])
    response_validator(method, template, response.status_code).validate(json.loads(response.content))


class ApiClient:
    """Django's test client calling the API as one account (bearer token) or none; every response is checked."""

    def __init__(self, user: User | None = None, *, session: bool = False) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None and session:
            self.client.force_login(user)
        elif user is not None:
            _, raw = api_token_create(actor=user, name="Phần mềm thử nghiệm")
            self.headers["Authorization"] = f"Bearer {raw}"

    def _checked(self, method: str, path: str, response: HttpResponse) -> HttpResponse:
        check_response(method, path, response)
        return response

    def get(self, path: str, params: dict[str, Any] | None = None) -> HttpResponse:
        return self._checked("GET", path, self.client.get(path, params or {}, headers=self.headers))

    def post(
        self, path: str, body: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        response = self.client.post(path, body or {}, content_type="application/json",
                                    headers={**self.headers, **(headers or {})})  # fmt: skip
        return self._checked("POST", path, response)

    def post_multipart(self, path: str, data: dict[str, Any]) -> HttpResponse:
        return self._checked("POST", path, self.client.post(path, data, headers=self.headers))

    def put(self, path: str, body: dict[str, Any]) -> HttpResponse:
        response = self.client.put(path, body, content_type="application/json", headers=self.headers)
        return self._checked("PUT", path, response)


# --- the document itself ---------------------------------------------------------------------------------------------
def test_every_operation_names_its_id_summary_tags_auth_and_responses() -> None:
    operations = [
        (path, method, op)
        for path, item in document()["paths"].items()
        for method, op in item.items()
        if path.startswith(("/api/v1/dossiers", "/api/v1/tracking"))
    ]

    assert {op["operationId"] for _, _, op in operations} == {
        "dossier_create", "dossier_list_mine", "dossier_inbox", "dossier_get", "dossier_data_update",
        "dossier_attachment_create", "dossier_submit", "dossier_withdraw", "dossier_supplement", "dossier_approve",
        "dossier_act", "dossier_track", "dossier_attachment_from_wallet",
    }  # fmt: skip
    assert all(op["summary"] and op["description"] and op["tags"] for _, _, op in operations)
    assert [op["operationId"] for _, _, op in operations if "security" not in op] == ["dossier_track"]
    assert all("401" in op["responses"] for _, _, op in operations if "security" in op)
    assert all(
        r["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/DossierProblemOut"}
        for _, _, op in operations
        for status, r in op["responses"].items()
        if int(status) >= 400
    )


def test_the_idempotency_key_header_and_the_multipart_uploads_are_documented() -> None:
    paths = document()["paths"]

    [header] = paths["/api/v1/dossiers"]["post"]["parameters"]
    upload = paths["/api/v1/dossiers/{dossier_id}/attachments"]["post"]["requestBody"]["content"]
    approve = paths["/api/v1/dossiers/{dossier_id}/actions/approve"]["post"]["requestBody"]["content"]
    assert (header["in"], header["name"], header["required"]) == ("header", "Idempotency-Key", False)
    assert upload["multipart/form-data"]["schema"]["required"] == ["component_code", "file"]
    assert approve["multipart/form-data"]["schema"]["required"] == ["expected_version", "result_file"]


def test_the_action_names_in_the_document_are_the_workflows_officer_actions() -> None:
    parameters = document()["paths"]["/api/v1/dossiers/{dossier_id}/actions/{action}"]["post"]["parameters"]
    [action] = [p for p in parameters if p["name"] == "action"]

    assert set(action["schema"]["enum"]) == set(get_args(OfficerAction))
    assert set(get_args(OfficerAction)) | {"approve"} == set(ACTIONS) - APPLICANT_ACTIONS


def test_the_checker_refuses_a_body_that_breaks_the_schema() -> None:
    validator = response_validator("GET", "/api/v1/tracking/{code}", 200)

    with pytest.raises(SchemaError):
        validator.validate({"code": "X", "state": {"id": 11, "name": "?", "sync_code": "done"}})


# --- real responses --------------------------------------------------------------------------------------------------
def test_create_get_and_mine_responses_match_the_document(world: World) -> None:
    citizen = ApiClient(world.citizen)

    created = citizen.post("/api/v1/dossiers", {"procedure_code": "1.001193", "case_code": "01", "data": VALID_DATA},
                           headers={"Idempotency-Key": "contract-1"})  # fmt: skip
    dossier_id = created.json()["id"]
    one = citizen.get(f"/api/v1/dossiers/{dossier_id}")
    mine = citizen.get("/api/v1/dossiers/mine")

    assert created.status_code == 201
    assert one.json() == created.json()
    assert [item["id"] for item in mine.json()["items"]] == [dossier_id]


def test_inbox_action_and_tracking_responses_match_the_document(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        dossier = submitted(world)
        inbox = ApiClient(world.desk).get("/api/v1/dossiers/inbox")
        received = ApiClient(world.desk).post(f"/api/v1/dossiers/{dossier.pk}/actions/receive",
                                              {"expected_version": dossier.lock_version})  # fmt: skip
    tracked = ApiClient().get(f"/api/v1/tracking/{received.json()['code']}")

    assert [item["id"] for item in inbox.json()["items"]] == [dossier.pk]
    assert received.json()["due_at"] == "2026-11-18T08:00:00+07:00"
    assert [event["action"] for event in tracked.json()["timeline"]] == ["submit", "receive"]


def test_problem_responses_match_the_document(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CQS_MAX_FILE_BYTES = 16
    citizen, desk = ApiClient(world.citizen), ApiClient(world.desk)
    draft = citizen.post("/api/v1/dossiers", {"procedure_code": "1.001193", "case_code": "01"}).json()
    attachments = f"/api/v1/dossiers/{draft['id']}/attachments"
    dossier = act(world.desk, submitted(world), "receive")

    problems = {
        401: ApiClient().get("/api/v1/dossiers/mine"),
        404: ApiClient(world.stranger).get(f"/api/v1/dossiers/{dossier.pk}"),
        409: desk.post(f"/api/v1/dossiers/{dossier.pk}/actions/receive", {"expected_version": dossier.lock_version}),
        413: citizen.post_multipart(attachments, {"component_code": "giay-chung-sinh", "file": _file(PDF * 2)}),
        415: citizen.post_multipart(attachments, {"component_code": "giay-chung-sinh", "file": _file(b"MZ\x90")}),
        422: citizen.post(f"/api/v1/dossiers/{draft['id']}/submit"),
    }
    shape_error = citizen.put(f"/api/v1/dossiers/{draft['id']}/data", {"data": "không phải đối tượng"})

    assert {status: r.status_code for status, r in problems.items()} == {s: s for s in problems}
    assert problems[409].json()["current_state"]["id"] == 2
    assert {e["field"] for e in problems[422].json()["errors"]} >= {"component-giay-chung-sinh"}
    assert shape_error.status_code == 422
    assert shape_error.json()["errors"][0]["loc"] == ["body", "payload", "data"]
    assert Dossier.objects.count() == 2


def _file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("giay-chung-sinh.pdf", content)
