from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from chinhquyenso.accounts.selectors import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cqs_...`` with a personal API token.

    A token that is sent but wrong or revoked is refused outright, even if a session cookie would also
    authenticate: a client that sends a token means to act with it.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user
