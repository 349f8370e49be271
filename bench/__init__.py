"""Benchmarks (not tests): ``uv run python -m bench NAME`` or ``uv run cqs bench NAME``.

A benchmark is a module in this folder that defines ``BENCHMARK = Benchmark(...)``; it is found by name, no list
to edit. The harness (``bench/harness.py``) runs it against PostgreSQL through the production server and compares it
with two baselines measured in the same run: the framework's hello endpoint (``/healthz``) and pgbench running
``sql``. Modules are imported without Django configured: import models inside ``seed``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass

HELLO_PATH = "/healthz"  # the hello baseline: a trivial JSON view behind the whole middleware stack

Headers = Mapping[str, str]


@dataclass(frozen=True)
class Benchmark:
    name: str
    path: str  # GET, relative to the server root
    sql: str  # pgbench script (-f): the SQL one request runs, semicolon-terminated statements
    description: str
    # Runs inside Django on the throw-away bench database before the server starts. Seed realistic volumes with
    # the ORM (bulk_create) or COPY; return extra request headers (e.g. a session Cookie) or None.
    seed: Callable[[], Headers | None] | None = None
    status: int = 200  # the status every request must get


def registry() -> dict[str, Benchmark]:
    found: dict[str, Benchmark] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        benchmark = getattr(importlib.import_module(f"{__name__}.{info.name}"), "BENCHMARK", None)
        if isinstance(benchmark, Benchmark):
            found[benchmark.name] = benchmark
    return dict(sorted(found.items()))
