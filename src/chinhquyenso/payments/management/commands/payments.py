"""``cqs payments expire`` and ``cqs payments reconcile --date D --statement FILE.csv``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chinhquyenso.payments import services
from chinhquyenso.payments.conf import default_gateway_code, gateway_configs
from chinhquyenso.payments.money import format_vnd
from chinhquyenso.payments.reconciliation import StatementError, parse_statement, reconcile_day


class Command(BaseCommand):
    help = "Thanh toán phí, lệ phí: đối chiếu giao dịch đang chờ (expire) và đối soát với sao kê của cổng (reconcile)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        sub.add_parser("expire", help="Hỏi cổng về giao dịch quá hạn còn chờ; giao dịch bỏ dở thành hết hạn.")
        reconcile = sub.add_parser("reconcile", help="Đối soát giao dịch một ngày với sao kê CSV của cổng.")
        reconcile.add_argument("--date", required=True, help="Ngày đối soát, YYYY-MM-DD (giờ Việt Nam).")
        reconcile.add_argument("--statement", required=True, help="Tệp sao kê CSV của cổng thanh toán.")
        reconcile.add_argument("--gateway", default="", help="Mã cổng thanh toán (mặc định: cổng đang dùng).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "expire":
            summary = services.payments_expire()
            self.stdout.write(
                f"Đã đối chiếu {summary.checked} giao dịch: {summary.credited} ghi nhận đã thanh toán, "
                f"{summary.not_paid} không thành công, {summary.expired} hết hạn, {summary.unreachable} chưa hỏi được "
                f"cổng; thử lại {summary.refunds_retried} yêu cầu hoàn phí."
            )
            return
        self._reconcile(options)

    def _reconcile(self, options: dict[str, Any]) -> None:
        try:
            day = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"--date {options['date']!r} không đúng dạng YYYY-MM-DD.") from None
        gateway = options["gateway"] or default_gateway_code()
        if gateway not in gateway_configs():
            raise CommandError(f"Cổng thanh toán «{gateway}» chưa được cấu hình.")
        path = Path(options["statement"])
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = parse_statement(handle)
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp sao kê {path}: {exc.strerror}.") from None
        except (StatementError, UnicodeDecodeError) as exc:
            raise CommandError(f"Tệp sao kê {path} không hợp lệ: {exc}") from None
        report = reconcile_day(gateway=gateway, day=day, rows=rows)
        self.stdout.write(f"Đối soát cổng «{gateway}» ngày {day:%d/%m/%Y}: {report.matched} giao dịch khớp, "
                          f"{len(report.mismatches)} chênh lệch.")  # fmt: skip
        self.stdout.write(f"Tổng đã ghi nhận: {format_vnd(report.our_total)}; tổng theo sao kê: "
                          f"{format_vnd(report.their_total)}.")  # fmt: skip
        for m in report.mismatches:
            self.stdout.write(f"- [{m.kind}] {m.txn_ref}: hệ thống: {m.ours}; sao kê: {m.theirs}. {m.hint}")
        if not report.ok:
            raise CommandError(f"Có {len(report.mismatches)} chênh lệch cần xử lý.", returncode=1)
