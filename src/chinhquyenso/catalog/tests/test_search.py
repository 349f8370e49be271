"""Catalog search: what a citizen types finds what they mean, on SQLite and PostgreSQL alike (DOMAIN.md §9)."""

from __future__ import annotations

from typing import Any

import pytest

from chinhquyenso.agencies.tests.factories import AgencyFactory
from chinhquyenso.catalog import services
from chinhquyenso.catalog.models import Level, OnlineLevel, Procedure, ProcedureVersion
from chinhquyenso.catalog.search import procedure_search
from chinhquyenso.catalog.tests.factories import FieldFactory, ProcedureFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db


def published(code: str, name: str, **version: Any) -> ProcedureVersion:
    """A procedure whose current version (v1, one case) has this name; codes from the reference data are real."""
    options = {f"version__{key}": value for key, value in version.items()}
    procedure = ProcedureFactory(code=code, is_local_code=code.startswith("HP."), version__name=name, **options)
    return procedure.current_version


def codes(query: str = "", **filters: Any) -> list[str]:
    return [v.procedure.code for v in procedure_search(query=query, **filters)]


def test_unaccented_lowercase_words_find_the_vietnamese_name() -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")
    published("1.000894", "Thủ tục đăng ký kết hôn")

    assert codes("dang ky khai sinh") == ["1.001193"]
    assert codes("khai sinh dang ky") == ["1.001193"]  # word order does not matter
    assert codes("ĐĂNG KÝ KẾT HÔN") == ["1.000894"]


def test_d_with_stroke_is_folded_to_d_in_the_query_and_in_the_name() -> None:
    published("1.004222", "Đăng ký thường trú")
    published("1.000656", "Thủ tục đăng ký khai tử")

    assert codes("Dang ky thuong tru") == ["1.004222"]
    assert sorted(codes("đăng ký")) == ["1.000656", "1.004222"]  # equal rank: the order differs by database
    assert codes("DANG KY KHAI TU") == ["1.000656"]


def test_a_national_code_its_synced_form_or_its_beginning_finds_the_procedure() -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")
    published("1.000894", "Thủ tục đăng ký kết hôn")
    published("2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh")

    assert codes("1.001193") == ["1.001193"]
    assert codes("1.001193.000.00.00.H26") == ["1.001193"]
    assert codes("1.00") == ["1.000894", "1.001193"]


def test_the_query_as_one_phrase_ranks_before_the_same_words_scattered() -> None:
    published("HP.T.01", "Thủ tục đăng ký lại khai tử cho người sinh ra ở nước ngoài")
    published("HP.T.02", "Thủ tục đăng ký khai sinh")

    assert codes("dang ky khai sinh") == ["HP.T.02", "HP.T.01"]


def test_an_empty_query_lists_every_findable_procedure_by_code() -> None:
    published("2.000635", "Cấp bản sao Trích lục hộ tịch")
    published("1.001193", "Thủ tục đăng ký khai sinh")

    assert codes("") == ["1.001193", "2.000635"]
    assert codes("   ") == ["1.001193", "2.000635"]


def test_like_wildcards_in_the_query_are_plain_characters() -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")

    assert codes("%") == []
    assert codes("_") == []


def test_filters_by_field_level_and_online_level() -> None:
    civil = FieldFactory(code="G15-HT", name="Hộ tịch")
    published("1.001193", "Thủ tục đăng ký khai sinh", field=civil)
    published("1.004222", "Đăng ký thường trú", online_level=OnlineLevel.PARTIAL)
    published("3.000333", "Cấp Phiếu lý lịch tư pháp", level=Level.PROVINCE)

    assert codes(field_code="G15-HT") == ["1.001193"]
    assert codes("ho tich") == ["1.001193"]  # the field's name is searched too
    assert codes(level=Level.PROVINCE) == ["3.000333"]
    assert codes(online_level=OnlineLevel.PARTIAL) == ["1.004222"]
    assert codes("dang ky", level=Level.COMMUNE, online_level=OnlineLevel.FULL) == ["1.001193"]


def test_the_agency_filter_matches_the_competent_or_the_receiving_agency_once() -> None:
    justice, ward = AgencyFactory(name="Sở Tư pháp"), AgencyFactory(name="UBND phường Hồng Bàng")
    record = published("3.000333", "Cấp Phiếu lý lịch tư pháp", level=Level.PROVINCE)
    record.competent_agencies.set([justice])
    record.receiving_agencies.set([justice, ward])
    published("1.001193", "Thủ tục đăng ký khai sinh").receiving_agencies.set([ward])
    published("1.004222", "Đăng ký thường trú")

    assert codes(agency_id=justice.pk) == ["3.000333"]
    assert codes(agency_id=ward.pk) == ["1.001193", "3.000333"]


def test_a_procedure_with_only_a_draft_is_never_found() -> None:
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.001193", is_local_code=False, version=None),
        name="Thủ tục đăng ký khai sinh",
        status=ProcedureVersion.Status.DRAFT,
    )

    assert codes("khai sinh") == []
    assert codes("1.001193") == []


def test_only_the_current_version_is_searched_not_a_superseded_one_or_the_next_draft() -> None:
    first = published("1.001193", "Đăng ký khai sinh (tên cũ)")
    second = services.version_draft_from(actor=None, procedure=first.procedure)
    second.name = "Thủ tục đăng ký khai sinh"
    second.search_text = services.version_search_text(version=second)
    second.save()
    services.version_publish(actor=None, version=second)
    services.version_draft_from(actor=None, procedure=first.procedure)  # a third, unpublished

    results = list(procedure_search(query="khai sinh"))

    assert [(v.procedure.code, v.number) for v in results] == [("1.001193", 2)]
    assert codes("ten cu") == []


def test_a_retired_procedure_is_not_found_because_it_takes_no_new_dossiers() -> None:
    published("1.001193", "Thủ tục đăng ký khai sinh")
    retired = published("1.000894", "Thủ tục đăng ký kết hôn")
    services.procedure_retire(actor=None, procedure=retired.procedure, reason="Đã được thay thế")

    assert Procedure.objects.get(code="1.000894").status == Procedure.Status.RETIRED
    assert codes("dang ky") == ["1.001193"]
