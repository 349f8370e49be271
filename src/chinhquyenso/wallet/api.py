"""The data store API (``/api/v1/wallet``) and reuse of a stored document in a dossier
(``/api/v1/dossiers/{dossier_id}/attachments/from-wallet``).

The store belongs to citizens and businesses: an officer's account gets 403 on every operation (as on the pages,
ADR 0011); another owner's document, or a dossier that is not the caller's, answers 404. Handlers parse, call one
service or selector, and render; ``WalletError`` becomes RFC 9457 problem details. See docs/api.md.
"""

from __future__ import annotations

from typing import Literal, cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from chinhquyenso.accounts.api_auth import TokenAuth
from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.schemas import AgencyOut, DocumentTypeOut
from chinhquyenso.core.errors import problem
from chinhquyenso.dossiers.models import Attachment
from chinhquyenso.dossiers.schemas import AttachmentOut, DossierProblemOut
from chinhquyenso.wallet import selectors, services
from chinhquyenso.wallet.errors import WalletError
from chinhquyenso.wallet.models import WalletAccess, WalletItem
from chinhquyenso.wallet.schemas import (
    DossierRefOut,
    WalletAccessOut,
    WalletAccessPageOut,
    WalletAccessQuery,
    WalletAction,
    WalletItemOut,
    WalletItemPageOut,
    WalletItemQuery,
    WalletItemRefOut,
    WalletKeepIn,
    WalletProblemOut,
    WalletReuseIn,
    WalletSource,
    WalletStatus,
)

router = Router(tags=["Kho dữ liệu"])

AUTH = [TokenAuth(), django_auth]
WALLET = ["Kho dữ liệu"]
Problem = WalletProblemOut
FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError
    return user


def _owners_only(request: HttpRequest, actor: User) -> HttpResponse | None:
    """The store is for citizens and businesses: an officer's account gets 403, as on the pages (ADR 0011)."""
    if not actor.is_officer:
        return None
    return problem(request, 403, gettext("Không có quyền"),
                   gettext("Kho dữ liệu là của công dân, doanh nghiệp; cán bộ không xem kho của người khác."),
                   code="not_allowed")  # fmt: skip


def wallet_problem(request: HttpRequest, exc: WalletError) -> HttpResponse:
    return problem(request, exc.status, str(exc.title), exc.message, code=exc.code)


# --- rendering -------------------------------------------------------------------------------------------------------
def _item(item: WalletItem) -> WalletItemOut:
    kind = item.document_type
    return WalletItemOut(
        id=item.pk,
        title=item.title,
        document_type=DocumentTypeOut(code=kind.code, name=kind.name) if kind else None,
        source=cast(WalletSource, item.source),
        source_label=str(item.get_source_display()),
        issuer=item.issuer,
        number=item.number,
        issued_on=item.issued_on,
        valid_until=item.valid_until,
        status=cast(WalletStatus, item.status),
        status_label=item.status_label,
        usable=item.usable,
        name=item.original_name,
        content_type=item.content_type,
        size=item.size,
        sha256=item.sha256,
        created_at=item.created_at,
        file_url=reverse("api-v1:wallet_item_file", kwargs={"item_id": item.pk}),
    )


def _access(entry: WalletAccess) -> WalletAccessOut:
    dossier, agency = entry.dossier, entry.agency
    return WalletAccessOut(
        at=entry.at,
        action=cast(WalletAction, entry.action),
        action_label=str(entry.get_action_display()),
        actor=entry.actor_label,
        item=WalletItemRefOut(id=entry.item.pk, title=entry.item.title, removed=entry.item.removed_at is not None),
        dossier=DossierRefOut(id=dossier.pk, code=dossier.code) if dossier else None,
        agency=AgencyOut(id=agency.pk, code=agency.code, name=agency.name) if agency else None,
    )


def _attachment(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.pk,
        component_code=attachment.component.code if attachment.component else None,
        name=attachment.original_name,
        content_type=cast(Literal["application/pdf", "image/jpeg", "image/png"], attachment.content_type),
        size=attachment.size,
        sha256=attachment.sha256,
        created_at=attachment.created_at,
    )


