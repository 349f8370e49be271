"""``POST /api/v1/verify``: verify an electronic document (a PDF, or the code in its QR, or its number) without
signing in. Errors are RFC 9457 problem details with a Vietnamese title and detail."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Router
from ninja.files import UploadedFile
from ninja.params import functions as param

from chinhquyenso.core.errors import problem
from chinhquyenso.signing.errors import SigningError
from chinhquyenso.signing.models import IssuedResult
from chinhquyenso.signing.schemas import IssuedResultOut, SignatureOut, VerifyOut, VerifyProblemOut
from chinhquyenso.signing.verify import Verification, verify_pdf
from chinhquyenso.signing.views.public import stored_verification

router = Router(tags=["Xác thực văn bản điện tử"])


def _result_out(result: IssuedResult | None) -> IssuedResultOut | None:
    if result is None:
        return None
    return IssuedResultOut(
        number=result.number, type_name=result.type_name, agency=result.agency.name, issued_at=result.issued_at,
        valid_until=result.valid_until, status=result.status, status_label=str(result.get_status_display()),
        status_reason=result.status_reason, superseded_by=result.superseded_by.number if result.superseded_by else None,
    )  # fmt: skip


def _out(report: Verification) -> VerifyOut:
    return VerifyOut(
        ok=report.ok, verdict=report.verdict, sha256=report.sha256, problems=list(report.problems),
        result=_result_out(report.result),
        signatures=[
            SignatureOut(
                field=s.field, signer=s.signer, organization=s.organization, issuer=s.issuer, serial=s.serial,
                certificate_from=s.certificate_from, certificate_to=s.certificate_to, signed_at=s.signed_at,
                timestamp_at=s.timestamp_at, timestamp_trusted=s.timestamp_trusted, intact=s.intact, valid=s.valid,
                trusted=s.trusted, unchanged_after=s.unchanged_after, ok=s.ok, problems=list(s.problems),
            )
            for s in report.signatures
        ],
    )  # fmt: skip


@router.post(
    "/verify",
    response={
        200: VerifyOut,
        404: VerifyProblemOut,
        413: VerifyProblemOut,
        415: VerifyProblemOut,
        422: VerifyProblemOut,
    },
    auth=None,
    operation_id="document_verify",
    summary="Xác thực văn bản điện tử",
    description="multipart/form-data với `file` (tệp PDF) hoặc `code` (mã xác thực in dưới mã QR, hoặc số văn bản). "
    "Trả về tính toàn vẹn, người ký, độ tin cậy của chuỗi chứng thư theo danh sách tin cậy của hệ thống, dấu thời "
    "gian, và tình trạng trong sổ kết quả (còn hiệu lực, đã thay thế, đã thu hồi). Tệp bị sửa sau khi ký: "
    "`ok` = false. Không phải PDF: 415; PDF hỏng hoặc thiếu cả hai tham số: 422; mã không có: 404.",
)
def document_verify(
    request: HttpRequest,
    file: UploadedFile | None = param.File(None, description="Tệp PDF cần kiểm tra."),  # noqa: B008 (ninja's marker)
    code: str = param.Form("", description="Mã xác thực in dưới mã QR, hoặc số văn bản."),
) -> VerifyOut | HttpResponse:
    from django.conf import settings

    if file is not None:
        if (file.size or 0) > settings.CQS_MAX_FILE_BYTES:
            return problem(request, 413, gettext("Tệp quá lớn"), gettext("Tệp vượt giới hạn dung lượng cho phép."),
                           code="too_large")  # fmt: skip
        try:
            return _out(verify_pdf(file.read(), name=file.name or "tệp"))
        except SigningError as exc:
            return problem(request, exc.status, gettext("Không kiểm tra được tệp"), exc.message, code=exc.code)
    if code.strip():
        report, found = stored_verification(code.strip()[:80])
        if not found or report is None:
            return problem(request, 404, gettext("Không tìm thấy văn bản"),
                           gettext("Không có văn bản có mã hoặc số «%(code)s».") % {"code": code.strip()[:80]},
                           code="not_found")  # fmt: skip
        return _out(report)
    return problem(request, 422, gettext("Thiếu dữ liệu"),
                   gettext("Gửi tệp PDF (`file`) hoặc mã xác thực/số văn bản (`code`)."), code="missing_input")  # fmt: skip
