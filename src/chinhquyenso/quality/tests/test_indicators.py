"""The scoring rule, the configuration of points and thresholds, and how numbers read in Vietnamese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from chinhquyenso.quality import formatting
from chinhquyenso.quality.apps import check_766_weights
from chinhquyenso.quality.indicators import GROUP_POINTS, indicator_points, indicators
from chinhquyenso.quality.periods import Period, period_problem

ratios = st.decimals(min_value=0, max_value=1, places=4)
thresholds = st.decimals(min_value=Decimal("0.01"), max_value=1, places=2)
maxima = st.decimals(min_value=0, max_value=30, places=2)


@given(ratio=ratios, threshold=thresholds, max_points=maxima)
def test_a_ratio_at_or_above_the_threshold_gives_full_points_below_it_ratio_times_max_over_t(
    ratio: Decimal, threshold: Decimal, max_points: Decimal
) -> None:
    points = indicator_points(ratio=ratio, threshold=threshold, max_points=max_points)

    expected = max_points if ratio >= threshold else ratio * max_points / threshold
    assert points == expected
    assert Decimal(0) <= points <= max_points


@given(low=ratios, high=ratios, threshold=thresholds, max_points=maxima)
def test_a_better_ratio_never_gives_fewer_points(
    low: Decimal, high: Decimal, threshold: Decimal, max_points: Decimal
) -> None:
    low, high = min(low, high), max(low, high)

    assert indicator_points(ratio=low, threshold=threshold, max_points=max_points) <= indicator_points(
        ratio=high, threshold=threshold, max_points=max_points
    )


def test_the_defaults_use_the_thresholds_of_the_domain_and_add_up_to_each_groups_points(settings: Any) -> None:
    settings.CQS_766_WEIGHTS = None

    found = indicators()

    thresholds_by_key = {key: i.threshold for key, i in found.items()}
    assert thresholds_by_key["online_procedures"] == Decimal("0.8")
    assert thresholds_by_key["online_dossiers"] == Decimal("0.5")
    assert thresholds_by_key["online_payment"] == Decimal("0.8")
    assert thresholds_by_key["digitised_dossiers"] == Decimal("0.8")
    assert thresholds_by_key["data_reuse"] == Decimal("0.8")
    assert thresholds_by_key["dossier_satisfaction"] == Decimal("0.9")
    for group, total in GROUP_POINTS.items():
        assert sum(i.points for i in found.values() if i.group == group) == total


def test_the_settings_move_points_inside_a_group_and_change_a_threshold(settings: Any) -> None:
    settings.CQS_766_WEIGHTS = {"online_dossiers": {"points": 8}, "online_payment": {"points": 8, "threshold": 0.9}}

    found = indicators()

    assert (found["online_dossiers"].points, found["online_payment"].points) == (8, 8)
    assert found["online_payment"].threshold == Decimal("0.9")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"online_payment": {"points": 12}}, "nhóm 4 cộng lại 24 điểm, phải bằng 22"),
        ({"popularity": {"points": 1}}, "không tồn tại: popularity"),
        ({"timeliness": {"threshold": 0}}, "ngưỡng phải lớn hơn 0"),
        ({"timeliness": {"weight": 3}}, "chỉ nhận points và threshold"),
    ],
)
def test_a_configuration_that_does_not_add_up_stops_with_one_clear_sentence(
    settings: Any, weights: dict[str, Any], message: str
) -> None:
    settings.CQS_766_WEIGHTS = weights

    with pytest.raises(ImproperlyConfigured, match=message):
        indicators()


def test_the_system_check_names_a_configuration_that_does_not_add_up(settings: Any) -> None:
    settings.CQS_766_WEIGHTS = {"timeliness": {"points": 25}}

    errors = check_766_weights()

    assert [(e.id, e.msg) for e in errors] == [
        ("quality.E001", "CQS_766_WEIGHTS: các chỉ số nhóm 2 cộng lại 25 điểm, phải bằng 20 điểm (DOMAIN §7).")
    ]


def test_percentages_and_points_read_with_a_decimal_comma() -> None:
    assert formatting.percent(Decimal("0.875")) == "87,5\u00a0%"
    assert formatting.percent(Decimal(1)) == "100\u00a0%"
    assert formatting.percent(Decimal("0.79999")) == "79,99\u00a0%"  # never shown as reaching 80 %
    assert formatting.points(Decimal("15.50")) == "15,5"
    assert formatting.points(Decimal("20")) == "20"


def test_periods_are_whole_months_quarters_and_years_of_local_dates() -> None:
    assert Period.month(2028, 2) == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert Period.quarter(2026, 4) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert Period.year(2026).until.isoformat() == "2027-01-01T00:00:00+07:00"
    assert period_problem(start=date(2026, 1, 1), end=date(2026, 12, 31), today=date(2026, 11, 20)) is None
    assert period_problem(start=date(2026, 12, 1), end=date(2026, 12, 31), today=date(2026, 11, 20)) is not None
    assert period_problem(start=date(2025, 1, 1), end=date(2026, 1, 2), today=date(2026, 11, 20)) is not None
