"""The citizen's data store: results land in it, documents are kept and reused in one click, only the owner sees
the store, officers on the dossier's route see a reused document, and every access is in the owner's log."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.catalog import services as catalog
from chinhquyenso.catalog.models import DocumentType, Level, OnlineLevel, ProcedureCase
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.dossiers.models import Attachment, Dossier
from chinhquyenso.dossiers.tests.conftest import SCHEMA, VALID_DATA
from chinhquyenso.signing import services as signing_services
from chinhquyenso.signing.models import IssuedResult
from chinhquyenso.signing.tests.conftest import PASSWORD, Signing, at_approval, result_pdf, signed_in
from chinhquyenso.wallet.models import WalletAccess, WalletItem

pytestmark = [pytest.mark.django_db, pytest.mark.urls("chinhquyenso.signing.tests.urls")]


def birth_certificate_type() -> DocumentType:
    return DocumentType.objects.get_or_create(code="giay_khai_sinh", defaults={"name": "Giấy khai sinh"})[0]


def issue_birth_certificate(signing: Signing) -> IssuedResult:
    world = signing.world
    dossier = at_approval(world)
    return signing_services.result_issue(actor=world.leader, request=signing_services.IssueRequest(
        dossier_id=dossier.pk, expected_version=dossier.lock_version, upload=ContentFile(result_pdf(), name="g.pdf"),
        password=PASSWORD, document_type_code=birth_certificate_type().code))  # fmt: skip


def school_case() -> ProcedureCase:
    """A later procedure asking for a birth certificate that may come from the data store."""
    version = catalog.procedure_create(actor=None, code="HP.0001", name="Thủ tục đăng ký nhập học lớp 1",
                                       level=Level.COMMUNE, online_level=OnlineLevel.FULL)  # fmt: skip
    case = catalog.case_add(actor=None, version=version, code="01", name="Chung", processing_value=2,
                            processing_unit="working_days", form_schema=SCHEMA)  # fmt: skip
    catalog.component_add(actor=None, case=case, code="giay-khai-sinh", name="Bản sao Giấy khai sinh", required=True,
                          reusable_type=birth_certificate_type())  # fmt: skip
    catalog.version_publish(actor=None, version=version)
    case.refresh_from_db()
    return case


def draft_for(user: Any) -> Dossier:
    dossier, _created = dossier_services.dossier_draft_create(actor=user, case=school_case(), data=VALID_DATA)
    return dossier


def reuse(client: Client, dossier: Dossier, item: WalletItem) -> Any:
    return client.post(reverse("wallet:reuse", args=[dossier.pk]),
                       {"thanh-phan": "giay-khai-sinh", "giay-to": item.pk})  # fmt: skip


def test_an_issued_result_lands_in_the_holders_store_with_type_issuer_validity_and_source(signing: Signing) -> None:
    result = issue_birth_certificate(signing)

    page = signed_in(signing.world.citizen).get(reverse("wallet:home")).content.decode()

    item = WalletItem.objects.get(owner=signing.world.citizen)
    assert item.issued_result == result
    assert (item.title, item.document_type.code, item.number) == ("Giấy khai sinh", "giay_khai_sinh", result.number)
    assert "Giấy khai sinh" in page
    assert signing.world.commune.name in page
    assert "Còn hiệu lực" in page
    assert "Kết quả giải quyết thủ tục hành chính điện tử" in page
    assert "Lưu vào kho" in page  # the log says how it got there


def test_one_click_reuse_attaches_the_stored_document_and_the_officer_sees_where_it_came_from(
    signing: Signing,
) -> None:
    world = signing.world
    issue_birth_certificate(signing)
    item = WalletItem.objects.get(owner=world.citizen)
    citizen = signed_in(world.citizen)
    dossier = draft_for(world.citizen)

    offer = citizen.get(reverse("wallet:reuse", args=[dossier.pk])).content.decode()
    response = reuse(citizen, dossier, item)
    reuse(citizen, dossier, item)  # a double click attaches it once

    attachment = Attachment.objects.get(dossier=dossier)
    assert "Dùng giấy tờ này" in offer
    assert response.status_code == 302
    assert attachment.reused_from_store is True
    assert attachment.component.code == "giay-khai-sinh"
    assert attachment.sha256 == item.sha256
    assert attachment.file.name != item.file.name  # the dossier keeps its own copy
    submitted = dossier_services.dossier_submit(actor=world.citizen, dossier_id=dossier.pk)
    officer_page = signed_in(world.desk).get(reverse("dossiers:officer_detail", args=[submitted.pk])).content.decode()
    assert "lấy từ kho dữ liệu" in officer_page


def test_an_officer_on_the_route_opens_a_reused_document_and_the_owner_sees_it_in_the_log(signing: Signing) -> None:
    world = signing.world
    issue_birth_certificate(signing)
    item = WalletItem.objects.get(owner=world.citizen)
    dossier = draft_for(world.citizen)
    reuse(signed_in(world.citizen), dossier, item)
    dossier = dossier_services.dossier_submit(actor=world.citizen, dossier_id=dossier.pk)
    attachment = Attachment.objects.get(dossier=dossier)
    url = reverse("wallet:officer_document", args=[dossier.pk, attachment.pk])

    seen = signed_in(world.desk).get(url)
    elsewhere = signed_in(world.stranger).get(url)
    log = signed_in(world.citizen).get(reverse("wallet:item", args=[item.pk])).content.decode()

    assert seen.status_code == 200
    assert b"".join(seen.streaming_content).startswith(b"%PDF-")
    assert elsewhere.status_code == 404
    assert f"Cán bộ {world.desk.display_name}, {world.commune.name}" in log
    assert "Cán bộ xem khi giải quyết hồ sơ" in log
    assert WalletAccess.objects.filter(item=item, action=WalletAccess.Action.OFFICER_VIEWED).count() == 1


def test_only_the_owner_sees_the_store(signing: Signing) -> None:
    world = signing.world
    issue_birth_certificate(signing)
    item = WalletItem.objects.get(owner=world.citizen)
    other = UserFactory()

    assert signed_in(other).get(reverse("wallet:item", args=[item.pk])).status_code == 404
    assert signed_in(other).get(reverse("wallet:item_file", args=[item.pk])).status_code == 404
    assert item.title not in signed_in(other).get(reverse("wallet:home")).content.decode()
    assert signed_in(world.leader).get(reverse("wallet:home")).status_code == 403
    assert Client().get(reverse("wallet:home")).status_code == 302  # to sign-in


def test_the_owner_keeps_a_document_of_a_dossier_once(signing: Signing) -> None:
    world = signing.world
    from chinhquyenso.dossiers.tests.test_lifecycle import submitted

    dossier = submitted(world)
    attachment = dossier.attachments.get()
    citizen = signed_in(world.citizen)
    prefix = f"a{attachment.pk}"

    page = citizen.get(reverse("wallet:keep", args=[dossier.pk])).content.decode()
    citizen.post(reverse("wallet:keep", args=[dossier.pk]),
                 {"luu": attachment.pk, f"{prefix}-document_type": birth_certificate_type().code})  # fmt: skip
    again = citizen.post(reverse("wallet:keep", args=[dossier.pk]), {"luu": attachment.pk}, follow=True)

    assert "Giấy chứng sinh" in page
    item = WalletItem.objects.get(owner=world.citizen)
    assert item.source == WalletItem.Source.KEPT_ATTACHMENT
    assert item.document_type.code == "giay_khai_sinh"
    assert "Đã lưu «Giấy khai sinh» vào kho dữ liệu." in again.content.decode()
    assert WalletItem.objects.filter(owner=world.citizen).count() == 1


def test_a_revoked_result_cannot_be_reused(signing: Signing) -> None:
    world = signing.world
    result = issue_birth_certificate(signing)
    signing_services.result_revoke(actor=world.leader, number=result.number, reason="Sai thông tin")
    item = WalletItem.objects.get(owner=world.citizen)
    dossier = draft_for(world.citizen)

    citizen = signed_in(world.citizen)
    response = reuse(citizen, dossier, item)
    page = citizen.get(response["Location"]).content.decode()

    assert not Attachment.objects.filter(dossier=dossier).exists()
    assert "không dùng được cho hồ sơ mới" in page
    assert "Kho dữ liệu của bạn chưa có giấy tờ loại này" in page  # no longer offered


def test_a_submitted_dossier_takes_no_stored_document(signing: Signing) -> None:
    from chinhquyenso.wallet.errors import ReuseRefused
    from chinhquyenso.wallet.services import wallet_reuse

    world = signing.world
    issue_birth_certificate(signing)
    item = WalletItem.objects.get(owner=world.citizen)
    dossier = draft_for(world.citizen)
    wallet_reuse(actor=world.citizen, dossier_id=dossier.pk, component_code="giay-khai-sinh", item_id=item.pk)
    dossier_services.dossier_submit(actor=world.citizen, dossier_id=dossier.pk)

    with pytest.raises(ReuseRefused, match="bản nháp hoặc đang chờ bổ sung"):
        wallet_reuse(actor=world.citizen, dossier_id=dossier.pk, component_code="giay-khai-sinh", item_id=item.pk)
