"""The 766 indicators that the platform's own data supports (Quyết định 766/QĐ-TTg; DOMAIN.md §3.6, §4, §7), for
one agency or the whole province and a period of local dates. Pure reads, scoped to the actor (STYLE.md §4): an
officer sees the agencies they belong to, a system administrator every agency and the province; anyone else gets
``QualityNotFound`` (404 in the pages and the API).

Each indicator family is ONE aggregate query, never a loop over dossiers (the province files about a million a year):
outcomes (groups 2 and 5) over the dossiers that ended in the period or were still open at its end; receipts
(groups 3 and 4) over the dossiers received in the period; payments (4.3) over the fee orders paid in the period;
the catalog (1.1 and 4.1) over the published procedures. The rules and their reasons: docs/adr/0015-766-indicators.md.

An agency's dossiers are those whose route passed through it (``Dossier.route_agencies``: the receiving desk, the
competent agency, transfers), the same rule that decides which officers may open a dossier; the province counts each
dossier once. An agency's procedures are those it decides or receives (``catalog.search.procedure_search``'s rule),
plus, for a one-stop desk, the procedures of its level that every desk of that level receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.catalog.models import DocumentComponent, OnlineLevel, ProcedureCase, ProcedureVersion
from chinhquyenso.catalog.search import public_versions
from chinhquyenso.core.calendar import TZ, to_local
from chinhquyenso.dossiers.models import Attachment, Channel, Dossier, State
from chinhquyenso.payments.models import ONLINE_CHANNELS, FeeOrder, Payment
from chinhquyenso.quality.indicators import GROUP_NAMES, GROUP_POINTS, Indicator, indicator_points, indicators
from chinhquyenso.quality.periods import Period
from chinhquyenso.signing.models import IssuedResult

CENT = Decimal("0.01")
ON_TIME = ("early", "on_time")
# Ends that count in group 2: the agency decided (stopped, processed, returned). A refusal (3) happens at reception,
# before there is a due date; a withdrawal (7) is the applicant's choice: neither is a resolved dossier, except a
# withdrawal that came after the dossier was already late (its ``timeliness`` is "late"): that one stays late.
RESOLVED_STATES = (State.STOPPED, State.PROCESSED, State.RETURNED)
RESULT_STATES = (State.PROCESSED, State.RETURNED)

Status = Literal["computed", "no_data", "not_computed"]


class QualityNotFound(Exception):
    """The agency does not exist or is outside what the actor may see (never "forbidden": ids cannot be probed)."""


@dataclass(frozen=True)
class Scope:
    agency: Agency | None  # None: the whole province

    @property
    def name(self) -> str:
        return self.agency.name if self.agency is not None else str(_("Toàn tỉnh"))


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    status: Status
    numerator: int | None = None
    denominator: int | None = None
    ratio: Decimal | None = None  # 0..1
    points: Decimal | None = None  # rounded to 0.01
    note: str | Promise = ""

    @property
    def key(self) -> str:
        return self.indicator.key


@dataclass(frozen=True)
class GroupResult:
    number: int
    name: str | Promise
    max_points: Decimal
    indicators: list[IndicatorResult]

    @property
    def points(self) -> Decimal:
        return sum((r.points for r in self.indicators if r.points is not None), Decimal(0))

    @property
    def computable_points(self) -> Decimal:
        return sum((r.indicator.points for r in self.indicators if r.status == "computed"), Decimal(0))


@dataclass(frozen=True)
class QualityReport:
    scope: Scope
    period: Period
    as_of: datetime  # the end used for dossiers still open: the period's end, or now if that is earlier
    groups: list[GroupResult]

    @property
    def points(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @property
    def computable_points(self) -> Decimal:
        """What the computed indicators are worth: the total is "points out of computable_points"."""
        return sum((g.computable_points for g in self.groups), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((Decimal(p) for p in GROUP_POINTS.values()), Decimal(0))

    def indicator(self, key: str) -> IndicatorResult:
        return next(r for g in self.groups for r in g.indicators if r.key == key)


# --- who sees what -----------------------------------------------------------------------------------------------------
def quality_sees_province(*, actor: User) -> bool:
    return (
        actor.is_authenticated
        and actor.is_officer
        and Membership.objects.filter(user=actor, role=Role.SYSTEM_ADMIN, active=True, agency__active=True).exists()
    )


def quality_agencies(*, actor: User) -> QuerySet[Agency]:
    """The agencies whose indicators the actor may see, by name: their own; every agency for a system administrator;
    none for anyone who is not an officer."""
    if not actor.is_authenticated or not actor.is_officer:
        return Agency.objects.none()
    if quality_sees_province(actor=actor):
        return Agency.objects.filter(active=True).order_by("name", "pk")
    return Agency.objects.filter(
        active=True, memberships__user=actor, memberships__active=True
    ).distinct().order_by("name", "pk")  # fmt: skip


def quality_scope(*, actor: User, agency_id: int | None) -> Scope:
    """One of the actor's agencies, or the province (``agency_id`` None) for a system administrator."""
    if agency_id is None:
        if not quality_sees_province(actor=actor):
            raise QualityNotFound
        return Scope(agency=None)
    agency = quality_agencies(actor=actor).filter(pk=agency_id).first()
    if agency is None:
        raise QualityNotFound
    return Scope(agency=agency)


