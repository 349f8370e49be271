"""The bulk seeding path must write exactly what the services write for the same story, and keep codes unique."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.bulk import Actor, Applicant, BulkContext, BulkPlanError, DossierBuilder, bulk_write
from chinhquyenso.dossiers.models import (
    Attachment,
    Channel,
    CodeCounter,
    Dossier,
    RuleSet,
    State,
    SupplementMode,
)
from chinhquyenso.dossiers.services import ActionParams
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local

pytestmark = pytest.mark.django_db

FIELDS = [
    "state", "channel", "is_draft", "rule_set_id", "workflow_id", "case_id", "applicant_id", "applicant_name", "applicant_search",
    "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "receiving_agency_id",
    "current_agency_id", "current_step", "current_role", "assignee_id", "data", "submitted_at", "received_at",
    "clock_started_at", "due_at", "step_due_at", "finished_at", "returned_at", "supplement_count",
    "supplement_requested_at", "waiting_seconds", "extended_count", "timeliness", "return_channel", "lock_version",
    "created_at", "updated_at",
]  # fmt: skip


def submitted(world: World) -> Dossier:
    dossier, _ = services.dossier_draft_create(actor=world.citizen, case=world.case, data=VALID_DATA)
    Attachment.objects.create(
        dossier=dossier, component=world.case.components.get(code="giay-chung-sinh"), original_name="gcs.pdf",
        file=ContentFile(b"%PDF-1.4\n", name="gcs.pdf"), content_type="application/pdf", size=9, sha256="0" * 64,
    )  # fmt: skip
    return services.dossier_submit(actor=world.citizen, dossier_id=dossier.pk)


def act(user: Any, dossier: Dossier, action: str, **params: Any) -> None:
    services.dossier_act(actor=user, dossier_id=dossier.pk, action=action, expected_version=None,
                         params=ActionParams(**params))  # fmt: skip


def applicant_of(dossier: Dossier) -> Applicant:
    return Applicant(name=dossier.applicant_name, id_number=dossier.applicant_id_number,
                     phone=dossier.applicant_phone, email=dossier.applicant_email,
                     address=dossier.applicant_address)  # fmt: skip


def snapshot(dossier: Dossier) -> dict[str, Any]:
    """Everything a screen could show, with the code's sequence number masked (the two paths get different ones)."""
    dossier.refresh_from_db()
    code = dossier.code or "-"

    def mask(text: str) -> str:
        return text.replace(code, "<mã>")

    return {
        "fields": {name: getattr(dossier, name) for name in FIELDS},
        "code": code.rsplit("-", 1)[0],
        "events": [
            (
                e.at,
                e.actor_id,
                e.actor_label,
                e.action,
                e.from_state,
                e.to_state,
                e.agency_id,
                e.step,
                mask(e.note),
                e.internal_note,
                e.data,
            )
            for e in dossier.events.order_by("at", "id")
        ],
        "forms": [(f.number, f.content, f.created_at) for f in dossier.forms.order_by("created_at", "id")],
        "route": sorted(dossier.route_agencies.values_list("id", flat=True)),
    }


