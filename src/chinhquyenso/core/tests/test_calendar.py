"""Hand-checked cases for the working-day calendar (DOMAIN.md §3.5, §3.6; ADR 0003).

2026 as the `holidays` package and the government's announcements give it:
Tết Bính Ngọ off Mon 16/02 – Fri 20/02 (weekends 14–15 and 21–22 around it); Giỗ Tổ Sun 26/04, nghỉ bù Mon 27/04;
30/04 Thu, 01/05 Fri; Quốc khánh Tue 01/09 + Wed 02/09, plus Mon 31/08 off in exchange for Sat 22/08 worked;
Ngày Văn hóa Việt Nam Tue 24/11. Office hours 07:00–11:30 and 13:30–17:00 (8 hours a day).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from chinhquyenso.core.calendar import TZ, OfficeHours, WorkingCalendar, classify

CALENDAR = WorkingCalendar()


def vn(text: str) -> datetime:
    """A local (Asia/Ho_Chi_Minh) moment written as 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def iso(text: str) -> str:
    return vn(text).isoformat()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 1, 1), False, id="Tết Dương lịch, Thursday"),
        pytest.param(date(2026, 2, 13), True, id="last Friday before Tết"),
        pytest.param(date(2026, 2, 16), False, id="29 Tết (Giao thừa), Monday"),
        pytest.param(date(2026, 2, 20), False, id="mùng 4 Tết, Friday"),
        pytest.param(date(2026, 2, 23), True, id="first Monday after Tết"),
        pytest.param(date(2026, 4, 26), False, id="Giỗ Tổ on a Sunday"),
        pytest.param(date(2026, 4, 27), False, id="Giỗ Tổ nghỉ bù, Monday"),
        pytest.param(date(2026, 4, 28), True, id="Tuesday between Giỗ Tổ and 30/4"),
        pytest.param(date(2026, 4, 30), False, id="30/4 Thursday"),
        pytest.param(date(2026, 5, 1), False, id="1/5 Friday"),
        pytest.param(date(2026, 5, 4), True, id="Monday after 30/4-1/5"),
        pytest.param(date(2026, 8, 22), True, id="Saturday worked in exchange for 31/8"),
        pytest.param(date(2026, 8, 31), False, id="Monday 31/8 swapped off"),
        pytest.param(date(2026, 9, 1), False, id="Quốc khánh adjacent day, Tuesday"),
        pytest.param(date(2026, 9, 2), False, id="Quốc khánh, Wednesday"),
        pytest.param(date(2026, 9, 3), True, id="Thursday after Quốc khánh"),
        pytest.param(date(2026, 11, 24), False, id="Ngày Văn hóa Việt Nam, Tuesday"),
        pytest.param(date(2026, 11, 25), True, id="Wednesday after Ngày Văn hóa"),
        pytest.param(date(2026, 3, 7), False, id="ordinary Saturday"),
        pytest.param(date(2026, 3, 8), False, id="ordinary Sunday"),
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert CALENDAR.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Before opening: the clock starts at opening the same day.
        pytest.param("2026-02-23 06:00", "2026-02-23 07:00", id="before opening"),
        # Inside a session: the clock starts at once.
        pytest.param("2026-02-23 09:15", "2026-02-23 09:15", id="morning session"),
        # 11:30 is the end of the morning session, so it is lunch: wait for 13:30.
        pytest.param("2026-02-23 11:30", "2026-02-23 13:30", id="exactly end of morning"),
        pytest.param("2026-02-23 12:15", "2026-02-23 13:30", id="lunch break"),
        pytest.param("2026-02-23 13:30", "2026-02-23 13:30", id="exactly afternoon start"),
        pytest.param("2026-02-23 16:59", "2026-02-23 16:59", id="last minute"),
        # At or after closing: next working morning.
        pytest.param("2026-02-23 17:00", "2026-02-24 07:00", id="exactly closing"),
        # Friday evening before Tết: the next working morning is Monday 23/02, after the Tết week.
        pytest.param("2026-02-13 18:00", "2026-02-23 07:00", id="after hours before Tết"),
        pytest.param("2026-02-14 10:00", "2026-02-23 07:00", id="Saturday before Tết"),
        pytest.param("2026-02-18 10:00", "2026-02-23 07:00", id="online receipt during Tết"),
        # Sat 22/08/2026 is a worked Saturday, so it counts like a weekday.
        pytest.param("2026-08-22 08:00", "2026-08-22 08:00", id="worked Saturday"),
    ],
)
def test_start_of_count(received: str, expected: str) -> None:
    assert CALENDAR.start_of_count(vn(received)).isoformat() == iso(expected)


