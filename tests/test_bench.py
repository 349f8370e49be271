"""The benchmark harness's arithmetic and the pgbench script transforms: figures in docs/performance.md come from
these, so a mistake here would publish wrong numbers without any run failing."""

from __future__ import annotations

import pytest
from bench import dossiers_pgbench as pg
from bench.harness import Tally


def wrk_round(latencies_us: dict[int, int], seconds: float, errors: int = 0) -> dict[str, object]:
    return {
        "duration_us": seconds * 1e6,
        "requests": sum(latencies_us.values()),
        "errors": {"status": errors},
        "latency_us": list(latencies_us.items()),
    }


def test_rounds_are_summed_before_rates_and_percentiles_are_taken() -> None:
    tally = Tally()
    tally.add_wrk(wrk_round({1000: 90, 5000: 10}, seconds=2.0))  # 50 req/s
    tally.add_wrk(wrk_round({2000: 100}, seconds=1.0, errors=3))  # 100 req/s

    assert tally.rate == pytest.approx(200 / 3)  # 200 requests in 3 s, not the mean of 50 and 100
    assert tally.errors == 3
    assert tally.rates == [50.0, 100.0]
    assert tally.percentile_ms(50) == 2.0
    assert tally.percentile_ms(95) == 2.0
    assert tally.percentile_ms(96) == 5.0
    assert tally.mean_ms() == pytest.approx((90 * 1 + 10 * 5 + 100 * 2) / 200)


def test_pgbench_rounds_give_the_transaction_weighted_mean_latency() -> None:
    tally = Tally()
    tally.add_pgbench(transactions=100, tps=50.0, mean_ms=20.0, failed=0)
    tally.add_pgbench(transactions=300, tps=150.0, mean_ms=10.0, failed=2)

    assert tally.rate == pytest.approx(100.0)  # 400 transactions in 2 + 2 s
    assert tally.mean_ms() == pytest.approx(12.5)
    assert tally.errors == 2


def test_the_dossier_id_is_replaced_only_where_it_is_a_whole_value() -> None:
    sql = (
        'UPDATE "dossiers_dossier" SET "updated_at" = \'2026-11-16 08:12:33.433462+00:00\' '
        'WHERE "dossiers_dossier"."id" = 433 AND "file" = \'dossiers/433/a.pdf\' AND "n" = 4330'
    )

    script = pg.verbatim_script("t", [sql])
    replaced = pg._replace_id(sql, 433)

    assert '"id" = :d_id' in replaced
    assert ".433462" in replaced and "dossiers/433/a.pdf" in replaced and "4330" in replaced
    assert pg.count_statements(script) == 2  # the health check and the statement


def test_tracking_scripts_pick_a_random_code_and_fail_loudly_when_the_sql_changes() -> None:
    queries = [
        'SELECT "dossiers_dossier"."id" FROM "dossiers_dossier" WHERE "code" = \'H26-0001\' LIMIT 21',
        'SELECT * FROM "dossiers_dossierevent" WHERE "dossier_id" = 7 ORDER BY "at"',
    ]

    script = pg.tracking_script(queries, dossier_id=7, code="H26-0001", codes=10_000)

    assert "WHERE \"code\" = ':t_code'" in script
    assert "\\set n random(1, 10000)" in script
    assert '"dossier_id" = :d_id' in script
    assert pg.picks(script) == 1
    with pytest.raises(pg.ScriptError):
        pg.tracking_script(queries, dossier_id=7, code="OTHER", codes=10)