# --- the four families ---------------------------------------------------------------------------------------------
def _dossiers(scope: Scope) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.filter(is_draft=False)
    if scope.agency is not None:
        # One row per dossier: (dossier, agency) is unique on the route, and the planner can start from the
        # through table's agency index.
        dossiers = dossiers.filter(route_agencies=scope.agency)
    return dossiers


@dataclass(frozen=True)
class OutcomeCounts:
    resolved: int  # resolved in the period (and late withdrawals), the denominator's first part
    on_time: int  # of those, early or on time
    open_late: int  # still open at the end of the period and already late then

    @property
    def counted(self) -> int:
        return self.resolved + self.open_late

    @property
    def late(self) -> int:
        return self.resolved - self.on_time + self.open_late


def _outcomes(scope: Scope, period: Period, as_of: datetime) -> OutcomeCounts:
    """Group 2 (DOMAIN.md §3.6): dossiers that ended in the period, classified when they ended (``timeliness``), plus
    those still open at the period's end whose due DATE was already behind it (dates compared, as for an ended
    dossier), or that had more than one supplement request. A dossier waiting for the applicant's supplement since
    before the end is not counted late: its clock is stopped until the applicant hands the supplement in."""
    ended = Q(finished_at__gte=period.since, finished_at__lt=period.until)
    resolved = ended & (Q(state__in=RESOLVED_STATES) | Q(state=State.WITHDRAWN, timeliness="late"))
    # The end DATE of a still-open dossier is the period's last day (or today, for a period not over): due that
    # day is on time, due before it is late. ``as_of`` itself is midnight *after* a finished period.
    end_day = datetime.combine(min(period.end, to_local(as_of).date()), time.min, tzinfo=TZ)
    open_at_end = Q(received_at__lt=as_of) & (Q(finished_at__isnull=True) | Q(finished_at__gte=as_of))
    waiting = Q(state=State.SUPPLEMENT, finished_at__isnull=True, supplement_requested_at__lt=as_of)
    late_at_end = open_at_end & ((Q(due_at__lt=end_day) & ~waiting) | Q(supplement_count__gte=2))
    # Both parts end at or after the period's start, or have not ended: a bound an index on ``finished_at`` can serve.
    candidates = _dossiers(scope).filter(Q(finished_at__gte=period.since) | Q(finished_at__isnull=True))
    counts = candidates.aggregate(
        resolved=Count("pk", filter=resolved),
        on_time=Count("pk", filter=resolved & Q(timeliness__in=ON_TIME)),
        open_late=Count("pk", filter=late_at_end),
    )
    return OutcomeCounts(resolved=counts["resolved"], on_time=counts["on_time"], open_late=counts["open_late"])


@dataclass(frozen=True)
class ReceiptCounts:
    received: int
    digitised: int
    reusable: int  # received dossiers whose case has a component that can come from the data store
    reused: int  # of those, with at least one document taken from the data store
    online: int  # filed online, with an electronic result where the procedure returns a document and one was given


