from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.selectors import user_find_by_identifier


class IdentifierBackend(ModelBackend):
    """Sign in with a username, CCCD number, mobile phone, e-mail or tax code, whichever the person knows."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if not username or password is None:
            return None
        user = user_find_by_identifier(identifier=username)
        if user is None:
            # Same work as a real check, so response time does not reveal which identifiers exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
