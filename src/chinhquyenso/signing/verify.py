"""Verification of signed PDFs against the platform's trust list, with pyHanko's validator.

For each signature: integrity (the signed bytes are unchanged), the cryptographic signature, the certificate chain
up to a root on the trust list (``TrustAnchor``), the RFC 3161 timestamp, and whether anything was changed after it
beyond what PDF allows for later signatures (pyHanko's difference analysis: adding a signature field is "form
filling"; new page content is not). A certificate that has expired since is accepted when a trusted timestamp proves
the signature was made while it was valid (point-in-time validation, ETSI EN 319 102-1 §5.6.2.1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from chinhquyenso.signing import crypto
from chinhquyenso.signing.errors import MalformedPdf
from chinhquyenso.signing.models import IssuedResult, PlatformKey, TrustAnchor
from chinhquyenso.signing.pdfsign import read_pdf

OUT_OF_BOUNDS = (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED)
ALLOWED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


def _anchors() -> list[Any]:
    return [crypto.to_asn1_cert(crypto.load_pem(pem)) for pem in
            TrustAnchor.objects.filter(active=True).values_list("certificate_pem", flat=True)]  # fmt: skip


def _intermediates() -> list[Any]:
    rows = PlatformKey.objects.filter(role=PlatformKey.Role.ISSUING).values_list("certificate_pem", flat=True)
    return [crypto.to_asn1_cert(crypto.load_pem(pem)) for pem in rows]


def validation_context(moment: dt.datetime | None = None) -> ValidationContext:
    """Trust only the platform's list; never fetch from the network (CRLs and OCSP of a licensed CA are added by
    the operator, docs/signing.md)."""
    return ValidationContext(trust_roots=_anchors(), other_certs=_intermediates(), allow_fetching=False,
                             moment=moment, revocation_mode="soft-fail")  # fmt: skip


def certificate_trusted(cert: x509.Certificate, chain: Sequence[x509.Certificate]) -> bool:
    """Does ``cert`` chain to a root on the trust list (checked now, for digital signatures)?"""
    import asyncio

    validator = CertificateValidator(
        crypto.to_asn1_cert(cert), intermediate_certs=[crypto.to_asn1_cert(c) for c in chain],
        validation_context=validation_context(),
    )  # fmt: skip
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))  # type: ignore[no-untyped-call]
    except (PathBuildingError, PathValidationError, ValidationError):
        return False
    return True


@dataclass(frozen=True)
class SignatureCheck:
    """One signature as the verification page and the API report it."""

    field: str
    signer: str
    organization: str
    issuer: str
    serial: str
    certificate_from: dt.datetime | None
    certificate_to: dt.datetime | None
    signed_at: dt.datetime | None  # as claimed by the signer's computer
    timestamp_at: dt.datetime | None  # from the timestamp authority
    timestamp_trusted: bool
    intact: bool
    valid: bool
    trusted: bool
    unchanged_after: bool
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.unchanged_after and self.timestamp_trusted


@dataclass
class Verification:
    sha256: str
    size: int
    signatures: list[SignatureCheck] = field(default_factory=list)
    result: IssuedResult | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def signatures_ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def ok(self) -> bool:
        """The file is a valid electronic document of this platform, or an otherwise valid signed PDF."""
        return self.signatures_ok and (self.result is None or self.result.is_valid)

    @property
    def verdict(self) -> str:
        if not self.signatures:
            return _("Tệp không có chữ ký số.")
        if not self.signatures_ok:
            return _("KHÔNG HỢP LỆ: chữ ký số không được xác thực.")
        if self.result is not None and not self.result.is_valid:
            return _("Chữ ký hợp lệ nhưng văn bản %(status)s.") % {"status": self.result.get_status_display().lower()}
        if self.result is None:
            return _("Chữ ký số hợp lệ. Văn bản không có trong sổ kết quả do hệ thống này phát hành.")
        return _("HỢP LỆ: văn bản điện tử do hệ thống phát hành, chữ ký số được xác thực.")


def _check(embedded: Any, index: int, total: int) -> SignatureCheck:
    status = validate_pdf_signature(embedded, validation_context())
    cert = status.signing_cert
    problems: list[str] = []
    notes: list[str] = []
    timestamp = status.timestamp_validity
    timestamp_at = timestamp.timestamp if timestamp is not None else None
    timestamp_trusted = bool(timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted)
    trusted = bool(status.trusted)
    if not trusted and timestamp_trusted and status.trust_problem_indic in OUT_OF_BOUNDS:
        # Expired since: valid when the trusted timestamp proves it was signed while the certificate was valid.
        again = validate_pdf_signature(embedded, validation_context(moment=timestamp_at),
                                       ts_validation_context=validation_context())  # fmt: skip
        if again.trusted:
            trusted = True
            notes.append(_("Chứng thư số đã hết hạn, nhưng còn hiệu lực tại thời điểm ký (theo dấu thời gian)."))
    if not status.intact:
        problems.append(_("Nội dung tệp đã bị thay đổi sau khi ký (giá trị băm không khớp)."))
    elif not status.valid:
        problems.append(_("Chữ ký số không đúng về mặt mật mã."))
    if not trusted:
        problems.append(_trust_problem(status))
    if timestamp is None:
        problems.append(_("Chữ ký không có dấu thời gian (RFC 3161)."))
    elif not timestamp_trusted:
        problems.append(_("Dấu thời gian không hợp lệ hoặc không do máy chủ cấp dấu thời gian tin cậy cấp."))
    coverage = status.coverage
    unchanged = coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in ALLOWED_LATER_CHANGES
        and status.docmdp_ok is not False
    )
    if status.intact and not unchanged:
        problems.append(_("Tệp đã bị sửa đổi sau khi ký (có nội dung được thêm vào sau chữ ký)."))
    subject = cert.subject.native if cert is not None else {}
    issuer = cert.issuer.native if cert is not None else {}
    validity = cert["tbs_certificate"]["validity"] if cert is not None else None
    return SignatureCheck(
        field=str(embedded.field_name or f"Chữ ký {index + 1}"),
        signer=str(subject.get("common_name", "")),
        organization=str(subject.get("organization_name", "")),
        issuer=str(issuer.get("common_name", "")),
        serial=format(cert.serial_number, "x") if cert is not None else "",
        certificate_from=validity["not_before"].native if validity is not None else None,
        certificate_to=validity["not_after"].native if validity is not None else None,
        signed_at=status.signer_reported_dt,
        timestamp_at=timestamp_at,
        timestamp_trusted=timestamp_trusted,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=trusted,
        unchanged_after=bool(unchanged),
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _trust_problem(status: Any) -> str:
    indic = status.trust_problem_indic
    if status.revoked:
        return _("Chứng thư số của người ký đã bị thu hồi.")
    if indic in OUT_OF_BOUNDS:
        return _("Chứng thư số của người ký đã hết hạn hoặc chưa có hiệu lực tại thời điểm kiểm tra.")
    if indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return _("Chứng thư số không do tổ chức nằm trong danh sách tin cậy của hệ thống cấp.")
    return _("Không xác thực được chuỗi chứng thư số đến danh sách tin cậy của hệ thống.")


def verify_pdf(data: bytes, *, name: str = "tệp") -> Verification:
    """Verify every signature of ``data`` and look it up in the register of issued results (by its SHA-256).

    Raise NotAPdf or MalformedPdf (Vietnamese) for a file that is not a readable PDF.
    """
    read_pdf(data, name=name)
    sha256 = hashlib.sha256(data).hexdigest()
    report = Verification(sha256=sha256, size=len(data))
    report.result = IssuedResult.objects.select_related("agency", "superseded_by").filter(sha256=sha256).first()
    try:
        embedded = list(PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures)
        report.signatures = [_check(sig, i, len(embedded)) for i, sig in enumerate(embedded)]
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        raise MalformedPdf(
            _("Không đọc được chữ ký trong tệp «%(name)s»: cấu trúc PDF hỏng.") % {"name": name}
        ) from exc
    if not report.signatures:
        report.problems.append(_("Tệp không có chữ ký số."))
    if report.result is not None and report.result.status == IssuedResult.Status.REVOKED:
        report.problems.append(_("Văn bản đã bị thu hồi, hủy bỏ: %(reason)s") % {"reason": report.result.status_reason})
    if report.result is not None and report.result.status == IssuedResult.Status.SUPERSEDED:
        newer = report.result.superseded_by
        report.problems.append(
            _("Văn bản đã được thay thế bởi văn bản số %(number)s.") % {"number": newer.number if newer else "?"}
        )
    return report
