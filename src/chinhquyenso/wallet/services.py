"""Data store writes: store an issued result, keep a document from a dossier, reuse a stored document in a new
dossier (one click), remove, and every access logged for the owner to see.

Reuse marks the dossier attachment ``reused_from_store`` (the 766 index counts reuse of digitised data, QĐ
766/QĐ-TTg group 3; DOMAIN.md §5 and §7) and copies the stored file through the storage API, so the dossier keeps
what was filed even if the owner later removes the document from the store.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Membership
from chinhquyenso.catalog.models import DocumentType
from chinhquyenso.core.audit import audit_record
from chinhquyenso.dossiers.attachments import sniff
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Attachment, Dossier, State
from chinhquyenso.dossiers.selectors import dossier_get
from chinhquyenso.signing.models import IssuedResult
from chinhquyenso.wallet.errors import ItemNotFound, NoResultYet, ReuseRefused, ReuseTooLarge, UnknownDocumentType
from chinhquyenso.wallet.models import WalletAccess, WalletItem, WalletUse
from chinhquyenso.wallet.selectors import wallet_item_get

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _label(actor: User | None, agency: Agency | None = None) -> str:
    if actor is None:
        return "Hệ thống"
    if actor.is_officer:
        return f"Cán bộ {actor.display_name}" + (f", {agency.name}" if agency is not None else "")
    return actor.display_name


def _log(item: WalletItem, *, actor: User | None, action: str, dossier: Dossier | None = None,
         agency: Agency | None = None) -> WalletAccess:  # fmt: skip
    return WalletAccess.objects.create(item=item, actor=actor, actor_label=_label(actor, agency), action=action,
                                       dossier=dossier, agency=agency)  # fmt: skip


def _copy(source_name: str, target_dir: str, ext: str) -> str:
    with default_storage.open(source_name, "rb") as source:
        return str(default_storage.save(f"{target_dir}/{uuid.uuid4().hex}.{ext}", source))


# --- storing -------------------------------------------------------------------------------------------------------
def wallet_store_result(*, result: IssuedResult, actor: User | None) -> WalletItem | None:
    """Put a freshly issued electronic result in its holder's store (inside the issuing transaction). Results of
    dossiers filed for someone without an account have no store: None."""
    holder = result.holder
    if holder is None or holder.is_officer:
        return None
    existing = WalletItem.objects.filter(owner=holder, sha256=result.sha256, removed_at__isnull=True).first()
    if existing is not None:
        return existing
    item = WalletItem.objects.create(
        owner=holder, document_type=result.document_type, title=result.type_name, issuer=result.agency.name,
        number=result.number, issued_on=timezone.localdate(result.issued_at), valid_until=result.valid_until,
        source=WalletItem.Source.ISSUED_RESULT, issued_result=result, source_dossier=result.dossier,
        file=result.file.name, original_name=f"{result.number}.pdf", content_type="application/pdf",
        size=result.size, sha256=result.sha256,
    )  # fmt: skip
    _log(item, actor=actor, action=WalletAccess.Action.STORED, dossier=result.dossier, agency=result.agency)
    audit_record(actor=actor, action="wallet.store_result", obj=item, after={"result": result.number})
    return item


def wallet_keep(
    *,
    actor: User,
    dossier_id: int,
    attachment_id: int | None = None,
    result: bool = False,
    document_type_code: str = "",
    title: str = "",
) -> WalletItem:
    """The owner keeps a document of one of their dossiers (an attachment, or the dossier's result file) in the store,
    typed so that later dossiers can reuse it (an unknown type code is refused, not ignored). Keeping the same file
    twice returns the stored item."""
    if actor.is_officer:
        raise ItemNotFound
    try:
        dossier = dossier_get(actor=actor, dossier_id=dossier_id)
    except DossierNotFound:
        raise ItemNotFound(gettext("Không tìm thấy hồ sơ.")) from None
    document_type = None
    if document_type_code:
        document_type = DocumentType.objects.filter(code=document_type_code).first()
        if document_type is None:
            raise UnknownDocumentType(gettext("Không có loại giấy tờ mã «%(code)s».") % {"code": document_type_code})
    if result:
        issued = (
            IssuedResult.objects.filter(dossier=dossier, status=IssuedResult.Status.VALID)
            .order_by("-issued_at")
            .first()
        )
        if issued is not None:
            item = wallet_store_result(result=issued, actor=actor)
            if item is not None:
                return item
        if not dossier.result_file or dossier.state not in (State.PROCESSED, State.RETURNED):
            raise NoResultYet(gettext("Hồ sơ chưa có kết quả để lưu."))
        source_name, original, source = (
            dossier.result_file.name,
            f"{dossier.code}-ket-qua.pdf",
            WalletItem.Source.KEPT_RESULT,
        )
        content_type, size = "application/pdf", dossier.result_file.size
        with dossier.result_file.open("rb") as stream:
            sha256 = hashlib.sha256(stream.read()).hexdigest()
        default_title = dossier.case.version.result_type or "Kết quả giải quyết"
    else:
        attachment = dossier.attachments.select_related("component").filter(pk=attachment_id or 0).first()
        if attachment is None:
            raise ItemNotFound(gettext("Không tìm thấy giấy tờ trong hồ sơ."))
        source_name, original, source = (
            attachment.file.name,
            attachment.original_name,
            WalletItem.Source.KEPT_ATTACHMENT,
        )
        content_type, size, sha256 = attachment.content_type, attachment.size, attachment.sha256
        default_title = attachment.component.name if attachment.component else attachment.original_name
        if document_type is None and attachment.component is not None:
            document_type = attachment.component.reusable_type
    existing = WalletItem.objects.filter(owner=actor, sha256=sha256, removed_at__isnull=True).first()
    if existing is not None:
        return existing
    stored = _copy(source_name, f"wallet/{actor.pk}", EXTENSIONS.get(content_type, "bin"))
    try:
        with transaction.atomic():
            item = WalletItem.objects.create(
                owner=actor, document_type=document_type,
                title=(title.strip() or (document_type.name if document_type else default_title))[:255],
                issuer=dossier.current_agency.name if result else "", source=source, source_dossier=dossier,
                file=stored, original_name=original[:255], content_type=content_type, size=size, sha256=sha256,
            )  # fmt: skip
            _log(item, actor=actor, action=WalletAccess.Action.STORED, dossier=dossier)
            audit_record(actor=actor, action="wallet.keep", obj=item, after={"dossier": dossier.pk, "sha256": sha256})
    except IntegrityError:
        default_storage.delete(stored)
        return WalletItem.objects.get(owner=actor, sha256=sha256, removed_at__isnull=True)
    except Exception:
        default_storage.delete(stored)
        raise
    return item


def wallet_item_remove(*, actor: User, item_id: int) -> WalletItem:
    """Remove a document from the owner's store (the log keeps that it was there). Dossiers that used it keep
    their own copy; an issued result stays in the agency's register and can be verified."""
    with transaction.atomic():
        item = wallet_item_get(actor=actor, item_id=item_id)
        item.removed_at = timezone.now()
        item.save(update_fields=["removed_at"])
        _log(item, actor=actor, action=WalletAccess.Action.REMOVED)
        audit_record(actor=actor, action="wallet.remove", obj=item)
    return item


# --- reading with a trace ------------------------------------------------------------------------------------------
def wallet_item_open(*, actor: User, item_id: int) -> tuple[WalletItem, IO[bytes]]:
    """The owner opens (views or downloads) a stored document: logged."""
    item = wallet_item_get(actor=actor, item_id=item_id)
    _log(item, actor=actor, action=WalletAccess.Action.VIEWED)
    return item, item.file.open("rb")


def wallet_document_for_officer(*, actor: User, dossier_id: int, attachment_id: int) -> tuple[Attachment, IO[bytes]]:
    """An officer opens a stored document attached to a dossier on their agency's route: allowed only then, and
    logged in the owner's access log (with the officer's agency)."""
    if not actor.is_officer:
        raise ItemNotFound
    try:
        dossier = dossier_get(actor=actor, dossier_id=dossier_id)
    except DossierNotFound:
        raise ItemNotFound from None
    use = (
        WalletUse.objects.select_related("item", "attachment")
        .filter(dossier=dossier, attachment_id=attachment_id)
        .first()
    )
    if use is None:
        raise ItemNotFound
    route = set(dossier.route_agencies.values_list("pk", flat=True))
    membership = (
        Membership.objects.filter(user=actor, active=True, agency_id__in=route).select_related("agency").first()
    )
    _log(use.item, actor=actor, action=WalletAccess.Action.OFFICER_VIEWED, dossier=dossier,
         agency=membership.agency if membership is not None else None)  # fmt: skip
    return use.attachment, use.attachment.file.open("rb")


# --- reuse ---------------------------------------------------------------------------------------------------------
def wallet_reuse(*, actor: User, dossier_id: int, component_code: str, item_id: int) -> Attachment:
    """Attach a stored document to the owner's draft (or a dossier waiting for a supplement) for a component whose
    ``reusable_type`` is the document's type: one click instead of an upload. Clicking twice attaches it once."""
    item = wallet_item_get(actor=actor, item_id=item_id)
    if not item.usable:
        raise ReuseRefused(
            gettext("«%(title)s» %(status)s: không dùng được cho hồ sơ mới.")
            % {"title": item.title, "status": item.status_label.lower()}
        )
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().filter(pk=dossier_id, applicant=actor).first()
        if dossier is None:
            raise ItemNotFound(gettext("Không tìm thấy hồ sơ."))
        if not (dossier.is_draft or dossier.state == State.SUPPLEMENT):
            raise ReuseRefused(gettext("Chỉ đính kèm được khi hồ sơ còn là bản nháp hoặc đang chờ bổ sung."))
        component = dossier.case.components.filter(code=component_code).first()
        if component is None or component.reusable_type_id is None:
            raise ReuseRefused(gettext("Thành phần hồ sơ này không nhận giấy tờ từ kho dữ liệu."))
        if component.reusable_type_id != item.document_type_id:
            raise ReuseRefused(
                gettext("«%(title)s» không phải loại giấy tờ «%(type)s».")
                % {"title": item.title, "type": component.reusable_type.name if component.reusable_type else ""}
            )
        existing = WalletUse.objects.filter(item=item, dossier=dossier, attachment__component=component).first()
        if existing is not None:
            return existing.attachment
        used = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
        if used + item.size > settings.CQS_MAX_DOSSIER_BYTES:
            raise ReuseTooLarge(gettext("Tổng dung lượng tệp của hồ sơ sẽ vượt giới hạn cho phép."))
        with item.file.open("rb") as stream:
            kind = sniff(stream.read(16))
        ext = kind[1] if kind else EXTENSIONS.get(item.content_type, "pdf")
        stored = _copy(item.file.name, f"dossiers/attachments/{dossier.pk}", ext)
        try:
            attachment = Attachment.objects.create(
                dossier=dossier, component=component, file=stored, original_name=item.original_name,
                content_type=item.content_type, size=item.size, sha256=item.sha256, reused_from_store=True,
                uploaded_by=actor,
            )  # fmt: skip
            WalletUse.objects.create(item=item, attachment=attachment, dossier=dossier)
            _log(item, actor=actor, action=WalletAccess.Action.REUSED, dossier=dossier)
            audit_record(actor=actor, action="dossier.attach_from_store", obj=dossier,
                         after={"wallet_item": item.pk, "component": component.code, "sha256": item.sha256})  # fmt: skip
        except Exception:
            default_storage.delete(stored)
            raise
    return attachment
