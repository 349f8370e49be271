"""Payment errors, each with a message a person can act on (``message`` is shown as is), in the language of the
request that caused it: raise them with ``gettext(...)``. ``title`` is lazy: ``str()`` it where it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PaymentError(Exception):
    status = 400
    code = "payment_error"
    title: StrOrPromise = _("Không thực hiện được yêu cầu thanh toán")

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class PaymentNotFound(PaymentError):
    """Unknown, or not visible to the actor: both answer 404 so ids cannot be probed."""

    status = 404
    code = "not_found"
    title = _("Không tìm thấy")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or gettext("Không tìm thấy khoản thanh toán."))


class PaymentNotAllowed(PaymentError):
    status = 403
    code = "not_allowed"
    title = _("Không có quyền")


class PaymentConflict(PaymentError):
    """The order or payment is not in a state where this can be done (already paid, cancelled...)."""

    status = 409
    code = "conflict"
    title = _("Không thể thực hiện lúc này")


class InvalidPayment(PaymentError):
    status = 422
    code = "invalid"
    title = _("Thông tin chưa hợp lệ")


class GatewayUnavailable(PaymentError):
    """The gateway did not answer, or answered something we could not verify."""

    status = 502
    code = "gateway_unavailable"
    title = _("Cổng thanh toán chưa phản hồi")
