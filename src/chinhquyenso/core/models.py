"""Shared kernel models: the audit chain and the calendar's override table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One link of the append-only audit chain.

    ``entry_hash`` = SHA-256 over the canonical JSON of this entry's content and ``prev_hash``, so editing or
    deleting any row breaks the chain at that point (see ``core.audit``).
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = "bản ghi nhật ký"
        verbose_name_plural = "nhật ký kiểm toán"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The chain's tip: one row, locked while appending so links are written strictly in order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "đầu chuỗi nhật ký"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class CalendarOverride(models.Model):
    """An administrator's correction to the legal calendar: an extra day off or a worked (make-up) day."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Ngày nghỉ bổ sung")
        WORKING_DAY = "work", _("Ngày làm việc bù")

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=4, choices=Kind.choices)
    reason = models.CharField("lý do", max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