def _receipts(scope: Scope, period: Period) -> ReceiptCounts:
    """Groups 3 and 4 over the dossiers received in the period (state ≥ 2 at some point: ``received_at`` set).

    Digitised: filed online, or every required document component has at least one file (desk scans, ADR 0014).
    Online (DOMAIN.md §7): channel 2, and when the dossier reached its result (states 9, 10) for a procedure that
    returns a document (``result_type``), that result was issued electronically (``signing.IssuedResult``)."""
    missing_required = DocumentComponent.objects.filter(case_id=OuterRef("case_id"), required=True).exclude(
        Exists(Attachment.objects.filter(dossier_id=OuterRef(OuterRef("pk")), component_id=OuterRef("pk")))
    )
    reusable = Exists(DocumentComponent.objects.filter(case_id=OuterRef("case_id"), reusable_type__isnull=False))
    reused = Exists(Attachment.objects.filter(dossier_id=OuterRef("pk"), reused_from_store=True))
    electronic_result = Exists(IssuedResult.objects.filter(dossier_id=OuterRef("pk")))
    no_document_due = Q(case__version__result_type="") | ~Q(state__in=RESULT_STATES)
    counts = (
        _dossiers(scope)
        .filter(received_at__gte=period.since, received_at__lt=period.until)
        .aggregate(
            received=Count("pk"),
            digitised=Count("pk", filter=Q(channel=Channel.ONLINE) | ~Q(Exists(missing_required))),
            reusable=Count("pk", filter=Q(reusable)),
            reused=Count("pk", filter=Q(reusable) & Q(reused)),
            online=Count("pk", filter=Q(channel=Channel.ONLINE) & (no_document_due | Q(electronic_result))),
        )
    )
    return ReceiptCounts(**{name: int(value) for name, value in counts.items()})


@dataclass(frozen=True)
class PaymentCounts:
    paid: int  # dossiers whose fees were paid in the period, an amount above zero
    paid_online: int  # of those, through the national platform or the locality's gateway (channels 1, 2)


def _payments(scope: Scope, period: Period) -> PaymentCounts:
    """4.3 (DOMAIN.md §4: "dossiers paid online / dossiers of fee-bearing procedures, excluding zero-fee ones"),
    from the payments data: fee orders paid in the period with an amount to pay (exempt and zero-fee orders
    excluded; refunded orders too, the money went back), and whether the credited payment came through an online
    channel."""
    orders = FeeOrder.objects.filter(
        status=FeeOrder.Status.PAID, amount__gt=0, paid_at__gte=period.since, paid_at__lt=period.until,
        dossier__is_draft=False,
    )  # fmt: skip
    if scope.agency is not None:
        orders = orders.filter(dossier__route_agencies=scope.agency)
    online = Exists(
        Payment.objects.filter(
            order_id=OuterRef("pk"), status=Payment.Status.PAID, channel__in=sorted(c.value for c in ONLINE_CHANNELS)
        )
    )
    counts = orders.aggregate(
        paid=Count("dossier_id", distinct=True),
        paid_online=Count("dossier_id", distinct=True, filter=Q(online)),
    )
    return PaymentCounts(paid=counts["paid"], paid_online=counts["paid_online"])


@dataclass(frozen=True)
class CatalogCounts:
    procedures: int
    online: int  # toàn trình or một phần
    complete: int


def _agency_versions(agency: Agency) -> Q:
    competent = ProcedureVersion.competent_agencies.through.objects.filter(
        procedureversion_id=OuterRef("pk"), agency_id=agency.pk
    )
    receiving = ProcedureVersion.receiving_agencies.through.objects.filter(
        procedureversion_id=OuterRef("pk"), agency_id=agency.pk
    )
    mine = Q(Exists(competent)) | Q(Exists(receiving))
    if agency.is_one_stop:
        # No receiving agencies listed = every one-stop desk of the procedure's level (catalog.models).
        any_receiving = ProcedureVersion.receiving_agencies.through.objects.filter(procedureversion_id=OuterRef("pk"))
        mine |= Q(level=agency.level) & ~Q(Exists(any_receiving))
    return mine


def _catalog(scope: Scope) -> CatalogCounts:
    """1.1 and 4.1 over the procedures as published now (current published version of each active procedure).

    Complete information (Nghị định 63/2010/NĐ-CP, Điều 8, as far as the catalog records it): field, competent
    authority, legal basis, result, who may apply, at least one case, and every case lists its documents. Fees and
    processing times are not checked: "no fee" and "no time set by law" are legitimate values."""
    versions = public_versions()
    if scope.agency is not None:
        versions = versions.filter(_agency_versions(scope.agency))
    competent = ProcedureVersion.competent_agencies.through.objects.filter(procedureversion_id=OuterRef("pk"))
    cases = ProcedureCase.objects.filter(version_id=OuterRef("pk"))
    case_without_documents = cases.exclude(Exists(DocumentComponent.objects.filter(case_id=OuterRef("pk"))))
    complete = (
        Q(field__isnull=False)
        & (~Q(competent_authority="") | Q(Exists(competent)))
        & ~Q(legal_basis="")
        & ~Q(result_type="")
        & (Q(for_citizens=True) | Q(for_businesses=True))
        & Q(Exists(cases))
        & ~Q(Exists(case_without_documents))
    )
    counts = versions.aggregate(
        procedures=Count("pk"),
        online=Count("pk", filter=Q(online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL])),
        complete=Count("pk", filter=complete),
    )
    return CatalogCounts(procedures=counts["procedures"], online=counts["online"], complete=counts["complete"])


