"""Payment statuses and channels, and the service's messages, follow the page language; the receipt stays in Vietnamese
whatever the language of the officer's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.payments import services
from chinhquyenso.payments.errors import PaymentConflict
from chinhquyenso.payments.models import FeeOrder, Payment, PaymentChannel
from chinhquyenso.payments.tests.conftest import received
from chinhquyenso.payments.tests.factories import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def paying(world: World, fees: Any) -> tuple[Dossier, FeeOrder]:
    dossier = received(world)
    return dossier, issue(world, dossier)


def test_a_counter_payment_taken_on_an_english_page_gets_a_vietnamese_receipt(world: World, paying: Any) -> None:
    _, order = paying

    with translation.override("en"):
        payment = services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)
        page_label = str(PaymentChannel.COUNTER.label)

    assert payment.fee_receipt.content["channel_text"] == "Tại Bộ phận Một cửa — tiền mặt"
    assert page_label == "At the one-stop service desk"


def test_a_conflict_on_an_english_page_is_told_in_english_with_the_status_in_english(world: World, paying: Any) -> None:
    _, order = paying
    services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)

    with translation.override("en"), pytest.raises(PaymentConflict) as english:
        services.fee_order_cancel(actor=world.specialist, order_id=order.pk, reason="Nhầm")
    with translation.override("vi"), pytest.raises(PaymentConflict) as vietnamese:
        services.fee_order_cancel(actor=world.specialist, order_id=order.pk, reason="Nhầm")

    assert english.value.message == "The payment request's status is “Paid”; it cannot be cancelled."
    assert vietnamese.value.message == "Yêu cầu nộp phí đang ở trạng thái «Đã thanh toán», không hủy được."
    with translation.override("en"):
        assert Payment.objects.get(order=order).get_status_display() == "Successful"


def test_an_order_the_dossier_cannot_wait_for_is_refused_in_english(world: World, fees: Any) -> None:
    dossier = received(world)  # at the specialist's step: the desk may issue fees but not request payment

    with translation.override("en"), pytest.raises(PaymentConflict) as refused:
        services.fee_order_issue(actor=world.desk, dossier_id=dossier.pk, pay_before_processing=True)

    assert refused.value.message == (
        "The application could not be moved to “Payment requested”: You cannot “Request payment of fees” while the "
        "application's status is “Accepted”. Untick “Must be paid before processing” to collect the fees while "
        "processing continues."
    )