def both_ways(
    at: Any, steps: list[tuple[Any, Callable[[Dossier], None], Callable[[DossierBuilder], object]]], start: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run a story through the services (time frozen at each step) and through the bulk builder."""
    moment, make_live, make_bulk = start
    with at(moment):
        live = make_live()
    ctx = BulkContext.load()
    builder = make_bulk(ctx, live)
    for moment, live_step, bulk_step in steps:
        with at(moment):
            live_step(live)
        bulk_step(builder)
    bulk_write([builder])
    return snapshot(live), snapshot(builder.dossier)


@pytest.mark.parametrize("mode", [SupplementMode.RESTART, SupplementMode.PAUSE])
def test_an_online_story_with_a_supplement_is_written_exactly_as_the_services_write_it(
    world: World, at: Any, mode: str
) -> None:
    RuleSet.objects.update(supplement_mode=mode)
    citizen, desk, specialist, leader = (Actor.of(u) for u in (world.citizen, world.desk, world.specialist,
                                                               world.leader))  # fmt: skip
    t = [local(2026, 11, 23, 15, 30), local(2026, 11, 23, 16, 0), local(2026, 11, 25, 8, 5),  # Tue 24/11: holiday
         local(2026, 11, 25, 9, 0), local(2026, 11, 25, 20, 40), local(2026, 11, 26, 10, 0),
         local(2026, 11, 27, 9, 30), local(2026, 11, 27, 14, 0)]  # fmt: skip
    start = (
        t[0],
        lambda: submitted(world),
        lambda ctx, live: ctx.submitted_online(
            case=world.case, receiving_agency=world.commune, applicant=applicant_of(live), submitted_at=t[0],
            by=citizen, data=VALID_DATA, applicant_user_id=world.citizen.pk,
        ),
    )  # fmt: skip
    steps = [
        (t[1], lambda d: act(world.desk, d, "receive"), lambda b: b.receive(t[1], by=desk)),
        (t[2], lambda d: act(world.specialist, d, "claim"), lambda b: b.claim(t[2], by=specialist)),
        (t[3], lambda d: act(world.specialist, d, "request_supplement", missing=["Giấy chứng sinh rõ nét"]),
         lambda b: b.request_supplement(t[3], by=specialist, missing=["Giấy chứng sinh rõ nét"])),
        (t[4], lambda d: services.dossier_supplement(actor=world.citizen, dossier_id=d.pk, expected_version=None),
         lambda b: b.supplement(t[4], by=citizen)),
        (t[5], lambda d: act(world.specialist, d, "forward"), lambda b: b.forward(t[5], by=specialist)),
        (t[6], lambda d: act(world.leader, d, "approve", result_file=ContentFile(b"%PDF-1.4 kq", name="kq.pdf")),
         lambda b: b.approve(t[6], by=leader)),
        (t[7], lambda d: act(world.desk, d, "return_result"), lambda b: b.return_result(t[7], by=desk)),
    ]  # fmt: skip

    live, bulk = both_ways(at, steps, start)
    # Stopped right after the supplement: the resumed step's own deadline must agree as well.
    live_resumed, bulk_resumed = both_ways(at, steps[:4], start)

    assert bulk == live
    assert live["fields"]["state"] == State.RETURNED
    assert bulk_resumed == live_resumed
    assert live_resumed["fields"]["step_due_at"] is not None


def test_a_desk_story_with_a_step_back_an_extension_and_a_stop_is_written_exactly_as_the_services_write_it(
    world: World, at: Any
) -> None:
    desk, specialist, leader = (Actor.of(u) for u in (world.desk, world.specialist, world.leader))
    t = [local(2026, 11, 20, 16, 45), local(2026, 11, 23, 8, 0), local(2026, 11, 23, 9, 0),
         local(2026, 11, 23, 10, 0), local(2026, 11, 23, 11, 0), local(2026, 11, 25, 9, 0)]  # fmt: skip
    person = services.Applicant(name="Phạm Thị Mai", id_number="031999900001", phone="0100000001")
    start = (
        t[0],
        lambda: services.dossier_intake_at_desk(actor=world.desk, case=world.case, agency=world.commune,
                                                channel=Channel.POST, applicant=person, data=VALID_DATA),
        lambda ctx, live: ctx.received_at_desk(case=world.case, receiving_agency=world.commune, channel=Channel.POST,
                                               applicant=person, received_at=t[0], by=desk, data=VALID_DATA),
    )  # fmt: skip
    steps = [
        (t[1], lambda d: act(world.specialist, d, "forward"), lambda b: b.forward(t[1], by=specialist)),
        (t[2], lambda d: act(world.leader, d, "return", reason="Kiểm tra lại"),
         lambda b: b.send_back(t[2], by=leader, reason="Kiểm tra lại")),
        (t[3], lambda d: act(world.specialist, d, "forward"), lambda b: b.forward(t[3], by=specialist)),
        (t[4], lambda d: act(world.leader, d, "extend", reason="Cần xác minh", new_due_date=date(2026, 11, 30)),
         lambda b: b.extend(t[4], by=leader, reason="Cần xác minh", new_due_date=date(2026, 11, 30))),
        (t[5], lambda d: act(world.leader, d, "stop", reason="Không đủ điều kiện"),
         lambda b: b.stop(t[5], by=leader, reason="Không đủ điều kiện")),
    ]  # fmt: skip

    live, bulk = both_ways(at, steps, start)

    assert bulk == live
    assert (live["fields"]["state"], live["fields"]["extended_count"]) == (State.STOPPED, 1)


def test_completion_before_receipt_then_withdrawal_is_written_exactly_as_the_services_write_it(
    world: World, at: Any
) -> None:
    citizen, desk = Actor.of(world.citizen), Actor.of(world.desk)
    t = [local(2026, 11, 21, 22, 0), local(2026, 11, 23, 7, 30), local(2026, 11, 23, 19, 0),
         local(2026, 11, 25, 8, 0), local(2026, 11, 25, 9, 0)]  # fmt: skip
    start = (
        t[0],
        lambda: submitted(world),
        lambda ctx, live: ctx.submitted_online(
            case=world.case, receiving_agency=world.commune, applicant=applicant_of(live), submitted_at=t[0],
            by=citizen, data=VALID_DATA, applicant_user_id=world.citizen.pk,
        ),
    )  # fmt: skip
    steps = [
        (t[1], lambda d: act(world.desk, d, "request_completion", missing=["Tờ khai ký tên"]),
         lambda b: b.request_completion(t[1], by=desk, missing=["Tờ khai ký tên"])),
        (t[2], lambda d: services.dossier_supplement(actor=world.citizen, dossier_id=d.pk, expected_version=None),
         lambda b: b.supplement(t[2], by=citizen)),
        (t[3], lambda d: act(world.desk, d, "receive"), lambda b: b.receive(t[3], by=desk)),
        (t[4], lambda d: services.dossier_withdraw(actor=world.citizen, dossier_id=d.pk, expected_version=None,
                                                   reason="Không còn nhu cầu"),
         lambda b: b.withdraw(t[4], by=citizen, reason="Không còn nhu cầu")),
    ]  # fmt: skip

    live, bulk = both_ways(at, steps, start)

    assert bulk == live
    assert live["fields"]["state"] == State.WITHDRAWN


def test_bulk_codes_continue_the_live_sequence_and_live_receptions_continue_the_bulk_one(world: World, at: Any) -> None:
    person = services.Applicant(name="Lê Văn Tâm", id_number="031999900002")
    monday = date(2026, 11, 23)

    def intake() -> Dossier:
        return services.dossier_intake_at_desk(actor=world.desk, case=world.case, agency=world.commune,
                                               channel=Channel.IN_PERSON, applicant=person, data=VALID_DATA)  # fmt: skip

    with at(local(2026, 11, 23, 8, 0)):
        first = intake()
    ctx = BulkContext.load()
    builders = [
        ctx.received_at_desk(case=world.case, receiving_agency=world.commune, channel=Channel.IN_PERSON,
                             applicant=person, received_at=moment, by=Actor.of(world.desk))
        for moment in (local(2026, 11, 23, 9, 15), local(2026, 11, 20, 16, 0), local(2026, 11, 23, 8, 30))
    ]  # fmt: skip
    bulk_write(builders)
    with at(local(2026, 11, 23, 10, 0)):
        last = intake()

    assert first.code == "113.11.00.H26-261123-0001"
    assert [b.dossier.code for b in builders] == [
        "113.11.00.H26-261123-0003", "113.11.00.H26-261120-0001", "113.11.00.H26-261123-0002",
    ]  # fmt: skip
    assert last.code == "113.11.00.H26-261123-0004"
    assert CodeCounter.objects.get(agency=world.commune, day=monday).last == 4
    assert Dossier.objects.values("code").distinct().count() == 5


def test_a_plan_the_services_would_refuse_is_refused(world: World) -> None:
    ctx = BulkContext.load()
    desk, leader = Actor.of(world.desk), Actor.of(world.leader)
    person = services.Applicant(name="Đỗ Thị Hoa")

    def received() -> DossierBuilder:
        return ctx.received_at_desk(case=world.case, receiving_agency=world.commune, channel=Channel.IN_PERSON,
                                    applicant=person, received_at=local(2026, 11, 23, 8, 0), by=desk)  # fmt: skip

    with pytest.raises(BulkPlanError):
        received().approve(local(2026, 11, 23, 9, 0), by=leader)  # approval is the leader's step, not step 1
    with pytest.raises(BulkPlanError):
        received().forward(local(2026, 11, 23, 7, 0), by=leader)  # before the previous action
    with pytest.raises(BulkPlanError):
        received().receive(local(2026, 11, 23, 9, 0), by=desk)  # already received
    with pytest.raises(BulkPlanError):  # form 04 only before the due moment passes
        received().extend(local(2026, 11, 27, 9, 0), by=leader, new_due_date=date(2026, 11, 30), reason="Muộn")


def test_finished_dossiers_are_classified_like_the_services_do(world: World) -> None:
    ctx = BulkContext.load()
    desk, specialist, leader = (Actor.of(u) for u in (world.desk, world.specialist, world.leader))
    person = services.Applicant(name="Vũ Đức Hải")

    def received() -> DossierBuilder:
        return ctx.received_at_desk(case=world.case, receiving_agency=world.commune, channel=Channel.IN_PERSON,
                                    applicant=person, received_at=local(2026, 11, 16, 8, 0), by=desk)  # fmt: skip

    early = received().forward(local(2026, 11, 16, 9, 0), by=specialist).approve(local(2026, 11, 17, 9, 0), by=leader)
    on_time = received().forward(local(2026, 11, 18, 7, 0), by=specialist).approve(local(2026, 11, 18, 16, 0),
                                                                                  by=leader)  # fmt: skip
    late = received().forward(local(2026, 11, 18, 9, 0), by=specialist).approve(local(2026, 11, 19, 8, 0), by=leader)
    twice = received()
    for day in (16, 17):
        twice.request_supplement(local(2026, 11, day, 9, 0), by=specialist, missing=["Giấy tờ"])
        twice.supplement(local(2026, 11, day, 10, 0), by=Actor(person.name))
    twice.forward(local(2026, 11, 17, 11, 0), by=specialist).approve(local(2026, 11, 17, 14, 0), by=leader)

    assert [b.dossier.timeliness for b in (early, on_time, late, twice)] == ["early", "on_time", "late", "late"]
    assert early.due_at == local(2026, 11, 18, 8, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL only")
def test_copy_writes_the_same_rows_as_bulk_create(world: World) -> None:
    ctx = BulkContext.load()
    desk, specialist = Actor.of(world.desk), Actor.of(world.specialist)
    person = services.Applicant(name="Ngô Thị Lan", id_number="031999900003")

    def story() -> DossierBuilder:
        b = ctx.received_at_desk(
            case=world.case,
            receiving_agency=world.commune,
            channel=Channel.IN_PERSON,
            applicant=person,
            received_at=local(2026, 11, 16, 8, 0),
            by=desk,
            data=VALID_DATA,
        )
        return b.claim(local(2026, 11, 16, 9, 0), by=specialist).request_supplement(
            local(2026, 11, 16, 10, 0), by=specialist, missing=["Bản chụp rõ nét"])  # fmt: skip

    orm, copied = story(), story()
    bulk_write([orm])
    bulk_write([copied], copy=True)
    later = services.dossier_intake_at_desk(actor=world.desk, case=world.case, agency=world.commune,
                                            channel=Channel.IN_PERSON, applicant=person, data=VALID_DATA)  # fmt: skip

    a, b = snapshot(orm.dossier), snapshot(copied.dossier)
    assert a == b
    assert copied.dossier.code == "113.11.00.H26-261116-0002"
    assert later.pk > copied.dossier.pk  # ids came from the sequence: the ORM continues after them
