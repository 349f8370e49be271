from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.core.audit import audit_record, audit_verify
from chinhquyenso.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _record_three() -> None:
    actor = UserFactory()
    for n in range(3):
        audit_record(
            actor=actor,
            action="test.change",
            object_type="test.thing",
            object_id=n,
            before={"state": n},
            after={"state": n + 1, "note": "Đã tiếp nhận"},
        )


def test_an_untouched_chain_verifies() -> None:
    _record_three()

    result = audit_verify()

    assert result.ok
    assert result.checked == 3


def test_editing_a_row_in_the_database_is_reported_at_that_row() -> None:
    _record_three()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'tampered' WHERE seq = 2")

    result = audit_verify()

    assert result.broken is not None
    assert result.broken.seq == 2
    assert "sửa" in result.broken.reason


def test_editing_the_before_and_after_data_is_reported() -> None:
    _record_three()
    AuditEntry.objects.filter(seq=1).update(after={"state": 99})

    assert audit_verify().broken.seq == 1  # type: ignore[union-attr]


def test_deleting_a_row_is_reported_as_the_missing_sequence_number() -> None:
    _record_three()
    AuditEntry.objects.filter(seq=2).delete()

    result = audit_verify()

    assert result.broken is not None
    assert result.broken.seq == 2
    assert "xóa" in result.broken.reason


def test_deleting_the_last_row_is_reported_as_a_truncated_chain() -> None:
    _record_three()
    AuditEntry.objects.filter(seq=3).delete()

    result = audit_verify()

    assert result.broken is not None
    assert result.broken.seq == 3


def test_the_command_fails_with_the_broken_link_and_succeeds_on_a_sound_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _record_three()
    call_command("audit", "verify")
    assert "3 bản ghi" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=2).update(object_id="x")

    with pytest.raises(CommandError, match="bản ghi số 2"):
        call_command("audit", "verify")


def test_a_rolled_back_action_leaves_no_audit_entry() -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError

    assert not AuditEntry.objects.filter(action="test.rolled_back").exists()
    assert audit_verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                audit_record(actor=None, action="test.concurrent", object_id=f"{n}-{i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    result = audit_verify()
    assert result.ok
    assert result.checked == 40
