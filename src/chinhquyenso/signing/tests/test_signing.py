"""A leader signs a dossier's result from the back office; the result is issued, the dossier approved, the file
verifies with pyHanko's own validator; bad input never publishes anything."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from chinhquyenso.core.audit import audit_verify
from chinhquyenso.dossiers.models import State
from chinhquyenso.signing import crypto, pki, services
from chinhquyenso.signing.errors import CertificateProblem, MalformedPdf, NotAPdf, WrongPassword
from chinhquyenso.signing.models import IssuedResult, SigningCredential, TrustAnchor
from chinhquyenso.signing.tests.conftest import (
    PASSWORD,
    Signing,
    at_appraisal,
    at_approval,
    result_pdf,
    signed_in,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("chinhquyenso.signing.tests.urls")]


def published_files(tmp_path: Path) -> list[Path]:
    """Signed results and drafts in storage (the dossier's own attachments aside)."""
    media = tmp_path / "media"
    return [p for folder in ("dossiers/results", "signing") for p in (media / folder).rglob("*") if p.is_file()]


def sign_page(dossier: Any) -> str:
    return reverse("signing:sign", args=[dossier.pk])


def post_sign(client: Any, dossier: Any, data: bytes | None, **extra: Any) -> Any:
    form: dict[str, Any] = {"version": dossier.lock_version, "password": PASSWORD, **extra}
    if data is not None:
        form["file"] = upload(data)
    return client.post(sign_page(dossier), form)


def independent_check(data: bytes, root_pem: str) -> list[Any]:
    """pyHanko's validator on its own, trusting only the demo root: what any third party would run."""
    context = ValidationContext(trust_roots=[crypto.to_asn1_cert(crypto.load_pem(root_pem))], allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(data))
    return [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]


def test_the_leader_signs_the_result_and_the_dossier_is_processed_with_an_electronic_result(signing: Signing) -> None:
    world = signing.world
    dossier = at_approval(world)
    client = signed_in(world.leader)

    page = client.get(sign_page(dossier)).content.decode()
    response = post_sign(client, dossier, result_pdf())

    assert "Ký ban hành và hoàn thành xử lý" in page
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSED
    result = IssuedResult.objects.get(dossier=dossier)
    assert result.number == f"113.11.00.H26-KQ{result.issued_at.year}-000001"
    assert result.holder == world.citizen
    assert result.file.name == dossier.result_file.name
    data = default_storage.open(result.file.name).read()
    statuses = independent_check(data, signing.root_pem)
    assert [s.bottom_line for s in statuses] == [True]
    assert statuses[0].signing_cert.subject.native["common_name"] == world.leader.display_name
    assert statuses[0].timestamp_validity is not None and statuses[0].timestamp_validity.trusted
    assert "Kết quả điện tử số" in dossier.events.last().note
    assert audit_verify().ok
    detail = client.get(reverse("dossiers:officer_detail", args=[dossier.pk]), follow=True).content.decode()
    assert f"Đã ký số và phát hành kết quả số {result.number}" in detail


def test_a_specialist_initials_then_the_leader_signs_two_signatures_in_order(signing: Signing) -> None:
    world = signing.world
    dossier = at_appraisal(world)
    specialist = signed_in(world.specialist)

    initialled = specialist.post(reverse("signing:initial", args=[dossier.pk]),
                                 {"file": upload(result_pdf()), "password": PASSWORD})  # fmt: skip
    from chinhquyenso.dossiers.tests.test_lifecycle import act

    act(world.specialist, dossier, "forward")
    dossier.refresh_from_db()
    leader = signed_in(world.leader)
    page = leader.get(sign_page(dossier)).content.decode()
    response = post_sign(leader, dossier, None)  # no file: sign the initialled draft

    assert initialled.status_code == 302
    assert "Dự thảo đã ký nháy" in page
    assert response.status_code == 302
    result = IssuedResult.objects.get(dossier=dossier)
    statuses = independent_check(default_storage.open(result.file.name).read(), signing.root_pem)
    assert [s.bottom_line for s in statuses] == [True, True]
    signers = [s.signing_cert.subject.native["common_name"] for s in statuses]
    assert signers == [world.specialist.display_name, world.leader.display_name]
    verify = Client().get(reverse("signing:verify"), {"ma": result.verification_code}).content.decode()  # anyone
    assert verify.index(world.specialist.display_name) < verify.index(world.leader.display_name)
    assert "HỢP LỆ: văn bản điện tử do hệ thống phát hành" in verify


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not a pdf at all", "không phải tệp PDF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "bị hỏng hoặc không đọc được cấu trúc PDF"),
    ],
)
def test_a_non_pdf_or_malformed_pdf_is_refused_in_vietnamese_and_nothing_is_published(
    signing: Signing, tmp_path: Path, content: bytes, message: str
) -> None:
    world = signing.world
    dossier = at_approval(world)

    response = post_sign(signed_in(world.leader), dossier, content)

    assert response.status_code in (415, 422)
    assert message in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not IssuedResult.objects.exists()
    assert published_files(tmp_path) == []


