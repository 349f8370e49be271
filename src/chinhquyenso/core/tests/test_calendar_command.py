"""`cqs calendar due|days`: what an administrator sees (DOMAIN.md §3.5)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chinhquyenso.core.calendar import WorkingCalendar
from chinhquyenso.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Thu 12/02 08:00 + 2 working days, across the Tết week: Mon 23/02 08:00 (see test_calendar.py).
        pytest.param(["--working-days", "2"], "2026-02-23T08:00:00+07:00", id="working days"),
        # Same-day with a 14:00 cut-off: 08:00 is before it, so due at Thursday's closing.
        pytest.param(["--working-days", "0", "--cutoff", "14:00"], "2026-02-12T17:00:00+07:00", id="cut-off"),
        # 7 h on Thursday, 8 h on Friday, 1.5 h on Mon 23/02 from 07:00.
        pytest.param(["--working-hours", "16,5"], "2026-02-23T08:30:00+07:00", id="working hours"),
        # 12/02 + 2 = Sat 14/02: rolls past the weekend and Tết to Mon 23/02, closing time.
        pytest.param(["--calendar-days", "2"], "2026-02-23T17:00:00+07:00", id="calendar days"),
    ],
)
def test_due_prints_the_due_moment_alone_on_the_last_line(args: list[str], expected: str) -> None:
    assert run("due", "--from", "2026-02-12T08:00", *args)[-1] == expected


def test_due_explains_in_vietnamese() -> None:
    lines = run("due", "--from", "2026-02-12T08:00", "--working-days", "2")

    assert lines == [
        "Tiếp nhận lúc 08:00 Thứ Năm 12/02/2026, thời hạn 2 ngày làm việc: "
        "hẹn trả kết quả lúc 08:00 Thứ Hai 23/02/2026.",
        "2026-02-23T08:00:00+07:00",
    ]


def test_due_accepts_an_offset() -> None:
    # 01:00 UTC = 08:00 in Hà Nội.
    assert run("due", "--from", "2026-02-12T01:00+00:00", "--working-days", "2")[-1] == "2026-02-23T08:00:00+07:00"


def test_due_uses_the_overrides() -> None:
    # Friday 13/02 made an extra day off: Thu 7 h, Mon 23/02 8 h, the last hour on Tue 24/02.
    CalendarOverride.objects.create(date=date(2026, 2, 13), kind=CalendarOverride.Kind.DAY_OFF)

    assert run("due", "--from", "2026-02-12T08:00", "--working-days", "2")[-1] == "2026-02-24T08:00:00+07:00"


def test_days_lists_days_off_and_worked_days() -> None:
    CalendarOverride.objects.create(
        date=date(2026, 11, 23), kind=CalendarOverride.Kind.DAY_OFF, reason="Nghỉ theo quyết định của UBND tỉnh"
    )
    CalendarOverride.objects.create(date=date(2026, 11, 28), kind=CalendarOverride.Kind.WORKING_DAY)

    assert run("days", "2026") == [
        "Ngày nghỉ năm 2026:",
        "01/01/2026  Thứ Năm  Tết Dương lịch",
        "16/02/2026  Thứ Hai  Giao thừa Tết Nguyên Đán",
        "17/02/2026  Thứ Ba  Tết Nguyên Đán",
        "18/02/2026  Thứ Tư  Mùng hai Tết Nguyên Đán",
        "19/02/2026  Thứ Năm  Mùng ba Tết Nguyên Đán",
        "20/02/2026  Thứ Sáu  Mùng bốn Tết Nguyên Đán",
        "26/04/2026  Chủ nhật  Ngày Giỗ Tổ Hùng Vương",
        "27/04/2026  Thứ Hai  Ngày Giỗ Tổ Hùng Vương (nghỉ bù)",
        "30/04/2026  Thứ Năm  Ngày Chiến thắng",
        "01/05/2026  Thứ Sáu  Ngày Quốc tế Lao động",
        "31/08/2026  Thứ Hai  Ngày nghỉ (thay cho ngày 22/08/2026)",
        "01/09/2026  Thứ Ba  Quốc khánh",
        "02/09/2026  Thứ Tư  Quốc khánh",
        "23/11/2026  Thứ Hai  Nghỉ theo quyết định của UBND tỉnh",
        "24/11/2026  Thứ Ba  Ngày Văn hóa Việt Nam",
        "Ngày làm việc bù năm 2026:",
        "22/08/2026  Thứ Bảy  Ngày làm việc bù",
        "28/11/2026  Thứ Bảy  Ngày làm việc bù",
    ]


def test_from_db_reads_both_kinds_of_override() -> None:
    CalendarOverride.objects.create(date=date(2026, 3, 6), kind=CalendarOverride.Kind.DAY_OFF)
    CalendarOverride.objects.create(date=date(2026, 3, 7), kind=CalendarOverride.Kind.WORKING_DAY)

    calendar = WorkingCalendar.from_db()

    assert (calendar.is_working_day(date(2026, 3, 6)), calendar.is_working_day(date(2026, 3, 7))) == (False, True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param([], "Thiếu lệnh", id="no subcommand"),
        pytest.param(["due", "--working-days", "2"], "Thiếu thời điểm tiếp nhận", id="no --from"),
        pytest.param(["due", "--from", "12/02/2026", "--working-days", "2"], "không hợp lệ", id="date"),
        pytest.param(["due", "--from", "2026-02-12T08:00"], "Chọn đúng một", id="no term"),
        pytest.param(
            ["due", "--from", "2026-02-12T08:00", "--working-days", "2", "--calendar-days", "3"],
            "Chọn đúng một",
            id="two terms",
        ),
        pytest.param(["due", "--from", "2026-02-12T08:00", "--working-days", "hai"], "số nguyên", id="not a number"),
        pytest.param(["due", "--from", "2026-02-12T08:00", "--working-days", "-1"], "số nguyên", id="negative days"),
        pytest.param(["due", "--from", "2026-02-12T08:00", "--working-hours", "abc"], "--working-hours", id="hours"),
        pytest.param(
            ["due", "--from", "2026-02-12T08:00", "--working-days", "1", "--cutoff", "25:00"], "Giờ chốt", id="cut-off"
        ),
        pytest.param(
            ["due", "--from", "2026-02-12T08:00", "--working-days", "1", "--cutoff", "15:00+07:00"],
            "Giờ chốt",
            id="cut-off with offset",
        ),
        pytest.param(
            ["due", "--from", "2026-02-12T08:00", "--working-hours", "1", "--cutoff", "15:00"],
            "chỉ dùng cùng --working-days",
            id="cut-off without working days",
        ),
        pytest.param(["days", "năm nay"], "Năm không hợp lệ", id="year"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
