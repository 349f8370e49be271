"""The data store API tells what it refuses in the language of the request (``Accept-Language: en``); without the
header it stays Vietnamese."""

from __future__ import annotations

import pytest

from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.dossiers.tests.test_api_contract import URLCONF
from chinhquyenso.wallet.tests.test_api import ITEMS, WalletApiClient, draft_with_document, keep, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


def in_english(client: WalletApiClient) -> WalletApiClient:
    client.headers.update({"Accept-Language": "en"})
    return client


def test_a_keep_request_refused_is_told_in_english(world: World) -> None:
    english = in_english(WalletApiClient(world.citizen))
    dossier, attachment = draft_with_document(world.citizen, world, pdf("giấy chứng sinh"))

    neither = english.post(ITEMS, {"dossier_id": dossier.pk})
    unknown = english.post(ITEMS, {"dossier_id": dossier.pk, "attachment_id": attachment.pk,
                                   "document_type_code": "khong_co"})  # fmt: skip
    vietnamese = WalletApiClient(world.citizen).post(ITEMS, {"dossier_id": dossier.pk, "attachment_id": attachment.pk,
                                                            "document_type_code": "khong_co"})  # fmt: skip

    assert neither.json()["errors"][0]["msg"] == "Send attachment_id or result = true (only one of them)."
    assert (unknown.status_code, unknown.json()["title"]) == (422, "Invalid document type")
    assert unknown.json()["detail"] == "There is no document type with code “khong_co”."
    assert (vietnamese.json()["title"], vietnamese.json()["detail"]) == (
        "Loại giấy tờ không hợp lệ", "Không có loại giấy tờ mã «khong_co»."
    )  # fmt: skip


def test_a_kept_documents_validity_is_named_in_the_language_of_the_request(world: World) -> None:
    item_id = keep(WalletApiClient(world.citizen), world.citizen, world).json()["id"]

    english = in_english(WalletApiClient(world.citizen)).get(f"{ITEMS}/{item_id}")
    vietnamese = WalletApiClient(world.citizen).get(f"{ITEMS}/{item_id}")

    assert english.json()["status_label"] == "Valid"
    assert vietnamese.json()["status_label"] == "Còn hiệu lực"
