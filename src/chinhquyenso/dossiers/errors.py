"""Dossier errors, each with a message a person can act on, in the language of the request that caused it (Vietnamese
by default): raise them with ``gettext(...)``, evaluated when raised, never with a module-level string."""

from __future__ import annotations

from django.utils.translation import gettext


class DossierError(Exception):
    """Base class: ``message`` is shown to the user as is."""

    status = 400

    def __init__(self, message: str, *, allowed: list[str] | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.allowed = allowed or []
        self.fields = fields or {}

    def with_status(self, status: int) -> DossierError:
        self.status = status
        return self


class DossierNotFound(DossierError):
    """Unknown, or not visible to the actor: both answer 404 so ids cannot be probed."""

    status = 404

    def __init__(self) -> None:
        super().__init__(gettext("Không tìm thấy hồ sơ."))


class IllegalTransition(DossierError):
    status = 409


class StaleDossier(DossierError):
    """Somebody else changed the dossier since the actor loaded it."""

    status = 409


class NotAllowed(DossierError):
    status = 403


class InvalidDossier(DossierError):
    status = 422
