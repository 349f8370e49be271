"""The officers' 766 page and its XLSX export."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chinhquyenso.quality.tests.conftest import (
    AFTER_NOVEMBER,
    World,
    approve,
    local,
    received_online,
    signed_in,
)

pytestmark = pytest.mark.django_db

NOVEMBER = {"period": "month", "year": "2026", "month": "11"}
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|\sstyle=")  # CSP: nothing inline


def text(response: Any) -> str:
    """The page's words as a reader meets them; a no-break space stays one (it is part of "75 %")."""
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def three_of_four_on_time(world: World, at: Any) -> None:
    for moment in (local(2026, 11, 17, 10), local(2026, 11, 18, 9), local(2026, 11, 18, 16), local(2026, 11, 19, 9)):
        approve(world, at, received_online(world, at, local(2026, 11, 16, 8)), moment)


def test_the_page_shows_each_indicator_with_its_ratio_counts_threshold_and_points_in_vietnamese(
    world: World, at: Any
) -> None:
    three_of_four_on_time(world, at)

    with at(AFTER_NOVEMBER):
        response = signed_in(world.desk).get(reverse("quality:report"), {"agency": world.commune.pk, **NOVEMBER})

    page = text(response)
    assert response.status_code == 200
    assert "Chỉ số chất lượng phục vụ (QĐ 766)" in page
    assert "Kỳ đánh giá: từ 01/11/2026 đến 30/11/2026." in page
    assert "Nhóm 2. Tiến độ, kết quả giải quyết" in page
    assert "2.1. Hồ sơ giải quyết trước hạn, đúng hạn 75\u00a0% 3 / 4 100\u00a0% 15 / 20" in page
    assert (
        "4.2. Hồ sơ nộp trực tuyến (có kết quả điện tử khi thủ tục trả giấy tờ) 100\u00a0% 4 / 4 50\u00a0% 6 / 6"
        in page
    )
    assert "Chưa có dữ liệu đánh giá" in page
    assert "1.2. Các nội dung công khai, minh bạch khác" in page and "Chưa tính" in page
    assert re.search(r"Tổng điểm [\d,]+ / [\d,]+ điểm tính được", page)
    assert not INLINE.search(response.content.decode())


def test_with_accept_language_en_the_page_is_in_english(world: World, at: Any) -> None:
    three_of_four_on_time(world, at)

    with at(AFTER_NOVEMBER):
        response = signed_in(world.desk).get(
            reverse("quality:report"), {"agency": world.commune.pk, **NOVEMBER}, headers={"Accept-Language": "en"}
        )

    page = text(response)
    assert response.status_code == 200
    assert "Total score" in page
    assert "Group 2. Timeliness and results" in page
    assert "Tổng điểm" not in page


def test_without_a_choice_the_page_shows_this_month_of_the_officers_agency(world: World, at: Any) -> None:
    with at(local(2026, 11, 20, 9)):
        response = signed_in(world.desk).get(reverse("quality:report"))

    page = text(response)
    assert "Ủy ban nhân dân phường Hồng Bàng" in page
    assert "Kỳ đánh giá: từ 01/11/2026 đến 30/11/2026." in page
    assert "Chỉ số 766" in page  # the link in the officers' navigation


def test_a_wrong_period_is_explained_in_vietnamese_next_to_the_field(world: World, at: Any) -> None:
    query = {"agency": world.commune.pk, "period": "custom", "start": "30/11/2026", "end": "01/11/2026"}

    with at(local(2026, 12, 7, 9)):
        response = signed_in(world.desk).get(reverse("quality:report"), query)

    page = text(response)
    assert "Có lỗi cần sửa" in page
    assert "Đến ngày: Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in page
    assert "Tổng điểm" not in page


def test_another_agency_or_a_citizen_gets_not_found(world: World) -> None:
    url = reverse("quality:report")

    assert signed_in(world.desk).get(url, {"agency": world.other_commune.pk, **NOVEMBER}).status_code == 404
    assert signed_in(world.desk).get(url, {"agency": "all", **NOVEMBER}).status_code == 404
    assert signed_in(world.citizen).get(url).status_code == 404
    assert signed_in(world.citizen).get(reverse("quality:report_xlsx")).status_code == 404


def test_a_system_administrator_sees_the_province_by_default(world: World, at: Any, admin: Any) -> None:
    three_of_four_on_time(world, at)

    with at(AFTER_NOVEMBER):
        response = signed_in(admin).get(reverse("quality:report"), NOVEMBER)

    page = text(response)
    assert "Toàn tỉnh" in page
    assert "75\u00a0% 3 / 4" in page


def test_the_xlsx_has_the_same_rows_as_the_page(world: World, at: Any) -> None:
    three_of_four_on_time(world, at)

    with at(AFTER_NOVEMBER):
        response = signed_in(world.desk).get(reverse("quality:report_xlsx"), {"agency": world.commune.pk, **NOVEMBER})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="chi-so-766-113.11.00.H26-20261101-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["2.1"][1:8] == ("Hồ sơ giải quyết trước hạn, đúng hạn", 3, 4, 0.75, 1.0, 15.0, 20.0)
    assert rows["1.2"][2:7] == (None, None, None, 1.0, None)
    assert rows["1.2"][8].startswith("Chưa tính")
    assert [rows[str(n)][1] for n in range(1, 6)] == [
        "Nhóm 1. Công khai, minh bạch", "Nhóm 2. Tiến độ, kết quả giải quyết", "Nhóm 3. Số hóa hồ sơ",
        "Nhóm 4. Cung cấp dịch vụ trực tuyến", "Nhóm 5. Mức độ hài lòng",
    ]  # fmt: skip
