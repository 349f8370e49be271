"""Form 07, Sổ theo dõi hồ sơ (Thông tư 03/2025/TT-VPCP, Phụ lục I): the dossiers an agency received in a period,
as a landscape PDF to print and as an XLSX workbook to sort and filter."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from chinhquyenso.agencies.models import Agency
from chinhquyenso.core.calendar import TZ, to_local
from chinhquyenso.dossiers.documents.pdf import FAMILY, FormPDF, clean, date_text, in_vietnamese, short_datetime_text
from chinhquyenso.dossiers.models import Dossier, State

TITLE = "Sổ theo dõi hồ sơ"
HEADINGS = ("STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Người nộp hồ sơ", "Ngày nhận", "Hẹn trả", "Ngày trả",
            "Tình trạng")  # fmt: skip
_TIMELINESS = {"early": "trước hạn", "on_time": "đúng hạn", "late": "quá hạn"}


@dataclass(frozen=True)
class RegisterLine:
    number: int
    code: str
    procedure: str
    applicant: str
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    status: str


def register_dossiers(*, agency: Agency, start: date, end: date) -> QuerySet[Dossier]:
    """The dossiers ``agency`` received (as the one-stop desk) between two local dates, both included.

    The caller checks that the actor belongs to ``agency`` (views.documents.register_export)."""
    since = datetime.combine(start, time.min, tzinfo=TZ)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=TZ)
    return (
        Dossier.objects.filter(receiving_agency=agency, is_draft=False, received_at__gte=since, received_at__lt=until)
        .select_related("case__version")
        .order_by("received_at", "id")
    )


def register_lines(*, agency: Agency, start: date, end: date) -> Iterator[RegisterLine]:
    now = timezone.now()
    for number, dossier in enumerate(register_dossiers(agency=agency, start=start, end=end).iterator(), start=1):
        yield RegisterLine(
            number=number,
            code=dossier.code or "",
            procedure=dossier.case.version.name,
            applicant=dossier.applicant_name,
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            returned_at=dossier.returned_at,
            status=_status(dossier, now),
        )


def _status(dossier: Dossier, now: datetime) -> str:
    label = str(State(dossier.state).label)
    if dossier.is_finished and dossier.timeliness in _TIMELINESS:
        return f"{label} ({_TIMELINESS[dossier.timeliness]})"
    if not dossier.is_finished and dossier.due_at is not None and now > dossier.due_at:
        return f"{label} (quá hạn)"
    return label


def _period(start: date, end: date) -> str:
    return f"Từ ngày {date_text(start)} đến ngày {date_text(end)}"


@in_vietnamese
def render_register_pdf(*, agency: Agency, start: date, end: date) -> bytes:
    """Form 07 as a landscape A4 PDF: the agency header, the period and one table row per dossier."""
    lines = list(register_lines(agency=agency, start=start, end=end))
    pdf = FormPDF(title=f"{TITLE} {agency.name}", author=agency.name, orientation="landscape")
    now = timezone.now()
    pdf.agency_header(agency, day=to_local(now).date())
    pdf.form_title(TITLE, subtitle=_period(start, end))
    if lines:
        pdf.grid(
            HEADINGS,
            [
                [
                    str(line.number),
                    line.code,
                    line.procedure,
                    line.applicant,
                    short_datetime_text(line.received_at),
                    short_datetime_text(line.due_at),
                    short_datetime_text(line.returned_at),
                    line.status,
                ]
                for line in lines
            ],
            widths=(10, 50, 60, 38, 22, 22, 22, 38),
            aligns=("CENTER", "LEFT", "LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "LEFT"),
            size=9.5,
        )
    else:
        pdf.centred("Không có hồ sơ nào được tiếp nhận trong thời gian này.", style="I")
    pdf.ln(3)
    pdf.field("Tổng số hồ sơ tiếp nhận:", str(len(lines)), bold=True)
    pdf.set_font(FAMILY, "I", 11)
    pdf.multi_cell(0, 5.5, f"Sổ được lập từ hệ thống một cửa điện tử lúc {short_datetime_text(now)}.")
    return pdf.to_bytes()


@in_vietnamese
def render_register_xlsx(*, agency: Agency, start: date, end: date) -> bytes:
    """Form 07 as an XLSX workbook (streamed with openpyxl's write-only mode: a month of a busy desk is many rows).

    Dates are real date-time cells in local time so a spreadsheet sorts and filters them; every text is stored as
    text, so a name typed as "=HYPERLINK(…)" stays a name and never becomes a formula."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{TITLE} — {agency.name}"
    workbook.properties.creator = "Chính quyền số"
    sheet = workbook.create_sheet(TITLE)
    assert isinstance(sheet, WriteOnlyWorksheet)
    widths = (6, 30, 50, 28, 17, 17, 17, 32)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    heading_row = 5
    sheet.freeze_panes = f"A{heading_row + 1}"
    bold = Font(bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    def text(value: str, *, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=clean(value))
        cell.data_type = "s"  # never a formula, whatever the applicant typed
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text(agency.name.upper(), font=bold)])
    sheet.append([text(TITLE.upper(), font=Font(bold=True, size=14))])
    sheet.append([text(_period(start, end))])
    sheet.append([])
    headings = []
    for heading in HEADINGS:
        cell = text(heading, font=bold)
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        headings.append(cell)
    sheet.append(headings)
    count = 0
    for line in register_lines(agency=agency, start=start, end=end):
        count += 1
        number = WriteOnlyCell(sheet, value=line.number)
        row = [number, text(line.code), text(line.procedure), text(line.applicant)]
        for moment in (line.received_at, line.due_at, line.returned_at):
            cell = WriteOnlyCell(sheet, value=to_local(moment).replace(tzinfo=None) if moment else None)
            cell.number_format = "dd/mm/yyyy hh:mm"
            row.append(cell)
        row.append(text(line.status))
        for cell in row:
            cell.border = border
            cell.alignment = wrap
        sheet.append(row)
    if count:
        sheet.auto_filter.ref = f"A{heading_row}:{get_column_letter(len(HEADINGS))}{heading_row + count}"
    sheet.append([])
    sheet.append([text("Tổng số hồ sơ tiếp nhận:", font=bold), WriteOnlyCell(sheet, value=count)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