def test_a_wrong_confirmation_password_signs_nothing(signing: Signing) -> None:
    world = signing.world
    dossier = at_approval(world)

    response = post_sign(signed_in(world.leader), dossier, result_pdf(), password="sai-mat-khau")

    assert response.status_code == 422
    assert "Mật khẩu xác nhận không đúng; văn bản chưa được ký." in response.content.decode()
    assert not IssuedResult.objects.exists()


def test_an_expired_certificate_cannot_sign(signing: Signing) -> None:
    import datetime as dt

    world = signing.world
    dossier = at_approval(world)
    SigningCredential.objects.filter(user=world.leader).update(active=False)
    pki.credential_issue(user=world.leader, days=30,
                         not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=60))  # fmt: skip

    with pytest.raises(CertificateProblem) as caught:
        services.result_issue(actor=world.leader, request=services.IssueRequest(
            dossier_id=dossier.pk, expected_version=dossier.lock_version, upload=upload(result_pdf()),
            password=PASSWORD))  # fmt: skip

    assert "Chứng thư số của bạn đã hết hạn ngày" in caught.value.message
    assert not IssuedResult.objects.exists()


def test_a_certificate_outside_the_trust_list_cannot_sign(signing: Signing) -> None:
    world = signing.world
    dossier = at_approval(world)
    TrustAnchor.objects.update(active=False)

    response = post_sign(signed_in(world.leader), dossier, result_pdf())

    assert "không do tổ chức nằm trong danh sách tin cậy" in response.content.decode()
    assert not IssuedResult.objects.exists()


def test_a_failure_after_signing_publishes_nothing_and_leaves_no_file(
    signing: Signing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = signing.world
    dossier = at_approval(world)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("kho dữ liệu không ghi được")

    monkeypatch.setattr("chinhquyenso.wallet.services.wallet_store_result", broken)
    with pytest.raises(RuntimeError):
        services.result_issue(actor=world.leader, request=services.IssueRequest(
            dossier_id=dossier.pk, expected_version=dossier.lock_version, upload=upload(result_pdf()),
            password=PASSWORD))  # fmt: skip

    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not dossier.result_file
    assert not IssuedResult.objects.exists()
    assert published_files(tmp_path) == []


def test_a_dossier_changed_since_the_page_was_loaded_is_not_signed(signing: Signing) -> None:
    world = signing.world
    dossier = at_approval(world)
    stale_version = dossier.lock_version
    from chinhquyenso.dossiers.tests.test_lifecycle import act

    act(world.leader, dossier, "claim")
    dossier.lock_version = stale_version

    response = post_sign(signed_in(world.leader), dossier, result_pdf())

    assert response.status_code in (409, 422)
    assert "Hồ sơ vừa được người khác cập nhật" in response.content.decode()
    assert not IssuedResult.objects.exists()


def test_only_the_leader_at_the_approval_step_may_sign(signing: Signing) -> None:
    world = signing.world
    dossier = at_approval(world)

    response = post_sign(signed_in(world.specialist), dossier, result_pdf())
    stranger = signed_in(world.stranger).get(sign_page(dossier))

    assert response.status_code == 403
    assert stranger.status_code == 404
    assert not IssuedResult.objects.exists()


def test_pki_init_is_idempotent_and_keys_never_rest_in_clear(signing: Signing) -> None:
    from django.db import connection

    again = pki.pki_init()

    assert again.created_authorities == [] and again.issued == []
    credential = SigningCredential.objects.get(user=signing.world.leader)
    with pytest.raises(ValueError):
        crypto.unseal(bytes(credential.pkcs12 or b""), b"not-the-passphrase")
    with connection.cursor() as cursor:
        for table in ("signing_platformkey", "signing_signingcredential"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                assert not any(b"PRIVATE KEY" in (v if isinstance(v, bytes) else str(v).encode()) for v in row)


def test_malformed_and_non_pdf_are_named_errors() -> None:
    from chinhquyenso.signing.pdfsign import read_pdf

    with pytest.raises(NotAPdf):
        read_pdf(b"PK\x03\x04 zip", name="a.docx")
    with pytest.raises(MalformedPdf):
        read_pdf(b"%PDF-1.4\n%%EOF", name="b.pdf")
    assert WrongPassword.code == "wrong_password"