def test_start_of_count_converts_other_offsets_to_local_time() -> None:
    # 01:00 UTC is 08:00 in Hà Nội: inside the morning session, answered with +07:00.
    received = datetime(2026, 2, 13, 1, 0, tzinfo=UTC)

    assert CALENDAR.start_of_count(received).isoformat() == "2026-02-13T08:00:00+07:00"


@pytest.mark.parametrize(
    ("received", "n", "cutoff", "expected"),
    [
        # Thu 08:00 + 2 days = 16 h: Thu 08:00–17:00 gives 7 h, Fri 8 h (15 h), Tết week and weekends skipped,
        # the last hour on Mon 23/02 07:00–08:00. Same clock time two working days later.
        pytest.param("2026-02-12 08:00", 2, None, "2026-02-23 08:00", id="2 days across Tết"),
        # Clock starts at opening: the 8 h are all of Friday, so due at Friday's closing, not Monday 07:00.
        pytest.param("2026-02-13 07:00", 1, None, "2026-02-13 17:00", id="from opening ends at closing"),
        pytest.param("2026-02-13 10:00", 1, None, "2026-02-23 10:00", id="1 day across Tết"),
        # After closing on Friday: counts from Mon 23/02 07:00, the whole Monday is the one day.
        pytest.param("2026-02-13 17:30", 1, None, "2026-02-23 17:00", id="after hours"),
        # Lunch: starts 13:30 Fri; 3.5 h Friday afternoon + 4.5 h Monday morning = 8 h, ends at 11:30 sharp.
        pytest.param("2026-02-13 12:00", 1, None, "2026-02-23 11:30", id="lunch break"),
        pytest.param("2026-02-13 06:30", 0, None, "2026-02-13 17:00", id="same day, before opening"),
        pytest.param("2026-02-17 09:00", 1, None, "2026-02-23 17:00", id="received on Tết day"),
        # Sat 14/02 counts from Mon 23/02 07:00; 3 whole days = Mon, Tue, Wed, due Wed closing.
        pytest.param("2026-02-14 09:00", 3, None, "2026-02-25 17:00", id="weekend receipt"),
        # Same-day procedure with a 15:00 cut-off (chứng thực).
        pytest.param("2026-02-13 14:59", 0, time(15), "2026-02-13 17:00", id="before cut-off"),
        pytest.param("2026-02-13 15:00", 0, time(15), "2026-02-23 17:00", id="at cut-off, next working day"),
        pytest.param("2026-02-13 15:30", 0, time(15), "2026-02-23 17:00", id="after cut-off, next working day"),
        # Cut-off with n = 1: counts from Mon 23/02 opening, so the whole Monday.
        pytest.param("2026-02-13 15:30", 1, time(15), "2026-02-23 17:00", id="after cut-off, one day"),
        # Wed 29/04 09:00 + 1 day: 30/4 and 1/5 off, weekend, so Mon 04/05 09:00.
        pytest.param("2026-04-29 09:00", 1, None, "2026-05-04 09:00", id="1 day across 30/4-1/5"),
        # Fri 24/04 14:00 + 3 days: Mon 27/04 (Giỗ Tổ nghỉ bù) and 30/4, 1/5 skipped:
        # working days Tue 28, Wed 29, Mon 04/05, so Mon 04/05 14:00.
        pytest.param("2026-04-24 14:00", 3, None, "2026-05-04 14:00", id="3 days across Giỗ Tổ and 30/4"),
        # Received on Sunday 26/04 (Giỗ Tổ): Mon 27/04 is nghỉ bù, so the clock starts Tue 28/04.
        pytest.param("2026-04-26 10:00", 1, None, "2026-04-28 17:00", id="received on Giỗ Tổ"),
        # Fri 28/08 10:00 + 1 day: Mon 31/08, Tue 01/09, Wed 02/09 off, so Thu 03/09 10:00.
        pytest.param("2026-08-28 10:00", 1, None, "2026-09-03 10:00", id="1 day across Quốc khánh"),
        # Fri 21/08 16:00 + 1 day: Sat 22/08 is worked, so due Sat 22/08 16:00.
        pytest.param("2026-08-21 16:00", 1, None, "2026-08-22 16:00", id="worked Saturday counts"),
        pytest.param("2026-08-22 09:00", 0, None, "2026-08-22 17:00", id="same day on worked Saturday"),
        # Mon 23/11 10:00 + 1 day: Tue 24/11 is Ngày Văn hóa Việt Nam, so Wed 25/11 10:00.
        pytest.param("2026-11-23 10:00", 1, None, "2026-11-25 10:00", id="1 day across 24/11"),
        pytest.param("2026-11-24 08:00", 0, None, "2026-11-25 17:00", id="same day, received on 24/11"),
    ],
)
def test_add_working_days(received: str, n: int, cutoff: time | None, expected: str) -> None:
    assert CALENDAR.add_working_days(vn(received), n, cutoff=cutoff).isoformat() == iso(expected)


