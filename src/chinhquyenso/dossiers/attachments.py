"""Attachments: PDF, JPEG or PNG recognised by their content (not their name), with size limits per file and per
dossier, a SHA-256 kept, and files stored through Django's storage API (local folder or S3-compatible)."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import get_format
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.models import DocumentComponent, ProcedureCase
from chinhquyenso.core.audit import audit_record
from chinhquyenso.dossiers.errors import DossierError, DossierNotFound, IllegalTransition
from chinhquyenso.dossiers.models import Attachment, Dossier, State

logger = logging.getLogger(__name__)

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class AttachmentRejected(DossierError):
    """413 for size, 415 for type; the message says why and what the limit is."""


def _mb(n: int) -> str:
    """1,5 MB in Vietnamese, 1.5 MB in English: the decimal separator of the request's language."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    number = f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
    return number.replace(".", str(get_format("DECIMAL_SEPARATOR"))) + " MB"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None if it is none of the accepted kinds."""
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def check_upload(*, name: str, size: int, head: bytes, dossier_total: int) -> tuple[str, str]:
    limit = settings.CQS_MAX_FILE_BYTES
    if size > limit:
        raise AttachmentRejected(
            gettext(
                "Tệp «%(name)s» dung lượng %(size)s, vượt giới hạn %(limit)s cho mỗi tệp. "
                "Hãy chụp/quét lại với độ phân giải thấp hơn hoặc chia nhỏ tệp."
            )
            % {"name": name, "size": _mb(size), "limit": _mb(limit)}
        ).with_status(413)
    if dossier_total + size > settings.CQS_MAX_DOSSIER_BYTES:
        raise AttachmentRejected(
            gettext("Tổng dung lượng tệp của hồ sơ sẽ vượt giới hạn %(limit)s.")
            % {"limit": _mb(settings.CQS_MAX_DOSSIER_BYTES)}
        ).with_status(413)
    kind = sniff(head)
    if kind is None:
        raise AttachmentRejected(
            gettext(
                "Tệp «%(name)s» không phải PDF, JPEG hay PNG (hệ thống kiểm tra nội dung tệp, không dựa vào tên). "
                "Hãy lưu tệp dưới dạng PDF hoặc ảnh JPEG/PNG."
            )
            % {"name": name}
        ).with_status(415)
    if size == 0:
        raise AttachmentRejected(gettext("Tệp «%(name)s» rỗng.") % {"name": name}).with_status(415)
    return kind


def _hash(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed ``check_upload``, with what its ``Attachment`` row will record."""

    upload: File[Any]
    component: DocumentComponent | None
    name: str
    size: int
    content_type: str
    ext: str
    sha256: str


def component_for(*, case: ProcedureCase, code: str | None) -> DocumentComponent | None:
    """The case's document component with this code (None for no code); a code of another case is refused."""
    if not code:
        return None
    component = case.components.filter(code=code).first()
    if component is None:
        raise AttachmentRejected(gettext("Thành phần hồ sơ không thuộc thủ tục này.")).with_status(422)
    return component


def check_file(*, upload: File[Any], component: DocumentComponent | None, dossier_total: int) -> CheckedFile:
    """Check one upload (``check_upload``) and hash it. Reads the file, writes nothing."""
    name = (getattr(upload, "name", "") or "tep").rsplit("/", 1)[-1][:200]
    size = int(upload.size or 0)
    upload.seek(0)
    head = upload.read(16)
    content_type, ext = check_upload(name=name, size=size, head=head, dossier_total=dossier_total)
    return CheckedFile(upload=upload, component=component, name=name, size=size, content_type=content_type, ext=ext,
                       sha256=_hash(upload))  # fmt: skip


@contextmanager
def removed_on_error() -> Iterator[list[str]]:
    """Collects the storage names saved inside the block and deletes them again if the block raises.

    Wrap the whole ``transaction.atomic()`` block with it, so that a failed commit also takes the files away.
    """
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            try:
                default_storage.delete(name)
            except Exception:  # the storage is failing: report the orphan, raise the original error
                logger.exception("attachment left in storage after a failed write", extra={"file": name})
        raise


def attachments_save(
    *, actor: User, dossier: Dossier, files: Sequence[CheckedFile], saved: list[str]
) -> list[Attachment]:
    """Store checked files under ``dossiers/attachments/<dossier id>/`` with a random name, one ``Attachment`` row
    and one audit entry each. Appends each storage name to ``saved`` (see ``removed_on_error``)."""
    attachments = []
    for checked in files:
        stored = default_storage.save(f"dossiers/attachments/{dossier.pk}/{uuid.uuid4().hex}.{checked.ext}",
                                      checked.upload)  # fmt: skip
        saved.append(stored)
        attachment = Attachment.objects.create(
            dossier=dossier, component=checked.component, file=stored, original_name=checked.name,
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=actor,
        )  # fmt: skip
        attachments.append(attachment)
        audit_record(actor=actor, action="dossier.attach", obj=dossier,
                     after={"sha256": checked.sha256, "size": checked.size})  # fmt: skip
    return attachments


def attachment_add(*, actor: User, dossier_id: int, component_code: str | None, upload: File[Any]) -> Attachment:
    """Attach a file to the applicant's draft (or to a dossier waiting for a supplement).

    Nothing is half-written: the file is removed from storage if the database write fails.
    """
    with removed_on_error() as saved, transaction.atomic():
        dossier = Dossier.objects.select_for_update(no_key=True).filter(pk=dossier_id, applicant=actor).first()
        if dossier is None:
            raise DossierNotFound
        if not (dossier.is_draft or dossier.state == State.SUPPLEMENT):
            raise IllegalTransition(gettext("Chỉ đính kèm được khi hồ sơ còn là bản nháp hoặc đang chờ bổ sung."))
        component = component_for(case=dossier.case, code=component_code)
        used = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
        checked = check_file(upload=upload, component=component, dossier_total=used)
        [attachment] = attachments_save(actor=actor, dossier=dossier, files=[checked], saved=saved)
    return attachment


def attachment_remove(*, actor: User, attachment_id: int) -> None:
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_related("dossier")
            .filter(pk=attachment_id, dossier__applicant=actor, dossier__is_draft=True)
            .first()
        )
        if attachment is None:
            raise DossierNotFound
        name = attachment.file.name
        attachment.delete()
        audit_record(actor=actor, action="dossier.detach", obj=attachment.dossier, before={"file": attachment.pk})
        transaction.on_commit(lambda: default_storage.delete(name))
