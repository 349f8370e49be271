"""Data store reads, scoped to the owner (STYLE.md §4). Officers never list a store: they reach a stored document
only through a dossier on their route, in ``services.wallet_document_for_officer`` (which logs the access)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Q, QuerySet

from chinhquyenso.accounts.models import User
from chinhquyenso.catalog.models import DocumentComponent
from chinhquyenso.core.cursor import cursor_decode, cursor_encode
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.wallet.errors import ItemNotFound
from chinhquyenso.wallet.models import WalletAccess, WalletItem, WalletUse

Row = TypeVar("Row", WalletItem, WalletAccess)


@dataclass(frozen=True)
class WalletPage(Generic[Row]):
    items: list[Row]
    next_cursor: str | None


def wallet_items(*, actor: User) -> QuerySet[WalletItem]:
    """The owner's documents, newest first (nothing for officers or anonymous users)."""
    if not actor.is_authenticated or actor.is_officer:
        return WalletItem.objects.none()
    return (
        WalletItem.objects.filter(owner=actor, removed_at__isnull=True)
        .select_related("document_type", "issued_result")
        .order_by("-created_at", "-id")
    )


def wallet_item_get(*, actor: User, item_id: int | str) -> WalletItem:
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise ItemNotFound from None
    item = wallet_items(actor=actor).filter(pk=pk).first()
    if item is None:
        raise ItemNotFound
    return item


def wallet_items_page(*, actor: User, cursor: str | None = None, limit: int = 25) -> WalletPage[WalletItem]:
    """The owner's documents newest first, in keyset pages: a page never repeats or skips a document when new ones
    are stored meanwhile."""
    rows = wallet_items(actor=actor)
    parsed = cursor_decode(cursor) if cursor else None
    if parsed is not None:
        moment, pk = parsed
        rows = rows.filter(Q(created_at__lt=moment) | Q(created_at=moment, id__lt=pk))
    found = list(rows[: limit + 1])
    last = found[limit - 1] if len(found) > limit else None
    return WalletPage(items=found[:limit], next_cursor=cursor_encode(last.created_at, last.pk) if last else None)


def wallet_access_page(
    *, actor: User, item_id: int | None = None, cursor: str | None = None, limit: int = 50
) -> WalletPage[WalletAccess]:
    """Who accessed the owner's documents (removed ones included), newest first, in keyset pages: reading a
    document adds a row, so offset pages would shift while the owner reads them."""
    if not actor.is_authenticated or actor.is_officer:
        return WalletPage(items=[], next_cursor=None)
    rows = WalletAccess.objects.filter(item__owner=actor).select_related("item", "dossier", "agency")
    if item_id is not None:
        rows = rows.filter(item_id=item_id)
    parsed = cursor_decode(cursor) if cursor else None
    if parsed is not None:
        moment, pk = parsed
        rows = rows.filter(Q(at__lt=moment) | Q(at=moment, id__lt=pk))
    found = list(rows.order_by("-at", "-id")[: limit + 1])
    last = found[limit - 1] if len(found) > limit else None
    return WalletPage(items=found[:limit], next_cursor=cursor_encode(last.at, last.pk) if last else None)


def wallet_access_log(*, actor: User, item: WalletItem | None = None, limit: int = 50) -> list[WalletAccess]:
    """Who accessed the owner's documents, newest first."""
    if not actor.is_authenticated or actor.is_officer:
        return []
    rows = WalletAccess.objects.filter(item__owner=actor).select_related("item", "dossier", "agency")
    if item is not None:
        rows = rows.filter(item=item)
    return list(rows.order_by("-at", "-id")[:limit])


def wallet_candidates(*, actor: User, dossier: Dossier) -> list[tuple[DocumentComponent, list[WalletItem]]]:
    """For each component of the dossier's case that accepts a reusable document type: the owner's usable documents
    of that type (possibly none)."""
    components = list(dossier.case.components.filter(reusable_type__isnull=False).select_related("reusable_type"))
    type_ids = {c.reusable_type_id for c in components}
    items = [i for i in wallet_items(actor=actor).filter(document_type_id__in=type_ids) if i.usable]
    return [(c, [i for i in items if i.document_type_id == c.reusable_type_id]) for c in components]


def reused_attachment_ids(*, actor: User, dossier_id: int) -> set[int]:
    """Attachments of the actor's own dossier that came from their data store (empty for anyone else's)."""
    uses = WalletUse.objects.filter(dossier_id=dossier_id, dossier__applicant=actor)
    return set(uses.values_list("attachment_id", flat=True))


def reused_item_ids(*, dossier: Dossier) -> dict[int, int]:
    """attachment id → wallet item id for the dossier's attachments that came from the data store."""
    return dict(WalletUse.objects.filter(dossier=dossier).values_list("attachment_id", "item_id"))