# --- the store -------------------------------------------------------------------------------------------------------
@router.get(
    "/wallet/items",
    response={200: WalletItemPageOut, 401: Problem, 403: Problem},
    auth=AUTH,
    operation_id="wallet_item_list",
    summary="Giấy tờ trong kho dữ liệu của tôi",
    description="Giấy tờ trong kho dữ liệu của tài khoản đang dùng, mới lưu trước. Phân trang theo con trỏ: gửi "
    "`next_cursor` của trang trước trong `cursor`; `next_cursor` = null là hết. Tài khoản cán bộ: 403.",
    tags=WALLET,
)
def wallet_item_list(request: HttpRequest, query: Query[WalletItemQuery]) -> WalletItemPageOut | HttpResponse:
    owner = _actor(request)
    if (denied := _owners_only(request, owner)) is not None:
        return denied
    page = selectors.wallet_items_page(actor=owner, cursor=query.cursor, limit=query.limit)
    return WalletItemPageOut(items=[_item(i) for i in page.items], next_cursor=page.next_cursor)


@router.post(
    "/wallet/items",
    response={200: WalletItemOut, 201: WalletItemOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem,
              422: Problem},
    auth=AUTH,
    operation_id="wallet_item_keep",
    summary="Lưu giấy tờ của hồ sơ vào kho dữ liệu",
    description="Lưu một giấy tờ trong hồ sơ của bạn: tệp đính kèm (`attachment_id`) hoặc kết quả giải quyết "
    "(`result` = true), kèm loại giấy tờ để dùng lại cho hồ sơ sau. Kho chỉ nhận giấy tờ đã qua hồ sơ, không nhận "
    "tệp tải lên trực tiếp. Tệp đã có trong kho: 200 và giấy tờ đã lưu; lưu mới: 201. Hồ sơ hoặc tệp không phải của "
    "bạn: 404; hồ sơ chưa có kết quả: 409 (code = no_result); mã loại giấy tờ không có: 422 "
    "(code = unknown_document_type).",
    tags=WALLET,
)  # fmt: skip
def wallet_item_keep(request: HttpRequest, payload: WalletKeepIn) -> Status[WalletItemOut] | HttpResponse:
    owner = _actor(request)
    if (denied := _owners_only(request, owner)) is not None:
        return denied
    known = set(selectors.wallet_items(actor=owner).values_list("pk", flat=True))  # the same file again: 200
    try:
        item = services.wallet_keep(
            actor=owner, dossier_id=payload.dossier_id, attachment_id=payload.attachment_id, result=payload.result,
            document_type_code=payload.document_type_code, title=payload.title,
        )  # fmt: skip
    except WalletError as exc:
        return wallet_problem(request, exc)
    return Status(200 if item.pk in known else 201, _item(item))


@router.get(
    "/wallet/items/{item_id}",
    response={200: WalletItemOut, 401: Problem, 403: Problem, 404: Problem},
    auth=AUTH,
    operation_id="wallet_item_get",
    summary="Một giấy tờ trong kho dữ liệu",
    description="Thông tin giấy tờ (không gồm tệp; tải tệp theo `file_url`). Giấy tờ của người khác hoặc đã xóa: 404.",
    tags=WALLET,
)
def wallet_item_get(request: HttpRequest, item_id: int) -> WalletItemOut | HttpResponse:
    owner = _actor(request)
    if (denied := _owners_only(request, owner)) is not None:
        return denied
    try:
        return _item(selectors.wallet_item_get(actor=owner, item_id=item_id))
    except WalletError as exc:
        return wallet_problem(request, exc)


