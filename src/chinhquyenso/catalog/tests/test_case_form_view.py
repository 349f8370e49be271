"""The case form page: an applicant fills in a procedure's form, is told precisely what to fix, or sees it accepted."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from chinhquyenso.accounts.tests.factories import UserFactory
from chinhquyenso.catalog.models import ProcedureCase, ProcedureVersion
from chinhquyenso.catalog.tests.factories import ProcedureVersionFactory
from chinhquyenso.catalog.tests.test_schema_forms import BIRTH_SCHEMA, BIRTH_UI, VALID_POST, publish_birth_registration

pytestmark = pytest.mark.django_db


def form_url(case: ProcedureCase) -> str:
    return reverse("catalog:case_form", args=[case.version.procedure.code, case.code])


def ids(page: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', page)


def references(page: str) -> set[str]:
    """Every id a label points at or a control is described by."""
    described = " ".join(re.findall(r'\saria-describedby="([^"]+)"', page)).split()
    return {*described, *re.findall(r'<label[^>]*\sfor="([^"]+)"', page)}


def test_the_form_is_rendered_with_labels_hints_and_errors_bound_to_their_controls(client: Client) -> None:
    case = publish_birth_registration()

    response = client.get(form_url(case))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<label class="cqs-label" for="f-child_full_name">Họ, chữ đệm, tên của trẻ</label>' in page
    assert 'name="witnesses.1.full_name"' in page  # one blank witness entry beyond the required one
    assert "Thông tin người cha (không bắt buộc)" in page
    assert 'inputmode="numeric"' in page
    assert references(page) - set(ids(page)) == set()
    assert len(ids(page)) == len(set(ids(page)))
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|\sstyle=", page) == []  # CSP: nothing inline
    assert "/static/cqs/schema-form.js" in re.findall(r'<script src="([^"]+)"', page)
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_applicant_finds_the_declarant_filled_in_from_their_profile(client: Client) -> None:
    case = publish_birth_registration()
    client.force_login(UserFactory(full_name="Phạm Thu Trang", phone="0903123456"))

    page = client.get(form_url(case)).content.decode()

    assert 'id="f-declarant_name" name="declarant_name" value="Phạm Thu Trang" autocomplete="name"' in page
    assert 'id="f-declarant_phone" name="declarant_phone" value="0903123456" autocomplete="tel"' in page


def test_mistakes_are_listed_linked_to_their_fields_explained_beside_them_and_the_answers_kept(client: Client) -> None:
    case = publish_birth_registration()
    post = {**VALID_POST, "child_full_name": "", "mother.cccd": "03119500432", "child_date_of_birth": "31/02/2026"}

    response = client.post(form_url(case), post)

    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Lỗi: Đăng ký khai sinh" in page
    assert '<a href="#f-child_full_name">Vui lòng nhập họ, chữ đệm, tên của trẻ.</a>' in page
    assert (
        '<a href="#f-child_date_of_birth">Ngày sinh của trẻ phải là một ngày có thật, dạng ngày/tháng/năm, '
        "ví dụ 27/03/1990.</a>"
    ) in page
    assert '<a href="#f-mother__cccd">Thông tin người mẹ: Số CCCD phải gồm đúng 12 chữ số.</a>' in page
    assert (
        '<p class="cqs-error-message" id="f-mother__cccd-error"><span class="cqs-visually-hidden">Lỗi:</span> '
        "Số CCCD phải gồm đúng 12 chữ số.</p>"
    ) in page
    assert 'name="mother.cccd" value="03119500432" inputmode="numeric" spellcheck="false" aria-describedby="f-mother__cccd-hint f-mother__cccd-error" aria-invalid="true"' in page  # fmt: skip
    assert 'name="child_date_of_birth" value="31/02/2026"' in page
    assert 'name="fee_paid" value="1.250.000"' in page
    assert 'name="witnesses.0.cccd" value="031190001234"' in page
    assert '<option value="11407" selected>Phường An Biên</option>' in page
    assert references(page) - set(ids(page)) == set()


def test_a_valid_form_is_confirmed_with_what_was_entered(client: Client) -> None:
    case = publish_birth_registration()

    response = client.post(form_url(case), VALID_POST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Biểu mẫu hợp lệ" in page
    assert "Đây là bản xem trước: hồ sơ chưa được nộp" in page
    assert "<dt>Ngày sinh của trẻ</dt>\n    <dd>14/02/2026</dd>" in page
    assert "<dd>Bệnh viện Phụ sản, 19 Lạch Tray, Phường An Biên</dd>" in page
    assert "<dd>1.250.000 đồng</dd>" in page
    assert "<dt>Người làm chứng 1</dt>" in page
    assert "<dd>Ông</dd>" in page


def test_the_applicant_can_go_back_and_change_the_answers(client: Client) -> None:
    case = publish_birth_registration()
    answers = dict(client.post(form_url(case), VALID_POST).context["answers"])

    response = client.post(form_url(case), {**answers, "_sua": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="child_date_of_birth" value="14/02/2026"' in page
    assert 'name="fee_paid" value="1.250.000"' in page
    assert 'name="witnesses.1.full_name" value=""' in page
    assert "cqs-error-summary" not in page


def test_a_procedure_that_is_only_a_draft_has_no_form(client: Client) -> None:
    version = ProcedureVersionFactory(
        status=ProcedureVersion.Status.DRAFT, case__form_schema=BIRTH_SCHEMA, case__form_ui=BIRTH_UI
    )
    code = version.procedure.code

    response = client.get(reverse("catalog:case_form", args=[code, "01"]))

    assert response.status_code == 404
    assert f"Thủ tục {code} chưa được công bố nên chưa nhận hồ sơ." in response.content.decode()


def test_an_unknown_case_has_no_form(client: Client) -> None:
    case = publish_birth_registration()

    code = case.version.procedure.code

    response = client.get(reverse("catalog:case_form", args=[code, "99"]))

    assert response.status_code == 404
    assert f"Thủ tục {code} không có trường hợp «99»." in response.content.decode()


def test_a_submission_without_the_csrf_token_is_refused() -> None:
    case = publish_birth_registration()

    response = Client(enforce_csrf_checks=True).post(form_url(case), VALID_POST)

    assert response.status_code == 403
