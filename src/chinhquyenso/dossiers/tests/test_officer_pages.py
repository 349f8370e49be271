"""The one-stop officer's back office: inbox, dossier page with its action panel, actions, desk intake."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chinhquyenso.dossiers import services
from chinhquyenso.dossiers.models import Channel, Dossier, State
from chinhquyenso.dossiers.services import Applicant
from chinhquyenso.dossiers.tests.conftest import VALID_DATA, World, local
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted

pytestmark = pytest.mark.django_db

ROW_CODE = re.compile(r'<span class="cqs-code">(113\.11\.00\.H26-\d{6}-\d{4})</span>')
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|\sstyle=")  # CSP: nothing inline


def at_desk(world: World, name: str) -> Dossier:
    """A dossier handed in at the commune's desk: received at once, with a code."""
    return services.dossier_intake_at_desk(
        actor=world.desk, case=world.case, agency=world.commune, channel=Channel.IN_PERSON,
        applicant=Applicant(name=name), data=VALID_DATA,
    )  # fmt: skip


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inbox(client: Client, **query: str) -> str:
    return client.get(reverse("dossiers:inbox"), query).content.decode()


def detail_url(dossier: Dossier) -> str:
    return reverse("dossiers:officer_detail", args=[dossier.pk])


def act_url(dossier: Dossier, action: str) -> str:
    return reverse("dossiers:act", args=[dossier.pk, action])


def codes(page: str) -> list[str]:
    """The dossier codes of the inbox rows, in order."""
    return ROW_CODE.findall(page)


