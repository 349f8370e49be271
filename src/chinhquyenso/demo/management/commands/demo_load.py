from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chinhquyenso.demo.loader import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (thành phố Hải Phòng) một lần; chạy lại không thay đổi dữ liệu."

    def handle(self, *args: Any, **options: Any) -> None:
        if load_demo():
            self.stdout.write("Đã nạp dữ liệu trình diễn.")
        else:
            self.stdout.write("Dữ liệu trình diễn đã có sẵn; giữ nguyên.")
