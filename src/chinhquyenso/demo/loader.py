"""The demo province: Hải Phòng after the 1 July 2025 merger (with Hải Dương), two-tier government.

Communes and wards come from the `vietnam-provinces` package (official list after the merger). The list of
departments follows the city's post-2025 organisation as publicly announced; unit codes are demo values in
the QCVN 102:2016 shape and must be replaced by the province's registered codes (docs/adr/0002).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.conf import settings
from django.db import transaction

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.agencies.selectors import province, ward_choices
from chinhquyenso.core.audit import audit_record

DEMO_PASSWORD = "demo"  # noqa: S105 (documented demo sign-ins, refused outside demo mode)
PROVINCE_SUFFIX = "H26"  # demo value; see docs/adr/0002-agencies-and-unit-codes.md

DEPARTMENTS: list[tuple[str, str, str]] = [
    # (code NN in 000.00.NN.H26, name, short name)
    ("01", "Văn phòng Ủy ban nhân dân thành phố", "VP UBND"),
    ("02", "Sở Nội vụ", "SNV"),
    ("03", "Sở Tài chính", "STC"),
    ("04", "Sở Tư pháp", "STP"),
    ("05", "Sở Công Thương", "SCT"),
    ("06", "Sở Xây dựng", "SXD"),
    ("07", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("08", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("09", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("10", "Sở Y tế", "SYT"),
    ("11", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("12", "Sở Ngoại vụ", "SNgV"),
    ("13", "Sở Dân tộc và Tôn giáo", "SDTTG"),
    ("14", "Thanh tra thành phố", "TTTP"),
    ("15", "Ban Quản lý Khu kinh tế Hải Phòng", "BQLKKT"),
    ("16", "Công an thành phố", "CATP"),
    ("17", "Trung tâm Phục vụ hành chính công thành phố", "TTPVHCC"),
]
SERVICE_CENTER_CODE = f"000.00.17.{PROVINCE_SUFFIX}"
JUSTICE_CODE = f"000.00.04.{PROVINCE_SUFFIX}"
DEMO_WARD = 11311  # Phường Hồng Bàng
DEMO_VERIFIED_AT = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)  # the demo citizen's CCCD counts as checked at a desk

DEMO_SIGN_INS: list[tuple[str, str]] = [
    ("congdan", "Công dân"),
    ("doanhnghiep", "Doanh nghiệp"),
    ("motcua", "Cán bộ một cửa (Trung tâm PVHCC thành phố, Phường Hồng Bàng)"),
    ("chuyenvien", "Chuyên viên (Sở Tư pháp, Phường Hồng Bàng)"),
    ("lanhdao", "Lãnh đạo (Sở Tư pháp, Phường Hồng Bàng)"),
    ("quantri", "Quản trị hệ thống"),
]


def commune_code(ward_code: int) -> str:
    digits = f"{ward_code:05d}"
    return f"{digits[:3]}.{digits[3:]}.00.{PROVINCE_SUFFIX}"


def _agencies() -> dict[str, Agency]:
    city, _ = Agency.objects.get_or_create(
        code=f"000.00.00.{PROVINCE_SUFFIX}",
        defaults={
            "name": f"Ủy ban nhân dân {province().name.replace('Thành phố', 'thành phố')}",
            "short_name": "UBND TP",
            "kind": Agency.Kind.PROVINCE,
            "level": Agency.Level.PROVINCE,
            "address": "18 Hoàng Diệu, phường Hồng Bàng, thành phố Hải Phòng",
        },
    )
    by_code = {city.code: city}
    for nn, name, short in DEPARTMENTS:
        code = f"000.00.{nn}.{PROVINCE_SUFFIX}"
        is_center = code == SERVICE_CENTER_CODE
        agency, _ = Agency.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": Agency.Kind.SERVICE_CENTER if is_center else Agency.Kind.DEPARTMENT,
                "level": Agency.Level.PROVINCE,
                "parent": city,
                "is_one_stop": is_center,
                "desk_open_saturday": is_center,
            },
        )
        by_code[code] = agency
    for ward_code, ward_name in ward_choices():
        commune, _ = Agency.objects.get_or_create(
            code=commune_code(ward_code),
            defaults={
                "name": f"Ủy ban nhân dân {ward_name[0].lower()}{ward_name[1:]}",
                "short_name": ward_name,
                "kind": Agency.Kind.COMMUNE,
                "level": Agency.Level.COMMUNE,
                "parent": city,
                "ward_code": ward_code,
                "is_one_stop": True,
            },
        )
        by_code[commune.code] = commune
    return by_code


def _user(username: str, **fields: object) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _member(user: User, agency: Agency, role: str, title: str) -> None:
    Membership.objects.get_or_create(user=user, agency=agency, role=role, defaults={"title": title})


@transaction.atomic
def load_demo(*, with_dossiers: bool = True) -> bool:
    """Load the demo province once. Returns False when it was already there (nothing is changed).

    ``with_dossiers`` adds about 2,000 dossiers (demo/dossiers.py); tests of the province alone skip them.
    """
    if not settings.DEMO_MODE:
        raise RuntimeError("Dữ liệu trình diễn chỉ được nạp khi CQS_DEMO bật (never in production).")
    from chinhquyenso.demo.dossiers import load_demo_dossiers

    if User.objects.filter(username="quantri").exists():
        if with_dossiers:
            load_demo_dossiers()  # databases loaded before the dossiers existed get them now; no-op otherwise
        return False
    agencies = _agencies()
    from chinhquyenso.demo.catalog import load_demo_catalog

    load_demo_catalog()
    center, justice = agencies[SERVICE_CENTER_CODE], agencies[JUSTICE_CODE]
    ward = agencies[commune_code(DEMO_WARD)]
    officer = {"kind": User.Kind.OFFICER, "is_staff": False}

    _user(
        "congdan",
        kind=User.Kind.CITIZEN,
        full_name="Nguyễn Văn An",
        cccd="031090001234",
        cccd_verified_at=DEMO_VERIFIED_AT,  # demo: as if checked at a desk (ADR 0014)
        date_of_birth=date(1990, 3, 27),
        phone="0912345678",
        email="congdan@example.vn",
        ward_code=DEMO_WARD,
        address_line="Số 12 phố Hoàng Văn Thụ",
    )
    _user(
        "doanhnghiep",
        kind=User.Kind.BUSINESS,
        full_name="Trần Thị Bình",
        organization_name="Công ty TNHH Thương mại Cảng Xanh",
        tax_code="0201234567",
        phone="0987654321",
        email="doanhnghiep@example.vn",
        ward_code=11341,
        address_line="25 Lạch Tray",
    )
    motcua = _user("motcua", full_name="Phạm Thu Hà", email="motcua@example.vn", **officer)
    chuyenvien = _user("chuyenvien", full_name="Lê Minh Đức", email="chuyenvien@example.vn", **officer)
    lanhdao = _user("lanhdao", full_name="Vũ Quốc Hùng", email="lanhdao@example.vn", **officer)
    quantri = _user(
        "quantri",
        full_name="Đỗ Thanh Tâm",
        email="quantri@example.vn",
        kind=User.Kind.OFFICER,
        is_staff=True,
        is_superuser=True,
    )

    _member(motcua, center, Role.ONE_STOP, "Cán bộ tiếp nhận")
    _member(motcua, ward, Role.ONE_STOP, "Cán bộ tiếp nhận")
    _member(chuyenvien, justice, Role.SPECIALIST, "Chuyên viên Phòng Hành chính tư pháp")
    _member(chuyenvien, ward, Role.SPECIALIST, "Công chức Tư pháp - Hộ tịch")
    _member(lanhdao, justice, Role.LEADER, "Phó Giám đốc Sở")
    _member(lanhdao, ward, Role.LEADER, "Phó Chủ tịch UBND phường")
    _member(quantri, agencies[f"000.00.00.{PROVINCE_SUFFIX}"], Role.SYSTEM_ADMIN, "Quản trị hệ thống")
    _member(quantri, center, Role.OPERATIONS_VIEWER, "Trung tâm điều hành")
    # A few more staff so agencies' pages are not empty.
    extra = [
        ("tiepnhan.ngoquyen", "Hoàng Thị Lan", 11341, Role.ONE_STOP),
        ("tuphap.ngoquyen", "Nguyễn Hữu Phúc", 11341, Role.SPECIALIST),
        ("tiepnhan.lechan", "Bùi Văn Nam", 11383, Role.ONE_STOP),
        ("quantri.lechan", "Đặng Thị Mai", 11383, Role.AGENCY_ADMIN),
        ("tiepnhan.kienan", "Trịnh Quang Huy", 11443, Role.ONE_STOP),
    ]
    for username, name, ward_code, role in extra:
        user = _user(username, full_name=name, **officer)
        _member(user, agencies[commune_code(ward_code)], role, "")
    audit_record(
        actor=None, action="demo.load", object_type="demo", object_id=PROVINCE_SUFFIX, after={"agencies": len(agencies)}
    )
    if with_dossiers:
        load_demo_dossiers()
    return True
