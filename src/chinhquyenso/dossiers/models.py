"""The electronic one-stop (một cửa điện tử): dossiers, their timeline, attachments and issued forms.

States, channels and sync codes follow DOMAIN.md §3.2 (Cổng Dịch vụ công quốc gia); forms 01–07 follow
Thông tư 03/2025/TT-VPCP, Phụ lục I. A dossier pins the procedure case (hence the version), the workflow
definition and the rule set it was received under.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chinhquyenso.agencies.models import Agency, Role
from chinhquyenso.catalog.models import DocumentComponent, ProcedureCase


class State(models.IntegerChoices):
    SUBMITTED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    PAYING = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    PROCESSED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


SYNC_CODES = {
    State.SUBMITTED: "receiving",
    State.RECEIVED: "new",
    State.REFUSED: "denied",
    State.PROCESSING: "processing",
    State.SUPPLEMENT: "waiting",
    State.PAYING: "paying",
    State.WITHDRAWN: "cancelled",
    State.STOPPED: "unresolved",
    State.PROCESSED: "releasing",
    State.RETURNED: "done",
}
# End of processing for the 766 index (QĐ 766/QĐ-TTg, indicator 2.1; DOMAIN.md §3.6).
FINISHING_STATES = frozenset({State.REFUSED, State.WITHDRAWN, State.STOPPED, State.PROCESSED, State.RETURNED})
# The officer inbox's default view: everything but the closed dossiers (a processed one still waits to be handed
# back). Written once, so the partial index below and the inbox query carry the very same predicate and PostgreSQL
# can prove the index applies.
OPEN_IN_INBOX = ~models.Q(state__in=sorted(s.value for s in FINISHING_STATES if s != State.PROCESSED))


class Channel(models.IntegerChoices):
    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


class SupplementMode(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng và cộng thêm thời gian chờ")
    RESTART = "restart", _("Tính lại toàn bộ thời hạn khi nhận đủ hồ sơ")


class RuleSet(models.Model):
    """A set of legal rules in force from a date (DOMAIN.md, table of rule sets). Seeded by migration."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên", max_length=255)
    legal_texts = models.TextField("văn bản", blank=True)
    effective_from = models.DateField("hiệu lực từ")
    effective_to = models.DateField("hết hiệu lực", null=True, blank=True)
    supplement_mode = models.CharField(
        "cách tính khi yêu cầu bổ sung", max_length=8, choices=SupplementMode.choices, default=SupplementMode.RESTART
    )
    # {unit} {yymmdd} {seq} placeholders; Thông tư 01/2018/TT-VPCP Điều 19 shape by default.
    code_format = models.CharField("mẫu mã hồ sơ", max_length=60, default="{unit}-{yymmdd}-{seq:04d}")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "bộ quy tắc"
        verbose_name_plural = "bộ quy tắc"

    def __str__(self) -> str:
        return self.name


class WorkflowDefinition(models.Model):
    """The steps a dossier of one procedure case goes through (data, not code), versioned like the catalog.

    ``steps`` = [{"key": str, "name": str, "agency": "receiving" | "competent" | <unit code>, "role": Role,
    "share": float (its share of the processing time, all shares sum to 1), "actions": [action, ...]}].
    """

    case = models.ForeignKey(
        ProcedureCase, verbose_name="trường hợp", on_delete=models.PROTECT, related_name="workflows"
    )
    version = models.PositiveIntegerField("phiên bản", default=1)
    steps = models.JSONField("các bước")
    active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = "quy trình xử lý"
        verbose_name_plural = "quy trình xử lý"
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="workflow_version_unique")]

    def __str__(self) -> str:
        return f"{self.case} — quy trình v{self.version}"