@router.get(
    "/wallet/items/{item_id}/file",
    response={401: Problem, 403: Problem, 404: Problem},
    auth=AUTH,
    operation_id="wallet_item_file",
    url_name="wallet_item_file",
    summary="Tải tệp của giấy tờ",
    description="Nội dung tệp (PDF, JPEG hoặc PNG) dưới dạng tải về, không lưu ở bộ nhớ đệm dùng chung. Mỗi lần tải "
    "được ghi vào nhật ký truy cập (viewed). Giấy tờ của người khác hoặc đã xóa: 404.",
    tags=WALLET,
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp giấy tờ (Content-Disposition: attachment).",
                "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in FILE_TYPES},
            }
        }
    },
)
def wallet_item_file(request: HttpRequest, item_id: int) -> FileResponse | HttpResponse:
    owner = _actor(request)
    if (denied := _owners_only(request, owner)) is not None:
        return denied
    try:
        item, stream = services.wallet_item_open(actor=owner, item_id=item_id)
    except WalletError as exc:
        return wallet_problem(request, exc)
    response = FileResponse(stream, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    patch_cache_control(response, private=True, no_store=True)  # personal data: never kept by a shared cache
    return response


@router.delete(
    "/wallet/items/{item_id}",
    response={204: None, 401: Problem, 403: Problem, 404: Problem},
    auth=AUTH,
    operation_id="wallet_item_remove",
    summary="Xóa giấy tờ khỏi kho dữ liệu",
    description="Xóa khỏi kho (nhật ký truy cập vẫn giữ). Hồ sơ đã dùng giấy tờ giữ bản của mình; kết quả điện tử "
    "vẫn tra cứu, xác thực được. Giấy tờ của người khác hoặc đã xóa: 404.",
    tags=WALLET,
)
def wallet_item_remove(request: HttpRequest, item_id: int) -> Status[None] | HttpResponse:
    owner = _actor(request)
    if (denied := _owners_only(request, owner)) is not None:
        return denied
    try:
        services.wallet_item_remove(actor=owner, item_id=item_id)
    except WalletError as exc:
        return wallet_problem(request, exc)
    return Status(204, None)


@router.get(
    "/wallet/access-log",
    response={200: WalletAccessPageOut, 401: Problem, 403: Problem},
    auth=AUTH,
    operation_id="wallet_access_log",
    summary="Nhật ký truy cập kho dữ liệu",
    description="Ai đã lưu, xem, tải, dùng hoặc xóa giấy tờ trong kho của bạn và lúc nào, kể cả cán bộ xem giấy tờ "
    "khi giải quyết hồ sơ; mới trước. `item_id`: chỉ một giấy tờ. Phân trang theo con trỏ như danh sách giấy tờ.",
    tags=WALLET,
)
def wallet_access_log(request: HttpRequest, query: Query[WalletAccessQuery]) -> WalletAccessPageOut | HttpResponse:
    owner = _actor(request)
    if (denied := _owners_only(request, owner)) is not None:
        return denied
    page = selectors.wallet_access_page(actor=owner, item_id=query.item_id, cursor=query.cursor, limit=query.limit)
    return WalletAccessPageOut(items=[_access(e) for e in page.items], next_cursor=page.next_cursor)


# --- reuse in a dossier (under /dossiers: every problem there is a DossierProblemOut) --------------------------------
@router.post(
    "/dossiers/{dossier_id}/attachments/from-wallet",
    response={200: AttachmentOut, 201: AttachmentOut, 401: DossierProblemOut, 403: DossierProblemOut,
              404: DossierProblemOut, 409: DossierProblemOut, 413: DossierProblemOut, 422: DossierProblemOut},
    auth=AUTH,
    operation_id="dossier_attachment_from_wallet",
    summary="Đính kèm giấy tờ từ kho dữ liệu",
    description="Dùng một giấy tờ trong kho dữ liệu của bạn cho thành phần hồ sơ nhận loại giấy tờ đó "
    "(`reusable_type` của thành phần), thay cho tải tệp lên; hồ sơ giữ bản sao của mình. Chỉ khi hồ sơ là bản nháp "
    "hoặc đang chờ bổ sung. Đính kèm mới: 201; giấy tờ này đã được đính kèm cho thành phần đó: 200 và tệp đã đính "
    "kèm. Không dùng được (giấy tờ hết hiệu lực, bị thu hồi hoặc thay thế; sai loại; thành phần không nhận giấy tờ "
    "từ kho; hồ sơ đã nộp): 409 (code = reuse_refused) với lý do trong `detail`; tổng dung lượng hồ sơ vượt giới "
    "hạn: 413. Hồ sơ hoặc giấy tờ không phải của bạn: 404.",
    tags=[*WALLET, "Hồ sơ — người nộp"],
)  # fmt: skip
def dossier_attachment_from_wallet(
    request: HttpRequest, dossier_id: int, payload: WalletReuseIn
) -> Status[AttachmentOut] | HttpResponse:
    owner = _actor(request)
    if (denied := _owners_only(request, owner)) is not None:
        return denied
    known = selectors.reused_attachment_ids(actor=owner, dossier_id=dossier_id)  # attached already: 200
    try:
        attachment = services.wallet_reuse(
            actor=owner, dossier_id=dossier_id, component_code=payload.component_code, item_id=payload.item_id
        )
    except WalletError as exc:
        return wallet_problem(request, exc)
    return Status(200 if attachment.pk in known else 201, _attachment(attachment))
