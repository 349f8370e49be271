"""Forms of the signing pages; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chinhquyenso.catalog.models import DocumentType
from chinhquyenso.signing.models import SigningCredential

PDF_ACCEPT = "application/pdf,.pdf"


def _secret_field(credential: SigningCredential | None) -> tuple[str, forms.Field] | None:
    if credential is None:
        return None
    if credential.kind == SigningCredential.Kind.PKCS11:
        return "pin", forms.CharField(
            label=_("Mã PIN của thiết bị ký số"), max_length=64, strip=False,
            help_text=_("Thiết bị: %(token)s. Nhập sai nhiều lần liên tiếp sẽ khóa thiết bị.")
            % {"token": credential.pkcs11_token},
            widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            error_messages={"required": _("Hãy nhập mã PIN của thiết bị ký số.")},
        )  # fmt: skip
    return "password", forms.CharField(
        label=_("Mật khẩu tài khoản của bạn, để xác nhận ký"), max_length=128, strip=False,
        help_text=_("Khóa ký của bạn được lưu mã hóa trên hệ thống; mỗi lần ký cần xác nhận bằng mật khẩu."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Hãy nhập mật khẩu để xác nhận ký.")},
    )  # fmt: skip


class _SecretForm(forms.Form):
    def __init__(self, *args: Any, credential: SigningCredential | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        secret = _secret_field(credential)
        if secret is not None:
            self.fields[secret[0]] = secret[1]

    def secret(self) -> dict[str, str]:
        return {"password": self.cleaned_data.get("password", ""), "pin": self.cleaned_data.get("pin", "")}


class SignForm(_SecretForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    file = forms.FileField(
        label=_("Tệp PDF kết quả"), required=False,
        help_text=_("Bản PDF kết quả giải quyết (ví dụ Giấy khai sinh). Chữ ký và con dấu điện tử được thêm ở cuối "
                    "trang cuối."),
        widget=forms.ClearableFileInput(attrs={"accept": PDF_ACCEPT}),
    )  # fmt: skip
    document_type = forms.ModelChoiceField(
        label=_("Loại giấy tờ"), queryset=DocumentType.objects.all(), required=False, to_field_name="code",
        empty_label=_("— Khác (ghi ở ô dưới) —"),
        help_text=_("Loại giấy tờ giúp công dân dùng lại kết quả này cho hồ sơ sau."),
    )  # fmt: skip
    type_name = forms.CharField(label=_("Tên loại kết quả (nếu khác)"), max_length=255, required=False)
    valid_until = forms.DateField(
        label=_("Hiệu lực đến (không bắt buộc)"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("Dạng ngày/tháng/năm. Để trống nếu kết quả không có thời hạn."),
        error_messages={"invalid": _("Ngày không đúng dạng ngày/tháng/năm.")},
    )  # fmt: skip
    replaces = forms.CharField(
        label=_("Thay thế kết quả số (không bắt buộc)"), max_length=80, required=False,
        help_text=_("Khi kết quả này cấp lại, cải chính một kết quả trước: kết quả cũ sẽ được ghi là đã thay thế."),
    )  # fmt: skip


class InitialForm(_SecretForm):
    file = forms.FileField(
        label=_("Tệp PDF dự thảo kết quả"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PDF_ACCEPT}),
        help_text=_("Để trống để ký nháy tiếp vào dự thảo đã có chữ ký nháy."),
    )  # fmt: skip


class RevokeForm(forms.Form):
    number = forms.CharField(widget=forms.HiddenInput, max_length=80)
    reason = forms.CharField(
        label=_("Lý do thu hồi, hủy bỏ"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nhập lý do thu hồi.")},
    )  # fmt: skip


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"), required=False, widget=forms.ClearableFileInput(attrs={"accept": PDF_ACCEPT}),
        help_text=_("Tệp không được lưu lại sau khi kiểm tra."),
    )  # fmt: skip
