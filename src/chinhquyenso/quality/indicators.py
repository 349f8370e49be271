"""The 766 index (Quyết định 766/QĐ-TTg, 2022): its five groups, the indicators, their points and thresholds.

The group totals are DOMAIN.md §7 (18 + 20 + 22 + 22 + 18 = 100). How a group's points are split between its
indicators is NOT confirmed for groups 1, 3 and 4 (DOMAIN.md §7), so every indicator's points and threshold are
configuration: ``DEFAULT_INDICATORS`` below, overridden per indicator by ``settings.CQS_766_WEIGHTS`` when it is set,
e.g. ``CQS_766_WEIGHTS = {"online_dossiers": {"points": 8}, "online_payment": {"points": 8}}``. The points of a
group must still add up to the group's total: a configuration that does not stops with one clear sentence.
Why these defaults, and what is and is not computed: docs/adr/0015-766-indicators.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# DOMAIN.md §7: the five groups and their points (confirmed).
GROUP_POINTS: Mapping[int, int] = {1: 18, 2: 20, 3: 22, 4: 22, 5: 18}
GROUP_NAMES: Mapping[int, Promise] = {
    1: _("Công khai, minh bạch"),
    2: _("Tiến độ, kết quả giải quyết"),
    3: _("Số hóa hồ sơ"),
    4: _("Cung cấp dịch vụ trực tuyến"),
    5: _("Mức độ hài lòng"),
}


@dataclass(frozen=True)
class Indicator:
    """One indicator of the index: where it sits, what it is worth, and whether the platform can compute it."""

    key: str  # stable, used by the API and by CQS_766_WEIGHTS
    number: str  # as printed: "4.2"
    group: int
    name: Promise
    points: Decimal  # the most it can give
    threshold: Decimal  # T: a ratio at or above it gives all the points
    computed: bool  # False: the platform has no data for it yet; shown "chưa tính", never a number


# Defaults (ADR 0015). Thresholds from DOMAIN.md §7 where it gives one; 1 (= points in proportion) where it does not.
DEFAULT_INDICATORS: Mapping[str, Mapping[str, Any]] = {
    "catalog_published": {
        "number": "1.1", "group": 1, "points": 6, "threshold": "1", "computed": True,
        "name": _("Thủ tục hành chính được công khai đầy đủ thông tin trên danh mục"),
    },
    "transparency_other": {
        "number": "1.2", "group": 1, "points": 12, "threshold": "1", "computed": False,
        "name": _("Các nội dung công khai, minh bạch khác (đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia...)"),
    },
    "timeliness": {
        "number": "2.1", "group": 2, "points": 20, "threshold": "1", "computed": True,
        "name": _("Hồ sơ giải quyết trước hạn, đúng hạn"),
    },
    "digitised_dossiers": {
        "number": "3.1", "group": 3, "points": 11, "threshold": "0.8", "computed": True,
        "name": _("Hồ sơ được số hóa (mọi thành phần là tệp điện tử)"),
    },
    "data_reuse": {
        "number": "3.2", "group": 3, "points": 11, "threshold": "0.8", "computed": True,
        "name": _("Hồ sơ sử dụng lại dữ liệu đã số hóa từ kho dữ liệu"),
    },
    "online_procedures": {
        "number": "4.1", "group": 4, "points": 6, "threshold": "0.8", "computed": True,
        "name": _("Thủ tục cung cấp dịch vụ công trực tuyến toàn trình, một phần"),
    },
    "online_dossiers": {
        "number": "4.2", "group": 4, "points": 6, "threshold": "0.5", "computed": True,
        "name": _("Hồ sơ nộp trực tuyến (có kết quả điện tử khi thủ tục trả giấy tờ)"),
    },
    "online_payment": {
        "number": "4.3", "group": 4, "points": 10, "threshold": "0.8", "computed": True,
        "name": _("Hồ sơ có phí, lệ phí được thanh toán trực tuyến"),
    },
    "feedback_on_time": {
        "number": "5.1", "group": 5, "points": 6, "threshold": "1", "computed": False,
        "name": _("Phản ánh, kiến nghị được xử lý đúng hạn"),
    },
    "feedback_satisfaction": {
        "number": "5.2", "group": 5, "points": 6, "threshold": "1", "computed": False,
        "name": _("Mức độ hài lòng trong xử lý phản ánh, kiến nghị"),
    },
    "dossier_satisfaction": {
        "number": "5.3", "group": 5, "points": 6, "threshold": "0.9", "computed": True,
        "name": _("Mức độ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính"),
    },
}  # fmt: skip
OVERRIDABLE = frozenset({"points", "threshold"})


def _decimal(value: Any, *, key: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ImproperlyConfigured(
            f"CQS_766_WEIGHTS[{key!r}][{field!r}] phải là một số, không phải {value!r}."
        ) from None
    if not number.is_finite():
        raise ImproperlyConfigured(f"CQS_766_WEIGHTS[{key!r}][{field!r}] phải là một số hữu hạn.")
    return number


def indicators(*, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Indicator]:
    """Every indicator with its points and threshold: the defaults, then ``overrides`` (by default
    ``settings.CQS_766_WEIGHTS``). Checked: known keys only, points ≥ 0, 0 < T ≤ 1, each group adds up."""
    if overrides is None:
        overrides = getattr(settings, "CQS_766_WEIGHTS", None) or {}
    unknown = sorted(set(overrides) - set(DEFAULT_INDICATORS))
    if unknown:
        raise ImproperlyConfigured(f"CQS_766_WEIGHTS có chỉ số không tồn tại: {', '.join(unknown)}.")
    found: dict[str, Indicator] = {}
    for key, default in DEFAULT_INDICATORS.items():
        override = overrides.get(key, {})
        extra = sorted(set(override) - OVERRIDABLE)
        if extra:
            raise ImproperlyConfigured(f"CQS_766_WEIGHTS[{key!r}] chỉ nhận points và threshold, không nhận {extra}.")
        points = _decimal(override.get("points", default["points"]), key=key, field="points")
        threshold = _decimal(override.get("threshold", default["threshold"]), key=key, field="threshold")
        if points < 0:
            raise ImproperlyConfigured(f"CQS_766_WEIGHTS[{key!r}]: số điểm không được âm.")
        if not Decimal(0) < threshold <= Decimal(1):
            raise ImproperlyConfigured(f"CQS_766_WEIGHTS[{key!r}]: ngưỡng phải lớn hơn 0 và không quá 1.")
        found[key] = Indicator(
            key=key, number=str(default["number"]), group=int(default["group"]), name=default["name"],
            points=points, threshold=threshold, computed=bool(default["computed"]),
        )  # fmt: skip
    for group, total in GROUP_POINTS.items():
        summed = sum((i.points for i in found.values() if i.group == group), Decimal(0))
        if summed != total:
            raise ImproperlyConfigured(
                f"CQS_766_WEIGHTS: các chỉ số nhóm {group} cộng lại {summed} điểm, phải bằng {total} điểm (DOMAIN §7)."
            )
    return found


def indicator_points(*, ratio: Decimal, threshold: Decimal, max_points: Decimal) -> Decimal:
    """QĐ 766/QĐ-TTg scoring (DOMAIN.md §7): a ratio at or above the threshold T gives all the points, a ratio below
    it gives ratio × points ÷ T. Unrounded; the report rounds."""
    if ratio >= threshold:
        return max_points
    return max(ratio, Decimal(0)) * max_points / threshold
