"""The 766 table as an XLSX workbook: the same rows as the page, numbers as numbers (ratios with a percent format) so
that a spreadsheet can sum and compare them; every text is stored as text, never as a formula."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from chinhquyenso.core.calendar import to_local
from chinhquyenso.quality.selectors import IndicatorResult, QualityReport

PERCENT = "0.00%"
POINTS = "0.00"


def report_filename(report: QualityReport) -> str:
    who = report.scope.agency.code if report.scope.agency is not None else "toan-tinh"
    return f"chi-so-766-{who}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.xlsx"


def render_report_xlsx(report: QualityReport) -> bytes:
    workbook = Workbook(write_only=True)
    title = _("Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)")
    workbook.properties.title = f"{title} — {report.scope.name}"
    workbook.properties.creator = "Chính quyền số"
    sheet = workbook.create_sheet(_("Chỉ số 766"))
    assert isinstance(sheet, WriteOnlyWorksheet)
    for column, width in enumerate((8, 70, 12, 12, 12, 12, 12, 12, 60), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def text(value: str, *, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula
        cell.alignment = wrap
        if font is not None:
            cell.font = font
        return cell

    def number(value: Decimal | int | None, number_format: str = "0") -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
        cell.number_format = number_format
        return cell

    sheet.append([text(title, font=Font(bold=True, size=14))])
    sheet.append([text(report.scope.name, font=bold)])
    sheet.append([text(_("Kỳ đánh giá: từ %(start)s đến %(end)s") % {
        "start": f"{report.period.start:%d/%m/%Y}", "end": f"{report.period.end:%d/%m/%Y}"})])  # fmt: skip
    sheet.append([text(_("Số liệu tính đến: %(moment)s") % {"moment": f"{to_local(report.as_of):%d/%m/%Y %H:%M}"})])
    sheet.append([])
    headings = (_("Chỉ số"), _("Tên chỉ số"), _("Đạt"), _("Tổng số"), _("Tỷ lệ"), _("Ngưỡng"), _("Điểm"),
                _("Điểm tối đa"), _("Ghi chú"))  # fmt: skip
    sheet.append([text(h, font=bold) for h in headings])

    def row(result: IndicatorResult) -> list[WriteOnlyCell]:
        indicator = result.indicator
        status = {"not_computed": _("Chưa tính"), "no_data": _("Không có dữ liệu")}.get(result.status, "")
        note = ": ".join(part for part in (status, str(result.note)) if part)
        return [
            text(indicator.number), text(str(indicator.name)), number(result.numerator), number(result.denominator),
            number(result.ratio, PERCENT), number(indicator.threshold, PERCENT), number(result.points, POINTS),
            number(indicator.points, POINTS), text(note),
        ]  # fmt: skip

    for group in report.groups:
        sheet.append([
            text(str(group.number), font=bold), text(_("Nhóm %(number)s. %(name)s") % {"number": group.number, "name": group.name}, font=bold),
            *(WriteOnlyCell(sheet) for _column in range(4)), number(group.points, POINTS),
            number(group.max_points, POINTS),
        ])  # fmt: skip
        for result in group.indicators:
            sheet.append(row(result))
    sheet.append([])
    sheet.append([
        text(""), text(_("Tổng điểm trên số điểm tính được"), font=bold),
        *(WriteOnlyCell(sheet) for _column in range(4)), number(report.points, POINTS),
        number(report.computable_points, POINTS),
    ])  # fmt: skip
    sheet.append([
        text(""), text(_("Thang điểm của Bộ chỉ số")), *(WriteOnlyCell(sheet) for _column in range(5)),
        number(report.max_points, POINTS),
    ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
