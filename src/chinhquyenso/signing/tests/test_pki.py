"""PKCS#12 import: an officer's certificate from a licensed CA (played here by a second CA put on the trust list)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from chinhquyenso.signing import crypto, pki, services
from chinhquyenso.signing.errors import CertificateProblem, PkiError
from chinhquyenso.signing.models import SigningCredential, TrustAnchor
from chinhquyenso.signing.tests.conftest import PASSWORD, Signing, at_approval, result_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls("chinhquyenso.signing.tests.urls")]


def licensed_ca_p12(name: str, password: bytes, *, trusted: bool = True) -> bytes:
    """A .p12 as a licensed CA hands it to an officer: key, certificate, the CA's chain."""
    ca_key = crypto.new_key()
    ca_name = crypto.subject(common_name="CA được cấp phép (kiểm thử)", organization="Nhà cung cấp dịch vụ")
    ca = crypto.issue(name=ca_name, public_key=ca_key.public_key(), issuer=None, issuer_key=ca_key, days=3650,
                      ca=True, path_length=0)  # fmt: skip
    if trusted:
        pki.trust_anchor_add(data=crypto.pem(ca).encode(), source="kiểm thử")
    key = crypto.new_key()
    cert = crypto.issue(name=crypto.subject(common_name=name, organization="UBND phường"), public_key=key.public_key(),
                        issuer=ca, issuer_key=ca_key, days=365)  # fmt: skip
    return crypto.seal(key=key, cert=cert, chain=[ca], passphrase=password, label=name)


def test_an_imported_p12_signs_a_result_and_its_password_is_not_kept(signing: Signing) -> None:
    leader = signing.world.leader
    SigningCredential.objects.filter(user=leader).update(active=False)

    credential = pki.credential_import_pkcs12(user=leader, data=licensed_ca_p12("Vũ Quốc Hùng", b"mat-khau-p12"),
                                              password="mat-khau-p12")  # fmt: skip
    dossier = at_approval(signing.world)
    result = services.result_issue(actor=leader, request=services.IssueRequest(
        dossier_id=dossier.pk, expected_version=dossier.lock_version,
        upload=ContentFile(result_pdf(), name="gks.pdf"), password=PASSWORD))  # fmt: skip

    assert credential.issuer_name == "CA được cấp phép (kiểm thử)"
    with pytest.raises(ValueError):
        crypto.unseal(bytes(credential.pkcs12 or b""), b"mat-khau-p12")
    assert result.signers[0]["issuer"] == "CA được cấp phép (kiểm thử)"


def test_a_wrong_p12_password_or_an_untrusted_ca_is_refused(signing: Signing) -> None:
    leader = signing.world.leader

    with pytest.raises(PkiError) as wrong:
        pki.credential_import_pkcs12(user=leader, data=licensed_ca_p12("A", b"dung"), password="sai")
    with pytest.raises(CertificateProblem) as untrusted:
        pki.credential_import_pkcs12(user=leader, data=licensed_ca_p12("B", b"p", trusted=False), password="p")

    assert "sai mật khẩu" in wrong.value.message
    assert "danh sách tin cậy" in untrusted.value.message


def test_the_pki_command_initialises_once_and_lists(signing: Signing, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("pki", "init")
    call_command("pki", "list")

    out = capsys.readouterr().out
    assert "PKI trình diễn đã có sẵn; giữ nguyên." in out
    assert TrustAnchor.objects.filter(active=True).count() == 1
    assert signing.world.leader.username in out
    with pytest.raises(CommandError, match=r"Không có tài khoản «khong-co»\."):
        call_command("pki", "issue", "khong-co")
