"""Hooks for other apps: payments settle a dossier's financial obligation, signing records its events."""

from __future__ import annotations

from django.db import transaction

from chinhquyenso.accounts.models import User
from chinhquyenso.dossiers.models import (
    Dossier,
    DossierEvent,
    State,
)
from chinhquyenso.dossiers.services.common import _lock, _record, _save


def dossier_payment_settled(*, dossier_id: int, actor: User | None, note: str) -> Dossier:
    """The fees of a dossier waiting in state 6 were paid (or waived): processing resumes (state 4).

    Idempotent: a dossier no longer in state 6 is returned unchanged.
    """
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        if dossier.state != State.PAYING:
            return dossier
        before = dossier.state
        dossier.state = State.PROCESSING
        _save(dossier, "state")
        _record(dossier, actor=actor, action="payment_settled", from_state=before, note=note)
    return dossier


def dossier_note(*, dossier_id: int, actor: User | None, action: str, note: str, notify: bool = False) -> DossierEvent:
    """Add a line to a dossier's timeline (and the audit chain) without changing its state, e.g. "fee paid"."""
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        return _record(dossier, actor=actor, action=action, from_state=dossier.state, note=note, notify=notify)
