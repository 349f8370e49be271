"""Two officers clicking at once, on real concurrent PostgreSQL connections."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.errors import DossierError, StaleDossier
from chinhquyenso.dossiers.models import Dossier, State
from chinhquyenso.dossiers.services import ActionParams
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World
from chinhquyenso.dossiers.tests.test_lifecycle import attach_required, submitted

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at the same instant, each on its own connection; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_officers_receive_and_refuse_at_once_exactly_one_wins(world: World) -> None:
    dossier = submitted(world)
    version = dossier.lock_version

    results = run_together([
        lambda: services.dossier_act(actor=world.desk, dossier_id=dossier.pk, action="receive",
                                     expected_version=version),
        lambda: services.dossier_act(actor=world.desk, dossier_id=dossier.pk, action="refuse",
                                     expected_version=version, params=ActionParams(reason="Sai thẩm quyền")),
    ])  # fmt: skip

    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, StaleDossier)]
    assert (len(winners), len(losers)) == (1, 1)
    assert "vừa được người khác cập nhật" in losers[0].message
    dossier.refresh_from_db()
    assert dossier.state in (State.RECEIVED, State.REFUSED)
    assert dossier.events.exclude(action="submit").count() == 1


def test_concurrent_receptions_never_share_a_code(world: World) -> None:
    dossiers = [submitted(world) for _ in range(8)]

    results = run_together([
        (lambda d=d: services.dossier_act(actor=world.desk, dossier_id=d.pk, action="receive",
                                          expected_version=d.lock_version))
        for d in dossiers
    ])  # fmt: skip

    assert not [r for r in results if isinstance(r, DossierError | Exception) and not isinstance(r, Dossier)]
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert len(set(codes)) == 8
    assert [c[-4:] for c in codes] == [f"{n:04d}" for n in range(1, 9)]


def test_citizens_filing_the_same_procedure_at_once_all_succeed(world: World) -> None:
    """Submitting locks the dossier row only. Locking the joined case, workflow and agency rows as well deadlocked
    with concurrent draft creations: they hold the audit head and, at COMMIT, their foreign-key checks wait for
    those rows (seen as 5xx in the 1M benchmark, docs/performance.md)."""
    drafts = []
    for _ in range(8):
        draft, _created = services.dossier_draft_create(actor=world.citizen, case=world.case, data=VALID_DATA)
        attach_required(draft)
        drafts.append(draft)

    submits = [(lambda d=d: services.dossier_submit(actor=world.citizen, dossier_id=d.pk)) for d in drafts]
    creates = [
        (lambda: services.dossier_draft_create(actor=world.citizen, case=world.case, data=VALID_DATA)[0])
        for _ in drafts
    ]
    results = run_together([call for pair in zip(submits, creates, strict=True) for call in pair])

    assert [repr(r) for r in results if not isinstance(r, Dossier)] == []
    assert Dossier.objects.filter(state=State.SUBMITTED, is_draft=False).count() == 8
    assert Dossier.objects.filter(is_draft=True).count() == 8
