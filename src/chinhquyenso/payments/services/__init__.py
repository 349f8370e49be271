"""Payment writes: fee orders, online and counter payments, gateway notifications, status queries, refunds
(DOMAIN.md §4; rules in docs/adr/0010-payments.md and docs/payments-protocol.md).

The safety rules, in one place:

- A payment is credited only on a gateway message whose signature verifies *and* whose amount equals the payment's
  (an IPN, or the answer to our own status query). The browser's return is never trusted.
- Every credit runs in one transaction holding the order row (``SELECT … FOR UPDATE``): check, credit, issue the
  fee receipt, settle the dossier, audit. Duplicates and late messages find the payment already final and change
  nothing. A partial unique index (one ``paid`` payment per order) and a unique (gateway, gateway transaction)
  make a second credit impossible even if this code were wrong.
- A verified success for a payment we had marked failed, cancelled or expired still credits it if the order is
  still open (the gateway took the money); if the order was settled another way meanwhile, the payment is kept as
  a double payment, flagged, and refunded through the gateway.
- A failure arriving after a success is stale and ignored. Rejected messages (bad signature, wrong amount, unknown
  reference, malformed) change nothing, are logged and flagged for administrators, and go to the audit chain.

Locks are always taken order → payment → dossier, so these services never deadlock with each other.

Modules: ``access`` (who may handle fees; shared constants), ``fees`` (computation and fee orders), ``online``
(starting a payment), ``crediting`` (notifications, status queries, expiry), ``counter`` (counter payments),
``refunds`` (refunds and the administrators' review).
"""

from __future__ import annotations

from chinhquyenso.payments.services.access import (
    COUNTER,
    EXPIRY_GRACE,
    FEE_ROLES,
    ISSUABLE_STATES,
    MAX_AMOUNT,
    REFUNDABLE_DOSSIER_STATES,
    UNREACHABLE_GIVE_UP,
    may_handle_fees,
)
from chinhquyenso.payments.services.counter import payment_record_counter
from chinhquyenso.payments.services.crediting import (
    SETTLED,
    ExpireSummary,
    NotificationAnswer,
    notification_handle,
    payment_query,
    payments_expire,
)
from chinhquyenso.payments.services.fees import (
    ComputedLine,
    FeeComputation,
    FeeLineInput,
    fee_compute,
    fee_field,
    fee_order_cancel,
    fee_order_issue,
    pay_before_processing_default,
)
from chinhquyenso.payments.services.online import PaymentStart, payment_start, return_url
from chinhquyenso.payments.services.refunds import (
    notification_mark_reviewed,
    payment_refund,
    payment_refund_execute,
)

__all__ = [
    "COUNTER",
    "EXPIRY_GRACE",
    "FEE_ROLES",
    "ISSUABLE_STATES",
    "MAX_AMOUNT",
    "REFUNDABLE_DOSSIER_STATES",
    "SETTLED",
    "UNREACHABLE_GIVE_UP",
    "ComputedLine",
    "ExpireSummary",
    "FeeComputation",
    "FeeLineInput",
    "NotificationAnswer",
    "PaymentStart",
    "fee_compute",
    "fee_field",
    "fee_order_cancel",
    "fee_order_issue",
    "may_handle_fees",
    "notification_handle",
    "notification_mark_reviewed",
    "pay_before_processing_default",
    "payment_query",
    "payment_record_counter",
    "payment_refund",
    "payment_refund_execute",
    "payment_start",
    "payments_expire",
    "return_url",
]
