"""Forms of the one-stop back office: the inbox filters, the parameters of each officer action, and desk intake.

Each action form carries the ``expected_version`` the officer saw (the dossier's ``lock_version``): the service
refuses the action when somebody changed the dossier in between, which also makes a double click harmless.
Field names follow the keys of ``InvalidDossier.fields`` raised by the services, so their errors land on the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chinhquyenso.accounts.validators import normalize_phone
from chinhquyenso.agencies.models import Agency
from chinhquyenso.dossiers.attachments import sniff
from chinhquyenso.dossiers.errors import InvalidDossier
from chinhquyenso.dossiers.models import Channel, Dossier, State
from chinhquyenso.dossiers.selectors import InboxFilter
from chinhquyenso.dossiers.services import ActionParams, Applicant
from chinhquyenso.dossiers.templatetags.dossier_tags import CHANNEL_LABELS, STATE_LABELS, vn_datetime

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
_PHONE = re.compile(r"^0\d{9,10}$")  # mobile (10 digits) or landline (11 digits, 02x)
_ID_NUMBER = re.compile(r"^[A-Za-z0-9]{6,20}$")  # CCCD (12 digits), passport, old 9-digit CMND


def _choices(agencies: Iterable[Agency]) -> list[tuple[int, str]]:
    return [(agency.pk, agency.name) for agency in agencies]


# --- the inbox --------------------------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """GET filters of the officer's inbox. A tampered value is dropped; the other filters still apply."""

    DUE_CHOICES: ClassVar[list[tuple[str, Any]]] = [
        ("", _("Tất cả")),
        ("overdue", _("Quá hạn")),
        ("soon", _("Sắp đến hạn (dưới 24 giờ)")),
        ("on_time", _("Trong hạn")),
    ]

    q = forms.CharField(
        label=_("Mã hồ sơ hoặc tên người nộp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false", "autocomplete": "off"}),
    )
    state = forms.TypedChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Đang giải quyết (mặc định)")), *((s.value, STATE_LABELS[s]) for s in State)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    due = forms.ChoiceField(label=_("Thời hạn"), choices=DUE_CHOICES, required=False)
    procedure = forms.CharField(
        label=_("Mã thủ tục"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "placeholder": "1.001193"}),
    )
    mine = forms.BooleanField(label=_("Chỉ hồ sơ của tôi"), required=False)
    agency = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "loc-%s")
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.TypedChoiceField)
        agency_field.choices = [("", _("Tất cả đơn vị của tôi")), *_choices(agencies)]
        self.several_agencies = len(agencies) > 1
        if not self.several_agencies:
            del self.fields["agency"]

    def filters(self) -> InboxFilter:
        self.is_valid()
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return InboxFilter(
            state=data.get("state"),
            procedure_code=(data.get("procedure") or "").strip() or None,
            due=data.get("due") or None,
            search=(data.get("q") or "").strip() or None,
            mine=bool(data.get("mine")),
            agency_id=data.get("agency"),
        )

    @property
    def filtered(self) -> bool:
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("q", "state", "due", "procedure", "mine", "agency"))


# --- officer actions --------------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """An action without inputs (receive, claim, request_payment): only the version the officer saw."""

    expected_version = forms.CharField(required=False, widget=forms.HiddenInput)
    multipart: ClassVar[bool] = False

    def __init__(self, *args: Any, action: str, dossier: Dossier, **kwargs: Any) -> None:
        # Several action forms share one page: ids carry the action so that they stay unique.
        kwargs.setdefault("auto_id", f"tt-{action}-%s")
        super().__init__(*args, **kwargs)
        self.action = action
        self.dossier = dossier
        self.version: int | None = None
        self.fields["expected_version"].initial = dossier.lock_version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw = str(cleaned.get("expected_version") or "").strip()
        if not raw.isdigit():
            raise ValidationError(
                gettext("Trang thao tác thiếu thông tin phiên bản hồ sơ; hãy tải lại trang hồ sơ rồi thao tác lại."),
                code="version",
            )
        self.version = int(raw)
        return cleaned

    def params(self) -> ActionParams:
        return ActionParams()

    def add_service_errors(self, error: InvalidDossier) -> None:
        """Put the service's field errors on this form's fields; anything else becomes a form-wide error."""
        placed = False
        for name, messages in error.fields.items():
            if name in self.fields and name != "expected_version":
                # One field at fault: the service's sentence says more than its short field note.
                self.add_error(name, [error.message] if len(error.fields) == 1 else list(messages))
                placed = True
        if not placed:
            self.add_error(None, error.message)


