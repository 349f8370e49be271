from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from chinhquyenso.dossiers.selectors import InboxFilter, dossier_inbox
from chinhquyenso.dossiers.tests.conftest import World, local
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted

pytestmark = pytest.mark.django_db


def test_search_by_applicant_name_ignores_case_and_diacritics(world: World) -> None:
    dossier = submitted(world)  # the applicant's display name has diacritics ("Nguyễn Văn Thử …")

    found = dossier_inbox(actor=world.desk, filters=InboxFilter(search="nguyen van thu"))
    missing = dossier_inbox(actor=world.desk, filters=InboxFilter(search="tran thi"))

    assert [d.pk for d in found.items] == [dossier.pk]
    assert missing.items == []


def test_a_processed_dossier_waiting_to_be_returned_is_not_overdue(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        dossier = act(world.desk, submitted(world), "receive")
        act(world.specialist, dossier, "forward")
        act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4", name="kq.pdf"))
    with at(local(2026, 11, 25, 9)):  # long after the due date
        overdue = dossier_inbox(actor=world.desk, filters=InboxFilter(due="overdue"))
        waiting = dossier_inbox(actor=world.desk, filters=InboxFilter())

    assert overdue.items == []
    assert [d.pk for d in waiting.items] == [dossier.pk]
