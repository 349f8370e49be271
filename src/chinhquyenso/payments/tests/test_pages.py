"""Pages: the officer's fee page and payment list, the panels for the dossier pages, the simulator's pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.payments import services
from chinhquyenso.payments.models import FeeOrder, Payment
from chinhquyenso.payments.tests.conftest import received, signed_in
from chinhquyenso.payments.tests.factories import choose, issue, start_payment

pytestmark = pytest.mark.django_db
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|\sstyle=")  # CSP: nothing inline


def fee_page(world: World, dossier: Dossier) -> str:
    return reverse("payments:officer_dossier", args=[dossier.pk])


def test_the_officer_issues_an_order_from_the_fee_page(world: World, fees: Any) -> None:
    dossier = received(world)
    officer = signed_in(world.specialist)
    page = officer.get(fee_page(world, dossier)).content.decode()
    assert "Lập yêu cầu nộp phí, lệ phí" in page and "Miễn cho: Hộ nghèo" in page and not INLINE.search(page)

    response = officer.post(fee_page(world, dossier), {
        "thao-tac": "lap", f"lap-phi-{fees['fee'].pk}-so-luong": "1", f"lap-phi-{fees['copy'].pk}-so-luong": "2",
        "lap-category": "ho-ngheo", "lap-exemption_note": "GCN hộ nghèo số 12", "lap-pay_before_processing": "on",
    }, follow=True)  # fmt: skip

    text = response.content.decode()
    assert "Đã lập yêu cầu nộp phí: Chờ thanh toán." in text
    assert "4.000\u00a0đ" in text and "Ghi nhận nộp tại quầy" in text
    assert Dossier.objects.get(pk=dossier.pk).state == State.PAYING


def test_a_wrong_quantity_shows_an_error_summary_and_writes_nothing(world: World, fees: Any) -> None:
    dossier = received(world)

    response = signed_in(world.specialist).post(fee_page(world, dossier), {
        "thao-tac": "lap", f"lap-phi-{fees['fee'].pk}-so-luong": "0", f"lap-phi-{fees['copy'].pk}-so-luong": "1",
    })  # fmt: skip

    assert response.status_code == 422
    assert "Có lỗi cần sửa" in response.content.decode()
    assert FeeOrder.objects.count() == 0


def test_a_counter_amount_typo_is_explained_next_to_the_field(world: World, fees: Any) -> None:
    dossier = received(world)
    issue(world, dossier)
    officer = signed_in(world.desk)

    response = officer.post(fee_page(world, dossier), {"thao-tac": "thu-tai-quay", "quay-method": "cash",
                                                       "quay-amount": "100.000", "quay-token": "t1"})  # fmt: skip

    assert response.status_code == 422
    assert "khác số tiền phải nộp (10.000\u00a0đ); không ghi nhận." in response.content.decode()
    assert Payment.objects.count() == 0


def test_officers_of_another_agency_get_404(world: World, fees: Any) -> None:
    dossier = received(world)

    assert signed_in(world.stranger).get(fee_page(world, dossier)).status_code == 404
    assert signed_in(world.citizen).get(fee_page(world, dossier)).status_code == 403


def test_the_officer_list_filters_by_status_and_channel(
    world: World, fees: Any, django_capture_on_commit_callbacks: Any
) -> None:
    online_dossier, counter_dossier = received(world), received(world)
    issue(world, online_dossier)
    counter_order = issue(world, counter_dossier)
    citizen = signed_in(world.citizen)
    online, url = start_payment(citizen, online_dossier)
    with django_capture_on_commit_callbacks(execute=True):
        choose(citizen, url, "failure")
    counter = services.payment_record_counter(actor=world.desk, order_id=counter_order.pk, method="cash", amount=10000)
    officer = signed_in(world.desk)

    everything = officer.get(reverse("payments:officer_list")).content.decode()
    paid = officer.get(reverse("payments:officer_list"), {"status": "paid"}).content.decode()
    online_only = officer.get(reverse("payments:officer_list"), {"channel": "2"}).content.decode()

    assert online.txn_ref in everything and counter.txn_ref in everything and "2 giao dịch" in everything
    assert counter.txn_ref in paid and online.txn_ref not in paid
    assert online.txn_ref in online_only and counter.txn_ref not in online_only
    assert not INLINE.search(everything)
    assert signed_in(world.stranger).get(reverse("payments:officer_list")).content.decode().count("<tr>") == 0


def test_the_officer_list_refuses_a_reversed_date_range(world: World) -> None:
    page = signed_in(world.desk).get(reverse("payments:officer_list"), {"date_from": "20/11/2026",
                                                                        "date_to": "01/11/2026"})  # fmt: skip

    assert "«Đến ngày» phải sau «Từ ngày»." in page.content.decode()


def test_the_dossier_pages_panels(world: World, fees: Any) -> None:
    dossier = received(world)
    template = Template("{% load payment_tags %}{% applicant_fee_panel dossier %}|{% officer_fee_panel dossier %}")
    before = template.render(Context({"dossier": dossier}))
    issue(world, dossier)

    after = template.render(Context({"dossier": dossier}))

    assert "Thanh toán phí, lệ phí" not in before and "Chưa lập yêu cầu nộp phí." in before
    applicant, officer = after.split("|")
    assert "Thanh toán phí, lệ phí" in applicant and "10.000\u00a0đ" in applicant
    assert reverse("payments:order", args=[dossier.pk]) in applicant
    assert "Chờ thanh toán" in officer and reverse("payments:officer_dossier", args=[dossier.pk]) in officer


def test_the_applicant_sees_what_to_pay_and_why(world: World, fees: Any) -> None:
    dossier = received(world)
    issue(world, dossier, category_code="ho-ngheo")

    page = signed_in(world.citizen).get(reverse("payments:order", args=[dossier.pk])).content.decode()

    for expected in ("Phí, lệ phí của hồ sơ", "Lệ phí đăng ký khai sinh", "Miễn", "Hộ nghèo", "2.000\u00a0đ",
                     "Hai nghìn đồng", "Nộp trước: hồ sơ được tiếp tục giải quyết sau khi bạn nộp phí.",
                     "Cổng thanh toán GIẢ LẬP (chỉ dùng thử)", "Thanh toán 2.000\u00a0đ"):  # fmt: skip
        assert expected in page, expected
    assert not INLINE.search(page)
    assert signed_in(world.stranger).get(reverse("payments:order", args=[dossier.pk])).status_code == 403


def test_another_citizen_cannot_see_the_fee_page_or_the_payment(world: World, fees: Any) -> None:
    from chinhquyenso.accounts.tests.factories import UserFactory

    dossier = received(world)
    issue(world, dossier)
    payment, _ = start_payment(signed_in(world.citizen), dossier)
    other = signed_in(UserFactory())

    assert other.get(reverse("payments:order", args=[dossier.pk])).status_code == 404
    assert other.get(reverse("payments:status", args=[payment.txn_ref])).status_code == 404


# --- the simulator ---------------------------------------------------------------------------------------------------
def test_every_simulator_page_says_it_is_a_simulator(world: World, fees: Any) -> None:
    dossier = received(world)
    issue(world, dossier)
    _, url = start_payment(signed_in(world.citizen), dossier)
    client = Client()

    pages = [client.get(url.split("8000", 1)[1]), client.get("/sandbox-pay/")]

    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200
        assert "<title>[GIẢ LẬP]" in text and "CỔNG THANH TOÁN GIẢ LẬP" in text and "Không có tiền thật" in text


def test_the_simulator_refuses_a_tampered_payment_request(world: World, fees: Any) -> None:
    dossier = received(world)
    issue(world, dossier)
    _, url = start_payment(signed_in(world.citizen), dossier)

    page = Client().get(url.split("8000", 1)[1].replace("vnp_Amount=1000000", "vnp_Amount=100"))

    assert page.status_code == 400 and "Sai chữ ký" in page.content.decode()


def test_the_simulator_is_off_unless_enabled(settings: Any, world: World) -> None:
    settings.CQS_SANDBOX_PAY = False

    assert Client().get("/sandbox-pay/").status_code == 404
    assert (
        Client().post("/sandbox-pay/merchant_webapi/api/transaction", "{}", content_type="application/json").status_code
        == 404
    )


def test_the_simulators_api_refuses_a_wrong_checksum(world: World) -> None:
    answer = Client().post("/sandbox-pay/merchant_webapi/api/transaction",
                           {"vnp_Command": "querydr", "vnp_TmnCode": "CQSDEMO1", "vnp_TxnRef": "X",
                            "vnp_SecureHash": "00"}, content_type="application/json").json()  # fmt: skip

    assert answer["vnp_ResponseCode"] == "97"


def test_administrators_see_rejected_notifications_flagged_and_mark_them_reviewed(world: World, fees: Any) -> None:
    from django.conf import settings as django_settings

    from chinhquyenso.accounts.tests.factories import OfficerFactory
    from chinhquyenso.payments.models import PaymentNotification

    Client().get("/thanh-toan/ipn/sandbox/?vnp_TxnRef=GIA&vnp_Amount=100&vnp_SecureHash=00", REMOTE_ADDR="192.0.2.9")
    admin = OfficerFactory(is_staff=True, is_superuser=True)
    client = signed_in(admin)
    base = f"/{django_settings.ADMIN_PATH}/payments/paymentnotification/"

    listing = client.get(base, {"can_xem_xet": "1"}).content.decode()
    flagged = PaymentNotification.objects.get()
    client.post(base, {"action": "mark_reviewed", "_selected_action": [flagged.pk]})

    assert "GIA" in listing and "192.0.2.9" in listing and "Sai chữ ký: từ chối" in listing
    flagged.refresh_from_db()
    assert flagged.reviewed_by == admin and flagged.reviewed_at is not None
    assert "GIA" not in client.get(base, {"can_xem_xet": "1"}).content.decode()
