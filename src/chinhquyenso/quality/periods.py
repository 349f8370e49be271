"""Reporting periods of the 766 index: a month, a quarter, a year, or two dates; local dates, both included."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.utils.translation import gettext as _

from chinhquyenso.core.calendar import TZ

MAX_PERIOD_DAYS = 366  # a year, leap years included


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, local dates (Asia/Ho_Chi_Minh), both included."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=TZ)

    @property
    def until(self) -> datetime:
        """The first moment after the period (midnight after ``end``)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=TZ)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), cls.month(year, first + 2).end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


def period_problem(*, start: date, end: date, today: date) -> tuple[Literal["start", "end"], str] | None:
    """Why a period cannot be reported on (in the request's language) and which of its two dates to fix, or None."""
    if start > today:
        return "start", _("Kỳ đánh giá chưa bắt đầu: ngày bắt đầu không được sau hôm nay.")
    if end < start:
        return "end", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        return "end", _("Mỗi kỳ đánh giá dài tối đa 366 ngày; hãy chọn khoảng thời gian ngắn hơn.")
    return None
