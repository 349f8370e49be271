"""Signing writes: a specialist initials the draft result (ký nháy), a leader signs it and the platform issues the
electronic result (number, type, register, the applicant's data store) and approves the dossier (state 9); a leader
revokes or replaces a result.

No half-signed result is ever published: the file is signed into a buffer, the buffer is verified (every signature,
chain, timestamp), and only then, in one transaction, the dossier is approved with it, the result is registered,
stored in the holder's data store, and the timeline and audit chain record it. Any failure leaves nothing behind.
(Nghị định 30/2020/NĐ-CP on electronic documents; Nghị định 23/2025/NĐ-CP on digital signatures; DOMAIN.md §3.3.)
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Role
from chinhquyenso.catalog.models import DocumentType
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.selectors import dossier_get
from chinhquyenso.signing import conf, crypto, selectors
from chinhquyenso.signing.errors import (
    CertificateProblem,
    NoCredential,
    NotAllowed,
    ResultNotFound,
    SignatureCheckFailed,
    SigningError,
    WrongPassword,
)
from chinhquyenso.signing.models import IssuedResult, ResultCounter, ResultDraft, SigningCredential
from chinhquyenso.signing.pdfsign import Stamp, open_signer, read_pdf, sign_pdf
from chinhquyenso.signing.verify import Verification, certificate_trusted, verify_pdf

NUMBER_FORMAT = "{unit}-KQ{year}-{seq:06d}"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed from paper


def verification_url(code: str) -> str:
    try:
        path = reverse("signing:verify")
    except NoReverseMatch:
        path = "/xac-thuc/"
    return f"{conf.public_base_url()}{path}?ma={code}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def _dossier(actor: User, dossier_id: int) -> Dossier:
    try:
        return dossier_get(actor=actor, dossier_id=dossier_id)
    except DossierNotFound:
        raise ResultNotFound(_("Không tìm thấy hồ sơ.")) from None


def _read_upload(upload: File[Any]) -> bytes:
    limit = int(settings.CQS_MAX_FILE_BYTES)
    upload.seek(0)
    data = bytes(upload.read(limit + 1))
    if len(data) > limit:
        error = SigningError(_("Tệp vượt giới hạn %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        error.status = 413
        raise error
    return data


def _credential(actor: User) -> SigningCredential:
    """The actor's usable credential, or why there is none; its chain must still reach the trust list."""
    credential = selectors.credential_for(user=actor)
    if credential is None:
        latest = selectors.latest_credential(user=actor)
        if latest is not None and latest.expired:
            raise CertificateProblem(
                _("Chứng thư số của bạn đã hết hạn ngày %(day)s; không thể ký. Hãy đề nghị cấp chứng thư mới.")
                % {"day": f"{to_local(latest.not_after):%d/%m/%Y}"}
            )
        if latest is not None:
            raise CertificateProblem(_("Chứng thư số của bạn chưa đến ngày có hiệu lực."))
        raise NoCredential(
            _("Bạn chưa có chứng thư số để ký. Hãy liên hệ quản trị hệ thống để được cấp chứng thư số hoặc đăng ký "
              "thiết bị ký số.")
        )  # fmt: skip
    cert = crypto.load_pem(credential.certificate_pem)
    if not certificate_trusted(cert, crypto.load_pem_list(credential.chain_pem)):
        raise CertificateProblem(
            _("Chứng thư số của bạn không do tổ chức nằm trong danh sách tin cậy của hệ thống cấp; không thể ký.")
        )
    return credential


def _unlock(actor: User, credential: SigningCredential, *, password: str, pin: str) -> None:
    """A key kept on the platform is used only after the officer confirms with their password; a token asks its PIN
    itself (``open_signer``)."""
    if credential.kind == SigningCredential.Kind.SOFTWARE and not actor.check_password(password or ""):
        raise WrongPassword(_("Mật khẩu xác nhận không đúng; văn bản chưa được ký."),
                            fields={"password": [_("Mật khẩu không đúng.")]})  # fmt: skip


