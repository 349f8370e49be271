"""The indicators computed from dossiers, the catalog and payments, for one agency or the province."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chinhquyenso.catalog.models import Level, OnlineLevel
from chinhquyenso.dossiers.services import dossier_withdraw
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted
from chinhquyenso.payments.models import PaymentChannel
from chinhquyenso.quality.periods import Period
from chinhquyenso.quality.selectors import QualityNotFound, QualityReport, quality_agencies, quality_report
from chinhquyenso.quality.tests.conftest import (
    AFTER_NOVEMBER,
    NOVEMBER,
    World,
    approve,
    at_desk,
    issue_electronic_result,
    local,
    paid,
    publish,
    received_online,
    reused_from_store,
)

pytestmark = pytest.mark.django_db


def report_for(world: World, at: Any, *, period: Period = NOVEMBER, now: Any = AFTER_NOVEMBER) -> QualityReport:
    with at(now):
        return quality_report(actor=world.desk, agency_id=world.commune.pk, period=period)


def figures(report: QualityReport, key: str) -> tuple[int | None, int | None, Decimal | None, Decimal | None]:
    result = report.indicator(key)
    return result.numerator, result.denominator, result.ratio, result.points


def test_timeliness_counts_early_and_on_time_dossiers_over_those_resolved_in_the_period(world: World, at: Any) -> None:
    # Received Monday 16/11 at 8:00 with two working days: due Wednesday 18/11.
    early, on_time, on_time_too, late = (received_online(world, at, local(2026, 11, 16, 8)) for _ in range(4))
    approve(world, at, early, local(2026, 11, 17, 10))
    approve(world, at, on_time, local(2026, 11, 18, 9))
    approve(world, at, on_time_too, local(2026, 11, 18, 16))
    approve(world, at, late, local(2026, 11, 19, 9))
    resolved_in_october = received_online(world, at, local(2026, 10, 26, 8))
    approve(world, at, resolved_in_october, local(2026, 10, 27, 8))

    report = report_for(world, at)

    assert figures(report, "timeliness") == (3, 4, Decimal("0.75"), Decimal("15.00"))  # T = 100 %: 0,75 × 20
    # Satisfaction (T = 90 %): 100 % − 25 % late − 0 % complaints = 75 %, so 0,75 × 6 ÷ 0,9 = 5 points.
    assert figures(report, "dossier_satisfaction") == (3, 4, Decimal("0.75"), Decimal("5.00"))
    assert "Chưa có dữ liệu đánh giá" in str(report.indicator("dossier_satisfaction").note)


def test_a_dossier_still_open_at_the_end_of_the_period_after_its_due_date_counts_as_late(world: World, at: Any) -> None:
    overdue = received_online(world, at, local(2026, 11, 16, 8))  # due 18/11, nobody acted
    approved_after_the_period = received_online(world, at, local(2026, 11, 16, 8))
    approve(world, at, approved_after_the_period, local(2026, 12, 2, 9))  # ended in December: open on 30/11
    received_online(world, at, local(2026, 11, 27, 8))  # due Tuesday 1/12: not late on 30/11
    waiting = received_online(world, at, local(2026, 11, 16, 8))
    with at(local(2026, 11, 17, 8)):
        act(world.specialist, waiting, "request_supplement", missing=["Bản sao giấy chứng sinh"])  # clock stopped
    on_time = received_online(world, at, local(2026, 11, 23, 8))
    approve(world, at, on_time, local(2026, 11, 24, 8))

    report = report_for(world, at)

    assert overdue.finished_at is None
    assert figures(report, "timeliness") == (1, 3, Decimal(1) / Decimal(3), Decimal("6.67"))


def test_a_dossier_due_on_the_last_day_of_the_period_and_still_open_is_not_late(world: World, at: Any) -> None:
    received_online(world, at, local(2026, 11, 26, 8))  # Thursday, two working days: due Monday 30/11

    report = report_for(world, at)

    assert report.indicator("timeliness").status == "no_data"  # dates compared: due 30/11 = end 30/11, on time


def test_for_a_period_not_over_yet_only_what_is_already_late_today_counts(world: World, at: Any) -> None:
    received_online(world, at, local(2026, 11, 16, 8))  # due 18/11
    received_online(world, at, local(2026, 11, 19, 8))  # due 23/11

    report = report_for(world, at, now=local(2026, 11, 20, 10))

    assert report.as_of == local(2026, 11, 20, 10)
    assert figures(report, "timeliness") == (0, 1, Decimal(0), Decimal("0.00"))


def test_refused_dossiers_and_timely_withdrawals_are_not_resolved_dossiers_but_a_late_withdrawal_stays_late(
    world: World, at: Any
) -> None:
    with at(local(2026, 11, 16, 8)):
        act(world.desk, submitted(world), "refuse", reason="Không thuộc thẩm quyền")
    withdrawn_in_time = received_online(world, at, local(2026, 11, 16, 8))
    withdrawn_late = received_online(world, at, local(2026, 11, 16, 8))
    with at(local(2026, 11, 17, 9)):
        dossier_withdraw(actor=world.citizen, dossier_id=withdrawn_in_time.pk, expected_version=None, reason="Nộp nhầm")
    with at(local(2026, 11, 25, 9)):
        dossier_withdraw(actor=world.citizen, dossier_id=withdrawn_late.pk, expected_version=None, reason="Chờ lâu")
    on_time = received_online(world, at, local(2026, 11, 16, 8))
    approve(world, at, on_time, local(2026, 11, 17, 8))

    report = report_for(world, at)

    assert figures(report, "timeliness")[:2] == (1, 2)


def test_no_dossier_in_the_period_gives_no_number_and_no_points(world: World, at: Any) -> None:
    report = report_for(world, at)

    result = report.indicator("timeliness")
    assert (result.status, result.ratio, result.points) == ("no_data", None, None)
    assert report.indicator("online_payment").status == "no_data"


def test_online_share_counts_online_dossiers_over_those_received_in_the_period(world: World, at: Any) -> None:
    received_online(world, at, local(2026, 11, 16, 8))
    received_online(world, at, local(2026, 11, 17, 8))
    at_desk(world, at, local(2026, 11, 18, 8))
    received_online(world, at, local(2026, 10, 30, 8))  # received in October

    report = report_for(world, at)

    assert figures(report, "online_dossiers") == (2, 3, Decimal(2) / Decimal(3), Decimal("6.00"))  # ≥ T = 50 %


def test_an_online_dossier_of_a_procedure_returning_a_document_counts_only_with_an_electronic_result(
    world: World, at: Any
) -> None:
    world.case = publish(code="1.000894", result_type="Giấy chứng nhận kết hôn")
    with_electronic_result = received_online(world, at, local(2026, 11, 16, 8))
    approve(world, at, with_electronic_result, local(2026, 11, 17, 8))
    issue_electronic_result(world, with_electronic_result, local(2026, 11, 17, 8))
    with_paper_result = received_online(world, at, local(2026, 11, 16, 8))
    approve(world, at, with_paper_result, local(2026, 11, 17, 9))
    still_processing = received_online(world, at, local(2026, 11, 16, 8))

    report = report_for(world, at)

    assert still_processing.finished_at is None
    assert figures(report, "online_dossiers")[:2] == (2, 3)


def test_digitised_dossiers_are_online_ones_and_desk_ones_whose_documents_were_scanned(world: World, at: Any) -> None:
    received_online(world, at, local(2026, 11, 16, 8))
    at_desk(world, at, local(2026, 11, 16, 9), scanned=True)
    at_desk(world, at, local(2026, 11, 16, 10))
    at_desk(world, at, local(2026, 11, 16, 11))

    report = report_for(world, at)

    assert figures(report, "digitised_dossiers") == (2, 4, Decimal("0.5"), Decimal("6.88"))  # 0,5 × 11 ÷ 0,8


def test_reuse_counts_dossiers_with_a_document_from_the_data_store_among_those_that_could(
    world: World, at: Any
) -> None:
    at_desk(world, at, local(2026, 11, 16, 8))  # its case takes nothing from the store: not counted
    world.case = publish(code="2.000528", reusable=True)
    reused = received_online(world, at, local(2026, 11, 16, 9))
    reused_from_store(reused)
    received_online(world, at, local(2026, 11, 16, 10))

    report = report_for(world, at)

    assert figures(report, "data_reuse")[:2] == (1, 2)


def test_online_payment_counts_dossiers_paid_online_among_those_that_paid_a_fee(world: World, at: Any) -> None:
    dossiers = [received_online(world, at, local(2026, 11, 16, 8)) for _ in range(5)]
    paid(world, dossiers[0], local(2026, 11, 16, 9), amount=8000, channel=PaymentChannel.NATIONAL)
    paid(world, dossiers[1], local(2026, 11, 16, 9), amount=8000, channel=PaymentChannel.LOCAL)
    paid(world, dossiers[2], local(2026, 11, 16, 9), amount=8000, channel=PaymentChannel.COUNTER)
    paid(world, dossiers[3], local(2026, 11, 16, 9), amount=0, channel=PaymentChannel.COUNTER)  # exempt: not counted
    paid(world, dossiers[4], local(2026, 10, 30, 9), amount=8000, channel=PaymentChannel.LOCAL)  # paid in October

    report = report_for(world, at)

    assert figures(report, "online_payment") == (2, 3, Decimal(2) / Decimal(3), Decimal("8.33"))  # 2/3 × 10 ÷ 0,8


def test_online_procedures_and_complete_information_are_counted_over_the_agencys_procedures(world: World) -> None:
    publish(code="1.004884", online_level=OnlineLevel.PARTIAL, complete=True)
    publish(code="1.010028", online_level=OnlineLevel.INFORMATION, complete=True)
    publish(code="1.001612", online_level=OnlineLevel.FULL, agencies=(world.other_commune,))
    publish(code="2.002165", online_level=OnlineLevel.FULL, complete=True, level=Level.PROVINCE)  # a province one

    report = quality_report(actor=world.desk, agency_id=world.commune.pk, period=NOVEMBER)

    # The commune's: every commune procedure that lists no receiving desk (any commune desk receives it), so
    # 1.001193 (world.case), 1.004884, 1.010028, and 1.001612 although the other commune decides it.
    assert figures(report, "online_procedures")[:2] == (3, 4)
    assert figures(report, "catalog_published")[:2] == (2, 4)


def test_an_officer_sees_only_their_agencies_and_never_the_province(world: World, at: Any) -> None:
    at_desk(world, at, local(2026, 11, 16, 8))
    at_desk(world, at, local(2026, 11, 16, 8), agency=world.other_commune, desk=world.stranger)

    ours = report_for(world, at)

    assert list(quality_agencies(actor=world.desk)) == [world.commune]
    assert ours.indicator("online_dossiers").denominator == 1
    with pytest.raises(QualityNotFound):
        quality_report(actor=world.desk, agency_id=world.other_commune.pk, period=NOVEMBER)
    with pytest.raises(QualityNotFound):
        quality_report(actor=world.desk, agency_id=None, period=NOVEMBER)
    with pytest.raises(QualityNotFound):
        quality_report(actor=world.citizen, agency_id=world.commune.pk, period=NOVEMBER)
    assert list(quality_agencies(actor=world.citizen)) == []


def test_a_system_administrator_sees_every_agency_and_the_province_counts_each_dossier_once(
    world: World, at: Any, admin: Any
) -> None:
    at_desk(world, at, local(2026, 11, 16, 8))
    transferred = received_online(world, at, local(2026, 11, 16, 9))
    with at(local(2026, 11, 16, 10)):
        act(world.specialist, transferred, "transfer", reason="Liên thông", target_agency_code=world.other_commune.code)
    at_desk(world, at, local(2026, 11, 16, 8), agency=world.other_commune, desk=world.stranger)

    with at(AFTER_NOVEMBER):
        province = quality_report(actor=admin, agency_id=None, period=NOVEMBER)
        other = quality_report(actor=admin, agency_id=world.other_commune.pk, period=NOVEMBER)

    assert set(quality_agencies(actor=admin)) >= {world.commune, world.other_commune}
    assert province.scope.agency is None
    assert province.indicator("online_dossiers").denominator == 3
    assert other.indicator("online_dossiers").denominator == 2  # its own and the one transferred to it


def test_the_total_adds_the_computed_points_out_of_what_could_be_computed(world: World, at: Any) -> None:
    on_time = received_online(world, at, local(2026, 11, 16, 8))
    approve(world, at, on_time, local(2026, 11, 17, 8))

    report = report_for(world, at)

    computed = [r for g in report.groups for r in g.indicators if r.status == "computed"]
    assert {r.key for r in computed} == {"catalog_published", "timeliness", "digitised_dossiers",
                                         "online_procedures", "online_dossiers", "dossier_satisfaction"}  # fmt: skip
    assert report.points == sum((r.points for r in computed), Decimal(0))
    assert report.computable_points == Decimal(6 + 20 + 11 + 6 + 6 + 6)
    assert report.max_points == 100
    assert {r.key for g in report.groups for r in g.indicators if r.status == "not_computed"} == {
        "transparency_other", "feedback_on_time", "feedback_satisfaction"}  # fmt: skip
