from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from chinhquyenso.core.audit import audit_verify
from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.errors import DossierNotFound, IllegalTransition, InvalidDossier, StaleDossier
from chinhquyenso.dossiers.models import Attachment, Dossier, IssuedForm, State
from chinhquyenso.dossiers.services import ActionParams
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local

pytestmark = pytest.mark.django_db


def attach_required(dossier: Dossier) -> None:
    component = dossier.case.components.get(code="giay-chung-sinh")
    Attachment.objects.create(
        dossier=dossier, component=component, file=ContentFile(b"%PDF-1.4\n", name="gcs.pdf"),
        original_name="gcs.pdf", content_type="application/pdf", size=9, sha256="0" * 64,
    )  # fmt: skip


def submitted(world: World, *, data: dict[str, Any] | None = None) -> Dossier:
    dossier, _ = services.dossier_draft_create(actor=world.citizen, case=world.case, data=data or VALID_DATA)
    attach_required(dossier)
    return services.dossier_submit(actor=world.citizen, dossier_id=dossier.pk)


def act(world_user: Any, dossier: Dossier, action: str, **params: Any) -> Dossier:
    dossier.refresh_from_db()
    return services.dossier_act(
        actor=world_user, dossier_id=dossier.pk, action=action, expected_version=dossier.lock_version,
        params=ActionParams(**params),
    )  # fmt: skip


def test_a_citizen_submits_online_and_the_desk_receives_with_a_code_and_a_due_date(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8, 0)):  # Monday
        dossier = submitted(world)
        received = act(world.desk, dossier, "receive")

    assert received.state == State.RECEIVED
    assert received.code == "113.11.00.H26-261116-0001"
    assert received.due_at == local(2026, 11, 18, 8, 0)  # 2 working days, same clock time
    assert received.current_step == 1
    assert received.current_agency == world.commune
    assert IssuedForm.objects.get(dossier=received).number == "01"
    assert [e.action for e in received.events.all()] == ["submit", "receive"]
    assert audit_verify().ok


def test_submitting_twice_keeps_one_dossier_and_an_idempotency_key_returns_the_first(world: World) -> None:
    first, created = services.dossier_draft_create(actor=world.citizen, case=world.case, data=VALID_DATA,
                                                   idempotency_key="abc-123")  # fmt: skip
    again, created_again = services.dossier_draft_create(actor=world.citizen, case=world.case, data=VALID_DATA,
                                                         idempotency_key="abc-123")  # fmt: skip
    attach_required(first)
    services.dossier_submit(actor=world.citizen, dossier_id=first.pk)
    services.dossier_submit(actor=world.citizen, dossier_id=first.pk)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Dossier.objects.count() == 1
    assert first.events.filter(action="submit").count() == 1


def test_a_dossier_missing_a_required_document_or_field_is_not_submitted(world: World) -> None:
    dossier, _ = services.dossier_draft_create(actor=world.citizen, case=world.case, data={"ho_ten_tre": ""})

    with pytest.raises(InvalidDossier) as caught:
        services.dossier_submit(actor=world.citizen, dossier_id=dossier.pk)

    assert "component-giay-chung-sinh" in caught.value.fields
    assert "Chưa đính kèm «Giấy chứng sinh» (bắt buộc)." in caught.value.fields["component-giay-chung-sinh"]
    assert "ngay_sinh" in caught.value.fields
    dossier.refresh_from_db()
    assert dossier.is_draft


def test_codes_count_per_unit_and_restart_each_day(world: World, at: Any) -> None:
    codes = []
    for moment in (local(2026, 11, 16, 9), local(2026, 11, 16, 10), local(2026, 11, 17, 9)):
        with at(moment):
            codes.append(act(world.desk, submitted(world), "receive").code)

    assert codes == ["113.11.00.H26-261116-0001", "113.11.00.H26-261116-0002", "113.11.00.H26-261117-0001"]