def _sign(
    *, actor: User, credential: SigningCredential, data: bytes, stamp: Stamp, reason: str, pin: str
) -> tuple[bytes, Verification]:
    from chinhquyenso.dossiers.documents.pdf import place_name

    try:
        location = place_name()
    except Exception:  # the province list is decoration here
        location = ""
    with open_signer(credential, pin=pin) as signer:
        signed = sign_pdf(data=data, signer=signer, stamp=stamp, reason=reason, location=location)
    report = verify_pdf(signed)
    if not report.signatures_ok:
        problems = "; ".join(p for s in report.signatures for p in s.problems) or _("không rõ lý do")
        raise SignatureCheckFailed(
            _("Văn bản sau khi ký không vượt qua bước kiểm tra chữ ký (%(problems)s); chưa có gì được phát hành.")
            % {"problems": problems}
        )
    return signed, report


# --- ký nháy: a specialist initials the draft result ----------------------------------------------------------------
def result_initial(*, actor: User, dossier_id: int, upload: File[Any] | None, password: str = "", pin: str = "",
                   use_draft: bool = False) -> ResultDraft:  # fmt: skip
    """A specialist of the handling agency initials the draft result (small stamp, bottom left of the last page).
    Several specialists may initial in turn (``use_draft`` adds to the latest draft)."""
    dossier = _dossier(actor, dossier_id)
    if not selectors.can_initial(actor=actor, dossier=dossier):
        raise NotAllowed(_("Chỉ chuyên viên của đơn vị đang xử lý hồ sơ mới ký nháy dự thảo kết quả."))
    draft = selectors.latest_draft(dossier=dossier) if use_draft else None
    if draft is not None:
        with draft.file.open("rb") as stream:
            data = stream.read()
    elif upload is not None:
        data = _read_upload(upload)
    else:
        raise SigningError(_("Hãy chọn tệp PDF dự thảo kết quả."), fields={"file": [_("Bắt buộc.")]})
    read_pdf(data, name=str(getattr(upload, "name", "") or _("dự thảo")))
    credential = _credential(actor)
    _unlock(actor, credential, password=password, pin=pin)
    stamp = Stamp(signer=actor.display_name, title=selectors.signer_title(user=actor, agency=dossier.current_agency,
                  role=Role.SPECIALIST), agency=dossier.current_agency.name, at=timezone.now(), initials=True)  # fmt: skip
    with translation.override("vi"):  # written into the signed PDF: Vietnamese whatever the page's language
        reason = _("Ký nháy dự thảo kết quả hồ sơ %(code)s") % {"code": dossier.code}
    signed, _report = _sign(actor=actor, credential=credential, data=data, stamp=stamp, pin=pin, reason=reason)
    with transaction.atomic():
        if draft is not None:
            ResultDraft.objects.filter(pk=draft.pk).update(used_at=timezone.now())
        new = ResultDraft(dossier=dossier, sha256=hashlib.sha256(signed).hexdigest(), signed_by=actor,
                          signer_label=f"{actor.display_name} ({stamp.title})")  # fmt: skip
        new.file.save(f"{dossier.code}-du-thao.pdf", ContentFile(signed), save=False)
        try:
            new.save()
            dossier_services.dossier_note(dossier_id=dossier.pk, actor=actor, action="result_initialled",
                                          note="", notify=False)  # fmt: skip
            audit_record(actor=actor, action="signing.initial", obj=new, after={"dossier": dossier.pk,
                                                                                "sha256": new.sha256})  # fmt: skip
        except Exception:
            default_storage.delete(new.file.name)
            raise
    return new


# --- the leader signs, the result is issued -------------------------------------------------------------------------
@dataclass(frozen=True)
class IssueRequest:
    dossier_id: int
    expected_version: int | None
    upload: File[Any] | None = None
    use_draft: bool = True
    password: str = ""
    pin: str = ""
    document_type_code: str = ""
    type_name: str = ""
    valid_until: date | None = None
    replaces: str = ""
    note: str = ""


