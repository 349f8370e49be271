"""Template helpers of the one-stop back office: state tags, due badges and Vietnamese dates (DOMAIN.md §3.2, §3.6, §9).

Labels are wrapped for translation here (Vietnamese msgids) because the model choices are plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers.models import SYNC_CODES, Channel, Dossier, State

register = template.Library()

SOON = timedelta(hours=24)  # "Sắp đến hạn" = due within 24 hours (DOMAIN.md §3.6)

STATE_LABELS: dict[int, Any] = {
    State.SUBMITTED: _("Mới đăng ký"),
    State.RECEIVED: _("Được tiếp nhận"),
    State.REFUSED: _("Không được tiếp nhận"),
    State.PROCESSING: _("Đang xử lý"),
    State.SUPPLEMENT: _("Yêu cầu bổ sung giấy tờ"),
    State.PAYING: _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    State.WITHDRAWN: _("Công dân yêu cầu rút hồ sơ"),
    State.STOPPED: _("Dừng xử lý"),
    State.PROCESSED: _("Đã xử lý xong"),
    State.RETURNED: _("Đã trả kết quả"),
}

ACTION_LABELS: dict[str, Any] = {
    "result_initialled": _("Ký nháy dự thảo kết quả"),
    "result_issued": _("Phát hành kết quả điện tử"),
    "result_revoked": _("Thu hồi kết quả điện tử"),
    "payment_settled": _("Đã thực hiện nghĩa vụ tài chính"),
    "fee_order_issued": _("Thông báo nộp phí, lệ phí"),
    "fee_order_cancelled": _("Hủy thông báo nộp phí"),
    "fee_exempt": _("Được miễn phí, lệ phí"),
    "fee_paid": _("Đã nộp phí, lệ phí"),
    "fee_refunded": _("Hoàn trả phí, lệ phí"),
    "submit": _("Nộp hồ sơ"),
    "receive": _("Tiếp nhận"),
    "request_completion": _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refuse": _("Từ chối tiếp nhận"),
    "claim": _("Nhận xử lý"),
    "forward": _("Chuyển bước tiếp theo"),
    "return": _("Trả lại bước trước"),
    "transfer": _("Chuyển liên thông"),
    "request_supplement": _("Yêu cầu bổ sung giấy tờ"),
    "request_payment": pgettext_lazy("thao tác", "Yêu cầu thực hiện nghĩa vụ tài chính"),  # the state has the same text
    "extend": _("Xin lỗi, gia hạn"),
    "stop": _("Dừng xử lý"),
    "approve": _("Hoàn thành xử lý"),
    "return_result": _("Trả kết quả"),
    "supplement": _("Nộp bổ sung"),
    "withdraw": _("Rút hồ sơ"),
}

CHANNEL_LABELS: dict[int, Any] = {
    Channel.IN_PERSON: _("Trực tiếp"),
    Channel.ONLINE: _("Trực tuyến"),
    Channel.POST: _("Bưu chính công ích"),
}

TIMELINESS_LABELS: dict[str, Any] = {
    "early": _("Xong trước hạn"),
    "on_time": _("Xong đúng hạn"),
    "late": _("Xong quá hạn"),
}


@dataclass(frozen=True)
class DueStatus:
    """Where a dossier stands against its due date: ``key`` is a CSS modifier, ``label`` what the officer reads."""

    key: str
    label: Any


def due_status(dossier: Dossier, now: datetime | None = None) -> DueStatus:
    """Quá hạn / Sắp đến hạn (< 24 giờ) / Trong hạn; a finished dossier shows how it finished instead."""
    if dossier.finished_at is not None and dossier.timeliness in TIMELINESS_LABELS:
        return DueStatus(f"done-{dossier.timeliness}", TIMELINESS_LABELS[dossier.timeliness])
    if dossier.state == State.SUPPLEMENT:
        return DueStatus("waiting", _("Chờ bổ sung"))
    if dossier.due_at is None:
        return DueStatus("none", _("Chưa có hẹn trả"))
    now = now or timezone.now()
    if dossier.due_at < now:
        return DueStatus("overdue", _("Quá hạn"))
    if dossier.due_at < now + SOON:
        return DueStatus("soon", _("Sắp đến hạn"))
    return DueStatus("on-time", _("Trong hạn"))


@register.filter
def vn_datetime(value: datetime | None) -> str:
    """``{{ dossier.due_at|vn_datetime }}`` → 18/11/2026 08:00 in Asia/Ho_Chi_Minh; nothing for None."""
    if not isinstance(value, datetime):
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


@register.filter
def vn_date(value: date | datetime | None) -> str:
    """``{{ day|vn_date }}`` → 18/11/2026 (a datetime is first turned into local time)."""
    if isinstance(value, datetime):
        return to_local(value).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return ""


@register.filter
def iso_datetime(value: datetime | None) -> str:
    """For ``<time datetime="...">``: the local instant in ISO 8601, minutes precision."""
    if not isinstance(value, datetime):
        return ""
    return to_local(value).isoformat(timespec="minutes")


@register.filter
def state_label(state: int | None) -> Any:
    if state is None:
        return ""
    return STATE_LABELS.get(state, str(state))


@register.filter
def action_label(action: str) -> Any:
    return ACTION_LABELS.get(action, action)


@register.filter
def channel_label(channel: int | None) -> Any:
    if channel is None:
        return ""
    return CHANNEL_LABELS.get(channel, str(channel))


@register.simple_tag
def state_tag(state: int) -> SafeString:
    """``{% state_tag dossier.state %}``: the state as a tag whose colour follows its DVCQG sync code."""
    sync = SYNC_CODES.get(State(state), "unknown") if state in State.values else "unknown"
    return format_html('<strong class="cqs-tag cqs-state cqs-state--{}">{}</strong>', sync, state_label(state))


@register.simple_tag
def due_badge(dossier: Dossier) -> SafeString:
    """``{% due_badge dossier %}``: Quá hạn / Sắp đến hạn / Trong hạn, written out (never colour alone)."""
    status = due_status(dossier)
    return format_html('<strong class="cqs-due cqs-due--{}">{}</strong>', status.key, status.label)
