from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chinhquyenso.agencies.models import Agency, Membership, Role
from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.models import Channel, Dossier
from chinhquyenso.dossiers.selectors import InboxFilter, dossier_inbox, dossier_inbox_counts
from chinhquyenso.dossiers.services import Applicant
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local
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


def _at_desk(world: World, agency: Agency, name: str) -> Dossier:
    return services.dossier_intake_at_desk(
        actor=world.desk, case=world.case, agency=agency, channel=Channel.IN_PERSON,
        applicant=Applicant(name=name), data=VALID_DATA,
    )  # fmt: skip


def _walk(actor: Any, filters: InboxFilter, limit: int) -> list[list[int]]:
    pages: list[list[int]] = []
    cursor = None
    while True:
        page = dossier_inbox(actor=actor, filters=filters, cursor=cursor, limit=limit)
        pages.append([d.pk for d in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_an_officer_of_two_agencies_pages_through_both_newest_first_without_gap_or_overlap(
    world: World, at: Any
) -> None:
    Membership.objects.create(user=world.desk, agency=world.other_commune, role=Role.ONE_STOP)
    # Several dossiers share each instant, across both agencies: the cursor must break ties by id in the merge too.
    plan = [(8, world.commune, 3), (8, world.other_commune, 2), (9, world.other_commune, 3), (10, world.commune, 1),
            (10, world.other_commune, 1), (11, world.commune, 2)]  # fmt: skip
    made = []
    for hour, agency, count in plan:
        with at(local(2026, 11, 16, hour)):
            made += [_at_desk(world, agency, f"Người nộp {hour}-{n}") for n in range(count)]
    expected = [d.pk for d in sorted(made, key=lambda d: (d.submitted_at, d.pk), reverse=True)]

    for limit in (1, 2, 3, 5, 25):
        pages = _walk(world.desk, InboxFilter(), limit)
        assert [pk for page in pages for pk in page] == expected, limit
        assert all(len(page) == limit for page in pages[:-1])
    only_other = _walk(world.desk, InboxFilter(agency_id=world.other_commune.pk), 4)
    assert sorted(pk for page in only_other for pk in page) == sorted(
        d.pk for d in made if d.current_agency_id == world.other_commune.pk
    )


def test_the_inbox_due_counts_cover_both_agencies_of_an_officer(world: World, at: Any) -> None:
    Membership.objects.create(user=world.desk, agency=world.other_commune, role=Role.ONE_STOP)
    with at(local(2026, 11, 16, 8)):
        _at_desk(world, world.commune, "Lê Văn Một")
        _at_desk(world, world.other_commune, "Lê Văn Hai")
    with at(local(2026, 11, 30, 9)):  # long after both due dates
        counts = dossier_inbox_counts(actor=world.desk)
        only_one = dossier_inbox_counts(actor=world.desk, agency_id=world.commune.pk)

    assert (counts.overdue, counts.soon, counts.on_time) == (2, 0, 0)
    assert only_one.overdue == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="query plans are PostgreSQL's")
@pytest.mark.parametrize("state", [None, 2])
def test_each_inbox_page_is_one_ordered_index_range_on_postgresql(world: World, at: Any, state: int | None) -> None:
    """No sort and no filter on the order: each agency's page reads its index from the cursor on (the 1M benchmark
    found page 1 of a two-agency officer at 723 ms when `current_agency IN (...)` made PostgreSQL sort)."""
    Membership.objects.create(user=world.desk, agency=world.other_commune, role=Role.ONE_STOP)
    with at(local(2026, 11, 16, 8)):
        for n in range(3):
            _at_desk(world, world.commune, f"Người nộp {n}")
            _at_desk(world, world.other_commune, f"Người nộp {n}")
    first = dossier_inbox(actor=world.desk, filters=InboxFilter(state=state), limit=2)
    with CaptureQueriesContext(connection) as queries:
        dossier_inbox(actor=world.desk, filters=InboxFilter(state=state), cursor=first.next_cursor, limit=2)
    pages = [q["sql"] for q in queries.captured_queries if 'FROM "dossiers_dossier"' in q["sql"]]
    assert len(pages) == 2  # one per agency

    # One state can use either index: `dossier_inbox` (agency, state, ...) or, for an open state, the partial one.
    indexes = ("dossier_inbox_open",) if state is None else ("dossier_inbox", "dossier_inbox_open")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would otherwise be scanned whole
        for sql in pages:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            scan = re.search(r"Index Scan using (\w+) on dossiers_dossier.*\n\s+Index Cond: \((.*)\)", plan)
            assert scan is not None, plan
            assert scan.group(1) in indexes, plan
            assert "submitted_at <=" in scan.group(2), plan  # the cursor is where the index scan starts
            assert "Sort" not in plan, plan


def test_an_officer_with_two_roles_in_one_agency_sees_each_dossier_once(world: World, at: Any) -> None:
    Membership.objects.create(user=world.desk, agency=world.commune, role=Role.SPECIALIST)
    with at(local(2026, 11, 16, 8)):
        made = [_at_desk(world, world.commune, f"Người nộp {n}") for n in range(3)]

    page = dossier_inbox(actor=world.desk, filters=InboxFilter())
    counts = dossier_inbox_counts(actor=world.desk)

    assert sorted(d.pk for d in page.items) == sorted(d.pk for d in made)
    assert counts.on_time + counts.soon + counts.overdue == 3


def test_mine_at_an_agency_uses_the_roles_held_in_that_agency(world: World, at: Any) -> None:
    # The commune's leader is also a one-stop officer elsewhere: the commune's desk work is not "mine" for them.
    Membership.objects.create(user=world.leader, agency=world.other_commune, role=Role.ONE_STOP)
    with at(local(2026, 11, 16, 8)):
        waiting_at_the_desk = submitted(world)  # at the commune's one-stop step, unassigned

    mine = dossier_inbox(actor=world.leader, filters=InboxFilter(mine=True, agency_id=world.commune.pk))
    all_here = dossier_inbox(actor=world.leader, filters=InboxFilter(agency_id=world.commune.pk))

    assert mine.items == []
    assert [d.pk for d in all_here.items] == [waiting_at_the_desk.pk]
