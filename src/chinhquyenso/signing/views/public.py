"""Public pages: verify an electronic document (a PDF, or the code from its QR, or its number), without signing in;
and the demo timestamp authority's RFC 3161 endpoint."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from chinhquyenso.core.ratelimit import rate_limit
from chinhquyenso.signing import conf, selectors
from chinhquyenso.signing.errors import SigningError
from chinhquyenso.signing.forms import VerifyForm
from chinhquyenso.signing.pdfsign import tsa_reply
from chinhquyenso.signing.verify import Verification, verify_pdf

QUERY_FIELDS = ("ma", "so")  # ?ma=<verification code from the QR>, ?so=<document number>


def stored_verification(query: str) -> tuple[Verification | None, bool]:
    """(report on the registered file, found) for a verification code or a document number."""
    result = selectors.result_lookup(query=query)
    if result is None:
        return None, False
    with result.file.open("rb") as stream:
        report = verify_pdf(stream.read(), name=result.number)
    report.result = result
    return report, True


@never_cache
@rate_limit(scope="verify", limit=30, window_seconds=60)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    query = next((request.GET.get(name, "").strip() for name in QUERY_FIELDS if request.GET.get(name)), "")
    form = VerifyForm(request.POST or None, request.FILES or None)
    report: Verification | None = None
    error = ""
    status = 200
    uploaded = False
    if request.method == "POST":
        upload = request.FILES.get("file")
        if form.is_valid() and upload is not None:
            uploaded = True
            try:
                report = verify_pdf(upload.read(), name=upload.name or "tệp")
            except SigningError as exc:
                error, status = exc.message, exc.status
        else:
            error, status = gettext("Hãy chọn tệp PDF cần kiểm tra."), 422
    elif query:
        report, found = stored_verification(query[:80])
        if not found:
            error, status = gettext("Không tìm thấy văn bản có mã hoặc số «%(query)s».") % {"query": query[:80]}, 404
    context = {"form": form, "report": report, "error": error, "query": query, "uploaded": uploaded}
    return render(request, "signing/verify.html", context, status=status)


@csrf_exempt  # RFC 3161 over HTTP: a machine-to-machine POST without cookies
@require_POST
def timestamp_authority(request: HttpRequest) -> HttpResponse:
    """The demo TSA (``CQS_TSA_SERVE``): application/timestamp-query in, application/timestamp-reply out."""
    if not conf.tsa_serve():
        return HttpResponse(status=404)
    if request.content_type != "application/timestamp-query":
        return HttpResponse("Content-Type must be application/timestamp-query", status=415, content_type="text/plain")
    try:
        reply = tsa_reply(request.body)
    except LookupError:
        return HttpResponse("No timestamp authority configured: run `cqs pki init`.", status=503,
                            content_type="text/plain")  # fmt: skip
    except ValueError:
        return HttpResponse("Malformed TimeStampReq", status=400, content_type="text/plain")
    return HttpResponse(reply, content_type="application/timestamp-reply")
