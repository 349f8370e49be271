"""A leader signing from an English page: what goes into the signed PDF, the result and the timeline stays Vietnamese;
what is refused is told in English."""

from __future__ import annotations

import html
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from chinhquyenso.dossiers.models import DossierEvent
from chinhquyenso.signing.models import IssuedResult
from chinhquyenso.signing.tests.conftest import PASSWORD, Signing, at_approval, result_pdf, signed_in, upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("chinhquyenso.signing.tests.urls")]

ENGLISH = {"Accept-Language": "en"}


def test_a_result_signed_from_an_english_page_is_stored_and_signed_in_vietnamese(signing: Signing) -> None:
    world = signing.world
    dossier = at_approval(world)
    form = {"version": dossier.lock_version, "password": PASSWORD, "file": upload(result_pdf())}

    response = signed_in(world.leader).post(reverse("signing:sign", args=[dossier.pk]), form, headers=ENGLISH)

    assert response.status_code == 302
    result = IssuedResult.objects.get(dossier=dossier)
    note = DossierEvent.objects.get(dossier=dossier, action="result_issued").note
    assert note == f"Kết quả điện tử số {result.number} ({result.type_name}) đã được ký số và phát hành."
    [signature] = PdfFileReader(io.BytesIO(default_storage.open(result.file.name).read())).embedded_signatures
    assert signature.sig_object["/Reason"] == f"Phê duyệt kết quả giải quyết hồ sơ {dossier.code}"


def test_a_dossier_changed_since_the_english_page_was_loaded_is_told_in_english(signing: Signing) -> None:
    world = signing.world
    dossier = at_approval(world)
    form = {"version": dossier.lock_version - 1, "password": PASSWORD, "file": upload(result_pdf())}

    response = signed_in(world.leader).post(reverse("signing:sign", args=[dossier.pk]), form, headers=ENGLISH)

    page = html.unescape(response.content.decode())
    assert response.status_code in (409, 422)
    assert "Someone else has just updated this application." in page
    assert not IssuedResult.objects.exists()
