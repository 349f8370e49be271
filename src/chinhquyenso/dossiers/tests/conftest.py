from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.tests.factories import OfficerFactory, UserFactory
from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.catalog import services as catalog
from chinhquyenso.catalog.models import Level, OnlineLevel, ProcedureCase, TimeUnit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ho_ten_tre": {"type": "string", "minLength": 1, "title": "Họ, chữ đệm, tên của trẻ"},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
    },
    "required": ["ho_ten_tre", "ngay_sinh"],
}
VALID_DATA = {"ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "2026-11-02"}


@dataclass
class World:
    commune: Agency
    other_commune: Agency
    citizen: User
    desk: User
    specialist: User
    leader: User
    stranger: User
    case: ProcedureCase


def _agency(code: str, name: str, ward: int) -> Agency:
    return Agency.objects.create(
        code=code, name=name, kind=Agency.Kind.COMMUNE, level=Agency.Level.COMMUNE, ward_code=ward, is_one_stop=True
    )


def publish_case(*, code: str = "1.001193", value: int = 2, unit: str = TimeUnit.WORKING_DAYS) -> ProcedureCase:
    version = catalog.procedure_create(
        actor=None, code=code, name="Thủ tục đăng ký khai sinh", level=Level.COMMUNE, online_level=OnlineLevel.FULL
    )
    case = catalog.case_add(
        actor=None, version=version, code="01", name="Đúng hạn", processing_value=value, processing_unit=unit,
        form_schema=SCHEMA, form_ui={"order": ["ho_ten_tre", "ngay_sinh"]},
    )  # fmt: skip
    catalog.component_add(actor=None, case=case, code="giay-chung-sinh", name="Giấy chứng sinh", required=True)
    catalog.version_publish(actor=None, version=version)
    case.refresh_from_db()
    return case


@pytest.fixture
def world(db: Any) -> World:
    # Seeded by migration 0002; transactional tests flush tables, so make sure it is there.
    from datetime import date

    from chinhquyenso.dossiers.models import RuleSet

    RuleSet.objects.get_or_create(
        code="current-2025", defaults={"name": "Nghị định 118/2025/NĐ-CP", "effective_from": date(2025, 7, 1)}
    )
    commune = _agency("113.11.00.H26", "Ủy ban nhân dân phường Hồng Bàng", 11311)
    other = _agency("113.41.00.H26", "Ủy ban nhân dân phường Ngô Quyền", 11341)
    desk, specialist, leader, stranger = (OfficerFactory() for _ in range(4))
    Membership.objects.create(user=desk, agency=commune, role=Role.ONE_STOP)
    Membership.objects.create(user=specialist, agency=commune, role=Role.SPECIALIST)
    Membership.objects.create(user=leader, agency=commune, role=Role.LEADER)
    Membership.objects.create(user=stranger, agency=other, role=Role.ONE_STOP)
    citizen = UserFactory(ward_code=11311, email="dan@example.vn", phone="0912000111")
    return World(commune, other, citizen, desk, specialist, leader, stranger, publish_case())


@pytest.fixture
def at() -> Callable[[datetime], Any]:
    """Freeze 'now' for services (they call django.utils.timezone.now)."""

    @contextmanager
    def freeze(moment: datetime) -> Iterator[None]:
        with mock.patch("django.utils.timezone.now", return_value=moment):
            yield

    return freeze


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)
