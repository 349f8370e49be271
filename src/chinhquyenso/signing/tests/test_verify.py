"""Verification for anyone, without signing in: the page and POST /api/v1/verify report integrity, signer, trust,
timestamp and the register's status; a PDF changed after signing is invalid."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from chinhquyenso.signing import services
from chinhquyenso.signing.models import IssuedResult
from chinhquyenso.signing.tests.conftest import PASSWORD, Signing, at_approval, result_pdf, signed_in, upload
from chinhquyenso.wallet.models import WalletItem

pytestmark = [pytest.mark.django_db, pytest.mark.urls("chinhquyenso.signing.tests.urls")]
API = "/api/v1/verify"


def issue(signing: Signing, **request: Any) -> IssuedResult:
    world = signing.world
    dossier = at_approval(world)
    return services.result_issue(actor=world.leader, request=services.IssueRequest(
        dossier_id=dossier.pk, expected_version=dossier.lock_version,
        upload=ContentFile(result_pdf(), name="gks.pdf"), password=PASSWORD, **request))  # fmt: skip


def signed_bytes(result: IssuedResult) -> bytes:
    return bytes(default_storage.open(result.file.name).read())


def flip_a_signed_byte(data: bytes) -> bytes:
    changed = bytearray(data)
    at = data.index(b"Nguy") if b"Nguy" in data else data.index(b"stream") + 30
    changed[at] ^= 0x01
    return bytes(changed)


def append_content(data: bytes) -> bytes:
    """An incremental update drawing a box over the first page, after the signatures: what a forger would do."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = writer.add_object(generic.StreamObject(stream_data=b"1 1 1 rg 100 600 300 80 re f"))
    writer.add_stream_to_page(0, ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def verify_page(client: Client, data: bytes) -> tuple[int, str]:
    response = client.post(reverse("signing:verify"), {"file": upload(data, "giay-khai-sinh.pdf")})
    return response.status_code, response.content.decode()


def test_anyone_verifies_an_issued_result_by_uploading_it(signing: Signing) -> None:
    result = issue(signing, document_type_code="")

    status, page = verify_page(Client(), signed_bytes(result))

    assert status == 200
    assert "HỢP LỆ: văn bản điện tử do hệ thống phát hành, chữ ký số được xác thực." in page
    assert signing.world.leader.display_name in page
    assert result.number in page
    assert "Nội dung không bị thay đổi sau khi ký" in page
    assert "Được tin cậy" in page
    assert signing.world.citizen.display_name not in page  # no personal data on a public page


def test_the_qr_code_opens_the_report_by_verification_code(signing: Signing) -> None:
    result = issue(signing)

    response = Client().get(reverse("signing:verify"), {"ma": result.verification_code.lower()})
    by_number = Client().get(reverse("signing:verify"), {"ma": result.number})
    unknown = Client().get(reverse("signing:verify"), {"ma": "KHONGCO12345"})

    assert response.status_code == 200 and "HỢP LỆ" in response.content.decode()
    assert by_number.status_code == 200
    assert unknown.status_code == 404
    assert "Không tìm thấy văn bản có mã hoặc số «KHONGCO12345»." in unknown.content.decode()


@pytest.mark.parametrize(("tamper", "message"), [
    (flip_a_signed_byte, "Nội dung tệp đã bị thay đổi sau khi ký (giá trị băm không khớp)."),
    (append_content, "Tệp đã bị sửa đổi sau khi ký (có nội dung được thêm vào sau chữ ký)."),
])  # fmt: skip
def test_a_pdf_changed_after_signing_is_reported_invalid(signing: Signing, tamper: Any, message: str) -> None:
    result = issue(signing)

    status, page = verify_page(Client(), tamper(signed_bytes(result)))
    api = Client().post(API, {"file": upload(tamper(signed_bytes(result)))}).json()

    assert status == 200
    assert "KHÔNG HỢP LỆ: chữ ký số không được xác thực." in page
    assert message in page
    assert api["ok"] is False
    assert message in api["signatures"][0]["problems"]


def test_the_api_reports_signer_trust_timestamp_and_status(signing: Signing) -> None:
    result = issue(signing)

    by_file = Client().post(API, {"file": upload(signed_bytes(result))})
    by_code = Client().post(API, {"code": result.verification_code})

    assert by_file.status_code == 200
    body = by_file.json()
    assert body["ok"] is True
    assert body["result"]["number"] == result.number
    assert body["result"]["status"] == "valid"
    [signature] = body["signatures"]
    assert signature["signer"] == signing.world.leader.display_name
    assert signature["trusted"] and signature["intact"] and signature["timestamp_trusted"]
    assert signature["timestamp_at"] is not None
    assert by_code.json()["sha256"] == body["sha256"]


@pytest.mark.parametrize(("form", "status", "detail"), [
    ({"file": upload(b"\x89PNG\r\n\x1a\n....", "anh.png")}, 415, "không phải tệp PDF"),
    ({"file": upload(b"%PDF-1.4\nrac", "hong.pdf")}, 422, "bị hỏng"),
    ({"code": "KHONGCO12345"}, 404, "Không có văn bản"),
    ({}, 422, "Gửi tệp PDF"),
])  # fmt: skip
def test_the_api_answers_bad_input_with_a_vietnamese_problem(signing: Signing, form: dict[str, Any], status: int,
                                                            detail: str) -> None:  # fmt: skip
    response = Client().post(API, form)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert detail in response.json()["detail"]


def test_an_unsigned_pdf_has_no_signature(signing: Signing) -> None:
    status, page = verify_page(Client(), result_pdf())

    assert status == 200
    assert "Tệp không có chữ ký số." in page


def test_a_revoked_result_is_reported_with_its_reason_and_in_the_holders_store(signing: Signing) -> None:
    result = issue(signing)
    leader = signed_in(signing.world.leader)

    response = leader.post(reverse("signing:revoke"), {"number": result.number, "reason": "Cấp nhầm người"})
    report = Client().post(API, {"file": upload(signed_bytes(result))}).json()
    page = Client().get(reverse("signing:verify"), {"ma": result.verification_code}).content.decode()

    assert response.status_code == 302
    assert report["ok"] is False
    assert report["result"]["status"] == "revoked"
    assert "Văn bản đã bị thu hồi, hủy bỏ: Cấp nhầm người" in report["problems"]
    assert "Chữ ký hợp lệ nhưng văn bản đã bị thu hồi, hủy bỏ." in page
    assert WalletItem.objects.get(issued_result=result).status_label == "Đã bị thu hồi, hủy bỏ"


def test_a_new_result_supersedes_an_earlier_one(signing: Signing) -> None:
    first = issue(signing)

    second = issue(signing, replaces=first.number)
    first.refresh_from_db()
    report = Client().post(API, {"code": first.verification_code}).json()

    assert first.status == IssuedResult.Status.SUPERSEDED
    assert first.superseded_by == second
    assert report["result"]["superseded_by"] == second.number
    assert f"Văn bản đã được thay thế bởi văn bản số {second.number}." in report["problems"]


def test_the_local_timestamp_authority_answers_rfc3161(signing: Signing) -> None:
    import hashlib

    from asn1crypto import tsp

    from chinhquyenso.signing.pdfsign import local_timestamper

    stamper = local_timestamper()
    assert stamper is not None
    _nonce, request = stamper.request_cms(hashlib.sha256(b"giay khai sinh").digest(), "sha256")

    response = Client().post(reverse("signing:tsa"), request.dump(), content_type="application/timestamp-query")
    garbage = Client().post(reverse("signing:tsa"), b"not asn1", content_type="application/timestamp-query")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/timestamp-reply"
    reply = tsp.TimeStampResp.load(response.content)
    assert reply["status"]["status"].native == "granted"
    assert garbage.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_signing_uses_a_configured_tsa_url(signing: Signing, live_server: Any, settings: Any) -> None:
    """Production points CQS_TSA_URL at its TSA; here the platform's own endpoint, over HTTP."""
    settings.CQS_TSA_URL = f"{live_server.url}/ky-so/dau-thoi-gian/"
    settings.ROOT_URLCONF = "chinhquyenso.signing.tests.urls"

    result = issue(signing)
    body = Client().post(API, {"file": upload(signed_bytes(result))}).json()

    assert body["signatures"][0]["timestamp_trusted"] is True


def test_an_unreachable_tsa_publishes_nothing(signing: Signing, settings: Any) -> None:
    from chinhquyenso.signing.errors import TimestampUnavailable

    settings.CQS_TSA_URL = "http://127.0.0.1:9/khong-co-tsa"

    with pytest.raises(TimestampUnavailable) as caught:
        issue(signing)

    assert "Không lấy được dấu thời gian" in caught.value.message
    assert not IssuedResult.objects.exists()
