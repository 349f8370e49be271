"""Working-day calendar: which days count for deadlines, and how due moments are computed.

Rules: DOMAIN.md §3.5 (deadlines) and §3.6 (on time or late). Public holidays are those of Bộ luật Lao động 2019,
Điều 112, as computed by the `holidays` package (country "VN"), corrected by administrators' overrides.
Conventions and sources: docs/adr/0003-working-day-calendar.md.

Every function takes aware datetimes (naive ones raise ValueError) and answers in Asia/Ho_Chi_Minh.
Working time runs only inside office sessions on working days; a due moment is the END of the working time
it consumes, so one that lands exactly on a session boundary reads 11:30 or 17:00, never 13:30 or 07:00.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

DAY_OFF_LABEL = "Ngày nghỉ bổ sung"
WORKED_DAY_LABEL = "Ngày làm việc bù"
CULTURE_DAY_NAME = "Ngày Văn hóa Việt Nam"
CULTURE_DAY_FROM = 2026  # 24/11, chosen by the Politburo with Nghị quyết 80-NQ/TW; see the ADR.
_MAX_DAYS_WITHOUT_WORK = 366

Timeliness = Literal["early", "on_time", "late"]


@dataclass(frozen=True)
class OfficeHours:
    """An agency's office sessions in local time (DOMAIN.md §3.5: default 07:00–11:30 and 13:30–17:00, 8 hours)."""

    sessions: tuple[tuple[time, time], ...] = ((time(7), time(11, 30)), (time(13, 30), time(17)))

    def __post_init__(self) -> None:
        if not self.sessions:
            raise ValueError("OfficeHours needs at least one session.")
        previous_end = time.min
        for start, end in self.sessions:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("Office hours are local times without tzinfo.")
            if not previous_end <= start < end:
                raise ValueError(f"Sessions must be sorted and must not overlap: {self.sessions!r}")
            previous_end = end

    @property
    def opening(self) -> time:
        return self.sessions[0][0]

    @property
    def closing(self) -> time:
        return self.sessions[-1][1]

    @property
    def day_length(self) -> timedelta:
        """Working time in one working day (8 hours by default)."""
        return sum(
            (datetime.combine(date.min, end) - datetime.combine(date.min, start) for start, end in self.sessions),
            timedelta(),
        )


DEFAULT_HOURS = OfficeHours()


