"""The agency tree of a province under the two-tier local government in force since 1 July 2025.

Province People's Committee → departments (sở, ban, ngành) and communes/wards (xã, phường, đặc khu).
No district tier (DOMAIN.md §1). Unit codes follow QCVN 102:2016/BTTTT and are data, never computed.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chinhquyenso.core.calendar import OfficeHours


class Agency(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("UBND cấp tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE = "commune", _("UBND cấp xã")
        SERVICE_CENTER = "service_center", _("Trung tâm Phục vụ hành chính công")
        UNIT = "unit", pgettext_lazy("loại đơn vị", "Đơn vị trực thuộc")

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    code = models.CharField("mã định danh", max_length=32, unique=True)
    name = models.CharField("tên cơ quan", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="cơ quan cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    ward_code = models.PositiveIntegerField("mã đơn vị hành chính cấp xã", null=True, blank=True, unique=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    is_one_stop = models.BooleanField("có bộ phận một cửa", default=False)
    active = models.BooleanField("đang hoạt động", default=True)
    # Office hours: when the clock of a statutory deadline runs (DOMAIN.md §3.5).
    morning_opens = models.TimeField("sáng mở cửa", default=time(7, 0))
    morning_closes = models.TimeField("sáng đóng cửa", default=time(11, 30))
    afternoon_opens = models.TimeField("chiều mở cửa", default=time(13, 30))
    afternoon_closes = models.TimeField("chiều đóng cửa", default=time(17, 0))
    # A desk open on Saturday mornings receives dossiers, but Saturday still does not count for deadlines.
    desk_open_saturday = models.BooleanField("tiếp nhận sáng thứ Bảy", default=False)

    class Meta:
        ordering = ["level", "kind", "name"]
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_opens__lt=models.F("morning_closes"))
                & models.Q(morning_closes__lte=models.F("afternoon_opens"))
                & models.Q(afternoon_opens__lt=models.F("afternoon_closes")),
                name="agency_office_hours_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def office_hours(self) -> OfficeHours:
        return OfficeHours(
            sessions=((self.morning_opens, self.morning_closes), (self.afternoon_opens, self.afternoon_closes))
        )


class Role(models.TextChoices):
    ONE_STOP = "one_stop", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    AGENCY_ADMIN = "agency_admin", _("Quản trị đơn vị")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    OPERATIONS_VIEWER = "operations_viewer", _("Theo dõi Trung tâm điều hành")


class Membership(models.Model):
    """A staff member's role in one agency. An officer may hold several roles and agencies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cán bộ", on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    title = models.CharField("chức danh", max_length=150, blank=True)
    active = models.BooleanField("đang hiệu lực", default=True)

    class Meta:
        ordering = ["agency__name", "role"]
        verbose_name = "phân công cán bộ"
        verbose_name_plural = "phân công cán bộ"
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"
