"""Signing and verification errors, each with a message a person can act on, in the language of the request that
caused it: raise them with ``gettext(...)``."""

from __future__ import annotations

from django.utils.translation import gettext


class SigningError(Exception):
    """Base class: ``message`` is shown to the user as is; ``code`` is stable for software."""

    status = 422
    code = "signing_error"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotAPdf(SigningError):
    status = 415
    code = "not_a_pdf"


class MalformedPdf(SigningError):
    code = "malformed_pdf"


class NoCredential(SigningError):
    status = 403
    code = "no_credential"


class CertificateProblem(SigningError):
    """Expired, not yet valid, revoked in the platform, or not chained to the trust list."""

    code = "certificate_problem"


class TokenProblem(SigningError):
    """The hardware token or HSM: wrong PIN, locked, missing, unreadable."""

    code = "token_problem"


class WrongPin(TokenProblem):
    code = "wrong_pin"


class TimestampUnavailable(SigningError):
    status = 503
    code = "timestamp_unavailable"


class SignatureCheckFailed(SigningError):
    """The freshly signed file did not pass verification: nothing was published."""

    status = 500
    code = "signature_check_failed"


class NotAllowed(SigningError):
    status = 403
    code = "not_allowed"


class ResultNotFound(SigningError):
    status = 404
    code = "not_found"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or gettext("Không tìm thấy kết quả điện tử."))


class PkiError(SigningError):
    """A ``cqs pki`` operation cannot be carried out (bad file, wrong password, unknown user...)."""

    code = "pki_error"


class WrongPassword(SigningError):
    """Signing with a key kept on the platform is confirmed with the officer's password."""

    code = "wrong_password"
