"""Data store errors, each with a message a person can act on (``message`` is shown as is; ``status``, ``code`` and
``title`` make it a problem+json answer in the API). Messages are in the language of the request that caused them:
raise with ``gettext(...)``; ``title`` is lazy, so ``str()`` it where it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class WalletError(Exception):
    status = 422
    code = "wallet_error"
    title: StrOrPromise = _("Không thực hiện được yêu cầu")

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ItemNotFound(WalletError):
    """Unknown, removed, or not the actor's: all answer 404 so ids cannot be probed."""

    status = 404
    code = "not_found"
    title = _("Không tìm thấy")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or gettext("Không tìm thấy giấy tờ trong kho dữ liệu."))


class UnknownDocumentType(WalletError):
    code = "unknown_document_type"
    title = _("Loại giấy tờ không hợp lệ")


class NoResultYet(WalletError):
    """Keeping a dossier's result before the dossier has one."""

    status = 409
    code = "no_result"
    title = _("Hồ sơ chưa có kết quả")


class ReuseRefused(WalletError):
    status = 409
    code = "reuse_refused"
    title = _("Không dùng được giấy tờ cho hồ sơ này")


class ReuseTooLarge(ReuseRefused):
    """The dossier's files would exceed their total limit: 413, as for an upload to the dossier."""

    status = 413
    code = "file_too_large"
    title = _("Tệp quá lớn")
