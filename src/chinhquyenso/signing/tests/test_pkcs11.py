"""Signing with a key that never leaves a PKCS#11 token (SoftHSM2 stands in for a USB token or an HSM).

Needs Debian's ``softhsm2`` package. Skipped with the reason when it is missing on a developer's machine; fails in
CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from chinhquyenso.signing import pki, services
from chinhquyenso.signing.errors import WrongPin
from chinhquyenso.signing.models import IssuedResult, SigningCredential
from chinhquyenso.signing.tests.conftest import Signing, at_approval, result_pdf, signed_in, upload
from chinhquyenso.signing.tests.test_signing import independent_check

pytestmark = [pytest.mark.django_db, pytest.mark.urls("chinhquyenso.signing.tests.urls")]

MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
           "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so")  # fmt: skip
PIN = "246810"
TOKEN = "cqs-kiem-thu"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One SoftHSM2 token for the session (the PKCS#11 library is loaded once per process). Yields the module."""
    module = next((m for m in MODULES if Path(m).exists()), None)
    if shutil.which("softhsm2-util") is None or module is None:
        reason = "SoftHSM2 chưa được cài (apt-get install -y softhsm2): bỏ qua kiểm thử ký bằng thiết bị PKCS#11."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " CI phải cài gói softhsm2.")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "13579246"],
                   check=True, capture_output=True)  # fmt: skip
    yield module
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def on_token(signing: Signing, softhsm: str) -> SigningCredential:
    """The leader's software credential replaced by a key generated on the token."""
    leader = signing.world.leader
    SigningCredential.objects.filter(user=leader).update(active=False)
    return pki.credential_enrol_token(user=leader, module=softhsm, token_label=TOKEN, pin=PIN,
                                      key_label=f"lanhdao-{secrets.token_hex(4)}")  # fmt: skip


def issue(signing: Signing, pin: str) -> IssuedResult:
    dossier = at_approval(signing.world)
    return services.result_issue(actor=signing.world.leader, request=services.IssueRequest(
        dossier_id=dossier.pk, expected_version=dossier.lock_version,
        upload=ContentFile(result_pdf(), name="gks.pdf"), pin=pin))  # fmt: skip


def test_a_leader_signs_with_the_key_on_the_token_and_its_pin(signing: Signing, on_token: SigningCredential) -> None:
    result = issue(signing, PIN)

    statuses = independent_check(default_storage.open(result.file.name).read(), signing.root_pem)
    assert [s.bottom_line for s in statuses] == [True]
    assert on_token.pkcs12 is None  # nothing but the certificate and where the key is


def test_a_wrong_pin_is_a_clear_message_and_signs_nothing(signing: Signing, on_token: SigningCredential) -> None:
    with pytest.raises(WrongPin) as caught:
        issue(signing, "000000")

    assert caught.value.message.startswith("Mã PIN của thiết bị ký số không đúng.")
    assert not IssuedResult.objects.exists()


def test_the_sign_page_asks_for_the_pin_and_shows_a_wrong_one(signing: Signing, on_token: SigningCredential) -> None:
    dossier = at_approval(signing.world)
    client = signed_in(signing.world.leader)

    page = client.get(reverse("signing:sign", args=[dossier.pk])).content.decode()
    response: Any = client.post(reverse("signing:sign", args=[dossier.pk]),
                                {"version": dossier.lock_version, "pin": "111111", "file": upload(result_pdf())})  # fmt: skip

    assert "Mã PIN của thiết bị ký số" in page
    assert "Mật khẩu tài khoản" not in page
    assert response.status_code == 422
    assert "Mã PIN của thiết bị ký số không đúng." in response.content.decode()
