"""Catalog reads."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from chinhquyenso.catalog.models import Procedure, ProcedureCase, ProcedureVersion


class NotFileable(Exception):
    """The procedure/case cannot receive dossiers (unknown, draft-only, or retired). Message in the request's language."""


def procedure_published(*, code: str) -> Procedure | None:
    """A procedure as the public sees it: its current published version with cases, fees and components."""
    return (
        Procedure.objects.filter(code=code, current_version__isnull=False)
        .select_related("current_version", "current_version__field")
        .prefetch_related(
            Prefetch(
                "current_version__cases",
                queryset=ProcedureCase.objects.prefetch_related("fees__exemptions", "components__reusable_type"),
            ),
            "current_version__competent_agencies",
            "current_version__receiving_agencies",
        )
        .first()
    )


def case_for_filing(*, code: str, case_code: str) -> ProcedureCase:
    """The published case a new dossier pins. Drafts and retired procedures can never be filed against."""
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
    if procedure is None or procedure.current_version is None:
        raise NotFileable(gettext("Thủ tục %(code)s chưa được công bố nên chưa nhận hồ sơ.") % {"code": code})
    if procedure.status == Procedure.Status.RETIRED:
        raise NotFileable(gettext("Thủ tục %(code)s đã bị bãi bỏ, không nhận hồ sơ mới.") % {"code": code})
    case = procedure.current_version.cases.filter(code=case_code).select_related("version").first()
    if case is None:
        raise NotFileable(
            gettext("Thủ tục %(code)s không có trường hợp «%(case)s».") % {"code": code, "case": case_code}
        )
    return case


def published_versions() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED).select_related(
        "procedure", "field"
    )
