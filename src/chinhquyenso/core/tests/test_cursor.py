from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from chinhquyenso.core.cursor import cursor_decode, cursor_encode

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from(
    [UTC, timezone(timedelta(hours=7))]
))  # fmt: skip


@given(moment=moments, pk=st.integers(min_value=1, max_value=2**63 - 1))
def test_a_cursor_gives_back_the_exact_moment_and_id(moment: datetime, pk: int) -> None:
    cursor = cursor_encode(moment, pk)

    assert cursor_decode(cursor) == (moment, pk)
    assert "=" not in cursor and "/" not in cursor and "+" not in cursor  # safe in a URL as it is


@given(garbage=st.text(max_size=60))
def test_anything_else_is_ignored_rather_than_an_error(garbage: str) -> None:
    decoded = cursor_decode(garbage)

    assert decoded is None or (decoded[0].tzinfo is not None and isinstance(decoded[1], int))


def test_a_naive_moment_is_not_a_cursor() -> None:
    assert cursor_decode(cursor_encode(datetime(2026, 11, 16, 8), 5)) is None


def test_a_moment_at_the_edge_of_the_calendar_is_not_a_cursor() -> None:
    edge = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-10)))  # overflows once in UTC

    assert cursor_decode(cursor_encode(edge, 5)) is None
