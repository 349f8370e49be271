"""`cqs calendar`: compute a due moment, or list a year's days off and worked days (DOMAIN.md §3.5).

cqs calendar due --from 2026-02-12T08:00 --working-days 2 [--cutoff 15:00]
cqs calendar due --from 2026-02-12T08:00+07:00 --working-hours 4 | --calendar-days 15
cqs calendar days 2026
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chinhquyenso.core.calendar import TZ, WorkingCalendar

MAX_DAYS = 5000  # far beyond any legal processing time; keeps a typo from walking the calendar for minutes
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}  {WEEKDAYS[day.weekday()]}"


def _moment(moment: datetime) -> str:
    return f"{moment:%H:%M} {WEEKDAYS[moment.weekday()]} {moment:%d/%m/%Y}"


def _parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Thời điểm tiếp nhận không hợp lệ: «{text}». "
            "Dùng dạng ISO 8601, ví dụ 2026-02-12T08:00 (giờ Việt Nam) hoặc 2026-02-12T08:00+07:00."
        ) from None
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def _parse_count(option: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_DAYS:
        raise CommandError(f"{option} phải là số nguyên từ 0 đến {MAX_DAYS}, nhận được «{text}».")
    return value


def _parse_hours(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value <= MAX_DAYS * 8:  # also rejects nan
        raise CommandError(
            f"--working-hours phải là số từ 0 đến {MAX_DAYS * 8} (ví dụ 4 hoặc 1,5), nhận được «{text}»."
        )
    return value


def _parse_cutoff(text: str) -> time:
    try:
        cutoff = time.fromisoformat(text)
    except ValueError:
        cutoff = None
    if cutoff is None or cutoff.tzinfo is not None:
        raise CommandError(f"Giờ chốt nhận (--cutoff) không hợp lệ: «{text}». Dùng dạng HH:MM, ví dụ 15:00.")
    return cutoff


class Command(BaseCommand):
    help = "Lịch ngày làm việc: tính thời hạn (due) hoặc liệt kê ngày nghỉ và ngày làm việc bù của một năm (days)."

    def add_arguments(self, parser: CommandParser) -> None:
        # Options are parsed in handle() so that every input error reads in Vietnamese.
        actions = parser.add_subparsers(dest="action", metavar="{due,days}")
        due = actions.add_parser("due", help="Tính thời điểm hẹn trả kết quả.")
        due.add_argument(
            "--from", dest="start", metavar="THỜI_ĐIỂM", help="Thời điểm tiếp nhận, ISO 8601 (mặc định giờ Việt Nam)."
        )
        due.add_argument("--working-days", metavar="N", help="Thời hạn tính bằng ngày làm việc.")
        due.add_argument("--working-hours", metavar="GIỜ", help="Thời hạn tính bằng giờ làm việc.")
        due.add_argument("--calendar-days", metavar="N", help="Thời hạn tính bằng ngày (dương lịch).")
        due.add_argument(
            "--cutoff", metavar="HH:MM", help="Giờ chốt nhận trong ngày, ví dụ 15:00 (chỉ với --working-days)."
        )
        days = actions.add_parser("days", help="Liệt kê ngày nghỉ và ngày làm việc bù của một năm.")
        days.add_argument("year", nargs="?", metavar="NĂM", help="Năm, ví dụ 2026.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "due":
            self._due(options)
        elif options.get("action") == "days":
            self._days(options["year"])
        else:
            raise CommandError("Thiếu lệnh: dùng «calendar due ...» hoặc «calendar days NĂM».")

    def _due(self, options: dict[str, Any]) -> None:
        if not options["start"]:
            raise CommandError("Thiếu thời điểm tiếp nhận: --from 2026-02-12T08:00.")
        received = _parse_moment(options["start"])
        given = [name for name in ("working_days", "working_hours", "calendar_days") if options[name] is not None]
        if len(given) != 1:
            raise CommandError("Chọn đúng một trong --working-days, --working-hours, --calendar-days.")
        if options["cutoff"] is not None and given != ["working_days"]:
            raise CommandError("--cutoff chỉ dùng cùng --working-days.")

        calendar = WorkingCalendar.from_db()
        if options["working_days"] is not None:
            n = _parse_count("--working-days", options["working_days"])
            cutoff = None if options["cutoff"] is None else _parse_cutoff(options["cutoff"])
            due = calendar.add_working_days(received, n, cutoff=cutoff)
            term = f"{n} ngày làm việc" + (f", giờ chốt nhận {cutoff:%H:%M}" if cutoff else "")
        elif options["working_hours"] is not None:
            h = _parse_hours(options["working_hours"])
            due = calendar.add_working_hours(received, h)
            term = f"{h:g} giờ làm việc".replace(".", ",")
        else:
            n = _parse_count("--calendar-days", options["calendar_days"])
            due = calendar.add_calendar_days(received, n)
            term = f"{n} ngày"

        self.stdout.write(f"Tiếp nhận lúc {_moment(received)}, thời hạn {term}: hẹn trả kết quả lúc {_moment(due)}.")
        self.stdout.write(due.isoformat())

    def _days(self, year_text: str | None) -> None:
        try:
            year = int(year_text or "")
        except ValueError:
            year = 0
        if not 1900 <= year <= 2100:
            raise CommandError(f"Năm không hợp lệ: «{year_text or ''}». Dùng năm từ 1900 đến 2100, ví dụ 2026.")
        calendar = WorkingCalendar.from_db()
        for title, listing in (
            (f"Ngày nghỉ năm {year}:", calendar.days_off(year)),
            (f"Ngày làm việc bù năm {year}:", calendar.worked_days(year)),
        ):
            self.stdout.write(title)
            for day, name in listing:
                self.stdout.write(f"{_day(day)}  {name}")
            if not listing:
                self.stdout.write("(không có)")
