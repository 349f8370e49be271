"""Fee orders: computed from the dossier's pinned case fees minus exemptions; state 6 when paid before processing."""

from __future__ import annotations

from typing import Any

import pytest

from chinhquyenso.catalog.models import Fee
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.dossiers.tests.test_lifecycle import submitted
from chinhquyenso.payments import services
from chinhquyenso.payments.errors import InvalidPayment, PaymentConflict, PaymentNotAllowed, PaymentNotFound
from chinhquyenso.payments.models import CasePaymentRule, FeeOrder
from chinhquyenso.payments.services import FeeLineInput
from chinhquyenso.payments.tests.conftest import received
from chinhquyenso.payments.tests.factories import issue

pytestmark = pytest.mark.django_db


def state(dossier: Dossier) -> int:
    return Dossier.objects.get(pk=dossier.pk).state


def test_the_order_adds_the_cases_fees_and_the_dossier_waits_in_state_6(world: World, fees: Any) -> None:
    dossier = received(world)

    order = issue(world, dossier, inputs={fees["copy"].pk: FeeLineInput(quantity=3)})

    assert [(line.name, line.quantity, line.amount) for line in order.lines.all()] == [
        ("Lệ phí đăng ký khai sinh", 1, 8000), ("Phí cấp bản sao trích lục", 3, 6000)]  # fmt: skip
    assert (order.gross_amount, order.exempt_amount, order.amount, order.status) == (14000, 0, 14000, "open")
    assert state(dossier) == State.PAYING
    notes = list(Dossier.objects.get(pk=dossier.pk).events.values_list("action", "note"))
    assert ("fee_order_issued", "Số tiền phí, lệ phí phải nộp: 14.000\u00a0đ. Nộp trực tuyến trên trang hồ sơ hoặc "
            "tại Bộ phận Một cửa.") in notes  # fmt: skip


def test_an_exempt_applicant_does_not_pay_the_exempt_fee(world: World, fees: Any) -> None:
    dossier = received(world)

    order = issue(world, dossier, category_code="ho-ngheo")

    assert (order.gross_amount, order.exempt_amount, order.amount) == (10000, 8000, 2000)
    assert order.lines.get(name="Lệ phí đăng ký khai sinh").exempt
    assert order.exemption_category is not None and order.exemption_category.name == "Hộ nghèo"


def test_fully_exempt_dossiers_are_not_stopped_for_payment(world: World, fees: Any) -> None:
    fees["copy"].exemptions.set(fees["fee"].exemptions.all())
    dossier = received(world)

    order = issue(world, dossier, category_code="ho-ngheo")

    assert (order.status, order.amount) == (FeeOrder.Status.EXEMPT, 0)
    assert state(dossier) == State.RECEIVED
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="fee_exempt").exists()


def test_paying_alongside_processing_leaves_the_dossier_in_processing(world: World, fees: Any) -> None:
    dossier = received(world)

    order = issue(world, dossier, pay_before_processing=False)

    assert order.status == FeeOrder.Status.OPEN
    assert state(dossier) == State.RECEIVED


def test_the_case_rule_decides_when_nothing_is_said(world: World, fees: Any) -> None:
    CasePaymentRule.objects.create(case=world.case, pay_before_processing=False, legal_basis="Thông tư 85/2019/TT-BTC")
    dossier = received(world)

    order = services.fee_order_issue(actor=world.specialist, dossier_id=dossier.pk)

    assert not order.pay_before_processing
    assert state(dossier) == State.RECEIVED


def test_the_officer_sets_the_amount_of_a_variable_fee(world: World, fees: Any) -> None:
    survey = Fee.objects.create(case=world.case, name="Phí thẩm định", amount=0, variable=True)
    dossier = received(world)

    with pytest.raises(InvalidPayment) as missing:
        issue(world, dossier)
    order = issue(world, dossier, inputs={survey.pk: FeeLineInput(unit_amount=150000)})

    assert missing.value.fields == {f"phi-{survey.pk}-so-tien": ["Hãy nhập số tiền của «Phí thẩm định» (khoản do "
                                                                  "cán bộ xác định)."]}  # fmt: skip
    assert order.amount == 160000
    assert state(dossier) == State.PAYING


def test_a_second_order_while_one_is_live_is_refused_and_nothing_is_written(world: World, fees: Any) -> None:
    dossier = received(world)
    issue(world, dossier)

    with pytest.raises(PaymentConflict, match="đã có yêu cầu nộp phí"):
        issue(world, dossier)

    assert FeeOrder.objects.count() == 1


def test_a_cancelled_order_can_be_replaced(world: World, fees: Any) -> None:
    dossier = received(world)
    first = issue(world, dossier)

    services.fee_order_cancel(actor=world.specialist, order_id=first.pk, reason="Nhầm số bản sao")
    second = issue(world, dossier, inputs={fees["copy"].pk: FeeLineInput(quantity=2)})

    assert FeeOrder.objects.get(pk=first.pk).status == FeeOrder.Status.CANCELLED
    assert second.amount == 12000


def test_an_officer_who_may_not_request_payment_cannot_put_the_dossier_in_state_6(world: World, fees: Any) -> None:
    dossier = received(world)  # at the specialist's step: the desk officer may not "request_payment"

    with pytest.raises(PaymentConflict, match="Bỏ chọn «Phải nộp trước khi giải quyết»"):
        services.fee_order_issue(actor=world.desk, dossier_id=dossier.pk, pay_before_processing=True)

    assert FeeOrder.objects.count() == 0 and state(dossier) == State.RECEIVED
    order = services.fee_order_issue(actor=world.desk, dossier_id=dossier.pk, pay_before_processing=False)
    assert order.status == FeeOrder.Status.OPEN


def test_officers_of_other_agencies_and_citizens_cannot_issue(world: World, fees: Any) -> None:
    dossier = received(world)

    with pytest.raises(PaymentNotFound):
        services.fee_order_issue(actor=world.stranger, dossier_id=dossier.pk)
    with pytest.raises(PaymentNotAllowed):
        services.fee_order_issue(actor=world.citizen, dossier_id=dossier.pk)


def test_no_order_before_the_dossier_is_received(world: World, fees: Any) -> None:
    dossier = submitted(world)

    with pytest.raises(PaymentConflict, match="đã tiếp nhận"):
        services.fee_order_issue(actor=world.desk, dossier_id=dossier.pk)


def test_a_procedure_without_fees_has_no_order(world: World) -> None:
    dossier = received(world)

    with pytest.raises(InvalidPayment, match="không thu phí"):
        issue(world, dossier)
