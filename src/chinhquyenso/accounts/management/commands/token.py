from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Quản lý mã truy cập API: cqs token create USERNAME [--name TÊN]"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo mã truy cập; mã được in một mình ở dòng cuối.")
        create.add_argument("username")
        create.add_argument("--name", default="Tạo từ dòng lệnh")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Không tìm thấy tài khoản đang hoạt động '{options['username']}'.") from None
        token, raw = api_token_create(actor=user, name=options["name"])
        self.stdout.write(f"Đã tạo mã truy cập '{token.name}' cho {user.username}. Mã chỉ hiển thị một lần:")
        self.stdout.write(raw)
