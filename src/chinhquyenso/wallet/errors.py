"""Data store errors, each with a Vietnamese message a person can act on."""

from __future__ import annotations


class WalletError(Exception):
    status = 422
    code = "wallet_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ItemNotFound(WalletError):
    """Unknown, removed, or not the actor's: all answer 404 so ids cannot be probed."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Không tìm thấy giấy tờ trong kho dữ liệu.") -> None:
        super().__init__(message)


class ReuseRefused(WalletError):
    status = 409
    code = "reuse_refused"
