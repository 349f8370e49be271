"""``cqs payments reconcile --date D --statement FILE.csv`` against the simulator's statement, and ``expire``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.payments.models import Payment
from chinhquyenso.payments.tests.conftest import received, signed_in
from chinhquyenso.payments.tests.factories import choose, issue, start_payment

pytestmark = pytest.mark.django_db


def pay(world: World, outcome: str, delivery: str, capture: Any) -> Payment:
    dossier = received(world)
    issue(world, dossier)
    citizen = signed_in(world.citizen)
    payment, url = start_payment(citizen, dossier)
    with capture(execute=True):
        choose(citizen, url, outcome, delivery=delivery)
    payment.refresh_from_db()
    return payment


def statement(tmp_path: Path) -> Path:
    day = timezone.localdate().isoformat()
    response = Client().get(f"/sandbox-pay/sao-ke.csv?ngay={day}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    path = tmp_path / "sao-ke.csv"
    path.write_bytes(response.content)
    return path


def reconcile(path: Path) -> str:
    out = StringIO()
    call_command("payments", "reconcile", "--date", timezone.localdate().isoformat(), "--statement", str(path),
                 stdout=out)  # fmt: skip
    return out.getvalue()


def test_a_day_that_matches_reports_no_mismatch(
    world: World, fees: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    pay(world, "success", "now", django_capture_on_commit_callbacks)
    pay(world, "failure", "now", django_capture_on_commit_callbacks)

    output = reconcile(statement(tmp_path))

    assert "1 giao dịch khớp, 0 chênh lệch" in output
    assert "Tổng đã ghi nhận: 10.000\u00a0đ; tổng theo sao kê: 10.000\u00a0đ" in output


def test_a_lost_notification_and_a_wrong_amount_are_reported(
    world: World, fees: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    pay(world, "success", "none", django_capture_on_commit_callbacks)  # its notification is lost
    paid = pay(world, "success", "now", django_capture_on_commit_callbacks)
    path = statement(tmp_path)
    path.write_text(path.read_text().replace(f"{paid.txn_ref},{paid.gateway_txn_no},10000",
                                             f"{paid.txn_ref},{paid.gateway_txn_no},9000"))  # fmt: skip

    with pytest.raises(CommandError) as failed:
        reconcile(path)

    assert "Có 2 chênh lệch cần xử lý." in str(failed.value)
    assert failed.value.returncode == 1


def test_the_report_names_each_mismatch_and_what_to_do(
    world: World, fees: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    lost = pay(world, "success", "none", django_capture_on_commit_callbacks)
    path = statement(tmp_path)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("payments", "reconcile", "--date", timezone.localdate().isoformat(), "--statement", str(path),
                     stdout=out)  # fmt: skip

    assert f"[missing_here] {lost.txn_ref}" in out.getvalue()
    assert "chạy «cqs payments expire»" in out.getvalue()


def test_expire_then_credits_the_lost_payment_and_the_day_matches(
    world: World, fees: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    lost = pay(world, "success", "none", django_capture_on_commit_callbacks)
    Payment.objects.filter(pk=lost.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=10))
    out = StringIO()

    call_command("payments", "expire", stdout=out)

    assert "1 ghi nhận đã thanh toán" in out.getvalue()
    assert "1 giao dịch khớp, 0 chênh lệch" in reconcile(statement(tmp_path))


def test_a_statement_that_is_not_one_is_refused_with_its_line(tmp_path: Path, world: World) -> None:
    path = tmp_path / "sai.csv"
    path.write_text("txn_ref,transaction_no,amount,status,pay_date,bank_code,refunded_amount\n"
                    "ABC,1,10.000,success,2026-11-16 09:00:00,NCB,0\n")  # fmt: skip

    with pytest.raises(CommandError, match=r"dòng 2, cột amount: «10\.000» không phải số tiền"):
        reconcile(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path, world: World) -> None:
    with pytest.raises(CommandError, match="Không đọc được tệp sao kê"):
        reconcile(tmp_path / "khong-co.csv")
