"""``GET /api/v1/quality/766``: the 766 indicators of one agency (or the province) for a period, as on the officers'
page. Scoped like the page: an officer sees the agencies they belong to, a system administrator every agency and the
province; anything else is 404 (ids cannot be probed). Errors are RFC 9457 problem details. See docs/api.md."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from chinhquyenso.accounts.api_auth import TokenAuth
from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.schemas import AgencyOut
from chinhquyenso.core.calendar import to_local
from chinhquyenso.core.errors import problem
from chinhquyenso.quality.periods import Period, period_problem
from chinhquyenso.quality.schemas import (
    GroupOut,
    IndicatorOut,
    QualityProblemOut,
    QualityQuery,
    QualityReportOut,
)
from chinhquyenso.quality.selectors import GroupResult, IndicatorResult, QualityNotFound, QualityReport, quality_report

router = Router(tags=["Chỉ số 766"])

AUTH = [TokenAuth(), django_auth]
Problem = QualityProblemOut
PARAMETER = {"start": "from", "end": "to"}


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError
    return user


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _indicator(result: IndicatorResult) -> IndicatorOut:
    indicator = result.indicator
    return IndicatorOut(
        key=indicator.key, number=indicator.number, name=str(indicator.name), status=result.status,
        numerator=result.numerator, denominator=result.denominator, ratio=_number(result.ratio),
        threshold=float(indicator.threshold), max_points=float(indicator.points), points=_number(result.points),
        note=str(result.note),
    )  # fmt: skip


def _group(group: GroupResult) -> GroupOut:
    return GroupOut(
        number=group.number, name=str(group.name), max_points=float(group.max_points), points=float(group.points),
        computable_points=float(group.computable_points), indicators=[_indicator(r) for r in group.indicators],
    )  # fmt: skip


def _out(report: QualityReport) -> QualityReportOut:
    agency = report.scope.agency
    return QualityReportOut.model_validate(
        {
            "agency": AgencyOut(id=agency.pk, code=agency.code, name=agency.name) if agency is not None else None,
            "from": report.period.start,
            "to": report.period.end,
            "as_of": report.as_of,
            "points": float(report.points),
            "computable_points": float(report.computable_points),
            "max_points": float(report.max_points),
            "groups": [_group(g) for g in report.groups],
        }
    )


def _not_found(request: HttpRequest) -> HttpResponse:
    return problem(
        request, 404, gettext("Không tìm thấy"),
        gettext("Không có số liệu này trong phạm vi bạn được xem: gửi agency_id của một đơn vị bạn thuộc về."),
        code="not_found",
    )  # fmt: skip


@router.get(
    "/766",
    response={200: QualityReportOut, 401: Problem, 404: Problem, 422: Problem},
    auth=AUTH,
    by_alias=True,
    operation_id="quality_766_get",
    summary="Chỉ số chất lượng phục vụ (QĐ 766)",
    description="Các chỉ số của Bộ chỉ số 766 (Quyết định 766/QĐ-TTg) tính được từ dữ liệu của nền tảng, cho một đơn "
    "vị (`agency_id`) hoặc toàn tỉnh (bỏ trống `agency_id`, chỉ quản trị hệ thống) và một kỳ (`from`, `to`: ngày "
    "theo giờ Việt Nam, tính cả hai ngày, tối đa 366 ngày; mặc định từ ngày 1 của tháng này đến hôm nay). Mỗi chỉ "
    "số có tử số, mẫu số, tỷ lệ, ngưỡng, điểm tối đa và điểm; chỉ số nền tảng chưa có dữ liệu có `status` = "
    "not_computed và không có số. `points` là tổng điểm các chỉ số đã tính, trên `computable_points`. Đơn vị không "
    "thuộc phạm vi của bạn, toàn tỉnh khi bạn không phải quản trị hệ thống, hoặc tài khoản không phải cán bộ: 404. "
    "Kỳ sai (to trước from, from sau hôm nay, quá 366 ngày): 422 (code = invalid_period).",
)
def quality_766_get(request: HttpRequest, query: Query[QualityQuery]) -> QualityReportOut | HttpResponse:
    actor = _actor(request)
    if not actor.is_officer:
        return _not_found(request)
    today = to_local(timezone.now()).date()
    start = query.date_from or today.replace(day=1)
    end = query.date_to or today
    found = period_problem(start=start, end=end, today=today)
    if found is not None:
        which, message = found
        return problem(request, 422, gettext("Kỳ đánh giá không hợp lệ"), message, code="invalid_period",
                       errors=[{"field": PARAMETER[which], "message": message}])  # fmt: skip
    try:
        report = quality_report(actor=actor, agency_id=query.agency_id, period=Period(start, end))
    except QualityNotFound:
        return _not_found(request)
    return _out(report)
