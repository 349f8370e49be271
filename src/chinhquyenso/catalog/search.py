"""Public search of the procedure catalog: diacritic- and case-insensitive (DOMAIN.md §9).

What the public can find: the current published version of every *active* procedure. Drafts never appear.
Retired procedures (bãi bỏ) do not appear in search either, because they can no longer be filed against; their
page stays readable at its code with a banner (``views/public.py``), so old links and bookmarks still work.

Matching is the same on every database: each word of the query, normalised with ``normalize_search`` ("Đăng ký"
→ "dang ky"), must occur in ``ProcedureVersion.search_text`` (the normalised code, name and field that the services
keep up to date). On PostgreSQL migration 0002 puts a trigram GIN index on that column, which serves these
``LIKE '%word%'`` filters, and results are ordered by trigram similarity of the normalised name to the query
(``cqs_normalize``, also from 0002). Everywhere, an exact code comes first, then codes starting with the query,
then names containing the query as one phrase, then the rest, by code.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.models import Field, Procedure, ProcedureCase, ProcedureVersion
from chinhquyenso.catalog.text import normalize_search

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# The synced form of a national code, 1.001193.000.00.00.H26: the national code plus the province's suffix.
_SYNCED_CODE = re.compile(r"^(\d+\.\d{6})\.\d{3}\.\d{2}\.\d{2}\.[A-Za-z]\d{2}$")

RANK_EXACT_CODE, RANK_CODE_PREFIX, RANK_PHRASE, RANK_WORDS = 0, 1, 2, 3


class _Normalize(Func):
    """``cqs_normalize(text)``: SQL twin of ``normalize_search`` (lower, unaccent, đ → d), PostgreSQL only."""

    function = "cqs_normalize"


class _Similarity(Func):
    """pg_trgm's ``similarity(a, b)`` in [0, 1]."""

    function = "similarity"
    output_field = FloatField()


def search_terms(query: str) -> tuple[str, list[str]]:
    """The query as a citizen typed it (trimmed, a synced code reduced to its national code) and its words."""
    raw = (query or "").strip()[:MAX_QUERY_LENGTH]
    synced = _SYNCED_CODE.match(raw)
    if synced:
        raw = synced.group(1)
    return raw, normalize_search(raw).split()[:MAX_WORDS]


def public_versions() -> QuerySet[ProcedureVersion]:
    """Current published versions of active procedures: what a citizen can find and file against."""
    return ProcedureVersion.objects.filter(
        status=ProcedureVersion.Status.PUBLISHED,
        procedure__current_version=F("pk"),
        procedure__status=Procedure.Status.ACTIVE,
    )


def procedure_search(
    *,
    query: str,
    field_code: str | None = None,
    agency_id: int | None = None,
    level: str | None = None,
    online_level: str | None = None,
) -> QuerySet[ProcedureVersion]:
    """Versions a citizen may file against whose code, name or field contain every word of ``query``.

    An empty query lists everything that matches the filters, by code. ``agency_id`` matches the competent or the
    receiving agencies. Each result carries ``rank`` (0 exact code … 3 every word somewhere) and its cases.
    """
    raw, words = search_terms(query)
    versions = public_versions()
    for word in words:
        # Both sides are normalised, so a case-sensitive LIKE is enough and can use the trigram index.
        versions = versions.filter(search_text__contains=word)
    if field_code:
        versions = versions.filter(field__code=field_code)
    if agency_id is not None:
        competent = ProcedureVersion.competent_agencies.through.objects.filter(
            procedureversion_id=OuterRef("pk"), agency_id=agency_id
        )
        receiving = ProcedureVersion.receiving_agencies.through.objects.filter(
            procedureversion_id=OuterRef("pk"), agency_id=agency_id
        )
        versions = versions.filter(Q(Exists(competent)) | Q(Exists(receiving)))
    if level:
        versions = versions.filter(level=level)
    if online_level:
        versions = versions.filter(online_level=online_level)

    ordering: list[str] = ["procedure__code"]
    if words:
        phrase = " ".join(words)
        versions = versions.annotate(
            rank=Case(
                When(procedure__code__iexact=raw, then=Value(RANK_EXACT_CODE)),
                When(procedure__code__istartswith=raw, then=Value(RANK_CODE_PREFIX)),
                When(search_text__contains=phrase, then=Value(RANK_PHRASE)),
                default=Value(RANK_WORDS),
                output_field=IntegerField(),
            )
        )
        ordering = ["rank", "procedure__code"]
        if connection.vendor == "postgresql":
            versions = versions.annotate(similarity=_Similarity(_Normalize(F("name")), Value(phrase)))
            ordering = ["rank", "-similarity", "procedure__code"]
    else:
        versions = versions.annotate(rank=Value(RANK_WORDS, output_field=IntegerField()))
    return (
        versions.select_related("procedure", "field")
        .prefetch_related(Prefetch("cases", queryset=ProcedureCase.objects.order_by("order", "code")))
        .order_by(*ordering)
    )


def search_fields() -> QuerySet[Field]:
    """Fields that have at least one findable procedure: the choices of the "lĩnh vực" filter."""
    return Field.objects.filter(pk__in=public_versions().values("field_id")).order_by("name")


def search_agencies() -> QuerySet[Agency]:
    """Agencies that decide or receive at least one findable procedure: the choices of the "cơ quan" filter."""
    findable = public_versions()
    return Agency.objects.filter(
        Q(pk__in=findable.values("competent_agencies")) | Q(pk__in=findable.values("receiving_agencies"))
    ).order_by("level", "name")
