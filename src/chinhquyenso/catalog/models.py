"""The procedure catalog (danh mục thủ tục hành chính), DOMAIN.md §2.

A ``Procedure`` is the identity (national code); its content lives in immutable published ``ProcedureVersion``s.
Editing creates a new draft version; a dossier pins the version and the case (``ProcedureCase``) it was filed under.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chinhquyenso.agencies.models import Agency


class Field(models.Model):
    """Lĩnh vực: the field a procedure belongs to, with the sector code of the national catalog."""

    code = models.CharField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """A kind of document that can be kept in the citizen's data store and reused (e.g. giấy khai sinh)."""

    code = models.SlugField("mã loại giấy tờ", max_length=60, unique=True)
    name = models.CharField("tên loại giấy tờ", max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = "loại giấy tờ"
        verbose_name_plural = "loại giấy tờ"

    def __str__(self) -> str:
        return self.name


class ApplicantCategory(models.Model):
    """A category of applicant that fee exemptions refer to (hộ nghèo, người có công, người khuyết tật...)."""

    code = models.SlugField("mã đối tượng", max_length=60, unique=True)
    name = models.CharField("tên đối tượng", max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = "đối tượng miễn, giảm"
        verbose_name_plural = "đối tượng miễn, giảm"

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """The identity of a procedure. Content is in its versions; ``current_version`` is the published one."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang áp dụng")
        RETIRED = "retired", _("Đã bãi bỏ")

    code = models.CharField("mã thủ tục", max_length=40, unique=True)
    # True when no confirmed national code exists and the province uses its own (never an invented national one).
    is_local_code = models.BooleanField("mã nội bộ của tỉnh", default=False)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name="phiên bản đang áp dụng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"

    def __str__(self) -> str:
        version = self.current_version
        return f"{self.code} {version.name if version else ''}".strip()


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    INFORMATION = "info", _("Cung cấp thông tin")


class ProcedureVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đang áp dụng")
        SUPERSEDED = "superseded", _("Đã thay thế")

    procedure = models.ForeignKey(Procedure, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("số phiên bản")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    name = models.CharField("tên thủ tục", max_length=500)
    field = models.ForeignKey(Field, verbose_name="lĩnh vực", null=True, blank=True, on_delete=models.PROTECT)
    level = models.CharField("cấp thực hiện", max_length=10, choices=Level.choices)
    competent_authority = models.CharField("cơ quan có thẩm quyền", max_length=500, blank=True)
    competent_agencies = models.ManyToManyField(
        Agency, verbose_name="cơ quan giải quyết", blank=True, related_name="competent_versions"
    )
    # Empty = every one-stop desk of the procedure's level (receipt regardless of residence, DOMAIN.md §1).
    receiving_agencies = models.ManyToManyField(
        Agency, verbose_name="nơi tiếp nhận", blank=True, related_name="receiving_versions"
    )
    for_citizens = models.BooleanField("công dân thực hiện", default=True)
    for_businesses = models.BooleanField("doanh nghiệp, tổ chức thực hiện", default=False)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    result_type = models.CharField("kết quả", max_length=500, blank=True)
    online_level = models.CharField("mức độ trực tuyến", max_length=8, choices=OnlineLevel.choices)
    description = models.TextField("trình tự thực hiện, ghi chú", blank=True)
    source = models.TextField("nguồn dữ liệu", blank=True)
    search_text = models.TextField(editable=False, default="")  # normalize_search(code + name + field)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)

    class Meta:
        ordering = ["procedure__code", "-number"]
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="draft"),
                name="procedure_one_draft",
            ),
        ]
        indexes = [models.Index(fields=["status", "level", "online_level"])]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} — {self.name}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class ProcedureCase(models.Model):
    """Trường hợp: one way to carry out a procedure, with its own time, fees, documents and form."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="cases"
    )
    code = models.CharField("mã trường hợp", max_length=40)
    name = models.CharField("tên trường hợp", max_length=500)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    # None = the law sets no due date (then the legal maximum is the test, DOMAIN.md §3.5).
    processing_value = models.PositiveIntegerField("thời hạn giải quyết", null=True, blank=True)
    processing_unit = models.CharField(
        "đơn vị thời hạn", max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    online_processing_value = models.PositiveIntegerField("thời hạn khi nộp trực tuyến", null=True, blank=True)
    cutoff = models.TimeField("giờ chốt nhận trong ngày", null=True, blank=True)
    form_schema = models.JSONField("biểu mẫu (JSON Schema)", default=dict, blank=True)
    form_ui = models.JSONField("hiển thị biểu mẫu", default=dict, blank=True)

    class Meta:
        ordering = ["version", "order", "code"]
        verbose_name = "trường hợp"
        verbose_name_plural = "trường hợp"
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="case_code_unique_in_version")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def processing_time_display(self) -> str:
        """The time in the request's language ("10 ngày làm việc (7 ngày làm việc khi nộp trực tuyến)")."""
        from django.utils.translation import gettext

        if self.processing_value is None:
            return gettext("Không quy định")
        unit = self.get_processing_unit_display()
        text = f"{self.processing_value} {unit}"
        if self.online_processing_value is not None and self.online_processing_value != self.processing_value:
            online = gettext("%(value)s %(unit)s khi nộp trực tuyến") % {"value": self.online_processing_value,
                                                                        "unit": unit}  # fmt: skip
            text += f" ({online})"
        return text


class Fee(models.Model):
    class Kind(models.TextChoices):
        CHARGE = "phi", _("Phí")
        FEE = "le_phi", _("Lệ phí")

    case = models.ForeignKey(ProcedureCase, verbose_name="trường hợp", on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField("loại", max_length=6, choices=Kind.choices, default=Kind.FEE)
    name = models.CharField("tên khoản thu", max_length=255)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")  # VND has no minor unit: integers only
    unit = models.CharField("tính theo", max_length=60, blank=True, help_text="ví dụ: trang, bản, hồ sơ")
    # Set when the law lets the amount depend on the dossier; an officer then sets it.
    variable = models.BooleanField("số tiền do cán bộ xác định", default=False)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    exemptions = models.ManyToManyField(ApplicantCategory, verbose_name="miễn cho", blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_amount_non_negative")]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ".replace(",", ".")


class DocumentComponent(models.Model):
    """Thành phần hồ sơ: a document the applicant must (or may) provide."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
        PRESENT = "present", _("Xuất trình bản chính")
        ELECTRONIC = "electronic", _("Bản điện tử")

    case = models.ForeignKey(
        ProcedureCase, verbose_name="trường hợp", on_delete=models.CASCADE, related_name="components"
    )
    code = models.SlugField("mã thành phần", max_length=60)
    name = models.CharField("tên giấy tờ", max_length=1000)
    form = models.CharField("hình thức", max_length=16, choices=Form.choices, default=Form.ORIGINAL)
    quantity = models.PositiveSmallIntegerField("số lượng", default=1)
    required = models.BooleanField("bắt buộc", default=True)
    template = models.FileField("mẫu đơn, tờ khai", upload_to="catalog/templates/", blank=True)
    reusable_type = models.ForeignKey(
        DocumentType, verbose_name="có thể dùng lại từ kho dữ liệu", null=True, blank=True, on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["case", "order", "id"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="component_code_unique_in_case")]

    def __str__(self) -> str:
        return self.name
