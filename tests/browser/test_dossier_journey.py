"""A citizen applies online for a procedure, on a 360 px phone screen in headless Chromium, through the project's
real urls: signs in, reads what is needed, fills in the declaration (fixing a mistake through the error summary),
uploads a photo of a document, checks the answers, submits and sees the dossier.

Every step uses what a person sees: Vietnamese labels, button names, headings, the error summary.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chinhquyenso.accounts.models import User
from chinhquyenso.accounts.tests.factories import PASSWORD, UserFactory
from chinhquyenso.agencies.models import Agency
from chinhquyenso.catalog.models import ProcedureCase
from chinhquyenso.dossiers.models import Dossier, RuleSet, State
from chinhquyenso.dossiers.tests.conftest import publish_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CCCD = "031190004527"
CHILD = "Nguyễn Minh Khôi"
PROCEDURE = "Thủ tục đăng ký khai sinh"
AGENCY = "Ủy ban nhân dân phường Hồng Bàng"


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG, as a phone camera would hand over, only smaller."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def case() -> ProcedureCase:
    # Transactional tests flush the rule sets migration 0002 seeded.
    RuleSet.objects.get_or_create(
        code="current-2025", defaults={"name": "Nghị định 118/2025/NĐ-CP", "effective_from": date(2025, 7, 1)}
    )
    Agency.objects.create(code="113.11.00.H26", name=AGENCY, kind=Agency.Kind.COMMUNE, level=Agency.Level.COMMUNE,
                          ward_code=11311, is_one_stop=True)  # fmt: skip
    return publish_case()


@pytest.fixture
def citizen() -> User:
    return UserFactory(full_name="Nguyễn Thị Hồng Nhung", cccd=CCCD, ward_code=11311)


def sign_in(page: Page) -> None:
    page.get_by_label("Số CCCD, số điện thoại, thư điện tử hoặc tên đăng nhập", exact=True).fill(CCCD)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_citizen_applies_online_and_sees_the_submitted_dossier(
    page: Page, live_server, screenshot_dir: Path, case: ProcedureCase, citizen: User
) -> None:
    start = f"{live_server.url}/thu-tuc/{case.version.procedure.code}/nop/{case.code}/"
    page.goto(start)

    # Applying needs an account: sign in, and come straight back.
    expect(page.get_by_role("heading", name="Đăng nhập", level=1)).to_be_visible()
    sign_in(page)
    expect(page).to_have_url(start)

    # Before you start: what to prepare, how long, how much.
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name=PROCEDURE, level=1)).to_be_visible()
    expect(main.get_by_text("Giấy chứng sinh — bản chính, số lượng 1")).to_be_visible()
    expect(main.get_by_text("Không thu phí, lệ phí.")).to_be_visible()
    page.get_by_role("button", name="Bắt đầu", exact=True).click()

    # The declaration: a date that does not exist is caught and linked from the summary.
    expect(page.get_by_role("heading", name="Tờ khai", level=1)).to_be_visible()
    page.get_by_label("Họ, chữ đệm, tên của trẻ", exact=True).fill(CHILD)
    page.get_by_label("Ngày sinh", exact=True).fill("31/02/2026")
    page.get_by_role("button", name="Tiếp tục", exact=True).click()
    summary = page.get_by_role("alert", name="Có lỗi cần sửa")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="Ngày sinh phải là một ngày có thật", exact=False).click()
    birthday = page.get_by_label("Ngày sinh", exact=True)
    expect(birthday).to_be_focused()
    expect(birthday).to_have_value("31/02/2026")
    expect(page.get_by_label("Họ, chữ đệm, tên của trẻ", exact=True)).to_have_value(CHILD)
    birthday.fill("02/11/2026")
    page.get_by_role("button", name="Tiếp tục", exact=True).click()

    # The documents: a photo of the birth certificate.
    expect(page.get_by_role("heading", name="Giấy tờ đính kèm", level=1)).to_be_visible()
    upload = page.get_by_label("Giấy chứng sinh (bắt buộc)", exact=True)
    expect(upload).to_have_accessible_description("Bản chính, số lượng 1. PDF, JPEG hoặc PNG, tối đa 10 MB.")
    upload.set_input_files(files=[{"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": png()}])
    page.get_by_role("button", name="Tiếp tục", exact=True).click()

    # Check the answers, then submit.
    expect(page.get_by_role("heading", name="Kiểm tra trước khi nộp", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_text(CHILD, exact=True)).to_be_visible()
    expect(main.get_by_text("02/11/2026", exact=True)).to_be_visible()
    expect(main.get_by_text("giay-chung-sinh.png", exact=True)).to_be_visible()
    expect(main.get_by_text(CCCD)).to_have_count(0)  # the id number is masked on screen
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    # Submitted: the confirmation, what happens next, and the dossier itself.
    panel = page.get_by_role("status").filter(has_text="Hồ sơ đã được gửi")
    expect(panel).to_be_visible()
    expect(page.get_by_role("heading", name="Điều gì xảy ra tiếp theo", level=2)).to_be_visible()
    expect(page.get_by_role("main").get_by_text("Mới đăng ký", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=screenshot_dir / "dossier-journey.png", full_page=True)

    dossier = Dossier.objects.get(applicant=citizen)
    assert not dossier.is_draft
    assert dossier.state == State.SUBMITTED
    assert dossier.data == {"ho_ten_tre": CHILD, "ngay_sinh": "2026-11-02"}
    assert [a.original_name for a in dossier.attachments.all()] == ["giay-chung-sinh.png"]

    # And it is in "Hồ sơ của tôi", still without a code until the desk receives it.
    page.get_by_role("link", name="‹ Hồ sơ của tôi").click()
    mine = page.get_by_role("main")
    expect(mine.get_by_role("link", name=PROCEDURE)).to_be_visible()
    expect(mine.get_by_text("chưa có mã", exact=True)).to_be_visible()