@pytest.mark.parametrize(
    ("received", "h", "expected"),
    [
        # 1 h left on Friday 16:00–17:00, 3 h on Mon 23/02 from 07:00.
        pytest.param("2026-02-13 16:00", 4, "2026-02-23 10:00", id="across Tết"),
        pytest.param("2026-02-23 07:00", 4.5, "2026-02-23 11:30", id="whole morning ends at 11:30"),
        pytest.param("2026-02-23 07:00", 8, "2026-02-23 17:00", id="whole day ends at 17:00"),
        pytest.param("2026-02-23 07:00", 0, "2026-02-23 07:00", id="zero hours"),
        pytest.param("2026-02-23 11:00", 1, "2026-02-23 14:00", id="over lunch"),
        # Worked Sat 22/08: 09:00–11:30 and 13:30–17:00 = 6 h; Sunday skipped; 2 h on Mon 24/08.
        pytest.param("2026-08-22 09:00", 8, "2026-08-24 09:00", id="from worked Saturday"),
    ],
)
def test_add_working_hours(received: str, h: float, expected: str) -> None:
    assert CALENDAR.add_working_hours(vn(received), h).isoformat() == iso(expected)


@pytest.mark.parametrize(
    ("received", "n", "expected"),
    [
        # BLDS 2015 Điều 147-148: the start day is not counted, the period ends at the end of its last day.
        pytest.param("2026-02-09 10:00", 3, "2026-02-12 17:00", id="plain"),
        # 10/02 + 4 = Sat 14/02: rolls past the weekend and Tết to Mon 23/02.
        pytest.param("2026-02-10 10:00", 4, "2026-02-23 17:00", id="rolls past Tết"),
        # 29/04 + 1 = Thu 30/04: rolls past 30/4, 1/5 and the weekend to Mon 04/05.
        pytest.param("2026-04-29 09:00", 1, "2026-05-04 17:00", id="rolls past 30/4-1/5"),
        # After closing on Fri 21/08: counts from worked Sat 22/08; + 1 = Sun 23/08, rolls to Mon 24/08.
        pytest.param("2026-08-21 17:30", 1, "2026-08-24 17:00", id="after hours, worked Saturday start"),
        pytest.param("2026-11-23 10:00", 0, "2026-11-23 17:00", id="zero days"),
        pytest.param("2026-11-23 10:00", 1, "2026-11-25 17:00", id="rolls past 24/11"),
    ],
)
def test_add_calendar_days(received: str, n: int, expected: str) -> None:
    assert CALENDAR.add_calendar_days(vn(received), n).isoformat() == iso(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param("2026-02-13 16:00", "2026-02-23 10:00", timedelta(hours=4), id="across Tết"),
        # 10:00–11:30 is 1.5 h, 13:30–14:00 is 0.5 h.
        pytest.param("2026-02-23 10:00", "2026-02-23 14:00", timedelta(hours=2), id="over lunch"),
        pytest.param("2026-02-13 07:00", "2026-02-23 17:00", timedelta(hours=16), id="two whole days"),
        pytest.param("2026-02-23 12:00", "2026-02-23 13:00", timedelta(0), id="inside lunch"),
        pytest.param("2026-02-23 14:00", "2026-02-23 10:00", timedelta(0), id="b before a"),
    ],
)
def test_working_time_between(a: str, b: str, expected: timedelta) -> None:
    assert CALENDAR.working_time_between(vn(a), vn(b)) == expected


@pytest.mark.parametrize(
    ("finished", "due", "expected"),
    [
        # §3.6 compares dates: finishing later the same day is still đúng hạn.
        pytest.param(vn("2026-02-23 16:00"), vn("2026-02-23 08:00"), "on_time", id="same date, later hour"),
        pytest.param(vn("2026-02-20 09:00"), vn("2026-02-23 08:00"), "early", id="date before"),
        pytest.param(vn("2026-02-24 07:30"), vn("2026-02-23 17:00"), "late", id="next morning"),
        # 17:30 UTC is 00:30 the next day in Hà Nội: local dates decide.
        pytest.param(datetime(2026, 2, 23, 17, 30, tzinfo=UTC), vn("2026-02-23 17:00"), "late", id="local date"),
    ],
)
def test_classify(finished: datetime, due: datetime, expected: str) -> None:
    assert classify(finished, due) == expected


