"""Payment statuses and channels follow the page language on pages; the receipt and the service's messages stay in
Vietnamese whatever the language of the officer's page."""

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


def test_a_conflict_on_an_english_page_is_told_in_vietnamese_with_the_status_in_vietnamese(
    world: World, paying: Any
) -> None:
    _, order = paying
    services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)

    with translation.override("en"), pytest.raises(PaymentConflict) as conflict:
        services.fee_order_cancel(actor=world.specialist, order_id=order.pk, reason="Nhầm")

    assert conflict.value.message == "Yêu cầu nộp phí đang ở trạng thái «Đã thanh toán», không hủy được."
    with translation.override("en"):
        assert Payment.objects.get(order=order).get_status_display() == "Successful"