def _allocate_number(agency: Agency, year: int) -> str:
    table = connection.ops.quote_name(ResultCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608 (table name is ours)
            "ON CONFLICT (agency_id, year) DO UPDATE SET last = " + table + ".last + 1 RETURNING last",
            [agency.pk, year],
        )
        row = cursor.fetchone()
    assert row is not None
    number_format = str(getattr(settings, "CQS_RESULT_NUMBER_FORMAT", NUMBER_FORMAT))
    return number_format.format(unit=agency.code, year=year, seq=int(row[0]))


def result_issue(*, actor: User, request: IssueRequest) -> IssuedResult:
    """The leader signs the dossier's result (on the initialled draft, or an uploaded PDF), and the electronic result
    is issued and the dossier approved (state 9) in one transaction after the signed file verified."""
    dossier = _dossier(actor, request.dossier_id)
    if not selectors.can_sign(actor=actor, dossier=dossier):
        raise NotAllowed(_("Chỉ lãnh đạo của đơn vị đang xử lý, ở bước phê duyệt, mới ký kết quả của hồ sơ này."))
    if request.expected_version is not None and dossier.lock_version != request.expected_version:
        raise SigningError(str(dossier_services.STALE_MESSAGE))
    draft = selectors.latest_draft(dossier=dossier) if request.use_draft and request.upload is None else None
    if draft is not None:
        with draft.file.open("rb") as stream:
            data = stream.read()
        name = _("dự thảo đã ký nháy")
    elif request.upload is not None:
        data = _read_upload(request.upload)
        name = str(getattr(request.upload, "name", "") or _("kết quả"))
    else:
        raise SigningError(_("Hãy chọn tệp PDF kết quả để ký."), fields={"file": [_("Bắt buộc.")]})
    read_pdf(data, name=name)
    document_type = (
        DocumentType.objects.filter(code=request.document_type_code).first() if request.document_type_code else None
    )
    with translation.override("vi"):  # stored on the result and printed on it: Vietnamese whatever the page's language
        type_name = (request.type_name.strip() or (document_type.name if document_type else "")
                     or dossier.case.version.result_type or _("Kết quả giải quyết thủ tục hành chính"))[:255]  # fmt: skip
        reason = _("Phê duyệt kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code}
    replaced = None
    if request.replaces.strip():
        replaced = selectors.result_of_agency_for_leader(actor=actor, number=request.replaces)
        if replaced is None or not replaced.is_valid:
            message = _("Không có kết quả còn hiệu lực số «%(number)s» của đơn vị bạn để thay thế.") % {
                "number": request.replaces.strip()
            }
            raise SigningError(message, fields={"replaces": [message]})
    credential = _credential(actor)
    _unlock(actor, credential, password=request.password, pin=request.pin)
    agency = dossier.current_agency
    now = timezone.now()
    code = _new_code()
    title = selectors.signer_title(user=actor, agency=agency, role=Role.LEADER)
    stamp = Stamp(
        signer=actor.display_name, title=title, agency=agency.name, at=now, verify_url=verification_url(code), code=code
    )
    signed, report = _sign(actor=actor, credential=credential, data=data, stamp=stamp, pin=request.pin, reason=reason)
    return _publish(actor=actor, dossier=dossier, request=request, signed=signed, code=code, agency=agency,
                    signers_rows=_signers(report, title),
                    document_type=document_type, type_name=type_name, replaced=replaced, draft=draft, title=title)  # fmt: skip


def _signers(report: Verification, leader_title: str) -> list[dict[str, Any]]:
    rows = []
    for check in report.signatures:
        rows.append({"name": check.signer, "at": (check.timestamp_at or check.signed_at or timezone.now()).isoformat(),
                     "issuer": check.issuer})  # fmt: skip
    if rows:
        rows[-1]["title"] = leader_title
    return rows


def _publish(*, actor: User, dossier: Dossier, request: IssueRequest, signed: bytes, code: str, agency: Agency,
             document_type: DocumentType | None, type_name: str, replaced: IssuedResult | None,
             draft: ResultDraft | None, title: str, signers_rows: list[dict[str, Any]]) -> IssuedResult:  # fmt: skip
    from chinhquyenso.wallet.services import wallet_store_result

    stored_name = ""
    try:
        with transaction.atomic():
            approved = dossier_services.dossier_act(
                actor=actor, dossier_id=dossier.pk, action="approve", expected_version=request.expected_version,
                params=dossier_services.ActionParams(result_file=ContentFile(signed, name=f"{dossier.code}.pdf"),
                                                     note=request.note),
            )  # fmt: skip
            stored_name = approved.result_file.name
            now = timezone.now()
            result = IssuedResult.objects.create(
                number=_allocate_number(agency, to_local(now).year), verification_code=code,
                document_type=document_type, type_name=type_name, dossier=approved, agency=agency,
                holder=approved.applicant, holder_name=approved.applicant_name, file=stored_name,
                sha256=hashlib.sha256(signed).hexdigest(), size=len(signed), signers=signers_rows, issued_at=now,
                issued_by=actor, valid_until=request.valid_until,
            )  # fmt: skip
            with translation.override(
                "vi"
            ):  # stored (status reason, timeline): Vietnamese whatever the page's language
                superseded = _("Được thay thế bởi kết quả số %(number)s.") % {"number": result.number}
                note = _("Kết quả điện tử số %(number)s (%(type)s) đã được ký số và phát hành.") % {
                    "number": result.number, "type": type_name,
                }  # fmt: skip
            if replaced is not None:
                _change_status(replaced, actor=actor, status=IssuedResult.Status.SUPERSEDED, now=now, superseded_by=result,
                               reason=superseded)  # fmt: skip
            if draft is not None:
                ResultDraft.objects.filter(pk=draft.pk).update(used_at=now)
            wallet_store_result(result=result, actor=actor)
            dossier_services.dossier_note(dossier_id=approved.pk, actor=actor, action="result_issued", notify=False,
                                          note=note)  # fmt: skip
            audit_record(actor=actor, action="signing.issue", obj=result,
                         after={"number": result.number, "dossier": approved.pk, "sha256": result.sha256})  # fmt: skip
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return result


# --- revoke --------------------------------------------------------------------------------------------------------
def _change_status(result: IssuedResult, *, actor: User, status: str, now: Any, reason: str,
                   superseded_by: IssuedResult | None = None) -> None:  # fmt: skip
    before = result.status
    result.status = status
    result.status_reason = reason
    result.status_changed_at = now
    result.status_changed_by = actor
    result.superseded_by = superseded_by
    result.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", "superseded_by"])
    audit_record(actor=actor, action=f"signing.{status}", obj=result, before={"status": before},
                 after={"status": status, "reason": reason})  # fmt: skip


def result_revoke(*, actor: User, number: str, reason: str) -> IssuedResult:
    """A leader of the issuing agency revokes a result (thu hồi, hủy bỏ); verification reports it from then on."""
    if not reason.strip():
        raise SigningError(_("Vui lòng nhập lý do thu hồi."), fields={"reason": [_("Bắt buộc.")]})
    with transaction.atomic():
        found = selectors.result_of_agency_for_leader(actor=actor, number=number)
        if found is None:
            raise ResultNotFound
        result = IssuedResult.objects.select_for_update().get(pk=found.pk)
        if not result.is_valid:
            raise SigningError(_("Kết quả này đã %(status)s.") % {"status": result.get_status_display().lower()})
        _change_status(result, actor=actor, status=IssuedResult.Status.REVOKED, now=timezone.now(),
                       reason=reason.strip())  # fmt: skip
        with translation.override("vi"):  # stored in the timeline: Vietnamese whatever the page's language
            note = _("Kết quả số %(number)s đã bị thu hồi: %(reason)s") % {"number": result.number,
                                                                           "reason": reason.strip()}  # fmt: skip
        dossier_services.dossier_note(dossier_id=result.dossier_id, actor=actor, action="result_revoked", notify=True,
                                      note=note)  # fmt: skip
    return result