def test_the_whole_route_to_the_result_and_its_timeline(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        dossier = act(world.desk, submitted(world), "receive")
    with at(local(2026, 11, 16, 9)):
        act(world.specialist, dossier, "claim")
        act(world.specialist, dossier, "forward", note="Đủ điều kiện")
    with at(local(2026, 11, 17, 10)):
        act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4 ket qua", name="kq.pdf"))
        done = act(world.desk, dossier, "return_result", return_channel=2)

    assert done.state == State.RETURNED
    assert done.timeliness == "early"
    assert done.result_file.name.endswith(".pdf")
    assert [e.action for e in done.events.all()] == ["submit", "receive", "claim", "forward", "approve",
                                                    "return_result"]  # fmt: skip
    assert audit_verify().ok


def test_a_forbidden_transition_answers_with_the_allowed_actions(world: World) -> None:
    dossier = submitted(world)

    with pytest.raises(IllegalTransition) as caught:
        act(world.desk, dossier, "approve")

    assert caught.value.status == 409
    assert set(caught.value.allowed) == {"receive", "request_completion", "refuse"}
    assert "Đã xử lý xong" not in str(caught.value)


def test_an_officer_acting_on_a_stale_page_is_told_it_changed(world: World) -> None:
    dossier = submitted(world)
    stale_version = dossier.lock_version
    act(world.desk, dossier, "receive")

    with pytest.raises(StaleDossier, match="vừa được người khác cập nhật"):
        services.dossier_act(actor=world.desk, dossier_id=dossier.pk, action="refuse",
                             expected_version=stale_version, params=ActionParams(reason="x"))  # fmt: skip


def test_another_agencys_officer_cannot_even_see_the_dossier(world: World) -> None:
    dossier = submitted(world)

    with pytest.raises(DossierNotFound):
        act(world.stranger, dossier, "receive")


def test_refusal_needs_a_reason_and_issues_form_03(world: World) -> None:
    dossier = submitted(world)

    with pytest.raises(InvalidDossier, match="lý do từ chối"):
        act(world.desk, dossier, "refuse", reason=" ")
    refused = act(world.desk, dossier, "refuse", reason="Không thuộc thẩm quyền")

    assert refused.state == State.REFUSED
    assert refused.finished_at is not None
    assert refused.forms.get().content == {"reason": "Không thuộc thẩm quyền"}


def test_restart_mode_recomputes_the_due_date_from_the_completed_dossier(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        dossier = act(world.desk, submitted(world), "receive")
    with at(local(2026, 11, 16, 9)):
        act(world.specialist, dossier, "request_supplement", missing=["Bản sao giấy chứng sinh rõ nét"])
    with at(local(2026, 11, 19, 8)):
        dossier.refresh_from_db()
        resumed = services.dossier_supplement(actor=world.citizen, dossier_id=dossier.pk,
                                              expected_version=dossier.lock_version)  # fmt: skip

    assert resumed.state == State.PROCESSING
    assert resumed.due_at == local(2026, 11, 23, 8)  # restart: 2 working days from Thu 19/11 08:00
    # The specialist's step gets its share again: 0.6 of the 0.6 + 0.3 left, of 16 working hours = 10 h 40 min
    # from Thu 08:00 (7 h that day) → Fri 20/11 10:40.
    assert resumed.step_due_at == local(2026, 11, 20, 10, 40)


def test_pause_mode_extends_the_due_date_by_the_working_time_waited(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        dossier = act(world.desk, submitted(world), "receive")
    dossier.rule_set.supplement_mode = "pause"
    dossier.rule_set.save()
    with at(local(2026, 11, 16, 9)):
        act(world.specialist, dossier, "request_supplement", missing=["Tờ khai có chữ ký"])
    with at(local(2026, 11, 17, 9)):
        dossier.refresh_from_db()
        resumed = services.dossier_supplement(actor=world.citizen, dossier_id=dossier.pk,
                                              expected_version=dossier.lock_version)  # fmt: skip

    assert resumed.due_at == local(2026, 11, 19, 8)  # waited 8 working hours: due moves one working day
    # The step's deadline (Tue 17/11 10:40: 10 h 40 min of working time from Mon 08:00) moves by the same 8 hours.
    assert resumed.step_due_at == local(2026, 11, 18, 10, 40)
    assert resumed.waiting_seconds == 8 * 3600


def test_a_second_supplement_request_makes_the_dossier_late(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        dossier = act(world.desk, submitted(world), "receive")
    for day in (16, 17):
        with at(local(2026, 11, day, 9)):
            act(world.specialist, dossier, "request_supplement", missing=["Giấy tờ"])
        with at(local(2026, 11, day, 10)):
            dossier.refresh_from_db()
            services.dossier_supplement(actor=world.citizen, dossier_id=dossier.pk,
                                        expected_version=dossier.lock_version)  # fmt: skip
    with at(local(2026, 11, 17, 11)):
        act(world.specialist, dossier, "forward")
        done = act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4", name="kq.pdf"))

    assert done.supplement_count == 2
    assert done.timeliness == "late"


def test_form_04_extension_only_before_the_due_date(world: World, at: Any) -> None:
    from datetime import date

    with at(local(2026, 11, 16, 8)):
        dossier = act(world.desk, submitted(world), "receive")
    with at(local(2026, 11, 17, 9)):
        extended = act(world.leader, dossier, "extend", reason="Cần xác minh thêm", new_due_date=date(2026, 11, 20))
    with at(local(2026, 11, 21, 9)), pytest.raises(IllegalTransition):
        act(world.leader, dossier, "extend", reason="Lần nữa", new_due_date=date(2026, 11, 27))

    assert extended.due_at == local(2026, 11, 20, 17)
    assert extended.forms.filter(number="04").count() == 1


def test_the_applicant_is_told_by_email_and_sms_on_every_state_change(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        received = act(world.desk, dossier, "receive")

    assert [m.subject for m in mail.outbox] == [
        "Hồ sơ (chưa có mã): Mới đăng ký",
        f"Hồ sơ {received.code}: Được tiếp nhận",
    ]
    assert mail.outbox[1].to == ["dan@example.vn"]
    assert received.notifications.filter(channel="sms", status="sent").count() == 2


def test_withdrawal_by_the_applicant_ends_the_dossier(world: World) -> None:
    dossier = submitted(world)

    withdrawn = services.dossier_withdraw(actor=world.citizen, dossier_id=dossier.pk,
                                          expected_version=dossier.lock_version, reason="Nộp nhầm thủ tục")  # fmt: skip

    assert withdrawn.state == State.WITHDRAWN
    assert withdrawn.is_finished
