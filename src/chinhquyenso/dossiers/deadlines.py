"""Due dates of dossiers and of workflow steps (DOMAIN.md §3.5), from the working-day calendar."""

from __future__ import annotations

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
