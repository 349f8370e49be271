"""Payment errors, each with a Vietnamese message a person can act on (``message`` is shown as is)."""

from __future__ import annotations


class PaymentError(Exception):
    status = 400
    code = "payment_error"
    title = "Không thực hiện được yêu cầu thanh toán"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class PaymentNotFound(PaymentError):
    """Unknown, or not visible to the actor: both answer 404 so ids cannot be probed."""

    status = 404
    code = "not_found"
    title = "Không tìm thấy"

    def __init__(self, message: str = "Không tìm thấy khoản thanh toán.") -> None:
        super().__init__(message)


class PaymentNotAllowed(PaymentError):
    status = 403
    code = "not_allowed"
    title = "Không có quyền"


class PaymentConflict(PaymentError):
    """The order or payment is not in a state where this can be done (already paid, cancelled...)."""

    status = 409
    code = "conflict"
    title = "Không thể thực hiện lúc này"


class InvalidPayment(PaymentError):
    status = 422
    code = "invalid"
    title = "Thông tin chưa hợp lệ"


class GatewayUnavailable(PaymentError):
    """The gateway did not answer, or answered something we could not verify."""

    status = 502
    code = "gateway_unavailable"
    title = "Cổng thanh toán chưa phản hồi"
