"""An officer opens a stored document attached to a dossier on their agency's route; the owner sees it in the log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from chinhquyenso.accounts.models import User
from chinhquyenso.wallet.errors import ItemNotFound
from chinhquyenso.wallet.services import wallet_document_for_officer


@never_cache
@login_required
@require_safe
def stored_document(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        attachment, stream = wallet_document_for_officer(actor=user, dossier_id=pk, attachment_id=attachment_id)
    except ItemNotFound:
        raise Http404(gettext("Không tìm thấy giấy tờ.")) from None
    return FileResponse(stream, as_attachment=False, filename=attachment.original_name,
                        content_type=attachment.content_type)  # fmt: skip
