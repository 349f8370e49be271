from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from chinhquyenso.accounts.selectors import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cqs_...`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user
