"""A citizen's first visit, driven through headless Chromium on a 360 px phone screen.

Every step uses what a person sees: Vietnamese labels, button names, the error summary.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chinhquyenso.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_NAME = "Nguyễn Thị Hồng Nhung"
CCCD = "031190004527"
MASKED_CCCD = "031•••••••27"
DATE_OF_BIRTH = "27/03/1990"
PHONE = "0912345678"
WARD = "Phường Lê Chân"
ADDRESS = "Số 12 ngõ 45 đường Lạch Tray, tổ dân phố 3"
PASSWORD = "Hoa-Phuong-Do-2025"
SKIP_LINK = "Bỏ qua, đến nội dung chính"


def fill_registration(page: Page, *, cccd: str, password: str, password_again: str) -> None:
    page.get_by_label("Công dân", exact=True).check()
    page.get_by_label("Họ và tên", exact=True).fill(FULL_NAME)
    page.get_by_label("Số CCCD (số định danh cá nhân)", exact=True).fill(cccd)
    page.get_by_label("Ngày sinh", exact=True).fill(DATE_OF_BIRTH)
    page.get_by_label("Số điện thoại di động", exact=True).fill(PHONE)
    page.get_by_label("Xã, phường, đặc khu nơi cư trú", exact=True).select_option(label=WARD)
    page.get_by_label("Số nhà, đường, thôn, tổ dân phố", exact=True).fill(ADDRESS)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_label("Nhập lại mật khẩu", exact=True).fill(password_again)
    page.get_by_role("button", name="Đăng ký", exact=True).click()


def expect_account_page(page: Page, live_server_url: str) -> None:
    expect(page).to_have_url(f"{live_server_url}/tai-khoan/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Tài khoản của bạn", level=1)).to_be_visible()
    expect(main.get_by_text(FULL_NAME, exact=True)).to_be_visible()
    expect(main.get_by_text(MASKED_CCCD, exact=True)).to_be_visible()
    expect(main.get_by_text(f"{ADDRESS}, {WARD}", exact=True)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(CCCD)
    assert CCCD not in page.content(), "the full CCCD number must not be anywhere in the page, hidden or not"


def test_citizen_registers_signs_out_and_signs_in_again(page: Page, live_server, screenshot_dir: Path) -> None:
    page.goto(f"{live_server.url}/dang-ky/")
    expect(page.get_by_role("heading", name="Đăng ký tài khoản", level=1)).to_be_visible()

    fill_registration(page, cccd=CCCD, password=PASSWORD, password_again=PASSWORD)

    expect(page.get_by_role("status")).to_contain_text("Đăng ký thành công")
    expect_account_page(page, live_server.url)

    page.get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Đăng nhập")).to_be_visible()
    expect(page.get_by_text(FULL_NAME)).to_have_count(0)

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Số CCCD, số điện thoại, thư điện tử hoặc tên đăng nhập", exact=True).fill(CCCD)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    expect_account_page(page, live_server.url)
    page.screenshot(path=screenshot_dir / "citizen-journey-account.png", full_page=True)


def test_registration_with_bad_input_shows_errors_and_keeps_what_was_typed(
    page: Page, live_server, screenshot_dir: Path
) -> None:
    page.goto(f"{live_server.url}/dang-ky/")

    fill_registration(page, cccd="031190004", password=PASSWORD, password_again=PASSWORD + "x")

    summary = page.get_by_role("alert", name="Có lỗi cần sửa")
    expect(summary).to_be_visible()
    cccd_error = summary.get_by_role("link", name="Số CCCD (số định danh cá nhân): Số CCCD phải gồm đúng 12 chữ số.")
    expect(cccd_error).to_have_attribute("href", "#id_cccd")
    password_error = summary.get_by_role("link", name="Nhập lại mật khẩu: Hai mật khẩu đã nhập không giống nhau.")
    expect(password_error).to_have_attribute("href", "#id_password2")
    page.screenshot(path=screenshot_dir / "citizen-journey-errors.png", full_page=True)

    cccd_error.click()
    cccd_field = page.get_by_label("Số CCCD (số định danh cá nhân)", exact=True)
    expect(cccd_field).to_be_focused()
    expect(cccd_field).to_have_value("031190004")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value(FULL_NAME)
    expect(page.get_by_label("Ngày sinh", exact=True)).to_have_value(DATE_OF_BIRTH)
    expect(page.get_by_label("Xã, phường, đặc khu nơi cư trú", exact=True).locator("option:checked")).to_have_text(WARD)
    expect(page.get_by_label("Số nhà, đường, thôn, tổ dân phố", exact=True)).to_have_value(ADDRESS)

    assert not User.objects.filter(full_name=FULL_NAME).exists()
    assert User.objects.count() == 0


def test_screen_reader_hears_the_hint_and_the_error_on_the_cccd_field(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/dang-ky/")

    fill_registration(page, cccd="031190004", password=PASSWORD, password_again=PASSWORD)

    expect(page.get_by_label("Số CCCD (số định danh cá nhân)", exact=True)).to_have_accessible_description(
        re.compile(r"12 chữ số in trên thẻ căn cước\..*Số CCCD phải gồm đúng 12 chữ số\.")
    )


@pytest.mark.parametrize("path", ["/", "/dang-ky/", "/dang-nhap/"])
def test_page_fits_a_phone_and_starts_with_the_skip_link(page: Page, live_server, path: str) -> None:
    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=SKIP_LINK)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
