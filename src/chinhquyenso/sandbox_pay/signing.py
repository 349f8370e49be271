"""The simulator's own implementation of the protocol's signatures, written apart from the platform's
(payments/signing.py) on purpose: if one of them drifts from the protocol, the two sides stop agreeing and the
tests fail, instead of both being wrong the same way."""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse
from collections.abc import Iterable, Mapping

EXCLUDED = ("vnp_SecureHash", "vnp_SecureHashType")


def _hmac(secret: str, data: str) -> str:
    return hmac.new(bytes(secret, "utf-8"), bytes(data, "utf-8"), hashlib.sha512).hexdigest()


def query_data(params: Mapping[str, str]) -> str:
    pairs = []
    for key in sorted(params):
        if key.startswith("vnp_") and key not in EXCLUDED:
            pairs.append(urllib.parse.quote_plus(key) + "=" + urllib.parse.quote_plus(str(params[key])))
    return "&".join(pairs)


def sign(params: Mapping[str, str], secret: str) -> str:
    return _hmac(secret, query_data(params))


def verify(params: Mapping[str, str], secret: str) -> bool:
    return hmac.compare_digest(str(params.get("vnp_SecureHash", "")).lower(), sign(params, secret))


def signed(params: Mapping[str, str], secret: str) -> dict[str, str]:
    return {**params, "vnp_SecureHash": sign(params, secret)}


def sign_pipe(values: Iterable[object], secret: str) -> str:
    return _hmac(secret, "|".join(str(v) for v in values))
