"""Layout helpers shared by forms 01–07: an A4 page set like an administrative document (Nghị định 30/2020/NĐ-CP,
Phụ lục I): margins, the two-block header, the place and date line, signature blocks, tables and the QR code.

Text is set in DejaVu Serif Condensed, vendored in ``fonts/`` and embedded (subset) in every PDF, so the output never
depends on the fonts of the machine that renders or opens it (docs/adr/0008-pdf-forms.md).
"""

from __future__ import annotations

import functools
import io
import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils import translation
from fpdf import FPDF, FontFace
from fpdf.enums import Align, XPos, YPos

from chinhquyenso.agencies.models import Agency
from chinhquyenso.core.calendar import to_local

# fpdf2 subsets the font with fontTools, which logs ~50 INFO lines per document: keep them out of the app's logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSerif"
FONT_FILES = {
    "": "DejaVuSerifCondensed.ttf",
    "B": "DejaVuSerifCondensed-Bold.ttf",
    "I": "DejaVuSerifCondensed-Italic.ttf",
}
BODY_SIZE = 13  # Nghị định 30/2020/NĐ-CP: body text 13–14 pt
HEADER_SIZE = 12.5  # agency names and the national title: 12–13 pt
LINE = 6.2  # mm between body lines (≈ 1.35 × 13 pt; Nghị định 30/2020/NĐ-CP: single to 1.5 lines)
# Portrait margins of Nghị định 30/2020/NĐ-CP: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
MARGINS = {"portrait": (30.0, 20.0, 15.0), "landscape": (20.0, 20.0, 15.0)}
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
QR_SCALE = 8  # pixels per module in the embedded PNG: crisp when printed at ~25 mm
QR_BORDER = 4  # quiet zone in modules (ISO/IEC 18004)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def in_vietnamese(render: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``render`` with Vietnamese active: forms 01–07 and receipts are legal documents, in Vietnamese whatever
    the language of the page that asked for them (choice labels such as a dossier's state are translated)."""

    @functools.wraps(render)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with translation.override("vi"):
            return render(*args, **kwargs)

    return wrapper


# --- words and numbers ---------------------------------------------------------------------------------------------
def clean(text: object) -> str:
    """NFC text without control characters: the font has precomposed Vietnamese letters but fpdf2 does not shape
    combining marks, so text typed on a system that sends NFD (macOS) must be composed first."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def date_text(moment: datetime | date | None) -> str:
    """dd/mm/yyyy in local time (DOMAIN.md §9)."""
    if moment is None:
        return ""
    day = to_local(moment).date() if isinstance(moment, datetime) else moment
    return f"{day:%d/%m/%Y}"


def short_datetime_text(moment: datetime | None) -> str:
    """dd/mm/yyyy hh:mm in local time, for table cells."""
    return f"{to_local(moment):%d/%m/%Y %H:%M}" if moment is not None else ""


def long_datetime_text(moment: datetime | None) -> str:
    """Receipt and appointment times in the wording of form 01: 08 giờ 30 phút, ngày 18/11/2026."""
    if moment is None:
        return ""
    local = to_local(moment)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def parse_moment(value: object) -> datetime | None:
    """An aware datetime stored as ISO text in ``IssuedForm.content`` (None when absent or unreadable)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def place_name() -> str:
    """The place written before the date: the province of this installation without "Tỉnh"/"Thành phố"."""
    from chinhquyenso.agencies.selectors import province

    name = province().name
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def place_date_text(day: date, place: str | None = None) -> str:
    """The place and date line: Hải Phòng, ngày 05 tháng 3 năm 2026. Nghị định 30/2020/NĐ-CP, Phụ lục I: a day below
    10 and the months 1 and 2 take a leading zero (so "tháng 1" cannot be turned into "tháng 11" by hand)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place if place is not None else place_name()}, ngày {day.day:02d} tháng {month} năm {day.year}"


# --- the tracking QR code ------------------------------------------------------------------------------------------
def tracking_url(code: str) -> str:
    """The public tracking page of a dossier: ``<site>/tra-cuu/?ma=<code>`` (what the QR code opens)."""
    base = str(getattr(settings, "CQS_PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL)).rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'ma': code})}"


def qr_png(data: str) -> bytes:
    """A QR code (error correction M, never a Micro QR) as a 1-bit PNG."""
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


# --- the page ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Signature:
    """One signature block: "NGƯỜI TIẾP NHẬN HỒ SƠ / (Ký và ghi rõ họ tên) / <name>"."""

    title: str
    name: str = ""
    hint: str = "(Ký và ghi rõ họ tên)"
    prefix: str = ""  # e.g. "TM. ỦY BAN NHÂN DÂN" above the title


class FormPDF(FPDF):
    """An A4 administrative page with the embedded serif font; page numbers from page 2, top centre."""

    def __init__(self, *, title: str, author: str, orientation: Literal["portrait", "landscape"] = "portrait"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        left, top, right = MARGINS[orientation]
        self.set_margins(left=left, top=top, right=right)
        self.set_auto_page_break(auto=True, margin=20)
        for style, file in FONT_FILES.items():
            self.add_font(FAMILY, style, str(FONT_DIR / file))
        self.set_font(FAMILY, "", BODY_SIZE)
        self.set_title(clean(title))
        self.set_author(clean(author))
        self.set_creator("Chính quyền số")
        self.set_lang("vi-VN")
        self.add_page()

    def header(self) -> None:
        if self.page_no() > 1:  # Nghị định 30/2020/NĐ-CP: no number on the first page
            self.set_font(FAMILY, "", 12)
            self.set_y(10)
            self.cell(0, 5, str(self.page_no()), align=Align.C)
            self.set_y(self.t_margin)

    def to_bytes(self) -> bytes:
        return bytes(self.output())

    # -- blocks ---------------------------------------------------------------------------------------------------
    def ensure_space(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def agency_header(self, agency: Agency, *, day: date, number: str = "") -> None:
        """The two header blocks of an administrative document: on the left the governing body (regular) and the
        issuing unit (bold, underlined), on the right the national title and motto; then the place and date line."""
        top = self.get_y()
        left_w = self.epw * 0.40
        right_x, right_w = self.l_margin + left_w, self.epw - left_w
        lines: list[tuple[str, str]] = []
        if agency.parent is not None:
            lines.append(("", clean(agency.parent.name).upper()))
        lines.append(("B", clean(agency.name).upper()))
        self.set_xy(self.l_margin, top)
        for style, text in lines:
            self.set_font(FAMILY, style, HEADER_SIZE)
            self.set_x(self.l_margin)
            self.multi_cell(left_w - 3, 5.6, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._rule(self.l_margin + (left_w - 3) / 2, self.get_y() + 0.8, left_w / 3)
        left_end = self.get_y() + 2
        if number:
            self.set_font(FAMILY, "", BODY_SIZE)
            self.set_xy(self.l_margin, left_end + 1)
            self.multi_cell(left_w, LINE, clean(number), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            left_end = self.get_y()

        self.set_xy(right_x, top)
        self._fitting_line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right_x, right_w, HEADER_SIZE, 5.6)
        motto = "Độc lập - Tự do - Hạnh phúc"
        self._fitting_line(motto, right_x, right_w, BODY_SIZE, 6)
        self._rule(right_x + right_w / 2, self.get_y() + 0.8, self.get_string_width(motto))
        self.set_font(FAMILY, "I", BODY_SIZE)
        self.set_xy(right_x, self.get_y() + 3)
        self.multi_cell(right_w, LINE, place_date_text(day), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(left_end, self.get_y()) + 5)
        self.set_font(FAMILY, "", BODY_SIZE)

    def _fitting_line(self, text: str, x: float, width: float, size: float, height: float) -> None:
        """One bold centred line that must not wrap (the national title and motto): shrink the size if needed."""
        self.set_font(FAMILY, "B", size)
        while size > 9 and self.get_string_width(text) > width - 2 * self.c_margin:
            size -= 0.5
            self.set_font(FAMILY, "B", size)
        self.set_x(x)
        self.cell(width, height, text, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def _rule(self, centre_x: float, y: float, length: float) -> None:
        self.set_line_width(0.3)
        self.line(centre_x - length / 2, y, centre_x + length / 2, y)

    def form_title(self, title: str, *, subtitle: str = "") -> None:
        """The form's name in bold capitals, centred; a "\\n" in ``title`` chooses where a long name breaks."""
        self.set_font(FAMILY, "B", 14)
        self.multi_cell(0, 7.5, clean(title).upper(), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FAMILY, "B", BODY_SIZE)
            self.multi_cell(0, LINE, clean(subtitle), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_font(FAMILY, "", BODY_SIZE)

    def centred(self, text: str, *, style: str = "", size: float = BODY_SIZE) -> None:
        self.set_font(FAMILY, style, size)
        self.multi_cell(0, LINE, clean(text), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", BODY_SIZE)

    def paragraph(self, text: str, *, indent: bool = True, style: str = "", align: Align = Align.J) -> None:
        """A body paragraph; the first line is indented like the paragraphs of an administrative document."""
        self.set_font(FAMILY, style, BODY_SIZE)
        # Em spaces, not spaces: justification stretches ordinary spaces, so the indent would vary line to line.
        self.multi_cell(0, LINE, ("\u2003\u2003" if indent else "") + clean(text), align=align, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)  # fmt: skip
        self.set_font(FAMILY, "", BODY_SIZE)

    def field(self, label: str, value: str, *, bold: bool = False, indent: float = 0) -> None:
        """A "Label: value" line wrapping like running text; the value is what the system filled in."""
        self.set_x(self.l_margin + indent)
        self.set_font(FAMILY, "", BODY_SIZE)
        self.write(LINE, clean(label) + " ")
        self.set_font(FAMILY, "B" if bold else "", BODY_SIZE)
        self.write(LINE, clean(value))
        self.set_font(FAMILY, "", BODY_SIZE)
        self.ln(LINE)

    def items(self, entries: Sequence[str], *, indent: float = 8, numbered: bool = True) -> None:
        """A numbered (or dashed) list whose wrapped lines align under the text, not under the number."""
        for index, entry in enumerate(entries, start=1):
            marker = f"{index}." if numbered else "-"
            self.set_x(self.l_margin + indent)
            self.cell(8, LINE, marker)
            self.multi_cell(self.epw - indent - 8, LINE, clean(entry), align=Align.L, new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)  # fmt: skip

    def signatures(
        self,
        left: Signature | None,
        right: Signature | None,
        *,
        recipients: Sequence[str] = (),
        code: str | None = None,
    ) -> None:
        """Signature blocks at the foot: two people side by side, or "Nơi nhận:" on the left and the signer on the
        right (Nghị định 30/2020/NĐ-CP, Phụ lục I). With a dossier ``code`` the tracking QR code goes in the left slot
        when nobody signs there, else in its own block above."""
        if code and (left is not None or recipients):
            self.tracking_block(code)
            code = None
        self.ensure_space(46)
        self.ln(4)
        top = self.get_y()
        half = self.epw / 2
        ends = [top]
        if recipients:
            self.set_xy(self.l_margin, top)
            self.set_font(FAMILY, "B", 12)
            self.cell(half, 6, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(FAMILY, "", 11)
            for line in recipients:
                self.set_x(self.l_margin)
                self.multi_cell(half - 4, 5.2, "- " + clean(line), align=Align.L, new_x=XPos.LMARGIN,
                                new_y=YPos.NEXT)  # fmt: skip
            ends.append(self.get_y())
        if code:
            self._compact_tracking(code, top, half)
            ends.append(self.get_y())
        for block, x in ((left, self.l_margin), (right, self.l_margin + half)):
            if block is None:
                continue
            self.set_xy(x, top)
            if block.prefix:
                self.set_font(FAMILY, "B", BODY_SIZE)
                self.multi_cell(half, LINE, clean(block.prefix), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FAMILY, "B", BODY_SIZE)
            self.multi_cell(half, LINE, clean(block.title).upper(), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FAMILY, "I", 12)
            self.multi_cell(half, 5.5, clean(block.hint), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_y(self.get_y() + 20)  # room for the signature (and the seal)
            self.set_x(x)
            if block.name:
                self.set_font(FAMILY, "B", BODY_SIZE)
                self.multi_cell(half, LINE, clean(block.name), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
            ends.append(self.get_y())
        self.set_xy(self.l_margin, max(ends) + 2)
        self.set_font(FAMILY, "", BODY_SIZE)

    def tracking_block(self, code: str) -> None:
        """The dossier code as text and as a QR code that opens the public tracking page."""
        url = tracking_url(code)
        size = 27.0
        self.ensure_space(size + 4)
        self.ln(2)
        top = self.get_y()
        self.image(io.BytesIO(qr_png(url)), x=self.l_margin, y=top, w=size, h=size,
                   alt_text=f"Mã QR tra cứu hồ sơ {code}")  # fmt: skip
        text_x = self.l_margin + size + 4
        self.set_xy(text_x, top + 3)
        self.set_font(FAMILY, "", 12)
        self.write(6, "Mã hồ sơ: ")
        self.set_font(FAMILY, "B", 12)
        self.write(6, clean(code))
        self.ln(7)
        self.set_x(text_x)
        self.set_font(FAMILY, "", 11)
        self.multi_cell(self.epw - size - 4, 5.2,
                        "Tra cứu tình trạng giải quyết hồ sơ: quét mã QR bên cạnh hoặc truy cập " + url,
                        align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        self.set_y(max(self.get_y(), top + size) + 3)
        self.set_font(FAMILY, "", BODY_SIZE)

    def _compact_tracking(self, code: str, top: float, width: float) -> None:
        """The QR code with the code and the address under it, in the left half beside a signature."""
        url = tracking_url(code)
        size = 26.0
        self.image(io.BytesIO(qr_png(url)), x=self.l_margin + (width - size) / 2, y=top, w=size, h=size,
                   alt_text=f"Mã QR tra cứu hồ sơ {code}")  # fmt: skip
        self.set_xy(self.l_margin, top + size + 1)
        self.set_font(FAMILY, "B", 10.5)
        self.multi_cell(width - 4, 5, clean(code), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "I", 9.5)
        self.multi_cell(width - 4, 4.4, "Quét mã để tra cứu tình trạng hồ sơ tại", align=Align.C, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)  # fmt: skip
        # The address on one line when it can be read at 7 pt or more (a wrapped URL is hard to type).
        size = 9.5
        while size > 7 and self.get_string_width(url) > width - 4 - 2 * self.c_margin:
            size -= 0.5
            self.set_font(FAMILY, "I", size)
        self.multi_cell(width - 4, 4.4, url, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        aligns: Sequence[str] | None = None,
        size: float = 10,
    ) -> None:
        """A bordered table whose headings repeat on every page."""
        self.set_font(FAMILY, "", size)
        align_options: Any = tuple(aligns) if aligns is not None else "LEFT"
        with self.table(
            align="LEFT",  # from the left margin: the margins are not symmetric, so "centred" would overhang it
            width=self.epw,
            col_widths=tuple(widths),
            text_align=align_options,
            line_height=size * 0.5,
            padding=(1.2, 1.2),
            headings_style=FontFace(emphasis="BOLD"),
            repeat_headings=1,
            v_align="MIDDLE",
        ) as table:
            heading_row = table.row()
            for heading in headings:
                heading_row.cell(clean(heading), align=Align.C)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(clean(value))
        self.set_font(FAMILY, "", BODY_SIZE)
