"""Choice labels (a dossier's state, channel, notification status) follow the page language; what is stored, sent to
the applicant or printed on a legal form stays in Vietnamese whatever the language of the page that caused it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from chinhquyenso.dossiers.documents import render_control_sheet
from chinhquyenso.dossiers.errors import IllegalTransition
from chinhquyenso.dossiers.models import Channel, Dossier, IssuedForm, State
from chinhquyenso.dossiers.tests.conftest import World, local
from chinhquyenso.dossiers.tests.test_api_contract import URLCONF, ApiClient
from chinhquyenso.dossiers.tests.test_documents import text_of
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en"}
VIETNAMESE = {"Accept-Language": "vi"}


@pytest.fixture(autouse=True)
def _media_and_rate_limit(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the tracking page's rate limit
    yield
    cache.clear()


@pytest.fixture
def waiting(world: World, at: Any) -> Dossier:
    """Received online, then sent back for a missing document: the state is «Yêu cầu bổ sung giấy tờ»."""
    with at(local(2026, 11, 16, 8, 0)):
        dossier = act(world.desk, submitted(world), "receive")
    with at(local(2026, 11, 16, 9, 30)):
        act(world.specialist, dossier, "claim")
        act(world.specialist, dossier, "request_supplement", missing=["Bản sao giấy chứng sinh"])
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT
    return dossier


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- pages -----------------------------------------------------------------------------------------------------------
def test_the_tracking_page_names_the_state_in_the_language_of_the_page(client: Client, waiting: Dossier) -> None:
    url = reverse("dossiers:track")

    english = client.get(url, {"ma": waiting.code}, headers=ENGLISH).content.decode()
    vietnamese = client.get(url, {"ma": waiting.code}, headers=VIETNAMESE).content.decode()

    assert '<html lang="en">' in english
    assert "<dd><strong>More documents requested</strong></dd>" in english
    assert "Accepted" in english  # the timeline's state after receipt
    assert "Yêu cầu bổ sung giấy tờ" not in english
    assert "Được tiếp nhận" not in english
    assert "<dd><strong>Yêu cầu bổ sung giấy tờ</strong></dd>" in vietnamese
    assert "More documents requested" not in vietnamese


def test_the_applicants_pages_name_the_state_in_english(world: World, waiting: Dossier) -> None:
    client = signed_in(world.citizen)

    detail = client.get(reverse("dossiers:applicant_detail", args=[waiting.pk]), headers=ENGLISH).content.decode()
    mine = client.get(reverse("dossiers:mine"), headers=ENGLISH).content.decode()

    assert "<dd><strong>More documents requested</strong></dd>" in detail
    assert "Yêu cầu bổ sung giấy tờ" not in detail
    assert "Được tiếp nhận" not in detail
    assert "More documents requested" in mine
    assert "Yêu cầu bổ sung giấy tờ" not in mine


def test_the_officers_page_names_the_notifications_channel_and_status_in_english(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = act(world.desk, submitted(world), "receive")

    page = signed_in(world.desk).get(reverse("dossiers:officer_detail", args=[dossier.pk]), headers=ENGLISH)

    text = page.content.decode()
    assert page.status_code == 200
    assert "Notice to the applicant (Email): Sent" in text
    assert "Notice to the applicant (Text message (SMS)): Sent" in text
    assert "Thư điện tử" not in text
    assert "Đã gửi" not in text


# --- the API ---------------------------------------------------------------------------------------------------------
@pytest.mark.urls(URLCONF)
def test_the_tracking_api_names_the_state_with_a_json_string(waiting: Dossier) -> None:
    path = f"/api/v1/tracking/{waiting.code}"
    english = ApiClient()
    english.headers.update(ENGLISH)

    default = ApiClient().get(path).json()
    translated = english.get(path).json()

    assert default["state"] == {"id": State.SUPPLEMENT, "name": "Yêu cầu bổ sung giấy tờ", "sync_code": "waiting"}
    assert [e["state"]["name"] for e in default["timeline"]] == [
        "Mới đăng ký", "Được tiếp nhận", "Được tiếp nhận", "Yêu cầu bổ sung giấy tờ"
    ]  # fmt: skip
    assert translated["state"]["name"] == "More documents requested"
    assert [e["state"]["name"] for e in translated["timeline"]] == [
        "Newly submitted", "Accepted", "Accepted", "More documents requested"
    ]  # fmt: skip


# --- legal forms, stored notes and notices ---------------------------------------------------------------------------
def test_forms_01_06_and_07_stay_in_vietnamese_when_asked_for_from_an_english_page(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8, 0)):
        dossier = act(world.desk, submitted(world), "receive")
    form_01 = IssuedForm.objects.get(dossier=dossier, number=IssuedForm.Number.F01)
    register = {"agency": world.commune.pk, "start": "16/11/2026", "end": "16/11/2026", "format": "xlsx"}

    receipt = signed_in(world.citizen).get(reverse("dossiers:form_pdf", args=[dossier.pk, form_01.pk]), headers=ENGLISH)
    desk = signed_in(world.desk)
    control = desk.get(reverse("dossiers:control_sheet", args=[dossier.pk]), headers=ENGLISH)
    with at(local(2026, 11, 16, 12, 0)):  # before the due date: no «quá hạn» after the state
        xlsx = desk.get(reverse("dossiers:register"), register, headers=ENGLISH)

    receipt_text = text_of(b"".join(receipt.streaming_content))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt_text
    assert "7. Kênh nộp hồ sơ: Trực tuyến" in receipt_text
    assert "02 ngày làm việc" in receipt_text
    control_text = text_of(b"".join(control.streaming_content))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control_text
    assert "Tình trạng hiện tại: Được tiếp nhận" in control_text
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    assert [row[7] for row in rows if row[1] == dossier.code] == ["Được tiếp nhận"]


def test_an_officer_on_an_english_page_stores_and_sends_vietnamese(
    world: World, at: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with at(local(2026, 11, 16, 8, 0)):
        dossier = act(world.desk, submitted(world), "receive")
    with at(local(2026, 11, 16, 9, 0)):
        act(world.specialist, dossier, "claim")
        act(world.specialist, dossier, "forward")
        act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4 ket qua", name="kq.pdf"))
    mail.outbox.clear()

    with translation.override("en"):
        with pytest.raises(IllegalTransition) as refused:
            act(world.desk, dossier, "receive")
        with django_capture_on_commit_callbacks(execute=True):
            returned = act(world.desk, dossier, "return_result", return_channel=Channel.IN_PERSON)

    # The refusal is told to the officer, in the page's language; what is stored and sent stays Vietnamese.
    assert refused.value.message == "You cannot “Accept” while the application's status is “Processing complete”."
    assert returned.events.latest("at", "id").note == "Đã trả kết quả (trực tiếp)."
    assert [m.subject for m in mail.outbox] == [f"Hồ sơ {dossier.code}: Đã trả kết quả"]
    assert "vừa chuyển sang trạng thái «Đã trả kết quả»" in mail.outbox[0].body


def test_rendering_a_form_switches_to_vietnamese_and_back(world: World, at: Any) -> None:
    with at(local(2026, 11, 16, 8, 0)):
        dossier = act(world.desk, submitted(world), "receive")

    with translation.override("en"):
        pdf = render_control_sheet(dossier)
        after = translation.get_language()
        label = str(State.RECEIVED.label)

    assert "Tình trạng hiện tại: Được tiếp nhận" in text_of(pdf)
    assert (after, label) == ("en", "Accepted")
