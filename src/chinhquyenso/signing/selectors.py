"""Signing reads: who may sign or initial a dossier's result, with which credential and title; result lookups."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone, translation

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.catalog.models import DocumentType
from chinhquyenso.catalog.text import normalize_search
from chinhquyenso.dossiers import services as dossier_services
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.signing.models import IssuedResult, ResultDraft, SigningCredential

INITIAL_STATES = (State.RECEIVED, State.PROCESSING)


def credential_for(*, user: User) -> SigningCredential | None:
    """The user's newest active credential valid now."""
    now = timezone.now()
    return (
        SigningCredential.objects.filter(user=user, active=True, not_before__lte=now, not_after__gt=now)
        .order_by("-not_after", "-id")
        .first()
    )


def latest_credential(*, user: User) -> SigningCredential | None:
    """The user's newest active credential, valid or not (to say "expired on ..." rather than "none")."""
    return SigningCredential.objects.filter(user=user, active=True).order_by("-not_after", "-id").first()


def signer_title(*, user: User, agency: Agency, role: str) -> str:
    membership = Membership.objects.filter(user=user, agency=agency, role=role, active=True).first()
    if membership is None:
        return ""
    if membership.title:
        return membership.title
    with translation.override("vi"):  # printed in the signature stamp of a legal document
        return str(Role(role).label)


def can_sign(*, actor: User, dossier: Dossier) -> bool:
    """A leader of the agency now handling the dossier, at a step where they may approve it."""
    if not actor.is_authenticated or not actor.is_officer:
        return False
    if "approve" not in dossier_services.allowed_actions(actor=actor, dossier=dossier):
        return False
    return Membership.objects.filter(user=actor, agency=dossier.current_agency, role=Role.LEADER, active=True).exists()


def can_initial(*, actor: User, dossier: Dossier) -> bool:
    """A specialist of the agency now handling the dossier, while it is being processed (ký nháy the draft)."""
    if not actor.is_authenticated or not actor.is_officer or dossier.state not in INITIAL_STATES:
        return False
    return Membership.objects.filter(
        user=actor, agency=dossier.current_agency, role=Role.SPECIALIST, active=True
    ).exists()


def latest_draft(*, dossier: Dossier) -> ResultDraft | None:
    return ResultDraft.objects.filter(dossier=dossier, used_at__isnull=True).order_by("-created_at", "-id").first()


def results_for_dossier(*, dossier: Dossier) -> QuerySet[IssuedResult]:
    return (
        IssuedResult.objects.filter(dossier=dossier)
        .select_related("agency", "document_type", "superseded_by")
        .order_by("-issued_at")
    )


def result_lookup(*, query: str) -> IssuedResult | None:
    """A result by its verification code (from the QR code) or its number, for the public verification page."""
    text = (query or "").strip()
    if not text:
        return None
    found = (
        IssuedResult.objects.select_related("agency", "document_type", "superseded_by")
        .filter(verification_code=text.upper())
        .first()
    )
    return (
        found
        or IssuedResult.objects.select_related("agency", "document_type", "superseded_by")
        .filter(number__iexact=text)
        .first()
    )


def guess_document_type(*, dossier: Dossier) -> DocumentType | None:
    """The document type the procedure's result most likely is ("Giấy khai sinh; ..." → Giấy khai sinh)."""
    wanted = normalize_search(dossier.case.version.result_type or "")
    if not wanted:
        return None
    best: DocumentType | None = None
    for document_type in DocumentType.objects.all():
        name = normalize_search(document_type.name)
        if name and wanted.startswith(name) and (best is None or len(name) > len(best.name)):
            best = document_type
    return best


def result_of_agency_for_leader(*, actor: User, number: str) -> IssuedResult | None:
    """A valid result of one of the agencies the actor leads (replacing or revoking it is theirs to do)."""
    agencies = Membership.objects.filter(user=actor, role=Role.LEADER, active=True).values_list("agency_id", flat=True)
    return IssuedResult.objects.filter(number__iexact=number.strip(), agency_id__in=list(agencies)).first()
