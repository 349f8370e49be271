"""Signatures of the gateway protocol (docs/payments-protocol.md), the shape VNPay 2.1.0 uses.

- **Query signature** (payment redirect, browser return, IPN): the parameters whose name starts with ``vnp_``, except
  ``vnp_SecureHash`` and ``vnp_SecureHashType``, sorted by name, each written ``quote_plus(name)=quote_plus(value)``
  and joined with ``&``; ``vnp_SecureHash`` = hex HMAC-SHA512 of that text with the merchant's hash secret.
- **Field signature** (status query and refund API, JSON): the listed fields' values joined with ``|`` in the order
  the protocol gives, HMAC-SHA512 the same way.

Percent-encoding is injective, so two different parameter sets never share the signed text: any change of one
character in a name or value changes the signature (tests/test_signing.py checks it with hypothesis).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import quote_plus

PREFIX = "vnp_"
HASH_PARAM = "vnp_SecureHash"
HASH_TYPE_PARAM = "vnp_SecureHashType"
_UNSIGNED = frozenset({HASH_PARAM, HASH_TYPE_PARAM})


def hmac_sha512(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def canonical_query(params: Mapping[str, str]) -> str:
    """The text the query signature covers."""
    items = sorted((k, v) for k, v in params.items() if k.startswith(PREFIX) and k not in _UNSIGNED)
    return "&".join(f"{quote_plus(k)}={quote_plus(str(v))}" for k, v in items)


def sign_query(params: Mapping[str, str], secret: str) -> str:
    return hmac_sha512(secret, canonical_query(params))


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """``a=1&b=2&vnp_SecureHash=…``: what goes after the ``?`` of a redirect or a notification URL."""
    return f"{canonical_query(params)}&{HASH_PARAM}={sign_query(params, secret)}"


def verify_query(params: Mapping[str, str], secret: str) -> bool:
    """True when ``vnp_SecureHash`` is the signature of the other ``vnp_`` parameters (constant-time compare)."""
    given = str(params.get(HASH_PARAM, ""))
    if not given or not secret:
        return False
    return hmac.compare_digest(given.lower(), sign_query(params, secret))


def sign_fields(values: Iterable[object], secret: str) -> str:
    return hmac_sha512(secret, "|".join("" if v is None else str(v) for v in values))


def verify_fields(values: Iterable[object], given: str, secret: str) -> bool:
    if not given or not secret:
        return False
    return hmac.compare_digest(given.lower(), sign_fields(values, secret))
