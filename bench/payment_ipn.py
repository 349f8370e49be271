"""``GET /thanh-toan/ipn/bench/?vnp_…``: a gateway's payment notification (IPN), signed HMAC-SHA512, for a payment
already credited, i.e. the gateway's retry that every IPN handler must absorb without crediting twice.

The harness sends one fixed URL, so the first request (bench/prepare.py's probe) credits the payment and every
measured request is a duplicate: verify the signature, find the payment by its reference, see it is already paid
(final: no lock needed), log the notification, answer ``{"RspCode": "02"}``. pgbench runs the same statements: the
raw database work of the handler. (The first, crediting notification takes the order and payment locks, issues the
receipt and settles the dossier; measuring it needs one URL per request, which the harness does not do yet.)

The gateway ``bench`` is configured through the environment below (set here, before the harness starts the server,
which inherits it): a throw-away merchant code and secret, for this benchmark only.
"""

from __future__ import annotations

import os

from bench import Benchmark
from chinhquyenso.payments.signing import signed_query

GATEWAY = "bench"
SECRET = "bench-only-secret-3f0c1d9a7b2e4c58a6d1e0f9b8c7a6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9"
TMN_CODE = "CQSBENCH"
TXN_REF = "BENCH00000001"
AMOUNT = 50_000  # đồng
VOLUME = 20_000  # other fee orders and payments already in the tables (a month of a mid-size province)

_names = [n.strip() for n in os.environ.get("CQS_PAY_GATEWAYS", "").split(",") if n.strip()]
if GATEWAY not in _names:
    os.environ["CQS_PAY_GATEWAYS"] = ",".join([*_names, GATEWAY])
for _key, _value in {"TMN_CODE": TMN_CODE, "HASH_SECRET": SECRET, "CHANNEL": "2", "LABEL": "Benchmark",
                     "PAY_URL": "http://127.0.0.1:9/pay", "API_URL": "http://127.0.0.1:9/api"}.items():  # fmt: skip
    os.environ.setdefault(f"CQS_PAY_BENCH_{_key}", _value)

PARAMS = {
    "vnp_TmnCode": TMN_CODE,
    "vnp_Amount": str(AMOUNT * 100),
    "vnp_BankCode": "NCB",
    "vnp_BankTranNo": "VNP14000001",
    "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Nop phi ho so",
    "vnp_PayDate": "20261116090000",
    "vnp_ResponseCode": "00",
    "vnp_TransactionNo": "14000001",
    "vnp_TransactionStatus": "00",
    "vnp_TxnRef": TXN_REF,
}
PATH = f"/thanh-toan/ipn/{GATEWAY}/?{signed_query(PARAMS, SECRET)}"


