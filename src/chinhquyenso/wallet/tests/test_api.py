"""The data store API as a mobile app or a ministry portal uses it: /api/v1/wallet/... and
/api/v1/dossiers/{id}/attachments/from-wallet, with a bearer token.

Every call goes through ``WalletApiClient``, which checks each response against the published OpenAPI document
(the dossier API's contract checker, plus file downloads and 204 answers).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils import timezone

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.dossiers.models import Attachment, Dossier
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local
from chinhquyenso.dossiers.tests.test_api_contract import URLCONF, ApiClient, check_response, document, template_for
from chinhquyenso.signing.tests.conftest import Signing
from chinhquyenso.wallet.models import WalletAccess, WalletItem
from chinhquyenso.wallet.tests.test_wallet import birth_certificate_type, draft_for, issue_birth_certificate

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

ITEMS = "/api/v1/wallet/items"
LOG = "/api/v1/wallet/access-log"


class WalletApiClient(ApiClient):
    """``ApiClient`` plus DELETE (204, no body) and file downloads (a documented binary type instead of JSON)."""

    def delete(self, path: str) -> HttpResponse:
        response = self.client.delete(path, headers=self.headers)
        if response.status_code == 204:
            assert "204" in document()["paths"][template_for(path)]["delete"]["responses"]
            assert response.content == b""
        else:
            check_response("DELETE", path, response)
        return response

    def download(self, path: str) -> Any:
        response = self.client.get(path, headers=self.headers)
        if response.status_code == 200:
            documented = document()["paths"][template_for(path)]["get"]["responses"]["200"]["content"]
            assert response["Content-Type"] in documented
        else:
            check_response("GET", path, response)
        return response


def pdf(label: str) -> bytes:
    return f"%PDF-1.4\n% {label}\n".encode()


def draft_with_document(user: Any, world: World, content: bytes) -> tuple[Dossier, Attachment]:
    """A draft of the world's procedure with one document attached (as the upload would have left it)."""
    dossier, _ = dossier_services.dossier_draft_create(actor=user, case=world.case, data=VALID_DATA)
    attachment = Attachment.objects.create(
        dossier=dossier, component=dossier.case.components.get(code="giay-chung-sinh"),
        file=ContentFile(content, name="gcs.pdf"), original_name="giay-chung-sinh.pdf", content_type="application/pdf",
        size=len(content), sha256=hashlib.sha256(content).hexdigest(),
    )  # fmt: skip
    return dossier, attachment


def keep(
    client: WalletApiClient, user: Any, world: World, label: str = "giấy khai sinh", title: str = ""
) -> HttpResponse:
    dossier, attachment = draft_with_document(user, world, pdf(label))
    return client.post(ITEMS, {"dossier_id": dossier.pk, "attachment_id": attachment.pk,
                               "document_type_code": birth_certificate_type().code, "title": title})  # fmt: skip


def reuse(client: WalletApiClient, dossier: Dossier, item_id: int, component: str = "giay-khai-sinh") -> HttpResponse:
    return client.post(f"/api/v1/dossiers/{dossier.pk}/attachments/from-wallet",
                       {"component_code": component, "item_id": item_id})  # fmt: skip