def test_the_inbox_shows_the_communes_dossiers_and_not_another_agencys(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        ours = submitted(world)
        services.dossier_intake_at_desk(
            actor=world.stranger, case=world.case, agency=world.other_commune, channel=Channel.IN_PERSON,
            applicant=Applicant(name="Trần Thị Người Khác"), data=VALID_DATA,
        )  # fmt: skip

        response = client.get(reverse("dossiers:inbox"))

    page = response.content.decode()
    assert response.status_code == 200
    assert world.citizen.display_name in page
    assert f'href="{detail_url(ours)}"' in page
    assert "Mới đăng ký" in page
    assert "Trần Thị Người Khác" not in page
    assert "113.41.00.H26" not in page
    assert INLINE.findall(page) == []


def test_the_inbox_filters_by_due_and_by_search(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):  # Monday; 2 working days
        client = signed_in(world.desk)
        late = at_desk(world, "Lê Văn Trễ")  # due Wednesday 08:00
    with at(local(2026, 11, 17, 8)):
        soon = at_desk(world, "Phạm Thị Gần")  # due Thursday 08:00
    with at(local(2026, 11, 18, 8, 30)):
        fine = at_desk(world, "Đỗ Văn Xa")  # due Friday 08:30
    with at(local(2026, 11, 18, 9)):
        overdue_page = inbox(client, due="overdue")
        soon_page = inbox(client, due="soon")
        on_time_page = inbox(client, due="on_time")
        by_name = inbox(client, q="Gần")
        by_code = inbox(client, q=fine.code or "")

    assert codes(overdue_page) == [late.code]
    assert "Quá hạn" in overdue_page
    assert codes(soon_page) == [soon.code]
    assert "Sắp đến hạn" in soon_page
    assert codes(on_time_page) == [fine.code]
    assert codes(by_name) == [soon.code]
    assert codes(by_code) == [fine.code]


def test_the_due_counts_sit_at_the_top_of_the_inbox(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        at_desk(world, "Lê Văn Trễ")
        at_desk(world, "Lê Văn Trễ Nữa")
    with at(local(2026, 11, 18, 9)):
        page = inbox(client)

    assert re.search(r'<span class="cqs-due-counts__number">2</span> Quá hạn', page)
    assert re.search(r'<span class="cqs-due-counts__number">0</span> Trong hạn', page)


def test_next_page_gives_the_following_rows_without_overlap(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):  # one moment for all: the cursor must break ties by id
        client = signed_in(world.desk)
        made = {at_desk(world, f"Người nộp {n}").code for n in range(30)}
        first = inbox(client)
        next_link = re.search(r'href="([^"]+)" rel="next"', first)
        assert next_link is not None
        second = client.get(reverse("dossiers:inbox") + html.unescape(next_link.group(1))).content.decode()

    assert len(codes(first)) == 25
    assert len(codes(second)) == 5
    assert set(codes(first)) & set(codes(second)) == set()
    assert set(codes(first)) | set(codes(second)) == made
    assert "Trang sau" in first
    assert 'rel="next"' not in second


def test_with_htmx_the_inbox_answers_with_its_results_only(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = at_desk(world, "Lê Văn Một")

        response = client.get(reverse("dossiers:inbox"), {"q": "Một"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="ket-qua"')
    assert codes(page) == [dossier.code]
    assert "<html" not in page


def test_the_detail_shows_the_declaration_and_the_allowed_action_buttons_only(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = submitted(world)

        page = client.get(detail_url(dossier)).content.decode()

    assert "Họ, chữ đệm, tên của trẻ" in page
    assert "Nguyễn Minh Khôi" in page
    assert "02/11/2026" in page
    assert "Giấy chứng sinh" in page
    assert set(re.findall(r"/thao-tac/([a-z_]+)/", page)) == {"receive", "request_completion", "refuse"}
    assert f'name="expected_version" value="{dossier.lock_version}"' in page
    assert INLINE.findall(page) == []


def test_an_officer_without_a_role_at_this_step_sees_no_action(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.specialist)
        dossier = submitted(world)

        page = client.get(detail_url(dossier)).content.decode()

    assert "/thao-tac/" not in page
    assert "Bạn không có thao tác nào với hồ sơ ở bước này." in page


def test_posting_receive_moves_the_state_and_shows_the_code(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = submitted(world)

        response = client.post(act_url(dossier, "receive"), {"expected_version": dossier.lock_version}, follow=True)

    dossier.refresh_from_db()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == detail_url(dossier) + "?tiep-nhan=1"
    assert dossier.state == State.RECEIVED
    assert dossier.code == "113.11.00.H26-261116-0001"
    assert "Đã tiếp nhận hồ sơ 113.11.00.H26-261116-0001. Hẹn trả kết quả: 18/11/2026 08:00." in page
    assert "Hồ sơ đã được tiếp nhận" in page


def test_a_stale_expected_version_answers_409_and_changes_nothing(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = submitted(world)
        version, events = dossier.lock_version, dossier.events.count()

        response = client.post(act_url(dossier, "receive"), {"expected_version": version - 1})

    dossier.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 409
    assert "Hồ sơ đã thay đổi kể từ khi bạn mở trang, nên thao tác «Tiếp nhận» chưa được thực hiện." in page
    assert (dossier.state, dossier.code, dossier.lock_version) == (State.SUBMITTED, None, version)
    assert dossier.events.count() == events
    assert f'name="expected_version" value="{version}"' in page  # the fresh page lets the officer act again


def test_a_second_click_is_told_kindly_that_the_action_is_done(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = submitted(world)
        form = {"expected_version": dossier.lock_version}

        client.post(act_url(dossier, "receive"), form)
        again = client.post(act_url(dossier, "receive"), form)

    page = again.content.decode()
    assert again.status_code == 409
    assert "Thao tác «Tiếp nhận» đã được thực hiện" in page
    assert Dossier.objects.filter(code__isnull=False).count() == 1
    assert dossier.events.filter(action="receive").count() == 1


def test_an_action_not_allowed_now_answers_409_with_what_is_allowed(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = submitted(world)

        response = client.post(act_url(dossier, "approve"), {"expected_version": dossier.lock_version})

    page = response.content.decode()
    dossier.refresh_from_db()
    assert response.status_code == 409
    assert "Không thể «Hoàn thành xử lý» khi hồ sơ đang ở trạng thái «Mới đăng ký»." in page
    assert "Thao tác bạn có thể làm lúc này: Tiếp nhận, Yêu cầu bổ sung, hoàn thiện hồ sơ, Từ chối tiếp nhận." in page
    assert dossier.state == State.SUBMITTED


def test_an_impossible_extend_date_answers_422_with_the_field_error(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = act(world.desk, submitted(world), "receive")

        response = client.post(
            act_url(dossier, "extend"),
            {"expected_version": dossier.lock_version, "new_due_date": "31/02/2026", "reason": "Cần xác minh thêm"},
        )

    page = response.content.decode()
    dossier.refresh_from_db()
    assert response.status_code == 422
    assert "Có lỗi cần sửa" in page
    assert 'href="#tt-extend-new_due_date"' in page
    assert "Ngày hẹn trả mới phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 20/11/2026." in page
    assert '<details class="cqs-action__details" open>' in page
    assert dossier.extended_count == 0


def test_an_extend_date_before_the_current_due_date_answers_422_with_the_services_reason(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = act(world.desk, submitted(world), "receive")

        response = client.post(
            act_url(dossier, "extend"),
            {"expected_version": dossier.lock_version, "new_due_date": "17/11/2026", "reason": "Cần xác minh thêm"},
        )

    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="tt-extend-new_due_date_error"' in page
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại." in page


def test_an_extension_moves_the_due_date(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        dossier = act(world.desk, submitted(world), "receive")

        response = client.post(
            act_url(dossier, "extend"),
            {"expected_version": dossier.lock_version, "new_due_date": "20/11/2026", "reason": "Cần xác minh thêm"},
            follow=True,
        )

    dossier.refresh_from_db()
    assert dossier.extended_count == 1
    assert (
        "Đã gia hạn hồ sơ 113.11.00.H26-261116-0001 đến 20/11/2026 17:00 (văn bản mẫu 04)." in response.content.decode()
    )


def test_another_agencys_officer_gets_404_on_detail_and_act(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.stranger)
        dossier = submitted(world)

        seen = client.get(detail_url(dossier))
        acted = client.post(act_url(dossier, "receive"), {"expected_version": dossier.lock_version})

    dossier.refresh_from_db()
    assert (seen.status_code, acted.status_code) == (404, 404)
    assert dossier.state == State.SUBMITTED


def test_a_citizen_is_turned_away_from_the_back_office(world: World) -> None:
    client = signed_in(world.citizen)

    assert client.get(reverse("dossiers:inbox")).status_code == 403


def test_the_desk_finds_the_procedure_to_receive(world: World) -> None:
    client = signed_in(world.desk)

    page = client.get(reverse("dossiers:intake"), {"q": "khai sinh"}).content.decode()

    assert "Thủ tục đăng ký khai sinh" in page
    assert reverse("dossiers:intake_form", args=["1.001193", "01"]) in html.unescape(page)


def intake_post(world: World, **overrides: str) -> dict[str, Any]:
    return {
        "desk-agency": str(world.commune.pk),
        "desk-channel": str(Channel.IN_PERSON.value),
        "desk-applicant_name": "Hoàng Thị Quầy",
        "desk-applicant_id_number": "031099000123",
        "desk-applicant_phone": "0912 345 678",
        "ho_ten_tre": "Hoàng Minh An",
        "ngay_sinh": "02/11/2026",
        "intake_token": "0123456789abcdef0123456789abcdef",
        **overrides,
    }


def test_desk_intake_in_person_creates_a_received_dossier_with_a_code(world: World, at: Any) -> None:
    url = reverse("dossiers:intake_form", args=["1.001193", "01"])
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)
        form_page = client.get(url).content.decode()

        response = client.post(url, intake_post(world), follow=True)

    dossier = Dossier.objects.get()
    page = response.content.decode()
    assert 'for="f-ho_ten_tre"' in form_page
    assert INLINE.findall(form_page) == []
    assert dossier.state == State.RECEIVED
    assert dossier.channel == Channel.IN_PERSON
    assert dossier.code == "113.11.00.H26-261116-0001"
    assert (dossier.applicant_name, dossier.applicant_phone) == ("Hoàng Thị Quầy", "0912345678")
    assert dossier.data == {"ho_ten_tre": "Hoàng Minh An", "ngay_sinh": "2026-11-02"}
    assert "Hồ sơ đã được tiếp nhận" in page
    assert "113.11.00.H26-261116-0001" in page
    assert "18/11/2026 08:00" in page


def test_posting_the_same_intake_twice_creates_one_dossier(world: World, at: Any) -> None:
    url = reverse("dossiers:intake_form", args=["1.001193", "01"])
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        client.post(url, intake_post(world))
        again = client.post(url, intake_post(world), follow=True)

    assert Dossier.objects.count() == 1
    assert "Hồ sơ này đã được tiếp nhận trước đó với mã 113.11.00.H26-261116-0001." in again.content.decode()


def test_an_incomplete_intake_answers_422_with_every_error_in_one_summary(world: World, at: Any) -> None:
    url = reverse("dossiers:intake_form", args=["1.001193", "01"])
    with at(local(2026, 11, 16, 8)):
        client = signed_in(world.desk)

        response = client.post(url, intake_post(world, **{"desk-applicant_name": "", "ngay_sinh": "31/02/2026"}))

    page = response.content.decode()
    assert response.status_code == 422
    assert page.count('class="cqs-error-summary"') == 1
    assert 'href="#id_desk-applicant_name"' in page
    assert 'href="#f-ngay_sinh"' in page
    assert Dossier.objects.count() == 0


def test_the_timeline_shows_whether_the_applicant_was_told(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        act(world.desk, dossier, "receive")
    client.force_login(world.desk)

    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()

    assert "Báo người nộp qua Thư điện tử: Đã gửi" in page
    assert "Báo người nộp qua Tin nhắn SMS: Đã gửi" in page
