from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.validators import normalize_phone, validate_cccd, validate_mobile, validate_tax_code
from chinhquyenso.agencies.selectors import ward_choices


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Số CCCD, số điện thoại, thư điện tử hoặc tên đăng nhập"),
        max_length=254,
        error_messages={"required": _("Vui lòng nhập số CCCD, số điện thoại hoặc tên đăng nhập.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Thông tin đăng nhập hoặc mật khẩu không đúng. Lưu ý: nhập sai 5 lần, tài khoản bị tạm khóa 15 phút."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # AuthenticationForm copies User.username's 150; people may type a longer e-mail address.
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.max_length = 254
        username.widget.attrs["maxlength"] = "254"


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Bạn đăng ký với tư cách"),
        choices=[(User.Kind.CITIZEN, _("Công dân")), (User.Kind.BUSINESS, _("Doanh nghiệp, tổ chức"))],
        initial=User.Kind.CITIZEN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng nhập loại tài khoản.")},
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        error_messages={"required": _("Vui lòng nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    cccd = forms.CharField(
        label=_("Số CCCD (số định danh cá nhân)"),
        help_text=_("12 chữ số in trên thẻ căn cước."),
        max_length=12,
        min_length=12,
        error_messages={
            "required": _("Vui lòng nhập số CCCD."),
            "max_length": _("Số CCCD phải gồm đúng 12 chữ số."),
            "min_length": _("Số CCCD phải gồm đúng 12 chữ số."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        help_text=_("Ví dụ: 27/03/1990"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": _("Vui lòng nhập ngày sinh."),
            "invalid": _("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 27/03/1990."),
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "bday", "inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=16,
        error_messages={"required": _("Vui lòng nhập số điện thoại.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không đúng dạng, ví dụ ten@example.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    ward_code = forms.TypedChoiceField(
        label=_("Xã, phường, đặc khu nơi cư trú"),
        coerce=int,
        error_messages={
            "required": _("Vui lòng nhập xã, phường nơi cư trú."),
            "invalid_choice": _("Hãy chọn một xã, phường trong danh sách."),
        },
    )
    address_line = forms.CharField(
        label=_("Số nhà, đường, thôn, tổ dân phố"),
        max_length=255,
        error_messages={"required": _("Vui lòng nhập địa chỉ.")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    organization_name = forms.CharField(label=_("Tên doanh nghiệp, tổ chức"), max_length=255, required=False)
    tax_code = forms.CharField(
        label=_("Mã số thuế"), max_length=14, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số, không quá phổ biến."),
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập lại mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward_code"].choices = [("", gettext("— Chọn xã, phường —")), *ward_choices()]  # type: ignore[attr-defined]

    def clean_cccd(self) -> str:
        value: str = self.cleaned_data["cccd"].strip()
        validate_cccd(value)
        return value

    def clean_phone(self) -> str:
        value = normalize_phone(self.cleaned_data["phone"])
        validate_mobile(value)
        return value

    def clean_date_of_birth(self) -> date:
        value: date = self.cleaned_data["date_of_birth"]
        if value > date.today():
            raise ValidationError(gettext("Ngày sinh không thể ở tương lai."))
        if value.year < 1900:
            raise ValidationError(gettext("Ngày sinh không hợp lệ: năm sinh phải từ 1900."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == User.Kind.BUSINESS:
            if not (data.get("organization_name") or "").strip():
                self.add_error("organization_name", gettext("Vui lòng nhập tên doanh nghiệp, tổ chức."))
            tax_code = (data.get("tax_code") or "").strip()
            if not tax_code:
                self.add_error("tax_code", gettext("Vui lòng nhập mã số thuế."))
            else:
                try:
                    validate_tax_code(tax_code)
                except ValidationError as exc:
                    self.add_error("tax_code", exc)
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", gettext("Hai mật khẩu đã nhập không giống nhau."))
        elif p1:
            try:
                validate_password(p1, User(full_name=data.get("full_name", ""), email=data.get("email", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: phần mềm quản lý của công ty"),
        error_messages={"required": _("Vui lòng nhập tên gợi nhớ.")},
    )
