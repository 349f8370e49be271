"""Downloads of a dossier's files, for whoever may see the dossier (its applicant, officers on its route).

Files are never served from a public media URL: the storage name is random but a result's owner is personal data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext

from chinhquyenso.accounts.models import User
from chinhquyenso.dossiers.errors import DossierNotFound
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.selectors import dossier_get


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    user = request.user
    assert isinstance(user, User)
    try:
        return dossier_get(actor=user, dossier_id=pk)
    except DossierNotFound:
        raise Http404(gettext("Không tìm thấy hồ sơ.")) from None


@login_required
def attachment_file(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    dossier = _dossier(request, pk)
    attachment = dossier.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(gettext("Không tìm thấy tệp."))
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=False,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def result_file(request: HttpRequest, pk: int) -> FileResponse:
    dossier = _dossier(request, pk)
    if not dossier.result_file:
        raise Http404(gettext("Hồ sơ chưa có tệp kết quả."))
    name = dossier.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(dossier.result_file.open("rb"), as_attachment=False, filename=name)
