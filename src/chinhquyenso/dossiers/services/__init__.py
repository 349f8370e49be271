"""Dossier writes: intake, reception, workflow transitions, supplements, extension, ending (DOMAIN.md §3).

Every officer or applicant action runs in one transaction: lock the dossier row, check the actor's expected
``lock_version`` (two officers clicking at once: exactly one wins, the other gets StaleDossier), check the action is
allowed in the current state and step for this actor, write, append the timeline and the audit chain, and queue
the applicant's notification after commit.

Modules: ``common`` (rule set, workflow, lock, timeline record), ``access`` (allowed actions), ``intake``
(drafts, submission, desk intake), ``actions`` (officer actions), ``applicant`` (supplement, withdrawal), ``hooks``
(for payments and signing).
"""

from __future__ import annotations

from chinhquyenso.dossiers.services.access import allowed_actions
from chinhquyenso.dossiers.services.actions import ActionParams, dossier_act
from chinhquyenso.dossiers.services.applicant import dossier_supplement, dossier_withdraw
from chinhquyenso.dossiers.services.common import STALE_MESSAGE, rule_set_for, workflow_for
from chinhquyenso.dossiers.services.hooks import dossier_note, dossier_payment_settled
from chinhquyenso.dossiers.services.intake import (
    Applicant,
    check_dossier_complete,
    dossier_draft_create,
    dossier_draft_update,
    dossier_intake_at_desk,
    dossier_submit,
)

__all__ = [
    "STALE_MESSAGE",
    "ActionParams",
    "Applicant",
    "allowed_actions",
    "check_dossier_complete",
    "dossier_act",
    "dossier_draft_create",
    "dossier_draft_update",
    "dossier_intake_at_desk",
    "dossier_note",
    "dossier_payment_settled",
    "dossier_submit",
    "dossier_supplement",
    "dossier_withdraw",
    "rule_set_for",
    "workflow_for",
]