# --- scoring ---------------------------------------------------------------------------------------------------------
def _measured(indicator: Indicator, numerator: int, denominator: int, note: str | Promise = "") -> IndicatorResult:
    if not indicator.computed:
        return _not_computed(indicator)
    if denominator <= 0:
        return IndicatorResult(
            indicator=indicator, status="no_data", numerator=numerator, denominator=denominator,
            note=note or _("Mẫu số bằng 0 trong kỳ này, nên chỉ số không được cộng vào tổng điểm."),
        )  # fmt: skip
    ratio = Decimal(numerator) / Decimal(denominator)
    points = indicator_points(ratio=ratio, threshold=indicator.threshold, max_points=indicator.points)
    return IndicatorResult(
        indicator=indicator, status="computed", numerator=numerator, denominator=denominator, ratio=ratio,
        points=points.quantize(CENT, rounding=ROUND_HALF_UP), note=note,
    )  # fmt: skip


def _not_computed(indicator: Indicator) -> IndicatorResult:
    return IndicatorResult(indicator=indicator, status="not_computed", note=NOT_COMPUTED[indicator.key])


NOT_COMPUTED: dict[str, Promise] = {
    "transparency_other": _(
        "Nền tảng chưa có dữ liệu đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia và các nội dung công khai khác của "
        "nhóm này."
    ),
    "feedback_on_time": _("Nền tảng chưa có chức năng tiếp nhận phản ánh, kiến nghị."),
    "feedback_satisfaction": _("Nền tảng chưa có chức năng tiếp nhận phản ánh, kiến nghị."),
}
NO_RATINGS = _(
    "Chưa có dữ liệu đánh giá: nền tảng chưa nhận đánh giá, phản ánh của người dân về hồ sơ, nên số hồ sơ không hài "
    "lòng hoặc bị phản ánh được tính bằng 0; chỉ số chỉ trừ hồ sơ quá hạn."
)


def quality_report(*, actor: User, agency_id: int | None, period: Period) -> QualityReport:
    """The 766 indicators of one agency (or the province) for a period, each with numerator, denominator, ratio,
    threshold and points (QĐ 766/QĐ-TTg; DOMAIN.md §7). Raises ``QualityNotFound`` outside the actor's scope."""
    scope = quality_scope(actor=actor, agency_id=agency_id)
    config = indicators()
    as_of = min(period.until, timezone.now())
    outcomes = _outcomes(scope, period, as_of)
    receipts = _receipts(scope, period)
    payments = _payments(scope, period)
    catalog = _catalog(scope)
    # 5.3 (QĐ 766): (dossiers − those late, or with a complaint or a "not satisfied" rating) ÷ dossiers, over the
    # dossiers of group 2. There are no ratings or complaints on the platform yet: they count as 0.
    complaints = 0
    results = {
        "catalog_published": _measured(config["catalog_published"], catalog.complete, catalog.procedures),
        "timeliness": _measured(config["timeliness"], outcomes.on_time, outcomes.counted),
        "digitised_dossiers": _measured(config["digitised_dossiers"], receipts.digitised, receipts.received),
        "data_reuse": _measured(config["data_reuse"], receipts.reused, receipts.reusable),
        "online_procedures": _measured(config["online_procedures"], catalog.online, catalog.procedures),
        "online_dossiers": _measured(config["online_dossiers"], receipts.online, receipts.received),
        "online_payment": _measured(config["online_payment"], payments.paid_online, payments.paid),
        "dossier_satisfaction": _measured(
            config["dossier_satisfaction"],
            outcomes.counted - outcomes.late - complaints,
            outcomes.counted,
            note=NO_RATINGS,
        ),
    }
    groups = [
        GroupResult(
            number=number,
            name=GROUP_NAMES[number],
            max_points=Decimal(total),
            indicators=[results.get(key) or _not_computed(ind) for key, ind in config.items() if ind.group == number],
        )
        for number, total in GROUP_POINTS.items()
    ]
    return QualityReport(scope=scope, period=period, as_of=as_of, groups=groups)
