"""Desk intake with scanned documents (all or nothing) and the link to the applicant's account by CCCD (ADR 0014)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chinhquyenso.accounts.tests.factories import OfficerFactory, UserFactory
from chinhquyenso.dossiers import attachments, selectors, services
from chinhquyenso.dossiers.attachments import AttachmentRejected
from chinhquyenso.dossiers.models import Attachment, Channel, Dossier, State
from chinhquyenso.dossiers.services import Applicant
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local
from chinhquyenso.dossiers.tests.test_officer_pages import intake_post, signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
SCAN = "scan-giay-chung-sinh"
URL = reverse("dossiers:intake_form", args=["1.001193", "01"])


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def scans(*files: tuple[str, bytes]) -> dict[str, list[SimpleUploadedFile]]:
    return {SCAN: [SimpleUploadedFile(name, content) for name, content in files]}


def test_two_scans_are_attached_to_the_received_dossier_with_their_sha256(
    world: World, at: Any, tmp_path: Path
) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        form_page = client.get(URL).content.decode()

        response = client.post(URL, {**intake_post(world), **scans(("trang-1.pdf", PDF), ("trang-2.png", PNG))},
                               follow=True)  # fmt: skip

    dossier = Dossier.objects.get()
    found = list(dossier.attachments.order_by("id"))
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in form_page
    assert f'name="{SCAN}" accept="application/pdf,image/jpeg,image/png" multiple' in form_page
    assert dossier.state == State.RECEIVED
    assert [(a.original_name, a.component.code, a.uploaded_by) for a in found] == [
        ("trang-1.pdf", "giay-chung-sinh", world.desk),
        ("trang-2.png", "giay-chung-sinh", world.desk),
    ]
    assert [a.sha256 for a in found] == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PNG).hexdigest()]
    assert [(tmp_path / a.file.name).read_bytes() for a in found] == [PDF, PNG]
    assert all(a.file.name.startswith(f"dossiers/attachments/{dossier.pk}/") for a in found)
    assert "Đã lưu 2 tệp quét." in page
    assert "trang-2.png" in page


def test_a_file_that_is_not_pdf_jpeg_or_png_refuses_the_whole_intake_and_keeps_what_was_typed(
    world: World, at: Any, tmp_path: Path
) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        response = client.post(URL, {**intake_post(world), **scans(("trang-1.png", PNG), ("don.pdf", b"van ban"))})

    page = response.content.decode()
    assert response.status_code == 415
    assert "Tệp «don.pdf» không phải PDF, JPEG hay PNG" in page
    assert "Hãy chọn lại tệp." in page
    assert f'href="#{SCAN}"' in page
    assert 'value="Hoàng Thị Quầy"' in page
    assert Dossier.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(tmp_path) == []


def test_the_same_intake_sent_again_with_a_good_file_after_a_refusal_is_received(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        client.post(URL, {**intake_post(world), **scans(("don.pdf", b"van ban"))})

        again = client.post(URL, {**intake_post(world), **scans(("don.pdf", PDF))})

    assert again.status_code == 302
    assert Dossier.objects.get().attachments.count() == 1


def test_an_oversized_scan_answers_413_and_nothing_is_written(
    world: World, at: Any, settings: Any, tmp_path: Path
) -> None:
    settings.CQS_MAX_FILE_BYTES = 1024
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        response = client.post(URL, {**intake_post(world), **scans(("lon.pdf", PDF + b"0" * 2000))})

    page = response.content.decode()
    assert response.status_code == 413
    assert "Tệp «lon.pdf» dung lượng 2 KB, vượt giới hạn 1 KB cho mỗi tệp." in page
    assert Dossier.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(tmp_path) == []


def test_a_scan_for_a_component_of_another_case_answers_422(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        response = client.post(URL, {**intake_post(world), "scan-so-ho-khau": SimpleUploadedFile("a.pdf", PDF)})

    assert response.status_code == 422
    assert "Thành phần hồ sơ không thuộc thủ tục này." in response.content.decode()
    assert Dossier.objects.count() == 0


def test_a_verified_cccd_of_a_citizens_account_links_the_dossier_to_it(world: World, at: Any) -> None:
    world.citizen.cccd_verified_at = local(2026, 1, 5, 9)
    world.citizen.save(update_fields=["cccd_verified_at"])
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        response = client.post(URL, intake_post(world, **{"desk-applicant_id_number": world.citizen.cccd}), follow=True)

    dossier = Dossier.objects.get()
    assert dossier.applicant == world.citizen
    assert list(selectors.dossier_list_for_applicant(actor=world.citizen)) == [dossier]
    assert dossier.applicant_email == "dan@example.vn"  # not typed at the desk: the account's, for notifications
    assert dossier.applicant_phone == "0912345678"  # typed at the desk: kept
    assert "Hồ sơ đã được gắn với tài khoản của người nộp trên Cổng" in response.content.decode()
    assert world.citizen.cccd not in response.redirect_chain[0][0]


def test_an_unverified_cccd_links_nothing_as_anyone_may_register_with_any_number(world: World, at: Any) -> None:
    UserFactory(cccd="031099000666", email="ke-mao-danh@example.vn")  # registered with someone else's number
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        client.post(URL, intake_post(world, **{"desk-applicant_id_number": "031099000666"}))

    dossier = Dossier.objects.get()
    assert dossier.applicant is None
    assert dossier.applicant_email != "ke-mao-danh@example.vn"


def test_an_officers_account_with_the_cccd_is_never_linked(world: World, at: Any) -> None:
    OfficerFactory(cccd="031099000777", cccd_verified_at=local(2026, 1, 5, 9))
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        client.post(URL, intake_post(world, **{"desk-applicant_id_number": "031099000777"}))

    assert Dossier.objects.get().applicant is None


def test_only_a_full_cccd_of_an_active_account_links(world: World, at: Any) -> None:
    UserFactory(cccd="031099000888", cccd_verified_at=local(2026, 1, 5, 9), is_active=False)

    def intake(id_number: str) -> Dossier:
        return services.dossier_intake_at_desk(actor=world.desk, case=world.case, agency=world.commune,
                                               channel=Channel.IN_PERSON, data=VALID_DATA,
                                               applicant=Applicant(name="Lê Văn Tâm", id_number=id_number))  # fmt: skip

    with at(local(2026, 11, 16, 8)):
        partial = intake(world.citizen.cccd[:9])
        inactive = intake("031099000888")

    assert (partial.applicant, inactive.applicant) == (None, None)


class FailingStorage:
    """The real storage, except that the second save fails (a full disk, an S3 outage)."""

    def __init__(self) -> None:
        self.saves = 0

    def save(self, name: str, content: Any) -> str:
        self.saves += 1
        if self.saves == 2:
            raise OSError("No space left on device")
        return default_storage.save(name, content)

    def delete(self, name: str) -> None:
        default_storage.delete(name)


def desk_intake_with_two_scans(world: World) -> Dossier:
    return services.dossier_intake_at_desk(
        actor=world.desk, case=world.case, agency=world.commune, channel=Channel.IN_PERSON,
        applicant=Applicant(name="Phạm Thị Mai"), data=VALID_DATA,
        scans=[("giay-chung-sinh", SimpleUploadedFile("1.pdf", PDF)), ("giay-chung-sinh", SimpleUploadedFile("2.png", PNG))],
    )  # fmt: skip


def test_a_storage_failure_after_one_stored_scan_leaves_no_file_and_no_dossier(
    world: World, at: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    storage = FailingStorage()
    monkeypatch.setattr(attachments, "default_storage", storage)

    with at(local(2026, 11, 16, 8)), pytest.raises(OSError):
        desk_intake_with_two_scans(world)

    assert storage.saves == 2
    assert stored_files(tmp_path) == []
    assert Dossier.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_database_failure_after_the_scans_were_stored_removes_them(
    world: World, at: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    create = Attachment.objects.create
    made: list[Attachment] = []

    def fail_on_the_second(**fields: Any) -> Attachment:
        if made:
            raise RuntimeError("database went away")
        made.append(create(**fields))
        return made[-1]

    monkeypatch.setattr(Attachment.objects, "create", fail_on_the_second)

    with at(local(2026, 11, 16, 8)), pytest.raises(RuntimeError):
        desk_intake_with_two_scans(world)

    assert stored_files(tmp_path) == []
    assert Dossier.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_every_refused_scan_is_reported_at_once_under_its_component(world: World, settings: Any) -> None:
    settings.CQS_MAX_FILE_BYTES = 1024

    with pytest.raises(AttachmentRejected) as caught:
        services.dossier_intake_at_desk(
            actor=world.desk, case=world.case, agency=world.commune, channel=Channel.POST,
            applicant=Applicant(name="Phạm Thị Mai"), data=VALID_DATA,
            scans=[("giay-chung-sinh", SimpleUploadedFile("a.txt", b"van ban")),
                   ("giay-chung-sinh", SimpleUploadedFile("b.pdf", PDF + b"0" * 2000))],
        )  # fmt: skip

    assert caught.value.status == 415
    assert [m.split("»")[0] for m in caught.value.fields["component-giay-chung-sinh"]] == ["Tệp «a.txt", "Tệp «b.pdf"]
    assert Dossier.objects.count() == 0


def test_after_a_storage_failure_the_same_intake_can_be_sent_again(
    world: World, at: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = FailingStorage()
    monkeypatch.setattr(attachments, "default_storage", storage)
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        client.raise_request_exception = False
        failed = client.post(URL, {**intake_post(world), **scans(("1.pdf", PDF), ("2.pdf", PDF))})

        storage.saves = 10  # the disk has room again
        again = client.post(URL, {**intake_post(world), **scans(("1.pdf", PDF), ("2.pdf", PDF))})

    assert failed.status_code == 500
    assert again.status_code == 302  # not "the first click is still being processed"
    assert Dossier.objects.get().attachments.count() == 2
