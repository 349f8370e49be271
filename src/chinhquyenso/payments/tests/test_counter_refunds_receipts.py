"""Counter payments (cash, card) with a fee receipt; refunds of refused or stopped dossiers; fee receipt numbers and PDFs."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.dossiers.tests.test_lifecycle import act
from chinhquyenso.payments import services
from chinhquyenso.payments.errors import InvalidPayment, PaymentConflict
from chinhquyenso.payments.models import FeeOrder, FeeReceipt, Payment
from chinhquyenso.payments.tests.conftest import received, signed_in
from chinhquyenso.payments.tests.factories import choose, issue, start_payment
from chinhquyenso.sandbox_pay.models import SandboxTransaction

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def paying(world: World, fees: Any) -> tuple[Dossier, FeeOrder]:
    dossier = received(world)
    return dossier, issue(world, dossier)


def test_cash_at_the_counter_is_recorded_with_a_receipt_and_the_dossier_resumes(world: World, paying: Any) -> None:
    dossier, order = paying

    payment = services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)

    assert (payment.status, payment.channel, payment.method) == ("paid", 3, "cash")
    assert payment.fee_receipt.number == "0000001"
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING


def test_a_counter_amount_that_differs_is_refused_with_both_amounts(world: World, paying: Any) -> None:
    _, order = paying

    with pytest.raises(InvalidPayment) as refused:
        services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=100000)

    assert refused.value.message == ("Số tiền nhận (100.000\u00a0đ) khác số tiền phải nộp (10.000\u00a0đ); "
                                     "không ghi nhận.")  # fmt: skip
    assert Payment.objects.count() == 0 and FeeReceipt.objects.count() == 0


def test_a_double_click_on_the_counter_form_records_one_payment(world: World, paying: Any) -> None:
    dossier, _ = paying
    officer = signed_in(world.desk)
    page = officer.get(reverse("payments:officer_dossier", args=[dossier.pk])).content.decode()
    token = page.split('name="quay-token" value="')[1].split('"')[0]
    form = {"thao-tac": "thu-tai-quay", "quay-method": "card", "quay-amount": "10.000", "quay-reference": "POS-778",
            "quay-token": token}  # fmt: skip

    first = officer.post(reverse("payments:officer_dossier", args=[dossier.pk]), form)
    second = officer.post(reverse("payments:officer_dossier", args=[dossier.pk]), form)

    assert first.status_code == second.status_code == 302
    assert Payment.objects.count() == 1 and FeeReceipt.objects.count() == 1
    assert Payment.objects.get().counter_reference == "POS-778"


def test_no_refund_while_the_dossier_is_still_being_processed(world: World, paying: Any) -> None:
    _, order = paying
    payment = services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)

    with pytest.raises(PaymentConflict, match="bị từ chối hoặc dừng xử lý"):
        services.payment_refund(actor=world.leader, payment_id=payment.pk, reason="Thử")


def test_a_stopped_dossiers_online_payment_is_refunded_through_the_gateway(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, order = paying
    citizen = signed_in(world.citizen)
    payment, url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, url, "success")
    act(world.specialist, dossier, "stop", reason="Không đủ điều kiện đăng ký")

    refunded = services.payment_refund(actor=world.leader, payment_id=payment.pk, reason="Hồ sơ dừng xử lý")

    assert refunded.status == Payment.Status.REFUNDED and refunded.refund_ref
    assert SandboxTransaction.objects.get(txn_ref=payment.txn_ref).status == SandboxTransaction.Status.REFUNDED
    assert FeeOrder.objects.get(pk=order.pk).status == FeeOrder.Status.REFUNDED
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="fee_refunded").count() == 1
    with pytest.raises(PaymentConflict):
        services.payment_refund(actor=world.leader, payment_id=payment.pk, reason="Lần hai")


def test_a_refused_gateway_refund_is_flagged_and_can_be_retried(
    world: World, paying: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dossier, _ = paying
    citizen = signed_in(world.citizen)
    payment, url = start_payment(citizen, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, url, "success")
    act(world.specialist, dossier, "stop", reason="Không đủ điều kiện")
    SandboxTransaction.objects.update(status=SandboxTransaction.Status.FAILED)  # the gateway will refuse (95)

    failed = services.payment_refund(actor=world.leader, payment_id=payment.pk, reason="Dừng xử lý")
    SandboxTransaction.objects.update(status=SandboxTransaction.Status.SUCCESS)
    retried = services.payment_refund(actor=world.leader, payment_id=payment.pk, reason="Thử lại")

    assert failed.status == Payment.Status.REFUND_FAILED and failed.flagged and "95" in failed.flag_reason
    assert retried.status == Payment.Status.REFUNDED


def test_cash_is_handed_back_for_a_stopped_dossier(world: World, paying: Any) -> None:
    dossier, order = paying
    payment = services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)
    act(world.specialist, dossier, "stop", reason="Không đủ điều kiện")

    refunded = services.payment_refund(actor=world.desk, payment_id=payment.pk, reason="Trả lại tiền mặt")

    assert refunded.status == Payment.Status.REFUNDED and refunded.refund_by == world.desk


def test_receipt_numbers_run_per_agency_and_restart_each_year(world: World, fees: Any, at: Any) -> None:
    numbers = []
    for moment in (datetime(2026, 12, 30, 9, tzinfo=TZ), datetime(2026, 12, 31, 9, tzinfo=TZ),
                   datetime(2027, 1, 4, 9, tzinfo=TZ)):  # fmt: skip
        with at(moment):
            dossier = received(world)
            order = issue(world, dossier)
            payment = services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)
        numbers.append((payment.fee_receipt.year, payment.fee_receipt.number, payment.fee_receipt.symbol))

    assert numbers == [(2026, "0000001", "113.11.00.H26/2026"), (2026, "0000002", "113.11.00.H26/2026"),
                       (2027, "0000001", "113.11.00.H26/2027")]  # fmt: skip


def test_the_receipt_pdf_states_the_payment_in_vietnamese_and_only_its_owner_gets_it(world: World, paying: Any) -> None:
    dossier, order = paying
    payment = services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)
    url = reverse("payments:fee_receipt", args=[payment.fee_receipt.pk])

    response = signed_in(world.citizen).get(url)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)

    assert response["Content-Type"] == "application/pdf"
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", "Số: 0000001", "Lệ phí đăng ký khai sinh", "10.000", "Mười nghìn đồng",
                     dossier.applicant_name, "tiền mặt"):  # fmt: skip
        assert expected in text, expected
    assert signed_in(world.stranger).get(url).status_code == 404
    assert signed_in(world.desk).get(url).status_code == 200


def test_the_pdf_is_kept_so_the_receipt_never_changes(world: World, paying: Any) -> None:
    _, order = paying
    payment = services.payment_record_counter(actor=world.desk, order_id=order.pk, method="cash", amount=10000)
    client = signed_in(world.citizen)
    url = reverse("payments:fee_receipt", args=[payment.fee_receipt.pk])

    first = b"".join(client.get(url).streaming_content)
    FeeReceipt.objects.filter(pk=payment.fee_receipt.pk).update(payer_name="Người khác")
    second = b"".join(client.get(url).streaming_content)

    assert first == second


def test_statistics_count_online_and_counter_payments_over_fee_bearing_dossiers(
    world: World, fees: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from chinhquyenso.payments.selectors import payment_statistics

    online_dossier, counter_dossier, exempt_dossier = received(world), received(world), received(world)
    issue(world, online_dossier)
    counter_order = issue(world, counter_dossier)
    fees["copy"].exemptions.set(fees["fee"].exemptions.all())
    issue(world, exempt_dossier, category_code="ho-ngheo")
    citizen = signed_in(world.citizen)
    _, url = start_payment(citizen, online_dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, url, "success")
    services.payment_record_counter(actor=world.desk, order_id=counter_order.pk, method="card", amount=10000)
    today = timezone.localdate()

    stats = payment_statistics(agency_ids=[world.commune.pk], date_from=today, date_to=today)

    assert (stats.fee_bearing_dossiers, stats.paid_online_dossiers, stats.paid_counter_dossiers) == (2, 1, 1)
    assert (stats.exempt_dossiers, stats.amount_online, stats.online_ratio) == (1, 10000, 0.5)
