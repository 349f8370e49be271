"""Dossier reads, always scoped to the acting user (STYLE.md §4): an officer sees the dossiers whose route passes
through one of their agencies, an applicant only their own; anything else answers as not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Membership, Role
from chinhquyenso.catalog.text import normalize_search
from chinhquyenso.core.cursor import cursor_decode, cursor_encode
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import OPEN_IN_INBOX, Dossier, State

SOON = timedelta(hours=24)  # "due within 24 hours"


def officer_agency_ids(*, actor: User) -> list[int]:
    return list(
        Membership.objects.filter(user=actor, active=True, agency__active=True).values_list("agency_id", flat=True)
    )


def dossier_visible_to(*, actor: User) -> QuerySet[Dossier]:
    if not actor.is_authenticated:
        return Dossier.objects.none()
    if actor.is_officer:
        if Membership.objects.filter(user=actor, role=Role.SYSTEM_ADMIN, active=True).exists():
            return Dossier.objects.filter(is_draft=False)
        routed = Dossier.route_agencies.through.objects.filter(
            dossier_id=OuterRef("pk"), agency_id__in=officer_agency_ids(actor=actor)
        )
        return Dossier.objects.filter(Exists(routed), is_draft=False)
    return Dossier.objects.filter(applicant=actor)


def dossier_get(*, actor: User, dossier_id: int | str) -> Dossier:
    """One dossier if the actor may see it, else DossierNotFound (never PermissionDenied)."""
    try:
        pk = int(dossier_id)
    except (TypeError, ValueError):
        raise DossierNotFound from None
    dossier = (
        dossier_visible_to(actor=actor)
        .select_related("case__version__procedure", "receiving_agency", "current_agency", "assignee", "rule_set")
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise DossierNotFound
    return dossier


def dossier_by_code(*, code: str) -> Dossier | None:
    """Public tracking by code: the caller must show only non-personal fields."""
    return (
        Dossier.objects.select_related("case__version__procedure", "current_agency", "receiving_agency")
        .filter(code=code.strip().upper() if code else "", is_draft=False)
        .first()
    )


@dataclass(frozen=True)
class InboxFilter:
    state: int | None = None
    step: int | None = None
    procedure_code: str | None = None
    due: str | None = None  # overdue | soon | on_time
    search: str | None = None
    mine: bool = False
    agency_id: int | None = None


@dataclass(frozen=True)
class InboxPage:
    items: list[Dossier]
    next_cursor: str | None


def _inbox_base(
    *, actor: User, agency_id: int, filters: InboxFilter, roles: list[str], now: datetime
) -> QuerySet[Dossier]:
    """One agency's part of the inbox, written so that each filter on state is a prefix or the condition of an index:
    ``dossier_inbox`` (agency, state, newest first) for one state, the partial ``dossier_inbox_open`` otherwise."""
    qs: QuerySet[Dossier] = Dossier.objects.filter(current_agency_id=agency_id, is_draft=False)
    qs = qs.filter(state=filters.state) if filters.state is not None else qs.filter(OPEN_IN_INBOX)
    if filters.mine:
        qs = qs.filter(Q(assignee=actor) | Q(assignee__isnull=True, current_role__in=roles))
    if filters.step is not None:
        qs = qs.filter(current_step=filters.step)
    if filters.procedure_code:
        qs = qs.filter(case__version__procedure__code=filters.procedure_code)
    # A processed dossier waiting to be handed back is not "overdue": its clock stopped when it was processed.
    open_ = Q(finished_at__isnull=True)
    if filters.due == "overdue":
        qs = qs.filter(open_, due_at__lt=now)
    elif filters.due == "soon":
        qs = qs.filter(open_, due_at__gte=now, due_at__lt=now + SOON)
    elif filters.due == "on_time":
        qs = qs.filter(Q(due_at__gte=now + SOON) | Q(due_at__isnull=True) | ~open_)
    if filters.search:
        term = filters.search.strip()
        words = normalize_search(term).split()
        by_name = Q()
        for word in words:
            by_name &= Q(applicant_search__contains=word)
        qs = qs.filter(Q(code__iexact=term) | Q(code__istartswith=term) | (by_name if words else Q(pk__in=[])))
    return qs


def _inbox_agencies(*, actor: User, agency_id: int | None) -> list[int]:
    """Each agency once, even for an officer holding two roles in it (each is queried, then merged)."""
    agencies = list(dict.fromkeys(officer_agency_ids(actor=actor)))
    return [a for a in agencies if a == agency_id] if agency_id is not None else agencies


def dossier_inbox(*, actor: User, filters: InboxFilter, cursor: str | None = None, limit: int = 25) -> InboxPage:
    """The officer's inbox: dossiers currently at one of their agencies, newest receipt first, keyset-paginated.

    One bounded index range per agency, merged here: ``current_agency IN (a, b)`` would make the database read
    both agencies' whole ranges and sort them, which at a million dossiers turns page 1 from under a millisecond
    into most of a second (docs/performance.md). The cursor bound ``submitted_at <= t`` is where each index scan
    starts; the rows of that same instant are then cut by id, so every page costs the same at any depth.
    """
    roles: dict[int, list[str]] = {}
    for agency_id, role in Membership.objects.filter(user=actor, active=True).values_list("agency_id", "role"):
        roles.setdefault(agency_id, []).append(role)  # "mine" at an agency: the roles held in that agency
    now = timezone.now()
    parsed = cursor_decode(cursor) if cursor else None
    rows: list[Dossier] = []
    for agency_id in _inbox_agencies(actor=actor, agency_id=filters.agency_id):
        qs = _inbox_base(actor=actor, agency_id=agency_id, filters=filters, roles=roles.get(agency_id, []), now=now)
        if parsed is not None:
            at, pk = parsed
            qs = qs.filter(Q(submitted_at__lt=at) | Q(id__lt=pk), submitted_at__lte=at)
        qs = qs.order_by("-submitted_at", "-id").select_related(
            "case__version__procedure", "current_agency", "assignee"
        )
        rows.extend(qs[: limit + 1])
    rows.sort(key=lambda d: (d.submitted_at, d.pk), reverse=True)
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = cursor_encode(last.submitted_at, last.pk) if last is not None and last.submitted_at else None
    return InboxPage(items=rows[:limit], next_cursor=next_cursor)


@dataclass(frozen=True)
class DueCounts:
    overdue: int
    soon: int
    on_time: int


def dossier_inbox_counts(*, actor: User, agency_id: int | None = None) -> DueCounts:
    """Open dossiers at the officer's agencies per due bucket, with the bounds of ``dossier_inbox``'s due filter:
    one aggregate over the partial index of open dossiers."""
    now = timezone.now()
    counts = Dossier.objects.filter(
        OPEN_IN_INBOX,
        current_agency_id__in=_inbox_agencies(actor=actor, agency_id=agency_id),
        is_draft=False,
    ).aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now, finished_at__isnull=True)),
        soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + SOON, finished_at__isnull=True)),
        on_time=Count("pk", filter=Q(due_at__gte=now + SOON) | Q(due_at__isnull=True) | Q(finished_at__isnull=False)),
    )
    return DueCounts(overdue=counts["overdue"], soon=counts["soon"], on_time=counts["on_time"])


def dossier_list_for_applicant(*, actor: User) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(applicant=actor)
        .select_related("case__version__procedure")
        .order_by("-created_at", "-id")
    )


def timeline_public(*, dossier: Dossier) -> list[dict[str, Any]]:
    """The timeline without personal data or internal notes (public tracking)."""
    return [
        {"at": e.at, "action": e.action, "state": e.to_state, "state_name": str(State(e.to_state).label),
         "agency": e.agency.name if e.agency else ""}
        for e in dossier.events.select_related("agency").order_by("at", "id")
    ]  # fmt: skip
