from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chinhquyenso.dossiers.tasks import retry_notifications


class Command(BaseCommand):
    help = "Gửi lại các thông báo chưa gửi được (chạy định kỳ, ví dụ mỗi 5 phút bằng cron hoặc systemd timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = retry_notifications.enqueue()
        self.stdout.write(f"Đã xếp hàng gửi lại thông báo (tác vụ {result.id}).")
