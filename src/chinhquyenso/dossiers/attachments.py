"""Attachments: PDF, JPEG or PNG recognised by their content (not their name), with size limits per file and per
dossier, a SHA-256 kept, and files stored through Django's storage API (local folder or S3-compatible)."""

from __future__ import annotations

import hashlib
import uuid
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum

from chinhquyenso.accounts.models import User
from chinhquyenso.core.audit import audit_record
from chinhquyenso.dossiers.errors import DossierError, DossierNotFound, IllegalTransition
from chinhquyenso.dossiers.models import Attachment, Dossier, State

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class AttachmentRejected(DossierError):
    """413 for size, 415 for type; the message says why and what the limit is."""


def _mb(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


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
            f"Tệp «{name}» dung lượng {_mb(size)}, vượt giới hạn {_mb(limit)} cho mỗi tệp. "
            "Hãy chụp/quét lại với độ phân giải thấp hơn hoặc chia nhỏ tệp."
        ).with_status(413)
    if dossier_total + size > settings.CQS_MAX_DOSSIER_BYTES:
        raise AttachmentRejected(
            f"Tổng dung lượng tệp của hồ sơ sẽ vượt giới hạn {_mb(settings.CQS_MAX_DOSSIER_BYTES)}."
        ).with_status(413)
    kind = sniff(head)
    if kind is None:
        raise AttachmentRejected(
            f"Tệp «{name}» không phải PDF, JPEG hay PNG (hệ thống kiểm tra nội dung tệp, không dựa vào tên). "
            "Hãy lưu tệp dưới dạng PDF hoặc ảnh JPEG/PNG."
        ).with_status(415)
    if size == 0:
        raise AttachmentRejected(f"Tệp «{name}» rỗng.").with_status(415)
    return kind


def _hash(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def attachment_add(*, actor: User, dossier_id: int, component_code: str | None, upload: File[Any]) -> Attachment:
    """Attach a file to the applicant's draft (or to a dossier waiting for a supplement).

    Nothing is half-written: the file is removed from storage if the database write fails.
    """
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(no_key=True).filter(pk=dossier_id, applicant=actor).first()
        if dossier is None:
            raise DossierNotFound
        if not (dossier.is_draft or dossier.state == State.SUPPLEMENT):
            raise IllegalTransition("Chỉ đính kèm được khi hồ sơ còn là bản nháp hoặc đang chờ bổ sung.")
        component = None
        if component_code:
            component = dossier.case.components.filter(code=component_code).first()
            if component is None:
                raise AttachmentRejected("Thành phần hồ sơ không thuộc thủ tục này.").with_status(422)
        name = (getattr(upload, "name", "") or "tep").rsplit("/", 1)[-1][:200]
        size = int(upload.size or 0)
        upload.seek(0)
        head = upload.read(16)
        used = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
        content_type, ext = check_upload(name=name, size=size, head=head, dossier_total=used)
        sha256 = _hash(upload)
        stored = default_storage.save(f"dossiers/attachments/{dossier.pk}/{uuid.uuid4().hex}.{ext}", upload)
        try:
            attachment = Attachment.objects.create(
                dossier=dossier, component=component, file=stored, original_name=name, content_type=content_type,
                size=size, sha256=sha256, uploaded_by=actor,
            )  # fmt: skip
            audit_record(actor=actor, action="dossier.attach", obj=dossier, after={"sha256": sha256, "size": size})
        except Exception:
            default_storage.delete(stored)
            raise
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
