from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.attachments import AttachmentRejected, attachment_add
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Attachment
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CQS_MAX_FILE_BYTES = 1024
    settings.CQS_MAX_DOSSIER_BYTES = 2048


def draft(world: World) -> int:
    dossier, _ = services.dossier_draft_create(actor=world.citizen, case=world.case, data=VALID_DATA)
    return dossier.pk


def test_a_png_is_accepted_by_its_content_with_its_sha256(world: World, tmp_path: Path) -> None:
    attachment = attachment_add(actor=world.citizen, dossier_id=draft(world), component_code="giay-chung-sinh",
                                upload=SimpleUploadedFile("anh chup.jpg", PNG))  # fmt: skip

    assert attachment.content_type == "image/png"
    assert len(attachment.sha256) == 64
    assert attachment.file.name.endswith(".png")
    assert (tmp_path / attachment.file.name).read_bytes() == PNG


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("giay-to.pdf", b"MZ\x90\x00 not a pdf", 415, "không phải PDF, JPEG hay PNG"),
        ("lon.pdf", b"%PDF-1.7" + b"0" * 2000, 413, "dung lượng 2 KB, vượt giới hạn 1 KB cho mỗi tệp"),
        ("rong.pdf", b"", 415, "không phải PDF"),
    ],
)
def test_a_bad_file_is_refused_with_why_and_nothing_is_stored(
    world: World, tmp_path: Path, name: str, content: bytes, status: int, message: str
) -> None:
    with pytest.raises(AttachmentRejected) as caught:
        attachment_add(actor=world.citizen, dossier_id=draft(world), component_code=None,
                       upload=SimpleUploadedFile(name, content))  # fmt: skip

    assert caught.value.status == status
    assert message in caught.value.message
    assert not Attachment.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_the_total_per_dossier_is_limited(world: World) -> None:
    dossier_id = draft(world)
    for n in range(2):
        attachment_add(actor=world.citizen, dossier_id=dossier_id, component_code=None,
                       upload=SimpleUploadedFile(f"{n}.png", PNG + b"\x00" * 800))  # fmt: skip

    with pytest.raises(AttachmentRejected, match="Tổng dung lượng"):
        attachment_add(actor=world.citizen, dossier_id=dossier_id, component_code=None,
                       upload=SimpleUploadedFile("3.png", PNG + b"\x00" * 800))  # fmt: skip
    assert Attachment.objects.count() == 2


def test_nobody_else_can_attach_to_a_dossier(world: World) -> None:
    with pytest.raises(DossierNotFound):
        attachment_add(actor=world.desk, dossier_id=draft(world), component_code=None,
                       upload=SimpleUploadedFile("a.png", PNG))  # fmt: skip
