"""Dossier codes: ``<unit code>-<YYMMDD>-<NNNN>`` (Thông tư 01/2018/TT-VPCP, Điều 19; DOMAIN.md §3.1).

The sequence restarts every local day per receiving unit and is allocated atomically with a single
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL and SQLite ≥ 3.35), so two receptions can never
get the same number, even on two web nodes at once.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection

from chinhquyenso.agencies.models import Agency
from chinhquyenso.core.calendar import to_local
from chinhquyenso.dossiers.models import CodeCounter, RuleSet


def next_sequence(*, agency: Agency, day: date) -> int:
    table = connection.ops.quote_name(CodeCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 (table name is ours)
            "ON CONFLICT (agency_id, day) DO UPDATE SET last = " + table + ".last + 1 RETURNING last",
            [agency.pk, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def format_code(*, rule_set: RuleSet, unit: str, day: date, seq: int) -> str:
    return rule_set.code_format.format(unit=unit, yymmdd=f"{day:%y%m%d}", seq=seq)


def allocate_code(*, agency: Agency, rule_set: RuleSet, moment: datetime) -> str:
    """A new dossier code for a receipt by ``agency`` at ``moment`` (its local date)."""
    day = to_local(moment).date()
    return format_code(rule_set=rule_set, unit=agency.code, day=day, seq=next_sequence(agency=agency, day=day))
