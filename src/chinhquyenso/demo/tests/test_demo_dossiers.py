"""The demo dossiers: every state, well-formed codes, real due dates, consistent timelines, fake identities."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from itertools import pairwise
from typing import Any
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chinhquyenso.accounts.models import User
from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.forms_render import validate_submission
from chinhquyenso.core.audit import audit_verify
from chinhquyenso.core.calendar import WorkingCalendar, to_local
from chinhquyenso.core.models import AuditEntry
from chinhquyenso.demo.dossiers import AUDIT_ACTION, FAKE_ID_PREFIX, FAKE_TAX_PREFIX, load_demo_dossiers
from chinhquyenso.demo.loader import load_demo
from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.models import FINISHING_STATES, Attachment, CodeCounter, Dossier, State

COUNT = 200
HONG_BANG = "113.11.00.H26"
CODE = re.compile(r"^(?P<unit>\d{3}\.\d{2}\.\d{2}\.H26)-(?P<day>\d{6})-(?P<seq>\d{4})$")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    """Load once for the module, inside a transaction rolled back at the end (each test adds a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        # The province only: if load_demo() also loads the demo dossiers, not here (this module picks the count).
        with (
            mock.patch("chinhquyenso.demo.dossiers.load_demo_dossiers", return_value=0),
            mock.patch("chinhquyenso.demo.loader.load_demo_dossiers", return_value=0, create=True),
        ):
            load_demo()
        yield load_demo_dossiers(count=COUNT)
        transaction.set_rollback(True)


@pytest.fixture
def dossiers(demo: int, db: Any) -> list[Dossier]:
    return list(Dossier.objects.select_related("receiving_agency", "case__version").order_by("id"))


def local_day(moment: datetime) -> date:
    return to_local(moment).date()


def test_the_load_creates_the_dossiers_in_every_state(demo: int, dossiers: list[Dossier]) -> None:
    states = Counter(d.state for d in dossiers)

    assert demo == len(dossiers) == COUNT
    assert set(State.values) - set(states) <= {State.PAYING}
    assert states[State.RETURNED] > COUNT / 2  # most of six months' work is long done


def test_codes_are_unique_well_formed_and_name_the_unit_and_day_of_receipt(dossiers: list[Dossier]) -> None:
    received = [d for d in dossiers if d.received_at is not None]
    codes = [CODE.match(d.code or "") for d in received]

    assert all(codes)
    assert len({d.code for d in received}) == len(received)
    assert [(m["unit"], m["day"]) for m in codes if m] == [
        (d.receiving_agency.code, f"{local_day(d.received_at):%y%m%d}") for d in received if d.received_at
    ]
    assert all(d.code is None for d in dossiers if d.received_at is None)


def test_the_code_counters_stop_at_the_highest_number_used(dossiers: list[Dossier]) -> None:
    highest: dict[tuple[int, date], int] = defaultdict(int)
    for d in dossiers:
        if d.code and d.received_at:
            key = (d.receiving_agency_id, local_day(d.received_at))
            highest[key] = max(highest[key], int(d.code[-4:]))

    assert {(c.agency_id, c.day): c.last for c in CodeCounter.objects.all()} == dict(highest)


def test_receipts_are_inside_office_hours_and_due_dates_on_working_days(dossiers: list[Dossier]) -> None:
    calendar = WorkingCalendar.from_db()

    def in_office(d: Dossier) -> bool:
        assert d.received_at is not None
        moment = to_local(d.received_at)
        sessions = d.receiving_agency.office_hours.sessions
        return calendar.is_working_day(moment.date()) and any(s <= moment.time() <= e for s, e in sessions)

    assert all(in_office(d) for d in dossiers if d.received_at is not None)
    assert all(calendar.is_working_day(local_day(d.due_at)) for d in dossiers if d.due_at is not None)


def test_a_sane_share_is_late_and_some_open_dossiers_are_overdue(dossiers: list[Dossier]) -> None:
    finished = [d for d in dossiers if d.state in FINISHING_STATES]
    late = [d for d in finished if d.timeliness == "late"]
    now = timezone.now()
    open_with_due = [d for d in dossiers if d.state not in FINISHING_STATES and d.due_at is not None]

    assert 0.04 <= len(late) / len(finished) <= 0.2
    assert all(d.timeliness in {"early", "on_time", "late"} for d in finished)
    assert any(d.due_at is not None and d.due_at < now for d in open_with_due)


def test_timelines_follow_the_states(dossiers: list[Dossier]) -> None:
    broken = []
    for d in dossiers:
        events = list(d.events.order_by("at", "id"))
        chain_ok = all(e.from_state == prev.to_state for prev, e in pairwise(events))
        ordered = all(prev.at <= e.at for prev, e in pairwise(events))
        if not (events[0].action == "submit" and chain_ok and ordered and events[-1].to_state == d.state):
            broken.append(d.pk)
    finished = [d for d in dossiers if d.state in FINISHING_STATES]

    assert broken == []
    assert all(d.finished_at is not None and d.finished_at <= timezone.now() for d in finished)


def test_the_demo_citizen_and_business_have_their_own_dossiers_and_nobody_else_a_real_id(
    dossiers: list[Dossier],
) -> None:
    congdan = User.objects.get(username="congdan")
    doanhnghiep = User.objects.get(username="doanhnghiep")
    mine = [d for d in dossiers if d.applicant_id == congdan.pk]
    accountless = [d for d in dossiers if d.applicant_id is None]

    assert len(mine) >= 5
    assert len({d.state for d in mine}) >= 4
    assert any(d.applicant_id == doanhnghiep.pk for d in dossiers)
    assert all(d.applicant_id_number.startswith((FAKE_ID_PREFIX, FAKE_TAX_PREFIX)) for d in accountless)


def test_every_declaration_passes_the_forms_own_validation(dossiers: list[Dossier]) -> None:
    errors = {d.pk: validate_submission(case=d.case, data=d.data) for d in dossiers}

    assert {pk: e for pk, e in errors.items() if e} == {}


def test_phuong_hong_bang_has_dossiers_at_every_step_for_the_demo_officers(dossiers: list[Dossier]) -> None:
    here = [d for d in dossiers if d.current_agency_id == Agency.objects.get(code=HONG_BANG).pk]
    steps = {d.current_step for d in here if d.state not in FINISHING_STATES or d.state == State.PROCESSED}

    assert {0, 1, 2} <= steps


def test_the_next_live_reception_continues_the_sequence_without_collision(dossiers: list[Dossier]) -> None:
    congdan = User.objects.get(username="congdan")
    motcua = User.objects.get(username="motcua")
    ward = Agency.objects.get(code=HONG_BANG)
    model = next(d for d in dossiers if d.applicant_id == congdan.pk and d.receiving_agency_id == ward.pk)
    draft, _ = services.dossier_draft_create(actor=congdan, case=model.case, data=model.data, receiving_agency=ward)
    for component in model.case.components.filter(required=True):
        Attachment.objects.create(
            dossier=draft, component=component, file=ContentFile(b"%PDF-1.4\n", name="a.pdf"), original_name="a.pdf",
            content_type="application/pdf", size=9, sha256="0" * 64,
        )  # fmt: skip
    services.dossier_submit(actor=congdan, dossier_id=draft.pk)
    today = local_day(timezone.now())
    used_today = [int(d.code[-4:]) for d in dossiers if d.code and d.receiving_agency_id == ward.pk
                  and d.received_at and local_day(d.received_at) == today]  # fmt: skip

    received = services.dossier_act(actor=motcua, dossier_id=draft.pk, action="receive", expected_version=None)

    assert received.code == f"{HONG_BANG}-{today:%y%m%d}-{max(used_today, default=0) + 1:04d}"
    assert Dossier.objects.filter(code=received.code).count() == 1
    assert CodeCounter.objects.get(agency=ward, day=today).last == max(used_today, default=0) + 1


def test_loading_again_does_nothing_and_the_audit_chain_has_one_entry_for_the_load(demo: int, db: Any) -> None:
    before = Dossier.objects.count()

    assert load_demo_dossiers(count=COUNT) == 0
    assert Dossier.objects.count() == before
    assert list(AuditEntry.objects.filter(action=AUDIT_ACTION).values_list("after", flat=True)) == [
        {"count": COUNT, "seed": 766}
    ]
    assert audit_verify().ok
