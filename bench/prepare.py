"""Runs inside Django on the bench database: ``python -m bench.prepare OUT.json NAME...``.

Seeds each benchmark, then requests its path once (warm) and once more while recording the SQL, through Django's
test client and the full middleware stack, so the report can show how many queries the endpoint really runs next
to the pgbench script that stands for them. Writes ``{name: {status, headers, queries}}`` (and ``hello``) to OUT.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from bench import HELLO_PATH, registry


def _probe(path: str, headers: dict[str, str]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    Client(headers=headers, SERVER_NAME="127.0.0.1").get(path)  # first-request costs (templates, imports)
    with CaptureQueriesContext(connection) as captured:  # a fresh client: no cookies, like wrk
        response = Client(headers=headers, SERVER_NAME="127.0.0.1").get(path)
    queries = [q["sql"] for q in captured]
    if queries and connection.settings_dict.get("CONN_HEALTH_CHECKS"):
        # Django checks a reused connection with a raw SELECT 1 before a request's first query; it is not captured.
        queries.insert(0, "SELECT 1  -- CONN_HEALTH_CHECKS")
    return {"status": response.status_code, "headers": headers, "queries": queries}


def main(argv: list[str]) -> int:
    out, names = Path(argv[0]), argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chinhquyenso.config.settings")
    import django

    django.setup()
    benchmarks = registry()
    result = {"hello": _probe(HELLO_PATH, {})}
    for name in names:
        benchmark = benchmarks[name]
        headers = dict(benchmark.seed() or {}) if benchmark.seed else {}
        result[name] = _probe(benchmark.path, headers)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
