from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from chinhquyenso.catalog import services
from chinhquyenso.catalog.models import Fee, Level, OnlineLevel, Procedure, ProcedureVersion, TimeUnit
from chinhquyenso.catalog.selectors import NotFileable, case_for_filing
from chinhquyenso.core.audit import audit_verify
from chinhquyenso.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"ho_ten": {"type": "string", "minLength": 1}},
    "required": ["ho_ten"],
}


def draft_with_case(code: str = "1.001193") -> ProcedureVersion:
    version = services.procedure_create(
        actor=None, code=code, name="Thủ tục đăng ký khai sinh", level=Level.COMMUNE, online_level=OnlineLevel.FULL
    )
    case = services.case_add(
        actor=None, version=version, code="01", name="Đăng ký khai sinh đúng hạn",
        processing_value=1, processing_unit=TimeUnit.WORKING_DAYS, form_schema=SCHEMA,
        form_ui={"order": ["ho_ten"], "fields": {"ho_ten": {"label": "Họ, chữ đệm, tên", "prefill": "profile.full_name"}}},
    )  # fmt: skip
    services.fee_add(actor=None, case=case, name="Lệ phí đăng ký khai sinh quá hạn", amount=8000)
    services.component_add(actor=None, case=case, code="to-khai", name="Tờ khai đăng ký khai sinh")
    return version


def test_publishing_makes_the_version_current_and_searchable() -> None:
    version = services.version_publish(actor=None, version=draft_with_case())

    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.current_version == version
    assert version.status == ProcedureVersion.Status.PUBLISHED
    assert version.search_text == "1.001193 thu tuc dang ky khai sinh"
    assert AuditEntry.objects.filter(action="catalog.version.publish").count() == 1
    assert audit_verify().ok


def test_a_published_version_cannot_be_edited() -> None:
    version = services.version_publish(actor=None, version=draft_with_case())
    case = version.cases.get()

    with pytest.raises(ValidationError, match="Phiên bản đã công bố không thể sửa"):
        services.fee_add(actor=None, case=case, name="Phí mới", amount=1)
    with pytest.raises(ValidationError, match="Phiên bản đã công bố không thể sửa"):
        services.version_publish(actor=None, version=version)
    assert Fee.objects.filter(case=case).count() == 1


def test_editing_creates_a_draft_copy_and_publishing_it_supersedes_the_old_version() -> None:
    v1 = services.version_publish(actor=None, version=draft_with_case())

    draft = services.version_draft_from(actor=None, procedure=v1.procedure)
    services.fee_add(actor=None, case=draft.cases.get(), name="Phí cấp bản sao trích lục", amount=8000)
    again = services.version_draft_from(actor=None, procedure=v1.procedure)
    v2 = services.version_publish(actor=None, version=draft)

    v1.refresh_from_db()
    assert again == draft  # one draft at a time
    assert (v1.number, v1.status) == (1, ProcedureVersion.Status.SUPERSEDED)
    assert (v2.number, v2.status) == (2, ProcedureVersion.Status.PUBLISHED)
    assert v1.cases.get().fees.count() == 1  # the old version is unchanged and still readable
    assert v2.cases.get().fees.count() == 2
    assert v2.cases.get().components.get().name == "Tờ khai đăng ký khai sinh"
    assert Procedure.objects.get(code="1.001193").current_version == v2


def test_the_database_refuses_two_drafts_of_one_procedure() -> None:
    version = draft_with_case()

    with pytest.raises(IntegrityError):
        ProcedureVersion.objects.create(
            procedure=version.procedure, number=2, name="x", level=Level.COMMUNE, online_level=OnlineLevel.FULL
        )


def test_a_draft_can_never_be_filed_against() -> None:
    draft_with_case()

    with pytest.raises(NotFileable, match="chưa được công bố"):
        case_for_filing(code="1.001193", case_code="01")


def test_filing_pins_the_published_version_even_while_a_new_draft_exists() -> None:
    v1 = services.version_publish(actor=None, version=draft_with_case())
    services.version_draft_from(actor=None, procedure=v1.procedure)

    case = case_for_filing(code="1.001193", case_code="01")

    assert case.version == v1


def test_a_retired_procedure_stays_readable_but_refuses_new_dossiers() -> None:
    version = services.version_publish(actor=None, version=draft_with_case())

    services.procedure_retire(actor=None, procedure=version.procedure, reason="Bãi bỏ theo Quyết định 123/QĐ-UBND")

    with pytest.raises(NotFileable, match="đã bị bãi bỏ"):
        case_for_filing(code="1.001193", case_code="01")
    assert Procedure.objects.get(code="1.001193").current_version == version


def test_a_version_without_cases_or_with_a_broken_schema_cannot_be_published() -> None:
    empty = services.procedure_create(
        actor=None, code="1.000894", name="Đăng ký kết hôn", level=Level.COMMUNE, online_level=OnlineLevel.FULL
    )
    broken = draft_with_case(code="1.000656")
    broken.cases.update(form_schema={"type": "object", "properties": {"x": {"type": "strin"}}})

    with pytest.raises(ValidationError, match="ít nhất một trường hợp"):
        services.version_publish(actor=None, version=empty)
    with pytest.raises(ValidationError, match="/properties/x/type"):
        services.version_publish(actor=None, version=broken)
    assert not ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED).exists()


def test_staff_preview_a_draft_form_the_public_cannot_see(client: Any, admin_user: Any) -> None:
    version = draft_with_case()
    case = version.cases.get()

    public = client.get("/thu-tuc/1.001193/bieu-mau/01/")
    client.force_login(admin_user)
    preview = client.get(f"/xem-truoc-bieu-mau/{case.pk}/")
    admin_page = client.get(f"/quan-tri/catalog/procedurecase/{case.pk}/change/")

    assert public.status_code == 404
    assert preview.status_code == 200
    assert "Họ, chữ đệm, tên" in preview.content.decode()
    assert f"/xem-truoc-bieu-mau/{case.pk}/" in admin_page.content.decode()
