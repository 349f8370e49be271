"""Forms of the payment pages. Messages name what to fix, in Vietnamese, wrapped for translation."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.models import ApplicantCategory, Fee, ProcedureCase
from chinhquyenso.payments.models import Payment, PaymentChannel, PaymentMethod
from chinhquyenso.payments.money import format_vnd
from chinhquyenso.payments.selectors import PaymentFilter
from chinhquyenso.payments.services import MAX_AMOUNT, FeeLineInput, fee_field

_MONEY = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def parse_vnd(text: str) -> int | None:
    """'1.250.000', '1250000', '1 250 000 đ' → 1250000; anything else → None."""
    cleaned = text.strip().removesuffix("đ").removesuffix("VND").strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned or not _MONEY.match(cleaned):
        return None
    return int(cleaned.replace(".", ""))


class MoneyField(forms.CharField):
    """An amount in đồng typed as 1.250.000 or 1250000."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "class": "cqs-input cqs-input--money"})

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        amount = parse_vnd(str(text))
        if amount is None:
            raise forms.ValidationError(_("Nhập số tiền bằng chữ số, ví dụ 50.000."))
        if amount <= 0 or amount > MAX_AMOUNT:
            raise forms.ValidationError(_("Số tiền phải lớn hơn 0 và không quá 100 tỷ đồng."))
        return amount


class FeeOrderForm(forms.Form):
    """The officer's fee order: one quantity per fee, an amount for fees the officer sets, the exemption."""

    category = forms.ChoiceField(label=_("Đối tượng miễn, giảm"), required=False)
    exemption_note = forms.CharField(
        label=_("Căn cứ miễn, giảm (giấy tờ chứng minh)"), required=False, max_length=500,
        help_text=_("Ví dụ: Giấy chứng nhận hộ nghèo số 12/GCN-UBND."),
    )  # fmt: skip
    pay_before_processing = forms.BooleanField(
        label=_("Phải nộp trước khi giải quyết (hồ sơ chuyển sang «Yêu cầu thực hiện nghĩa vụ tài chính»)"),
        required=False,
    )
    note = forms.CharField(
        label=_("Ghi chú cho người nộp (không bắt buộc)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, case: ProcedureCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fees = list(case.fees.prefetch_related("exemptions").order_by("id"))
        categories = ApplicantCategory.objects.filter(fee__case=case).distinct().order_by("name")
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Không thuộc đối tượng miễn, giảm")),
            *((c.code, c.name) for c in categories),
        ]
        for fee in self.fees:
            self.fields[fee_field(fee, "so-luong")] = forms.IntegerField(
                label=_("Số lượng — %(name)s") % {"name": fee.name}, min_value=1, max_value=10_000, initial=1,
                help_text=_("Tính theo: %(unit)s") % {"unit": fee.unit} if fee.unit else "",
            )  # fmt: skip
            if fee.variable:
                self.fields[fee_field(fee, "so-tien")] = MoneyField(
                    label=_("Số tiền (đồng) — %(name)s") % {"name": fee.name},
                    help_text=_("Khoản này do cán bộ xác định theo hồ sơ. %(note)s") % {"note": fee.note},
                )

    def fee_rows(self) -> list[dict[str, Any]]:
        rows = []
        for fee in self.fees:
            rows.append({
                "fee": fee,
                "quantity": self[fee_field(fee, "so-luong")],
                "amount": self[fee_field(fee, "so-tien")] if fee.variable else None,
                "catalog_amount": None if fee.variable else format_vnd(fee.amount),
                "exempt_for": [c.name for c in fee.exemptions.all()],
            })  # fmt: skip
        return rows

    def inputs(self) -> dict[int, FeeLineInput]:
        data = self.cleaned_data
        return {
            fee.pk: FeeLineInput(
                quantity=int(data.get(fee_field(fee, "so-luong")) or 1),
                unit_amount=data.get(fee_field(fee, "so-tien")) if fee.variable else None,
            )
            for fee in self.fees
        }

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        for name, messages in fields.items():
            target = name if name in self.fields else ("category" if name == "doi-tuong" else None)
            for message in messages:
                self.add_error(target, message)


class CounterPaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Hình thức nộp"), widget=forms.RadioSelect,
        choices=[(PaymentMethod.CASH.value, _("Tiền mặt")), (PaymentMethod.CARD.value, _("Thẻ ngân hàng (máy POS)"))],
        error_messages={"required": _("Chọn hình thức nộp.")},
    )  # fmt: skip
    amount = MoneyField(label=_("Số tiền đã nhận (đồng)"), error_messages={"required": _("Nhập số tiền đã nhận.")})
    reference = forms.CharField(label=_("Số chứng từ máy POS (nếu nộp bằng thẻ)"), required=False, max_length=60)
    token = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy nhập lý do.")},
    )  # fmt: skip


class PaymentFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ hoặc mã giao dịch"), required=False, max_length=64)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    channel = forms.TypedChoiceField(label=_("Kênh thanh toán"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("Từ ngày (dd/mm/yyyy)"), required=False, input_formats=DATE_FORMATS)
    date_to = forms.DateField(label=_("Đến ngày (dd/mm/yyyy)"), required=False, input_formats=DATE_FORMATS)
    agency = forms.TypedChoiceField(label=_("Đơn vị thu"), required=False, coerce=int, empty_value=None)
    flagged = forms.BooleanField(label=_("Chỉ giao dịch cần xem xét"), required=False)
    refund_due = forms.BooleanField(label=_("Chỉ hồ sơ bị từ chối, dừng xử lý còn chưa hoàn phí"), required=False)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("Tất cả")), *Payment.Status.choices]
        cast(forms.ChoiceField, self.fields["channel"]).choices = [
            ("", _("Tất cả")),
            *((c.value, c.label) for c in PaymentChannel),
        ]
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", _("Tất cả đơn vị của tôi")),
            *((a.pk, a.name) for a in agencies),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("date_to", _("«Đến ngày» phải sau «Từ ngày»."))
        return data

    def filters(self) -> PaymentFilter:
        if not self.is_bound or not self.is_valid():
            return PaymentFilter()
        data = self.cleaned_data
        return PaymentFilter(
            status=data.get("status") or None, channel=data.get("channel"), date_from=data.get("date_from"),
            date_to=data.get("date_to"), q=data.get("q") or None, agency_id=data.get("agency"),
            flagged=bool(data.get("flagged")), refund_due=bool(data.get("refund_due")),
        )  # fmt: skip


def fee_label(fee: Fee) -> str:
    return f"{fee.get_kind_display()}: {fee.name}"