class Dossier(models.Model):
    code = models.CharField("mã hồ sơ", max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(
        ProcedureCase, verbose_name="trường hợp", on_delete=models.PROTECT, related_name="dossiers"
    )
    workflow = models.ForeignKey(WorkflowDefinition, verbose_name="quy trình", on_delete=models.PROTECT)
    rule_set = models.ForeignKey(RuleSet, verbose_name="bộ quy tắc", on_delete=models.PROTECT)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nộp", null=True, blank=True,
        on_delete=models.PROTECT, related_name="dossiers",
    )  # fmt: skip
    # The applicant as declared on this dossier (for counter/post dossiers the person may have no account).
    applicant_name = models.CharField("họ tên người nộp", max_length=255)
    applicant_id_number = models.CharField("số giấy tờ tùy thân", max_length=20, blank=True)
    applicant_phone = models.CharField("điện thoại", max_length=15, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    # normalize_search(applicant_name): the inbox search ignores case and diacritics (DOMAIN.md §9).
    applicant_search = models.CharField(max_length=255, blank=True, default="", editable=False)
    channel = models.PositiveSmallIntegerField("kênh", choices=Channel.choices)
    state = models.PositiveSmallIntegerField("trạng thái", choices=State.choices, default=State.SUBMITTED)
    is_draft = models.BooleanField("bản nháp", default=True)
    receiving_agency = models.ForeignKey(
        Agency, verbose_name="nơi tiếp nhận", on_delete=models.PROTECT, related_name="received_dossiers"
    )
    current_agency = models.ForeignKey(
        Agency, verbose_name="đơn vị đang xử lý", on_delete=models.PROTECT, related_name="current_dossiers"
    )
    current_step = models.PositiveSmallIntegerField("bước hiện tại", default=0)
    current_role = models.CharField("vai trò xử lý", max_length=20, choices=Role.choices, default=Role.ONE_STOP)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cán bộ được giao", null=True, blank=True,
        on_delete=models.PROTECT, related_name="assigned_dossiers",
    )  # fmt: skip
    # Agencies on the route (receiving, competent, transfers): their officers may see the dossier.
    route_agencies = models.ManyToManyField(Agency, verbose_name="các đơn vị liên quan", related_name="routed_dossiers")
    data = models.JSONField("nội dung tờ khai", default=dict)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    received_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    clock_started_at = models.DateTimeField("bắt đầu tính thời hạn", null=True, blank=True)
    due_at = models.DateTimeField("hẹn trả kết quả", null=True, blank=True, db_index=True)
    step_due_at = models.DateTimeField("hạn của bước", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    waiting_seconds = models.PositiveIntegerField("thời gian chờ bổ sung (giây)", default=0)
    extended_count = models.PositiveSmallIntegerField("số lần gia hạn", default=0)
    timeliness = models.CharField("kết quả đúng hạn", max_length=8, blank=True)  # early | on_time | late
    return_channel = models.PositiveSmallIntegerField("hình thức trả kết quả", choices=Channel.choices, null=True)
    result_file = models.FileField("tệp kết quả", upload_to="dossiers/results/%Y/%m/", blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001 (NULL = no key given)
    lock_version = models.PositiveIntegerField("phiên bản bản ghi", default=0)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["applicant", "idempotency_key"], name="dossier_idempotency_unique"),
        ]
        indexes = [
            # The officer inbox: agency + state, newest first, keyset-paginated by (submitted_at, id).
            models.Index(fields=["current_agency", "state", "-submitted_at", "-id"], name="dossier_inbox"),
            models.Index(
                fields=["current_agency", "-submitted_at", "-id"], name="dossier_inbox_open", condition=OPEN_IN_INBOX
            ),
            models.Index(fields=["applicant", "-created_at"], name="dossier_applicant"),
            models.Index(fields=["state", "due_at"], name="dossier_due"),
        ]

    def __str__(self) -> str:
        return self.code or f"Hồ sơ #{self.pk} (chưa có mã)"

    @property
    def sync_code(self) -> str:
        return SYNC_CODES[State(self.state)]

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHING_STATES


class DossierEvent(models.Model):
    """One line of the dossier's timeline (also mirrored in the audit chain)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField("người thực hiện", max_length=255, blank=True)
    action = models.CharField("thao tác", max_length=40)
    from_state = models.PositiveSmallIntegerField(choices=State.choices, null=True)
    to_state = models.PositiveSmallIntegerField(choices=State.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)  # shown to the applicant; never personal data of others
    internal_note = models.TextField("ghi chú nội bộ", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = "diễn biến hồ sơ"
        verbose_name_plural = "diễn biến hồ sơ"

    def __str__(self) -> str:
        return f"{self.dossier} {self.action} → {self.to_state}"


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    component = models.ForeignKey(DocumentComponent, null=True, blank=True, on_delete=models.PROTECT)
    file = models.FileField(upload_to="dossiers/attachments/%Y/%m/")
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    reused_from_store = models.BooleanField("lấy từ kho dữ liệu", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "component", "id"]
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.original_name


class IssuedForm(models.Model):
    """A generated form 01–07 (PDF) for a dossier."""

    class Number(models.TextChoices):
        F01 = "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        F02 = "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        F03 = "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
        F04 = "04", _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
        F05 = "05", _("Thông báo dừng giải quyết hồ sơ")
        F06 = "06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="forms")
    number = models.CharField("mẫu", max_length=2, choices=Number.choices)
    file = models.FileField(upload_to="dossiers/forms/%Y/%m/", blank=True)
    content = models.JSONField("nội dung", default=dict)  # what the form states (reasons, missing items, new date)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "created_at"]
        verbose_name = "phiếu, biểu mẫu"
        verbose_name_plural = "phiếu, biểu mẫu"

    def __str__(self) -> str:
        return f"Mẫu {self.number} — {self.dossier}"


class CodeCounter(models.Model):
    """Per receiving unit and local day: the last sequence number handed out (DOMAIN.md §3.1)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="code_counter_unique")]
        verbose_name = "bộ đếm mã hồ sơ"

    def __str__(self) -> str:
        return f"{self.agency.code} {self.day:%y%m%d} {self.last}"


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", pgettext_lazy("kênh thông báo", "Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(DossierEvent, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    recipient = models.CharField(max_length=255)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_status_display()}"