def to_local(moment: datetime) -> datetime:
    """The same instant in Asia/Ho_Chi_Minh; naive datetimes are rejected because their instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Naive datetime {moment.isoformat()}: pass an aware datetime (Asia/Ho_Chi_Minh).")
    return moment.astimezone(TZ)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=TZ)


@functools.cache
def _legal_year(year: int) -> tuple[Mapping[date, str], frozenset[date]]:
    """Public holidays of `year` (Bộ luật Lao động 2019, Điều 112, with nghỉ bù) and the Saturdays worked in exchange.

    Neighbouring years are loaded too: a swap can cross New Year (e.g. 02/01/2015 off, 27/12/2014 worked).
    """
    legal = holidays.country_holidays("VN", years=range(year - 1, year + 2), language="vi")
    days_off = {day: name for day, name in legal.items() if day.year == year}
    if year >= CULTURE_DAY_FROM:  # Only matters with `holidays` releases older than the one tested (0.109).
        days_off.setdefault(date(year, 11, 24), CULTURE_DAY_NAME)
    return days_off, frozenset(day for day in legal.weekend_workdays if day.year == year)


def _with_reasons(days: Mapping[date, str] | Iterable[date]) -> dict[date, str]:
    return dict(days) if isinstance(days, Mapping) else dict.fromkeys(days, "")


class WorkingCalendar:
    """The days that count for deadlines (DOMAIN.md §3.5): Monday to Friday minus public holidays, plus the worked
    Saturdays the government declares; an administrator's overrides beat both.

    `extra_days_off` and `worked_days` are dates, or mappings of date to reason (shown in listings).
    """

    def __init__(
        self,
        extra_days_off: Mapping[date, str] | Iterable[date] = (),
        worked_days: Mapping[date, str] | Iterable[date] = (),
    ) -> None:
        self._extra_days_off = _with_reasons(extra_days_off)
        self._worked_days = _with_reasons(worked_days)
        if clash := sorted(self._extra_days_off.keys() & self._worked_days.keys()):
            raise ValueError(f"A day cannot be both an extra day off and a worked day: {clash}")

    @classmethod
    def from_db(cls) -> WorkingCalendar:
        """The legal calendar with the overrides administrators keep in `CalendarOverride`."""
        from chinhquyenso.core.models import CalendarOverride

        rows = list(CalendarOverride.objects.values_list("date", "kind", "reason"))
        return cls(
            extra_days_off={day: reason for day, kind, reason in rows if kind == CalendarOverride.Kind.DAY_OFF},
            worked_days={day: reason for day, kind, reason in rows if kind == CalendarOverride.Kind.WORKING_DAY},
        )

    # Days -------------------------------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if day in self._worked_days:
            return True
        if day in self._extra_days_off:
            return False
        days_off, worked_saturdays = _legal_year(day.year)
        return day in worked_saturdays or (day.weekday() < 5 and day not in days_off)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        for offset in range(1, _MAX_DAYS_WITHOUT_WORK + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"No working day within {_MAX_DAYS_WITHOUT_WORK} days after {day}: check the overrides.")

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """Public holidays of `year` (weekends included) plus extra days off, minus overridden worked days."""
        legal_days_off, _ = _legal_year(year)
        listing = {day: name for day, name in legal_days_off.items() if day not in self._worked_days}
        listing |= {day: reason or DAY_OFF_LABEL for day, reason in self._extra_days_off.items() if day.year == year}
        return sorted(listing.items())

    def worked_days(self, year: int) -> list[tuple[date, str]]:
        """Worked (make-up) days of `year`: the government's swaps plus the overrides."""
        _, worked_saturdays = _legal_year(year)
        listing = {day: WORKED_DAY_LABEL for day in worked_saturdays if day not in self._extra_days_off}
        listing |= {day: reason or WORKED_DAY_LABEL for day, reason in self._worked_days.items() if day.year == year}
        return sorted(listing.items())

    # Moments ----------------------------------------------------------------------------------------------------

    def _intervals_from(self, moment: datetime, hours: OfficeHours) -> Iterator[tuple[datetime, datetime]]:
        """The office sessions still ahead of local `moment`, in order, endlessly; the first may start at `moment`."""
        day = moment.date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            for start, end in hours.sessions:
                session_end = _at(day, end)
                if session_end > moment:
                    yield max(_at(day, start), moment), session_end
            day = self.next_working_day(day)

    def start_of_count(self, moment: datetime, hours: OfficeHours = DEFAULT_HOURS) -> datetime:
        """When the clock starts for a receipt at `moment` (DOMAIN.md §3.5).

        Before opening → opening; during lunch → the afternoon session; at or after closing, or on a day that does
        not count → the next working day's opening.
        """
        start, _ = next(self._intervals_from(to_local(moment), hours))
        return start

    def add_working_hours(self, moment: datetime, h: float | timedelta, hours: OfficeHours = DEFAULT_HOURS) -> datetime:
        """`h` hours of office time after `start_of_count(moment)`; a result on a session boundary is its end."""
        remaining = h if isinstance(h, timedelta) else timedelta(hours=h)
        if remaining < timedelta():
            raise ValueError(f"Working time must not be negative: {h!r}")
        intervals = self._intervals_from(to_local(moment), hours)
        while True:
            start, end = next(intervals)
            if remaining <= end - start:
                return start + remaining
            remaining -= end - start

    def add_working_days(
        self, moment: datetime, n: int, hours: OfficeHours = DEFAULT_HOURS, cutoff: time | None = None
    ) -> datetime:
        """Due moment for a deadline of `n` working days (DOMAIN.md §3.5; ADR 0003).

        The clock starts at `start_of_count`; with a same-day `cutoff` (e.g. chứng thực, 15:00) a receipt at or after
        the cut-off on a working day starts the next working day. n == 0 is due at closing of the start day;
        n > 0 is due after n × `day_length` of office time: the same clock time n working days later, or the
        closing of the n-th day when the clock starts at opening.
        """
        if n < 0:
            raise ValueError(f"Number of working days must not be negative: {n}")
        if cutoff is not None and cutoff.tzinfo is not None:
            raise ValueError("The cut-off is a local time without tzinfo.")
        local = to_local(moment)
        if cutoff is not None and self.is_working_day(local.date()) and local.time() >= cutoff:
            local = _at(self.next_working_day(local.date()), time.min)
        start = self.start_of_count(local, hours)
        if n == 0:
            return _at(start.date(), hours.closing)
        return self.add_working_hours(start, n * hours.day_length, hours)

    def add_calendar_days(self, moment: datetime, n: int, hours: OfficeHours = DEFAULT_HOURS) -> datetime:
        """Due moment for a deadline of `n` calendar days: closing time of the n-th day after the start day.

        Bộ luật Dân sự 2015, Điều 147–148: the first day is not counted, the period ends at the end of its last
        day, and a last day that does not count rolls forward to the next working day (DOMAIN.md §3.5).
        """
        if n < 0:
            raise ValueError(f"Number of calendar days must not be negative: {n}")
        day = self.start_of_count(moment, hours).date() + timedelta(days=n)
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        return _at(day, hours.closing)

    def working_time_between(self, a: datetime, b: datetime, hours: OfficeHours = DEFAULT_HOURS) -> timedelta:
        """Office time on working days between `a` and `b` (zero when b <= a)."""
        a, b = to_local(a), to_local(b)
        total = timedelta()
        if b <= a:
            return total
        intervals = self._intervals_from(a, hours)
        while True:
            start, end = next(intervals)
            if start >= b:
                return total
            total += min(end, b) - start


def classify(finished_at: datetime, due_at: datetime) -> Timeliness:
    """Trước hạn / đúng hạn / quá hạn by comparing local DATES (QĐ 766/QĐ-TTg, indicator 2.1; DOMAIN.md §3.6)."""
    finished, due = to_local(finished_at).date(), to_local(due_at).date()
    if finished < due:
        return "early"
    return "on_time" if finished == due else "late"
