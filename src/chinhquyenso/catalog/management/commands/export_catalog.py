"""`cqs export-catalog FILE`: write the published catalog in the import layout (.csv or .xlsx; `-` = CSV to stdout).

cqs export-catalog danh-muc.xlsx
cqs export-catalog - --ma 1.001193 --ma 1.000894
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chinhquyenso.catalog.exporter import CatalogExportError, export_catalog


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục đang áp dụng ra tệp .csv hoặc .xlsx cùng định dạng với lệnh import-catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="đường dẫn tệp .csv hoặc .xlsx; «-» để in CSV ra màn hình")
        parser.add_argument(
            "--ma", action="append", dest="codes", metavar="MA_THU_TUC", help="chỉ xuất thủ tục này (lặp lại được)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["file"]
        try:
            if target == "-":
                export_catalog(self.stdout, codes=options["codes"])
                return
            count = export_catalog(target, codes=options["codes"])
        except (CatalogExportError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã xuất {count} thủ tục ra «{target}».")