def seed() -> None:
    """One received dossier with an open 50.000 đ order and its pending payment ``BENCH00000001`` (ids 1), then
    ``VOLUME`` other paid orders and payments so that the lookups run on realistically sized indexes."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from chinhquyenso.accounts.models import User
    from chinhquyenso.agencies.models import Agency, Membership, Role
    from chinhquyenso.catalog import services as catalog
    from chinhquyenso.catalog.models import Level, OnlineLevel
    from chinhquyenso.dossiers.models import Channel, Dossier, State
    from chinhquyenso.dossiers.services import Applicant, dossier_intake_at_desk
    from chinhquyenso.payments import services
    from chinhquyenso.payments.models import FeeOrder, Payment, PaymentChannel, PaymentMethod

    agency = Agency.objects.create(code="113.11.00.H26", name="Ủy ban nhân dân phường Hồng Bàng", kind="commune",
                                   level="commune", ward_code=11311, is_one_stop=True)  # fmt: skip
    desk = User.objects.create(username="mot-cua", kind=User.Kind.OFFICER, full_name="Cán bộ một cửa")
    citizen = User.objects.create(username="cong-dan", kind=User.Kind.CITIZEN, full_name="Nguyễn Văn An")
    Membership.objects.create(user=desk, agency=agency, role=Role.ONE_STOP)
    version = catalog.procedure_create(actor=None, code="1.001193", name="Đăng ký khai sinh", level=Level.COMMUNE,
                                       online_level=OnlineLevel.FULL)  # fmt: skip
    schema = {"type": "object", "properties": {"ho_ten_tre": {"type": "string", "title": "Họ tên trẻ"}}}
    case = catalog.case_add(actor=None, version=version, code="01", name="Đăng ký khai sinh", processing_value=1,
                            form_schema=schema)  # fmt: skip
    catalog.fee_add(actor=None, case=case, name="Lệ phí đăng ký khai sinh", amount=AMOUNT)
    catalog.version_publish(actor=None, version=version)
    case.refresh_from_db()
    dossier = dossier_intake_at_desk(actor=desk, case=case, agency=agency, channel=Channel.IN_PERSON,
                                     applicant=Applicant(name="Nguyễn Văn An"), data={"ho_ten_tre": "Nguyễn Minh Khôi"},
                                     applicant_user=citizen)  # fmt: skip
    order = services.fee_order_issue(actor=desk, dossier_id=dossier.pk, pay_before_processing=False)
    started = services.payment_start(actor=citizen, order_id=order.pk, gateway=GATEWAY)
    Payment.objects.filter(pk=started.payment.pk).update(txn_ref=TXN_REF)

    now = timezone.now()
    template = Dossier.objects.get(pk=dossier.pk)
    with transaction.atomic():
        for start in range(0, VOLUME, 2000):
            batch = range(start, min(start + 2000, VOLUME))
            dossiers = Dossier.objects.bulk_create(
                Dossier(case=case, workflow=template.workflow, rule_set=template.rule_set, applicant=citizen,
                        applicant_name=f"Người nộp {i}", applicant_search=f"nguoi nop {i}", channel=Channel.ONLINE,
                        state=State.PROCESSING, is_draft=False, receiving_agency=agency, current_agency=agency,
                        code=f"113.11.00.H26-261001-{i:06d}", submitted_at=now)
                for i in batch
            )  # fmt: skip
            orders = FeeOrder.objects.bulk_create(
                FeeOrder(dossier=d, agency=agency, status=FeeOrder.Status.PAID, gross_amount=AMOUNT, amount=AMOUNT,
                         pay_before_processing=False, issued_by=desk, issued_at=now, paid_at=now)
                for d in dossiers
            )  # fmt: skip
            Payment.objects.bulk_create(
                Payment(order=o, agency=agency, txn_ref=f"VOL{i:010d}", gateway=GATEWAY, channel=PaymentChannel.LOCAL,
                        method=PaymentMethod.GATEWAY, amount=AMOUNT, status=Payment.Status.PAID,
                        gateway_txn_no=str(20_000_000 + i), created_at=now - timedelta(minutes=5),
                        expires_at=now + timedelta(minutes=10), paid_at=now)
                for i, o in zip(batch, orders, strict=True)
            )  # fmt: skip


# What one measured request runs (bench/prepare.py, PostgreSQL): the payment by its unique reference, then, since it
# is already paid, the notification logged (no lock is needed: paid is final). Ids are those of a fresh database.

SQL = """\
-- Django's connection health check (CONN_HEALTH_CHECKS) before the request's first query
SELECT 1;
SELECT "payments_payment"."id", "payments_payment"."order_id", "payments_payment"."agency_id", "payments_payment"."txn_ref", "payments_payment"."gateway", "payments_payment"."channel", "payments_payment"."method", "payments_payment"."amount", "payments_payment"."status", "payments_payment"."gateway_txn_no", "payments_payment"."bank_code", "payments_payment"."response_code", "payments_payment"."counter_reference", "payments_payment"."created_at", "payments_payment"."expires_at", "payments_payment"."paid_at", "payments_payment"."closed_at", "payments_payment"."created_by_id", "payments_payment"."client_ip", "payments_payment"."idempotency_key", "payments_payment"."last_checked_at", "payments_payment"."refund_reason", "payments_payment"."refund_requested_at", "payments_payment"."refunded_at", "payments_payment"."refund_ref", "payments_payment"."refund_by_id", "payments_payment"."flagged", "payments_payment"."flag_reason" FROM "payments_payment" WHERE ("payments_payment"."gateway" = 'bench' AND "payments_payment"."txn_ref" = 'BENCH00000001') LIMIT 21;
INSERT INTO "payments_paymentnotification" ("gateway", "source", "received_at", "payment_id", "txn_ref", "gateway_txn_no", "amount", "response_code", "outcome", "rsp_code", "signature_valid", "params", "remote_addr", "flagged", "reviewed_at", "reviewed_by_id") VALUES ('bench', 'ipn', '2026-11-22 17:08:53.187013+00:00'::timestamptz, 1, 'BENCH00000001', '14000001', 50000, '00', 'duplicate', '02', true, '{"vnp_Amount": "5000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14000001", "vnp_CardType": "ATM", "vnp_OrderInfo": "Nop phi ho so", "vnp_PayDate": "20261116090000", "vnp_ResponseCode": "00", "vnp_TmnCode": "CQSBENCH", "vnp_TransactionNo": "14000001", "vnp_TransactionStatus": "00", "vnp_TxnRef": "BENCH00000001", "vnp_SecureHash": "014fb6f5bbcafbc28b576f11757ed760811b33cf5e767667e36b0be9a927a85fd32fec55010b3bcd80bd2ed03274973125a4d10802b8e53989597148fbbd2f4d"}'::jsonb, '127.0.0.1'::inet, false, NULL, NULL) RETURNING "payments_paymentnotification"."id";
"""

BENCHMARK = Benchmark(
    name="payment-ipn",
    path=PATH,
    sql=SQL,
    seed=seed,
    description="a gateway's duplicate payment notification (IPN: GET with an HMAC-SHA512 signed query) for a payment "
    "already credited, among 20,000 paid ones: signature check, lookup by reference (unique index), notification "
    "logged (one insert), JSON answer RspCode 02; pgbench runs the same two statements.",
)
