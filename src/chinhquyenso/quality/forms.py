"""The 766 page's chooser: which agency (or the province), and which period (a month, a quarter, a year, two dates)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chinhquyenso.agencies.models import Agency
from chinhquyenso.quality.periods import Period, period_problem

PROVINCE = "all"
FIRST_YEAR = 2019  # the first rule set in force (legacy-2018, DOMAIN.md)
DATE_FORMATS = ["%d/%m/%Y"]
QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _date_field(label: Any, example: Any, required: Any, invalid: Any) -> forms.DateField:
    return forms.DateField(
        label=label, help_text=example, required=False, input_formats=DATE_FORMATS,
        error_messages={"required": required, "invalid": invalid},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip


class QualityPeriodForm(forms.Form):
    agency = forms.ChoiceField(label=_("Đơn vị"), error_messages={"required": _("Vui lòng chọn đơn vị.")})
    period = forms.ChoiceField(
        label=_("Kỳ đánh giá"),
        choices=[("month", _("Tháng")), ("quarter", _("Quý")), ("year", _("Năm")), ("custom", _("Từ ngày đến ngày"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn kỳ đánh giá."), "invalid_choice": _("Kỳ đánh giá không hợp lệ.")},
    )
    year = forms.TypedChoiceField(
        label=_("Năm"), coerce=int, required=False, error_messages={"invalid_choice": _("Năm không hợp lệ.")}
    )
    month = forms.TypedChoiceField(
        label=_("Tháng"), coerce=int, required=False, error_messages={"invalid_choice": _("Tháng không hợp lệ.")}
    )
    quarter = forms.TypedChoiceField(
        label=_("Quý"), coerce=int, required=False, error_messages={"invalid_choice": _("Quý không hợp lệ.")}
    )
    start = _date_field(
        _("Từ ngày"), _("Ví dụ: 01/11/2026"), _("Vui lòng nhập ngày bắt đầu."),
        _("Ngày bắt đầu phải có dạng ngày/tháng/năm, ví dụ 01/11/2026."),
    )  # fmt: skip
    end = _date_field(
        _("Đến ngày"), _("Ví dụ: 30/11/2026"), _("Vui lòng nhập ngày kết thúc."),
        _("Ngày kết thúc phải có dạng ngày/tháng/năm, ví dụ 30/11/2026."),
    )  # fmt: skip

    def __init__(self, *args: Any, agencies: list[Agency], province: bool, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choices: list[tuple[str, Any]] = [(PROVINCE, _("Toàn tỉnh"))] if province else []
        choices += [(str(a.pk), a.name) for a in agencies]
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ChoiceField)
        agency.choices = choices
        year, month, quarter = self.fields["year"], self.fields["month"], self.fields["quarter"]
        assert isinstance(year, forms.TypedChoiceField)
        assert isinstance(month, forms.TypedChoiceField) and isinstance(quarter, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)]
        # Built here, per request, so that they follow the page's language.
        month.choices = [(m, gettext("Tháng %(month)s") % {"month": m}) for m in range(1, 13)]
        quarter.choices = [(q, gettext("Quý %(quarter)s") % {"quarter": name}) for q, name in QUARTER_NAMES.items()]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        kind = self.cleaned_data.get("period")
        period = self._period(kind)
        if period is not None:
            problem = period_problem(start=period.start, end=period.end, today=self.today)
            if problem is not None:
                which, message = problem
                self.add_error(which if kind == "custom" else str(kind), message)
            else:
                self.cleaned_data["range"] = period
        return cleaned

    def _number(self, name: str) -> int | None:
        value = self.cleaned_data.get(name)
        return value if isinstance(value, int) else None

    def _missing(self, name: str, message: Any) -> None:
        if name not in self.errors:  # an invalid value already says what is wrong
            self.add_error(name, message)

    def _period(self, kind: Any) -> Period | None:
        if kind == "custom":
            start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
            if start is None:
                self._missing("start", self.fields["start"].error_messages["required"])
            if end is None:
                self._missing("end", self.fields["end"].error_messages["required"])
            return Period(start, end) if isinstance(start, date) and isinstance(end, date) else None
        if kind not in ("month", "quarter", "year"):
            return None  # the period field has its error
        year = self._number("year")
        if year is None:
            self._missing("year", _("Vui lòng chọn năm."))
            return None
        if kind == "year":
            return Period.year(year)
        part = self._number(str(kind))
        if part is None:
            self._missing(str(kind), _("Vui lòng chọn tháng.") if kind == "month" else _("Vui lòng chọn quý."))
            return None
        return Period.month(year, part) if kind == "month" else Period.quarter(year, part)

    @property
    def agency_id(self) -> int | None:
        """The chosen agency's id; None for the province."""
        value = self.cleaned_data["agency"]
        return None if value == PROVINCE else int(value)
