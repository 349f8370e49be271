"""Properties of the working-day calendar that must hold for any receipt moment (DOMAIN.md §3.5, §3.6)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chinhquyenso.core.calendar import DEFAULT_HOURS, TZ, OfficeHours, WorkingCalendar, classify

CALENDAR = WorkingCalendar()

# The first call for a year loads the `holidays` package's tables (slow once, cached after).
relaxed = settings(deadline=None)

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.sampled_from([TZ, UTC])
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
working_days = st.integers(min_value=0, max_value=40)
durations = st.integers(min_value=0, max_value=400 * 60).map(lambda minutes: timedelta(minutes=minutes))
positive_durations = st.integers(min_value=1, max_value=400 * 60).map(lambda minutes: timedelta(minutes=minutes))
cutoffs = st.sampled_from([None, time(15), time(11)])


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    """The default hours, or one to three sessions at random minutes of the day."""
    sessions = draw(st.integers(min_value=1, max_value=3))
    minutes = sorted(
        draw(st.lists(st.integers(0, 24 * 60 - 1), min_size=2 * sessions, max_size=2 * sessions, unique=True))
    )
    clock = [time(m // 60, m % 60) for m in minutes]
    return draw(st.sampled_from([DEFAULT_HOURS, OfficeHours(tuple(zip(clock[::2], clock[1::2], strict=True)))]))


def within_office_hours(moment: datetime, hours: OfficeHours) -> bool:
    return CALENDAR.is_working_day(moment.date()) and hours.opening <= moment.time() <= hours.closing


@relaxed
@given(moments, working_days, durations, cutoffs, office_hours())
def test_due_is_a_local_moment_in_office_hours_of_a_working_day(
    received: datetime, n: int, h: timedelta, cutoff: time | None, hours: OfficeHours
) -> None:
    dues = [
        CALENDAR.start_of_count(received, hours),
        CALENDAR.add_working_days(received, n, hours, cutoff),
        CALENDAR.add_working_hours(received, h, hours),
        CALENDAR.add_calendar_days(received, n, hours),
    ]

    assert all(due.tzinfo is TZ and within_office_hours(due, hours) for due in dues)


@relaxed
@given(moments, moments, working_days, durations, cutoffs)
def test_a_later_receipt_is_never_due_earlier(
    first: datetime, second: datetime, n: int, h: timedelta, cutoff: time | None
) -> None:
    earlier, later = sorted([first, second])

    assert CALENDAR.add_working_days(earlier, n, cutoff=cutoff) <= CALENDAR.add_working_days(later, n, cutoff=cutoff)
    assert CALENDAR.add_working_hours(earlier, h) <= CALENDAR.add_working_hours(later, h)
    assert CALENDAR.add_calendar_days(earlier, n) <= CALENDAR.add_calendar_days(later, n)


@relaxed
@given(moments, durations, positive_durations, office_hours())
def test_working_hours_add_up(received: datetime, a: timedelta, b: timedelta, hours: OfficeHours) -> None:
    # b > 0: adding zero hours to a moment at closing moves it to the next opening, a different representation.
    in_one_go = CALENDAR.add_working_hours(received, a + b, hours)
    in_two_steps = CALENDAR.add_working_hours(CALENDAR.add_working_hours(received, a, hours), b, hours)

    assert in_one_go == in_two_steps


@relaxed
@given(moments, durations, office_hours())
def test_working_time_to_the_due_moment_is_the_time_added(received: datetime, h: timedelta, hours: OfficeHours) -> None:
    start = CALENDAR.start_of_count(received, hours)
    due = CALENDAR.add_working_hours(received, h, hours)

    assert CALENDAR.working_time_between(start, due, hours) == h


@relaxed
@given(moments, st.integers(min_value=1, max_value=40), office_hours())
def test_working_days_are_day_lengths_of_working_hours(received: datetime, n: int, hours: OfficeHours) -> None:
    assert CALENDAR.add_working_days(received, n, hours) == CALENDAR.add_working_hours(
        received, n * hours.day_length, hours
    )


@relaxed
@given(moments)
def test_start_of_count_is_idempotent_and_skips_no_working_time(received: datetime) -> None:
    start = CALENDAR.start_of_count(received)

    assert start >= received
    assert CALENDAR.start_of_count(start) == start
    assert CALENDAR.working_time_between(received, start) == timedelta(0)


@relaxed
@given(moments, moments, moments)
def test_working_time_is_additive(first: datetime, second: datetime, third: datetime) -> None:
    a, b, c = sorted([first, second, third])

    assert CALENDAR.working_time_between(a, c) == CALENDAR.working_time_between(a, b) + CALENDAR.working_time_between(
        b, c
    )


@relaxed
@given(days)
def test_a_worked_saturday_counts_a_full_day(day: date) -> None:
    saturday = day + timedelta(days=5 - day.weekday())
    calendar = WorkingCalendar(worked_days={saturday})
    midnight = datetime.combine(saturday, time.min, tzinfo=TZ)

    assert calendar.is_working_day(saturday)
    assert calendar.working_time_between(midnight, midnight + timedelta(days=1)) == timedelta(hours=8)
    assert calendar.add_working_days(midnight, 0) == midnight.replace(hour=17)


@relaxed
@given(days, moments, working_days, cutoffs)
def test_an_extra_day_off_never_counts(day: date, received: datetime, n: int, cutoff: time | None) -> None:
    assume(CALENDAR.is_working_day(day))
    calendar = WorkingCalendar(extra_days_off={day})
    midnight = datetime.combine(day, time.min, tzinfo=TZ)

    assert not calendar.is_working_day(day)
    assert calendar.working_time_between(midnight, midnight + timedelta(days=1)) == timedelta(0)
    assert calendar.add_working_days(received, n, cutoff=cutoff).date() != day
    assert calendar.add_calendar_days(received, n).date() != day


@relaxed
@given(moments, moments)
def test_classify_is_symmetric(finished: datetime, due: datetime) -> None:
    opposite = {"early": "late", "on_time": "on_time", "late": "early"}

    assert classify(due, finished) == opposite[classify(finished, due)]