# --- the store -------------------------------------------------------------------------------------------------------
def test_the_owner_keeps_a_document_once_and_finds_it_in_the_list_and_by_id(world: World) -> None:
    birth_certificate_type()
    citizen = WalletApiClient(world.citizen)
    dossier, attachment = draft_with_document(world.citizen, world, pdf("giấy khai sinh"))
    body = {"dossier_id": dossier.pk, "attachment_id": attachment.pk, "document_type_code": "giay_khai_sinh"}

    kept = citizen.post(ITEMS, body)
    again = citizen.post(ITEMS, body)
    listed = citizen.get(ITEMS)
    one = citizen.get(f"{ITEMS}/{kept.json()['id']}")

    assert (kept.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == kept.json()["id"]
    assert kept.json()["document_type"] == {"code": "giay_khai_sinh", "name": "Giấy khai sinh"}
    assert kept.json()["title"] == "Giấy khai sinh"
    assert (kept.json()["source"], kept.json()["status"], kept.json()["usable"]) == ("kept_attachment", "valid", True)
    assert kept.json()["sha256"] == attachment.sha256
    assert kept.json()["size"] == attachment.size
    assert kept.json()["created_at"].endswith("+07:00")
    assert kept.json()["file_url"] == f"{ITEMS}/{kept.json()['id']}/file"
    assert listed.json() == {"items": [kept.json()], "next_cursor": None}
    assert one.json() == kept.json()


def test_an_issued_result_is_listed_with_its_issuer_number_and_dates(signing: Signing) -> None:
    result = issue_birth_certificate(signing)

    [item] = WalletApiClient(signing.world.citizen).get(ITEMS).json()["items"]

    assert item["source"] == "issued_result"
    assert (item["number"], item["issuer"]) == (result.number, signing.world.commune.name)
    assert item["issued_on"] == timezone.localdate(result.issued_at).isoformat()
    assert item["content_type"] == "application/pdf"
    assert (item["status"], item["status_label"]) == ("valid", "Còn hiệu lực")


def test_the_file_is_an_attachment_not_cached_and_every_download_is_in_the_access_log(world: World) -> None:
    citizen = WalletApiClient(world.citizen)
    item = keep(citizen, world.citizen, world).json()

    response = citizen.download(item["file_url"])
    log = citizen.get(LOG, {"item_id": item["id"]}).json()

    assert b"".join(response.streaming_content) == pdf("giấy khai sinh")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "giay-chung-sinh.pdf" in response["Content-Disposition"]
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert [(e["action"], e["actor"]) for e in log["items"]] == [("viewed", world.citizen.display_name),
                                                                 ("stored", world.citizen.display_name)]  # fmt: skip
    assert log["items"][1]["dossier"]["id"] is not None
    assert world.citizen.cccd not in json.dumps(log, ensure_ascii=False)


def test_the_list_and_the_access_log_page_with_a_cursor(world: World, at: Any) -> None:
    citizen = WalletApiClient(world.citizen)
    for hour, label in ((8, "một"), (9, "hai"), (10, "ba")):
        with at(local(2026, 11, 16, hour)):
            keep(citizen, world.citizen, world, label, title=f"Giấy tờ {label}")

    first = citizen.get(ITEMS, {"limit": 2}).json()
    second = citizen.get(ITEMS, {"limit": 2, "cursor": first["next_cursor"]}).json()
    log_first = citizen.get(LOG, {"limit": 2}).json()
    log_second = citizen.get(LOG, {"limit": 2, "cursor": log_first["next_cursor"]}).json()

    assert [i["created_at"] for i in first["items"]] == ["2026-11-16T10:00:00+07:00", "2026-11-16T09:00:00+07:00"]
    assert [i["created_at"] for i in second["items"]] == ["2026-11-16T08:00:00+07:00"]
    assert second["next_cursor"] is None
    assert [e["item"]["title"] for e in log_first["items"] + log_second["items"]] == [
        "Giấy tờ ba", "Giấy tờ hai", "Giấy tờ một",
    ]  # fmt: skip
    assert log_second["next_cursor"] is None


def test_removing_takes_the_document_out_of_the_store_and_the_log_keeps_it(world: World) -> None:
    citizen = WalletApiClient(world.citizen)
    item = keep(citizen, world.citizen, world).json()

    removed = citizen.delete(f"{ITEMS}/{item['id']}")
    again = citizen.delete(f"{ITEMS}/{item['id']}")
    gone = citizen.get(f"{ITEMS}/{item['id']}")
    log = citizen.get(LOG).json()

    assert (removed.status_code, again.status_code, gone.status_code) == (204, 404, 404)
    assert citizen.get(ITEMS).json()["items"] == []
    assert [e["action"] for e in log["items"]] == ["removed", "stored"]
    assert log["items"][0]["item"] == {"id": item["id"], "title": "Giấy khai sinh", "removed": True}


def test_keeping_needs_one_document_a_known_type_and_a_result_to_keep(world: World) -> None:
    citizen = WalletApiClient(world.citizen)
    dossier, attachment = draft_with_document(world.citizen, world, pdf("giấy chứng sinh"))

    neither = citizen.post(ITEMS, {"dossier_id": dossier.pk})
    both = citizen.post(ITEMS, {"dossier_id": dossier.pk, "attachment_id": attachment.pk, "result": True})
    unknown = citizen.post(ITEMS, {"dossier_id": dossier.pk, "attachment_id": attachment.pk,
                                   "document_type_code": "khong_co"})  # fmt: skip
    no_result = citizen.post(ITEMS, {"dossier_id": dossier.pk, "result": True})

    assert (neither.status_code, both.status_code) == (422, 422)
    assert neither.json()["errors"][0]["msg"] == "Gửi attachment_id hoặc result = true (chỉ một trong hai)."
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_document_type")
    assert unknown.json()["detail"] == "Không có loại giấy tờ mã «khong_co»."
    assert (no_result.status_code, no_result.json()["code"]) == (409, "no_result")
    assert no_result.json()["detail"] == "Hồ sơ chưa có kết quả để lưu."
    assert not WalletItem.objects.exists()


# --- reuse -----------------------------------------------------------------------------------------------------------
def test_reuse_attaches_the_stored_document_to_the_draft_once(world: World) -> None:
    citizen = WalletApiClient(world.citizen)
    item = keep(citizen, world.citizen, world).json()
    draft = draft_for(world.citizen)

    attached = reuse(citizen, draft, item["id"])
    again = reuse(citizen, draft, item["id"])
    log = citizen.get(LOG, {"item_id": item["id"]}).json()

    attachment = Attachment.objects.get(dossier=draft)
    assert (attached.status_code, again.status_code) == (201, 200)
    assert attached.json() == again.json()
    assert attached.json()["id"] == attachment.pk
    assert (attached.json()["component_code"], attached.json()["sha256"]) == ("giay-khai-sinh", item["sha256"])
    assert attachment.reused_from_store is True
    assert [e["action"] for e in log["items"]] == ["reused", "stored"]
    assert log["items"][0]["dossier"] == {"id": draft.pk, "code": None}


def test_a_refused_reuse_is_409_with_the_reason_and_a_full_dossier_413(world: World, settings: Any) -> None:
    citizen = WalletApiClient(world.citizen)
    item = keep(citizen, world.citizen, world).json()
    other_procedure, _ = dossier_services.dossier_draft_create(actor=world.citizen, case=world.case, data=VALID_DATA)
    draft = draft_for(world.citizen)

    wrong_component = reuse(citizen, other_procedure, item["id"], component="giay-chung-sinh")
    settings.CQS_MAX_DOSSIER_BYTES = item["size"] - 1
    too_large = reuse(citizen, draft, item["id"])

    assert (wrong_component.status_code, wrong_component.json()["code"]) == (409, "reuse_refused")
    assert wrong_component.json()["detail"] == "Thành phần hồ sơ này không nhận giấy tờ từ kho dữ liệu."
    assert (too_large.status_code, too_large.json()["code"]) == (413, "file_too_large")
    assert not Attachment.objects.filter(dossier__in=[other_procedure, draft]).exists()


def test_reuse_into_someone_elses_dossier_is_404(world: World) -> None:
    citizen = WalletApiClient(world.citizen)
    item = keep(citizen, world.citizen, world).json()
    their_draft = draft_for(UserFactory())

    response = reuse(citizen, their_draft, item["id"])

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert response.json()["detail"] == "Không tìm thấy hồ sơ."
    assert not Attachment.objects.filter(dossier=their_draft).exists()


# --- whose store -----------------------------------------------------------------------------------------------------
def test_another_owners_document_is_404_on_get_file_delete_and_reuse(world: World) -> None:
    other = UserFactory()
    theirs = keep(WalletApiClient(other), other, world, "của người khác").json()
    citizen = WalletApiClient(world.citizen)
    my_draft = draft_for(world.citizen)

    responses = [
        citizen.get(f"{ITEMS}/{theirs['id']}"),
        citizen.download(f"{ITEMS}/{theirs['id']}/file"),
        citizen.delete(f"{ITEMS}/{theirs['id']}"),
        reuse(citizen, my_draft, theirs["id"]),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert {r.json()["detail"] for r in responses} == {"Không tìm thấy giấy tờ trong kho dữ liệu."}
    assert citizen.get(ITEMS).json()["items"] == []
    assert citizen.get(LOG, {"item_id": theirs["id"]}).json()["items"] == []
    assert WalletItem.objects.get(pk=theirs["id"]).removed_at is None
    assert list(WalletAccess.objects.filter(item_id=theirs["id"]).values_list("action", flat=True)) == ["stored"]


def test_an_officer_account_gets_403_on_every_store_operation(world: World) -> None:
    officer = WalletApiClient(world.desk)
    citizen = WalletApiClient(world.citizen)
    item = keep(citizen, world.citizen, world).json()
    draft = draft_for(world.citizen)

    responses = [
        officer.get(ITEMS),
        officer.post(ITEMS, {"dossier_id": draft.pk, "result": True}),
        officer.get(f"{ITEMS}/{item['id']}"),
        officer.download(f"{ITEMS}/{item['id']}/file"),
        officer.delete(f"{ITEMS}/{item['id']}"),
        officer.get(LOG),
        reuse(officer, draft, item["id"]),
    ]

    assert [r.status_code for r in responses] == [403] * 7
    assert {r.json()["code"] for r in responses} == {"not_allowed"}
    assert WalletAccess.objects.filter(actor=world.desk).count() == 0


def test_without_a_token_every_operation_is_401(world: World) -> None:
    anonymous = WalletApiClient()
    draft = draft_for(world.citizen)

    responses = [
        anonymous.get(ITEMS),
        anonymous.post(ITEMS, {"dossier_id": draft.pk, "result": True}),
        anonymous.get(f"{ITEMS}/1"),
        anonymous.download(f"{ITEMS}/1/file"),
        anonymous.delete(f"{ITEMS}/1"),
        anonymous.get(LOG),
        reuse(anonymous, draft, 1),
    ]

    assert [r.status_code for r in responses] == [401] * 7
    assert {r.json()["title"] for r in responses} == {"Chưa xác thực"}


def test_a_signed_in_session_works_like_a_token(world: World) -> None:
    citizen = WalletApiClient(world.citizen, session=True)

    response = citizen.get(ITEMS)

    assert response.json() == {"items": [], "next_cursor": None}


# --- the document ----------------------------------------------------------------------------------------------------
def test_every_store_operation_names_its_id_auth_and_problem_responses() -> None:
    paths = document()["paths"]
    operations = {
        (path, method): op
        for path, item in paths.items()
        for method, op in item.items()
        if path.startswith("/api/v1/wallet") or path.endswith("/from-wallet")
    }

    assert {op["operationId"] for op in operations.values()} == {
        "wallet_item_list", "wallet_item_keep", "wallet_item_get", "wallet_item_file", "wallet_item_remove",
        "wallet_access_log", "dossier_attachment_from_wallet",
    }  # fmt: skip
    assert all(op["summary"] and op["description"] and op["security"] for op in operations.values())
    assert all({"401", "403"} <= set(op["responses"]) for op in operations.values())
    file_types = paths["/api/v1/wallet/items/{item_id}/file"]["get"]["responses"]["200"]["content"]
    assert set(file_types) == {"application/pdf", "image/jpeg", "image/png"}
