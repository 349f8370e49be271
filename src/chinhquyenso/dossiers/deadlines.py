"""Due dates of dossiers and of workflow steps (DOMAIN.md §3.5), from the working-day calendar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chinhquyenso.catalog.models import ProcedureCase, TimeUnit
from chinhquyenso.core.calendar import OfficeHours, WorkingCalendar
from chinhquyenso.dossiers.models import Channel


def processing_value(*, case: ProcedureCase, channel: int) -> int | None:
    if channel == Channel.ONLINE and case.online_processing_value is not None:
        return case.online_processing_value
    return case.processing_value


def due_from(
    *, calendar: WorkingCalendar, case: ProcedureCase, channel: int, start: datetime, hours: OfficeHours
) -> datetime | None:
    """When the result is due if the clock starts at ``start``; None when the law sets no time."""
    value = processing_value(case=case, channel=channel)
    if value is None:
        return None
    if case.processing_unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_hours(start, value, hours)
    if case.processing_unit == TimeUnit.CALENDAR_DAYS:
        return calendar.add_calendar_days(start, value, hours)
    return calendar.add_working_days(start, value, hours, cutoff=case.cutoff)


def step_due(
    *, calendar: WorkingCalendar, start: datetime, dossier_due: datetime | None, share: float, hours: OfficeHours
) -> datetime | None:
    """A step's own deadline: its share of the working time left until the dossier's due moment."""
    if dossier_due is None:
        return None
    remaining = calendar.working_time_between(start, dossier_due, hours)
    if remaining <= timedelta(0):
        return dossier_due
    return min(dossier_due, calendar.add_working_hours(start, remaining * max(0.0, min(1.0, share)), hours))


def extend_by_waiting(
    *, calendar: WorkingCalendar, due: datetime | None, waited_from: datetime, waited_to: datetime, hours: OfficeHours
) -> tuple[datetime | None, int]:
    """Pause mode: push the due moment by the working time spent waiting; returns (new due, waited seconds)."""
    waited = calendar.working_time_between(waited_from, waited_to, hours)
    if due is None:
        return None, int(waited.total_seconds())
    return calendar.add_working_hours(due, waited, hours), int(waited.total_seconds())


def step_share(shares: Sequence[float], index: int) -> float:
    """The part of the time left that the step at ``index`` gets: its share over the shares of it and those after."""
    return shares[index] / max(1e-9, sum(shares[index:]))


@dataclass(frozen=True)
class Resumed:
    due_at: datetime | None
    step_due_at: datetime | None
    waited_seconds: int  # working time spent waiting, added to the dossier's total (pause mode; 0 in restart mode)
    clock_started_at: datetime | None  # the new start of the count (restart mode); None: unchanged


def resume_after_supplement(
    *,
    calendar: WorkingCalendar,
    pause: bool,
    case: ProcedureCase,
    channel: int,
    due: datetime | None,
    step_deadline: datetime | None,
    requested_at: datetime,
    now: datetime,
    hours: OfficeHours,
    step_hours: OfficeHours,
    share: float,
) -> Resumed:
    """The completed dossier comes back after receipt (DOMAIN.md §3.5), in one of the rule set's two modes.

    Pause: the dossier's due moment and the current step's deadline both move by the working time spent waiting.
    Restart: the whole processing time starts again from ``now``, and the current step gets its share of it afresh.
    The step's deadline never falls after the dossier's.
    """
    if pause:
        new_due, waited = extend_by_waiting(calendar=calendar, due=due, waited_from=requested_at, waited_to=now,
                                            hours=hours)  # fmt: skip
        new_step_due, _ = extend_by_waiting(calendar=calendar, due=step_deadline, waited_from=requested_at, waited_to=now,
                                            hours=step_hours)  # fmt: skip
        started = None
    else:
        waited, started = 0, calendar.start_of_count(now, hours)
        new_due = due_from(calendar=calendar, case=case, channel=channel, start=now, hours=hours)
        new_step_due = step_due(calendar=calendar, start=now, dossier_due=new_due, share=share, hours=step_hours)
    if new_step_due is not None and new_due is not None:
        new_step_due = min(new_step_due, new_due)
    return Resumed(due_at=new_due, step_due_at=new_step_due, waited_seconds=waited, clock_started_at=started)
