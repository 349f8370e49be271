"""Signing configuration, read from Django settings first and the environment second.

| setting (environment variable)  | default                          | meaning                                                |
|---------------------------------|----------------------------------|--------------------------------------------------------|
| ``CQS_SIGNING_KEY_PASSPHRASE``  | derived from SECRET_KEY (demo)    | passphrase of every PKCS#12 file kept in the database  |
| ``CQS_TSA_URL``                 | empty: the platform's local TSA   | RFC 3161 timestamp authority used when signing         |
| ``CQS_TSA_SERVE``               | on outside production             | answer RFC 3161 requests at /ky-so/dau-thoi-gian/      |
| ``CQS_SIGNING_CERT_DAYS``       | 730                               | validity of the certificates ``cqs pki`` issues        |

Production must set its own passphrase: a key file encrypted with a passphrase derived from a value that also signs
session cookies would tie two secrets together (docs/signing.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _value(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def key_passphrase() -> bytes:
    """The passphrase that encrypts the PKCS#12 files of signing keys, CA and TSA keys kept in the database."""
    value = _value("CQS_SIGNING_KEY_PASSPHRASE")
    if value:
        if len(value) < 16:
            raise ImproperlyConfigured("CQS_SIGNING_KEY_PASSPHRASE phải dài ít nhất 16 ký tự.")
        return value.encode()
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(
            "Chế độ production cần biến môi trường CQS_SIGNING_KEY_PASSPHRASE (ít nhất 16 ký tự) để mã hóa khóa ký "
            "(production needs CQS_SIGNING_KEY_PASSPHRASE to encrypt signing keys at rest)."
        )
    return hmac.new(str(settings.SECRET_KEY).encode(), b"cqs-signing-keys", hashlib.sha256).hexdigest().encode()


def passphrase() -> bytes:
    """``key_passphrase`` for the signing code paths: a missing production passphrase is a SigningError (a
    Vietnamese message on the page, a clean CommandError in ``cqs pki``) rather than a server error."""
    from chinhquyenso.signing.errors import PkiError

    try:
        return key_passphrase()
    except ImproperlyConfigured as exc:
        raise PkiError(str(exc)) from None


def tsa_url() -> str:
    return _value("CQS_TSA_URL")


def tsa_serve() -> bool:
    raw = _value("CQS_TSA_SERVE").lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    return not getattr(settings, "PRODUCTION", False)


def cert_days() -> int:
    return int(_value("CQS_SIGNING_CERT_DAYS", "730") or "730")


def public_base_url() -> str:
    return str(getattr(settings, "CQS_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