def test_days_off_2026() -> None:
    assert [day for day, _ in CALENDAR.days_off(2026)] == [
        date(2026, 1, 1),
        *(date(2026, 2, d) for d in range(16, 21)),
        date(2026, 4, 26),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),
    ]


def test_worked_days_2026() -> None:
    assert CALENDAR.worked_days(2026) == [(date(2026, 8, 22), "Ngày làm việc bù")]


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        pytest.param(WorkingCalendar(worked_days={date(2026, 3, 7)}), date(2026, 3, 7), True, id="worked Saturday"),
        pytest.param(WorkingCalendar(extra_days_off={date(2026, 3, 6)}), date(2026, 3, 6), False, id="extra off"),
        # Overrides beat the legal calendar both ways.
        pytest.param(WorkingCalendar(worked_days={date(2026, 2, 20)}), date(2026, 2, 20), True, id="work on Tết"),
        pytest.param(WorkingCalendar(extra_days_off={date(2026, 8, 22)}), date(2026, 8, 22), False, id="cancel swap"),
    ],
)
def test_overrides(calendar: WorkingCalendar, day: date, expected: bool) -> None:
    assert calendar.is_working_day(day) is expected


def test_override_listing_shows_reasons() -> None:
    calendar = WorkingCalendar(
        extra_days_off={date(2026, 11, 23): "Nghỉ theo quyết định của UBND tỉnh"},
        worked_days={date(2026, 11, 28): ""},
    )

    assert (date(2026, 11, 23), "Nghỉ theo quyết định của UBND tỉnh") in calendar.days_off(2026)
    assert calendar.worked_days(2026) == [
        (date(2026, 8, 22), "Ngày làm việc bù"),
        (date(2026, 11, 28), "Ngày làm việc bù"),
    ]


def test_worked_day_override_removes_holiday_from_listing() -> None:
    calendar = WorkingCalendar(worked_days={date(2026, 11, 24)})

    assert date(2026, 11, 24) not in dict(calendar.days_off(2026))


def test_same_day_cannot_be_both_overrides() -> None:
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar(extra_days_off={date(2026, 3, 6)}, worked_days={date(2026, 3, 6)})


NAIVE = datetime(2026, 2, 23, 8, 0)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: CALENDAR.start_of_count(NAIVE), id="start_of_count"),
        pytest.param(lambda: CALENDAR.add_working_days(NAIVE, 1), id="add_working_days"),
        pytest.param(lambda: CALENDAR.add_working_hours(NAIVE, 1), id="add_working_hours"),
        pytest.param(lambda: CALENDAR.add_calendar_days(NAIVE, 1), id="add_calendar_days"),
        pytest.param(lambda: CALENDAR.working_time_between(NAIVE, vn("2026-02-24 08:00")), id="working_time_between"),
        pytest.param(lambda: classify(NAIVE, vn("2026-02-24 08:00")), id="classify"),
        pytest.param(lambda: CALENDAR.add_working_days(vn("2026-02-23 08:00"), -1), id="negative days"),
        pytest.param(lambda: CALENDAR.add_working_hours(vn("2026-02-23 08:00"), -0.5), id="negative hours"),
    ],
)
def test_invalid_input_is_rejected(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(
    "sessions",
    [
        pytest.param((), id="no session"),
        pytest.param(((time(11, 30), time(7)),), id="ends before it starts"),
        pytest.param(((time(13, 30), time(17)), (time(7), time(11, 30))), id="not sorted"),
        pytest.param(((time(7), time(12)), (time(11, 30), time(17))), id="overlapping"),
    ],
)
def test_office_hours_rejects_bad_sessions(sessions: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValueError):
        OfficeHours(sessions)


def test_default_office_hours_are_eight_hours_a_day() -> None:
    assert OfficeHours().day_length == timedelta(hours=8)


def test_custom_office_hours() -> None:
    # A commune desk open 07:30–11:30 and 13:00–16:30 (7.5 h): a 1-day deadline from 09:00 ends 09:00 next day,
    # and n = 0 ends at this desk's closing.
    hours = OfficeHours(((time(7, 30), time(11, 30)), (time(13), time(16, 30))))

    assert CALENDAR.add_working_days(vn("2026-03-02 09:00"), 1, hours).isoformat() == iso("2026-03-03 09:00")
    assert CALENDAR.add_working_days(vn("2026-03-02 09:00"), 0, hours).isoformat() == iso("2026-03-02 16:30")
