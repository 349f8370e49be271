"""Shared code lists (danh mục dùng chung) a form field refers to by name: ``form_ui`` ``{"codelist": "gender"}``.

Values are what the dossier stores (strings, as posted by a ``<select>``); labels are what the applicant reads.
Labels are translated with a context (pgettext), so "Khmer" the ethnic group is not "Khmer" the language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import pgettext

from chinhquyenso.agencies.selectors import ward_choices
from chinhquyenso.catalog.text import normalize_search

Choice = tuple[str, str]


def _ethnicity() -> list[Choice]:
    # Codes of the national list of ethnic groups (Quyết định 121-TCTK/PPCĐ, 1979) used by the population
    # database. Only the most common groups are listed until the full 54-group list is imported.
    return [
        ("01", pgettext("dân tộc", "Kinh")),
        ("02", pgettext("dân tộc", "Tày")),
        ("03", pgettext("dân tộc", "Thái")),
        ("04", pgettext("dân tộc", "Hoa")),
        ("05", pgettext("dân tộc", "Khmer")),
        ("06", pgettext("dân tộc", "Mường")),
        ("07", pgettext("dân tộc", "Nùng")),
        ("08", pgettext("dân tộc", "Mông")),
        ("09", pgettext("dân tộc", "Dao")),
        ("10", pgettext("dân tộc", "Gia Rai")),
        ("12", pgettext("dân tộc", "Ê Đê")),
        ("13", pgettext("dân tộc", "Ba Na")),
        ("17", pgettext("dân tộc", "Chăm")),
    ]


def _nationality() -> list[Choice]:
    # ISO 3166-1 alpha-2 codes; Việt Nam first because nearly every applicant is Vietnamese.
    return [
        ("VN", pgettext("quốc tịch", "Việt Nam")),
        ("LA", pgettext("quốc tịch", "Lào")),
        ("KH", pgettext("quốc tịch", "Campuchia")),
        ("CN", pgettext("quốc tịch", "Trung Quốc")),
        ("KR", pgettext("quốc tịch", "Hàn Quốc")),
        ("JP", pgettext("quốc tịch", "Nhật Bản")),
        ("TH", pgettext("quốc tịch", "Thái Lan")),
        ("US", pgettext("quốc tịch", "Hoa Kỳ")),
        ("FR", pgettext("quốc tịch", "Pháp")),
        ("AU", pgettext("quốc tịch", "Úc")),
    ]


def _gender() -> list[Choice]:
    return [("nam", pgettext("giới tính", "Nam")), ("nu", pgettext("giới tính", "Nữ"))]


def _relationship() -> list[Choice]:
    return [
        ("cha", pgettext("quan hệ", "Cha")),
        ("me", pgettext("quan hệ", "Mẹ")),
        ("vo", pgettext("quan hệ", "Vợ")),
        ("chong", pgettext("quan hệ", "Chồng")),
        ("con", pgettext("quan hệ", "Con")),
        ("anh", pgettext("quan hệ", "Anh")),
        ("chi", pgettext("quan hệ", "Chị")),
        ("em", pgettext("quan hệ", "Em")),
        ("ong", pgettext("quan hệ", "Ông")),
        ("ba", pgettext("quan hệ", "Bà")),
        ("chau", pgettext("quan hệ", "Cháu")),
        ("nguoi_giam_ho", pgettext("quan hệ", "Người giám hộ")),
        ("khac", pgettext("quan hệ", "Quan hệ khác")),
    ]


def _ward() -> list[Choice]:
    # Sorted as a reader expects (Ái Quốc next to An Biên, Đông Hải among the D's), not by code point.
    wards = sorted(ward_choices(), key=lambda ward: normalize_search(ward[1]))
    return [(str(code), name) for code, name in wards]


CODELISTS: dict[str, Callable[[], list[Choice]]] = {
    "ethnicity": _ethnicity,
    "nationality": _nationality,
    "gender": _gender,
    "relationship": _relationship,
    "ward": _ward,
}


def codelist_choices(name: str) -> list[Choice]:
    """The (value, label) pairs of a code list, in display order; an unknown list is empty."""
    factory = CODELISTS.get(name)
    return factory() if factory is not None else []