def _text(label: Any, *, required: bool, message: Any = None, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=2000,
        error_messages={"required": message} if message else {},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MissingItemsForm(ActionForm):
    """request_completion (form 02 before receipt) and request_supplement (form 02 after receipt)."""

    missing = _text(
        _("Giấy tờ, nội dung cần bổ sung"),
        required=True,
        message=_("Hãy liệt kê giấy tờ, nội dung cần bổ sung, mỗi dòng một mục."),
        help_text=_("Mỗi dòng một mục. Nội dung này in trên Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)."),
        rows=4,
    )
    note = _text(_("Hướng dẫn thêm cho người nộp (không bắt buộc)"), required=False, rows=2)

    def params(self) -> ActionParams:
        lines = [line.strip() for line in self.cleaned_data["missing"].splitlines()]
        return ActionParams(missing=[line for line in lines if line], note=self.cleaned_data["note"].strip())


_REASONS: dict[str, tuple[Any, Any, Any]] = {
    # action: (label, required message, hint)
    "refuse": (
        _("Lý do từ chối tiếp nhận"),
        _("Vui lòng nhập lý do từ chối tiếp nhận."),
        _("In trên Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03) gửi người nộp."),
    ),
    "stop": (
        _("Lý do dừng xử lý"),
        _("Vui lòng nhập lý do dừng xử lý."),
        _("In trên Thông báo dừng giải quyết hồ sơ (mẫu 05) gửi người nộp."),
    ),
    "return": (
        _("Lý do trả lại bước trước"),
        _("Vui lòng nhập lý do trả lại."),
        _("Chỉ cán bộ xem được."),
    ),
}


class ReasonForm(ActionForm):
    """refuse, stop, return: one reason."""

    reason = _text("", required=True)

    def __init__(self, *args: Any, action: str, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, action=action, dossier=dossier, **kwargs)
        label, message, hint = _REASONS[action]
        field = self.fields["reason"]
        field.label, field.help_text = label, hint
        field.error_messages["required"] = message

    def params(self) -> ActionParams:
        return ActionParams(reason=self.cleaned_data["reason"].strip())


class ForwardForm(ActionForm):
    note = _text(_("Ý kiến xử lý (không bắt buộc)"), required=False, help_text=_("Chỉ cán bộ xem được."), rows=2)

    def params(self) -> ActionParams:
        return ActionParams(note=self.cleaned_data["note"].strip())


class TransferForm(ActionForm):
    target = forms.ChoiceField(
        label=_("Đơn vị nhận liên thông"),
        error_messages={
            "required": _("Hãy chọn đơn vị nhận liên thông."),
            "invalid_choice": _("Hãy chọn một đơn vị trong danh sách."),
        },
    )
    reason = _text(
        _("Nội dung chuyển liên thông"),
        required=True,
        message=_("Vui lòng nhập nội dung chuyển liên thông."),
        help_text=_("Chỉ cán bộ xem được."),
    )

    def __init__(self, *args: Any, action: str, dossier: Dossier, agencies: Sequence[Agency] = (), **kwargs: Any):
        super().__init__(*args, action=action, dossier=dossier, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Chọn đơn vị")),
            *((a.code, f"{a.name} ({a.code})") for a in agencies if a.pk != dossier.current_agency_id),
        ]

    def params(self) -> ActionParams:
        return ActionParams(target_agency_code=self.cleaned_data["target"], reason=self.cleaned_data["reason"].strip())


class ExtendForm(ActionForm):
    new_due_date = forms.DateField(
        label=_("Ngày hẹn trả mới"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": _("Hãy nhập ngày hẹn trả mới."),
            "invalid": _("Ngày hẹn trả mới phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 20/11/2026."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "cqs-input--date"}),
    )
    reason = _text(
        _("Lý do gia hạn"),
        required=True,
        message=_("Vui lòng nhập lý do gia hạn."),
        help_text=_("In trên Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (mẫu 04)."),
    )

    def __init__(self, *args: Any, action: str, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, action=action, dossier=dossier, **kwargs)
        if dossier.due_at is not None:
            self.fields["new_due_date"].help_text = gettext(
                "Dạng ngày/tháng/năm, ví dụ 20/11/2026. Hẹn trả hiện tại: %(due)s."
            ) % {"due": vn_datetime(dossier.due_at)}

    def params(self) -> ActionParams:
        return ActionParams(new_due_date=self.cleaned_data["new_due_date"], reason=self.cleaned_data["reason"].strip())


class ApproveForm(ActionForm):
    multipart = True
    result_file = forms.FileField(
        label=_("Tệp kết quả giải quyết (PDF)"),
        help_text=_("Bản PDF của kết quả đã ký."),
        error_messages={"required": _("Hãy chọn tệp kết quả giải quyết (PDF)."), "empty": _("Tệp kết quả rỗng.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_result_file(self) -> Any:
        upload = self.cleaned_data["result_file"]
        limit = settings.CQS_MAX_FILE_BYTES
        if upload.size > limit:
            raise ValidationError(
                gettext("Tệp kết quả vượt giới hạn %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="size"
            )
        upload.seek(0)
        kind = sniff(upload.read(16))
        upload.seek(0)
        if kind is None or kind[0] != "application/pdf":
            raise ValidationError(
                gettext("Tệp kết quả phải là PDF (hệ thống kiểm tra nội dung tệp, không dựa vào tên)."), code="type"
            )
        return upload

    def params(self) -> ActionParams:
        return ActionParams(result_file=self.cleaned_data["result_file"])


class ReturnResultForm(ActionForm):
    return_channel = forms.TypedChoiceField(
        label=_("Hình thức trả kết quả"),
        choices=[(c.value, CHANNEL_LABELS[c]) for c in Channel],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn hình thức trả kết quả.")},
    )

    def __init__(self, *args: Any, action: str, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, action=action, dossier=dossier, **kwargs)
        self.fields["return_channel"].initial = dossier.channel

    def params(self) -> ActionParams:
        return ActionParams(return_channel=self.cleaned_data["return_channel"])


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ActionForm,
    "request_completion": MissingItemsForm,
    "refuse": ReasonForm,
    "claim": ActionForm,
    "forward": ForwardForm,
    "return": ReasonForm,
    "transfer": TransferForm,
    "request_supplement": MissingItemsForm,
    "request_payment": ActionForm,
    "extend": ExtendForm,
    "stop": ReasonForm,
    "approve": ApproveForm,
    "return_result": ReturnResultForm,
}


def action_form(
    action: str,
    *,
    dossier: Dossier,
    data: Any = None,
    files: Any = None,
    agencies: Sequence[Agency] = (),
) -> ActionForm:
    """The form of one officer action, bound when ``data`` is given. KeyError for an unknown action."""
    form_class = ACTION_FORMS[action]
    if form_class is TransferForm:
        return TransferForm(data, files, action=action, dossier=dossier, agencies=agencies)
    return form_class(data, files, action=action, dossier=dossier)


# --- desk intake ------------------------------------------------------------------------------------------------


class IntakeChooseForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        help_text=_("Tên hoặc mã thủ tục, có dấu hay không dấu đều được, ví dụ: khai sinh, 1.001193."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false", "autocomplete": "off"}),
    )
    agency = forms.TypedChoiceField(label=_("Nơi tiếp nhận"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tn-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _choices(agencies)
        if len(agencies) < 2:
            del self.fields["agency"]


class DeskIntakeForm(forms.Form):
    """Who hands in the dossier at the desk, how, and at which one-stop desk (used with prefix ``desk``, so these
    names never collide with the names of the case's own form)."""

    agency = forms.TypedChoiceField(
        label=_("Nơi tiếp nhận"),
        coerce=int,
        error_messages={"required": _("Hãy chọn nơi tiếp nhận."), "invalid_choice": _("Hãy chọn nơi tiếp nhận.")},
    )
    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        choices=[
            (Channel.IN_PERSON.value, _("Trực tiếp tại bộ phận một cửa")),
            (Channel.POST.value, _("Qua bưu chính công ích")),
        ],
        coerce=int,
        initial=Channel.IN_PERSON.value,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn hình thức nộp."), "invalid_choice": _("Hãy chọn hình thức nộp.")},
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên người nộp"),
        max_length=255,
        error_messages={"required": _("Vui lòng nhập họ và tên người nộp.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    applicant_id_number = forms.CharField(
        label=_("Số giấy tờ tùy thân (không bắt buộc)"),
        help_text=_("Số định danh cá nhân (12 chữ số) hoặc số hộ chiếu."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại (không bắt buộc)"),
        help_text=_("Để nhận tin nhắn về tiến độ hồ sơ, ví dụ 0912 345 678."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        error_messages={"invalid": _("Thư điện tử phải có dạng ten@example.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ (không bắt buộc)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "desk")
        super().__init__(*args, **kwargs)
        self.agencies = {agency.pk: agency for agency in agencies}
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _choices(agencies)
        if len(agencies) == 1:
            field.widget = forms.HiddenInput()
            field.initial = agencies[0].pk

    def clean_applicant_name(self) -> str:
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_applicant_id_number(self) -> str:
        value = "".join(self.cleaned_data["applicant_id_number"].split())
        if value and not _ID_NUMBER.match(value):
            raise ValidationError(
                gettext("Số giấy tờ chỉ gồm chữ và số, từ 6 đến 20 ký tự (số định danh cá nhân có 12 chữ số)."),
                code="id_number",
            )
        return value.upper()

    def clean_applicant_phone(self) -> str:
        value = normalize_phone(self.cleaned_data["applicant_phone"])
        if value and not _PHONE.match(value):
            raise ValidationError(
                gettext(
                    "Số điện thoại phải gồm 10 chữ số (di động) hoặc 11 chữ số (cố định), bắt đầu bằng 0 hoặc +84."
                ),
                code="phone",
            )
        return value

    @property
    def receiving_agency(self) -> Agency:
        return self.agencies[self.cleaned_data["agency"]]

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"].strip(),
        )
