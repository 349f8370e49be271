"""`cqs import-catalog FILE`: check a catalog spreadsheet and upsert its procedures (docs/catalog-import-format.md).

cqs import-catalog danh-muc.xlsx            import and publish
cqs import-catalog danh-muc.csv --draft     leave new versions as drafts for review
cqs import-catalog danh-muc.csv --dry-run   only check the file, write nothing
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chinhquyenso.catalog.importer import CatalogImportError, apply_catalog, parse_catalog


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp .csv (UTF-8) hoặc .xlsx. Kiểm tra toàn bộ tệp trước; "
        "có lỗi thì không ghi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="đường dẫn tệp .csv hoặc .xlsx")
        parser.add_argument("--draft", action="store_true", help="để các phiên bản mới ở dạng nháp, không công bố")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra tệp, không ghi vào cơ sở dữ liệu")
        parser.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = not options["quiet"] and sys.stderr.isatty()
        try:
            parsed = parse_catalog(options["file"], progress=progress)
            if options["dry_run"]:
                cases = sum(len(p.cases) for p in parsed.procedures)
                self.stdout.write(f"Tệp hợp lệ: {len(parsed.procedures)} thủ tục, {cases} trường hợp. Chưa ghi gì.")
                return
            result = apply_catalog(parsed, draft=options["draft"], progress=progress)
        except CatalogImportError as exc:
            raise CommandError(exc.report()) from None
        self.stdout.write(f"Đã nhập danh mục: {result.summary()}.")
        if options["verbosity"] >= 2:
            for label, codes in (("Tạo mới", result.created), ("Cập nhật", result.updated)):
                if codes:
                    self.stdout.write(f"  {label}: {', '.join(codes)}")
