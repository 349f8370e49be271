from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chinhquyenso.core.audit import audit_verify


class Command(BaseCommand):
    help = "Nhật ký kiểm toán: cqs audit verify kiểm tra toàn bộ chuỗi băm."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Kiểm tra chuỗi; thoát với mã khác 0 ở liên kết hỏng đầu tiên.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.broken is not None:
            raise CommandError(
                f"Chuỗi nhật ký bị hỏng tại bản ghi số {result.broken.seq}: {result.broken.reason}. "
                f"{result.checked} bản ghi trước đó hợp lệ."
            )
        self.stdout.write(f"Chuỗi nhật ký toàn vẹn: {result.checked} bản ghi đã được kiểm tra.")
