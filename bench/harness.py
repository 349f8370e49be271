"""Run benchmarks against PostgreSQL through the production server; see docs/performance.md.

One run: create a throw-away database, ``cqs migrate`` and ``cqs collectstatic``, seed, start ``cqs serve``
(gunicorn, production settings) on a loopback port, wait for /readyz, then for each benchmark measure with wrk the
hello endpoint and the benchmark's endpoint and with pgbench the benchmark's SQL, all at the same concurrency and
duration. Print a markdown table and append it to docs/performance.md. Everything is torn down in ``finally``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from statistics import quantiles
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import HELLO_PATH, Benchmark, registry

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("wrk_report.lua")
DOC = ROOT / "docs" / "performance.md"
LOOPBACK = {"127.0.0.1", "localhost"}
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


class BenchError(Exception):
    """A run cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Result:
    label: str  # what was measured, as shown in the table
    rate: float  # requests/s (wrk) or transactions/s (pgbench)
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    sql: int  # SQL statements per request/transaction


def _run(cmd: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 300) -> str:
    """Run a bounded subprocess and return its stdout; fail with its output on a non-zero exit."""
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise BenchError(
            f"`{' '.join(cmd)}` exited with {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return proc.stdout


# --- database ------------------------------------------------------------------------------------------------------
def _admin(pg_url: str, sql: str) -> str:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        row = cursor.fetchone() if cursor.description else None
        return "" if row is None else str(row[0])


def _with_db(pg_url: str, name: str) -> str:
    parts = urlsplit(pg_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@contextmanager
def _database(pg_url: str) -> Iterator[str]:
    name = f"cqs_bench_{os.getpid()}_{secrets.token_hex(3)}"
    _admin(pg_url, f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(pg_url, name)
    finally:
        _admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- server --------------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (always http://127.0.0.1)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@contextmanager
def _server(env: Mapping[str, str], port: int, workers: int, log: Path) -> Iterator[str]:
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "chinhquyenso.config.cli",
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]
    with log.open("wb") as out:
        # Its own session: gunicorn's master and workers form one process group that only we own and stop.
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _status(f"{base}/readyz") != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise BenchError(f"`cqs serve` did not become ready on {base}/readyz:\n{tail}")
            time.sleep(0.2)
        yield base
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


# --- load ----------------------------------------------------------------------------------------------------------
def _wrk(wrk: str, url: str, args: argparse.Namespace, headers: Mapping[str, str], seconds: float) -> dict[str, Any]:
    cmd = [
        wrk,
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA),
        *(x for k, v in headers.items() for x in ("-H", f"{k}: {v}")),
        url,
    ]
    out = _run(cmd, timeout=seconds + 30)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no BENCH_JSON line:\n{out}")
    data: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    return data


def _http(label: str, data: Mapping[str, Any], sql: int) -> Result:
    lat = data["latency_us"]
    return Result(
        label,
        data["requests"] / (data["duration_us"] / 1e6),
        lat["p50"] / 1000,
        lat["p95"] / 1000,
        lat["p99"] / 1000,
        sum(data["errors"].values()),
        sql,
    )


def _pgbench(pgbench: str, db_url: str, benchmark: Benchmark, args: argparse.Namespace, tmp: Path) -> Result:
    script = tmp / f"{benchmark.name}.sql"
    script.write_text(benchmark.sql, encoding="utf-8")
    parts = urlsplit(db_url)
    env = {**os.environ, **({"PGPASSWORD": parts.password} if parts.password else {})}
    prefix = tmp / f"pgbench-{benchmark.name}"
    cmd = [
        pgbench,
        "-n",
        "-f",
        str(script),
        "-c",
        str(args.connections),
        "-j",
        str(args.threads),
        "-T",
        str(max(1, round(args.duration))),
        "-M",
        "simple",
        "-l",
        f"--log-prefix={prefix}",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        parts.path.lstrip("/"),
    ]
    out = _run(cmd, env=env, timeout=args.duration + 60)
    tps = re.search(r"^tps = ([\d.]+)", out, re.MULTILINE)
    failed = re.search(r"^number of failed transactions: (\d+)", out, re.MULTILINE)
    if tps is None:
        raise BenchError(f"could not read tps from pgbench:\n{out}")
    # Per-transaction log: client_id transaction_no latency_us script_no epoch epoch_us (one file per thread).
    latencies = [int(line.split()[2]) for log in tmp.glob(f"{prefix.name}.*") for line in log.open()]
    p = quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    statements = sum(ln.split("--")[0].count(";") for ln in benchmark.sql.splitlines())
    return Result(
        f"pgbench `{script.name}`",
        float(tps.group(1)),
        p[49] / 1000,
        p[94] / 1000,
        p[98] / 1000,
        int(failed.group(1)) if failed else 0,
        statements,
    )


# --- report --------------------------------------------------------------------------------------------------------
def _facts(args: argparse.Namespace, pg_url: str, wrk: str, pgbench: str) -> dict[str, str]:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
        or "?"
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": metadata.version("django"),
        "gunicorn": f"{metadata.version('gunicorn')}, {args.workers} sync workers",
        "PostgreSQL": _admin(pg_url, "SHOW server_version"),
        "load": f"{_version([wrk, '-v']).split(' [')[0]} and {_version([pgbench, '--version'])}, "
        f"{args.connections} connections, "
        f"{args.threads} threads, {args.duration:g} s each after {args.warmup:g} s warm-up",
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def _version(cmd: Sequence[str]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)  # `wrk -v` exits 1
    return (proc.stdout or proc.stderr).splitlines()[0].strip()


def _table(results: Sequence[tuple[Result, Result | None, Result | None]]) -> str:
    """Rows of (measurement, hello baseline, pgbench baseline); ratios are measurement rate / baseline rate."""

    def ratio(r: Result, base: Result | None) -> str:
        return f"{r.rate / base.rate:.2f}" if base is not None and base.rate else "—"

    lines = [
        "| measurement | req/s (tps) | p50 ms | p95 ms | p99 ms | errors | SQL/req | ÷ hello | ÷ pgbench |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r, hello, pg in results:
        lines.append(
            f"| {r.label} | {r.rate:,.0f} | {r.p50_ms:.2f} | {r.p95_ms:.2f} | {r.p99_ms:.2f} | {r.errors} "
            f"| {r.sql} | {ratio(r, hello)} | {ratio(r, pg)} |"
        )
    return "\n".join(lines)


def _record(report: str) -> None:
    if not DOC.exists():
        raise BenchError(f"{DOC} is missing: it holds the methodology the figures depend on.")
    with DOC.open("a", encoding="utf-8") as doc:
        doc.write(f"\n{report}\n")


# --- run -----------------------------------------------------------------------------------------------------------
def run(benchmarks: Sequence[Benchmark], args: argparse.Namespace) -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("wrk is not installed: `sudo apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk`.")
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise BenchError("pgbench is not installed: `sudo apt-get install -y postgresql-client` (Debian/Ubuntu).")
    host = urlsplit(args.pg).hostname or ""
    if host not in LOOPBACK:
        raise BenchError(f"benchmarks run on loopback only; --pg points at {host!r}.")
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="cqs-bench-") as tmp_name, _database(args.pg) as db_url:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "CQS_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48)[:64],
            "DEBUG": "false",
            "CQS_DEMO": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": db_url,
            "CQS_VAR_DIR": str(tmp / "var"),
            # gunicorn ≥ 23's control socket defaults to one path per user: keep off a server already running.
            "GUNICORN_CMD_ARGS": "--no-control-socket",
        }
        env.pop("REDIS_URL", None)
        cqs = [sys.executable, "-m", "chinhquyenso.config.cli"]
        print(f"· database {urlsplit(db_url).path[1:]}: migrate, collectstatic, seed", flush=True)
        _run([*cqs, "migrate", "--noinput", "-v", "0"], env)
        _run([*cqs, "collectstatic", "--noinput", "-v", "0"], env)
        probe_file = tmp / "probe.json"
        _run([sys.executable, "-m", "bench.prepare", str(probe_file), *(b.name for b in benchmarks)], env)
        probe: dict[str, dict[str, Any]] = json.loads(probe_file.read_text(encoding="utf-8"))
        for name, expected in [("hello", 200), *((b.name, b.status) for b in benchmarks)]:
            if probe[name]["status"] != expected:
                raise BenchError(f"{name}: the endpoint answered {probe[name]['status']}, expected {expected}.")
        facts = _facts(args, args.pg, wrk, pgbench)
        rows: list[tuple[Result, Result | None, Result | None]] = []
        with _server(env, args.port or _free_port(), args.workers, tmp / "server.log") as base:
            print(f"· server ready on {base} ({args.workers} workers)", flush=True)
            hello_url = base + HELLO_PATH
            if args.warmup:
                _wrk(wrk, hello_url, args, {}, args.warmup)
            print(f"· hello GET {HELLO_PATH}", flush=True)
            hello = _http(
                f"hello `GET {HELLO_PATH}`",
                _wrk(wrk, hello_url, args, {}, args.duration),
                len(probe["hello"]["queries"]),
            )
            rows.append((hello, hello, None))
            for b in benchmarks:
                headers = probe[b.name]["headers"]
                if args.warmup:
                    _wrk(wrk, base + b.path, args, headers, args.warmup)
                print(f"· {b.name}: GET {b.path}, then pgbench", flush=True)
                data = _wrk(wrk, base + b.path, args, headers, args.duration)
                pg = _pgbench(pgbench, db_url, b, args, tmp)
                rows += [
                    (_http(f"**{b.name}** `GET {b.path}`", data, len(probe[b.name]["queries"])), hello, pg),
                    (pg, None, pg),
                ]
    names = ", ".join(b.name for b in benchmarks)
    facts_md = "\n".join(f"- {k}: {v}" for k, v in facts.items())
    notes = "\n".join(f"- {b.name}: {b.description}" for b in benchmarks)
    return f"### {started:%Y-%m-%d %H:%M} UTC: {names}\n\n{facts_md}\n\n{_table(rows)}\n\n{notes}\n"


def main(argv: Sequence[str] | None = None) -> int:
    benchmarks = registry()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (see --list)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unrecorded load first (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients, wrk and pgbench (16)")
    parser.add_argument("--threads", type=int, default=2, help="load-generator threads, wrk and pgbench (2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--port", type=int, default=0, help="server port on 127.0.0.1 (default: a free one)")
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG_URL", DEFAULT_PG),
        help=f"PostgreSQL admin URL on loopback, $BENCH_PG_URL (default {DEFAULT_PG})",
    )
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to docs/performance.md")
    args = parser.parse_args(argv)
    if args.list or not args.names:
        width = max(map(len, benchmarks), default=0)
        print("\n".join(f"{b.name:<{width}}  GET {b.path:<20} {b.description}" for b in benchmarks.values()))
        return 0
    unknown = [n for n in args.names if n not in benchmarks]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(benchmarks)}")
    if args.connections < args.threads or min(args.duration, args.connections, args.workers) <= 0:
        parser.error("--duration, --connections and --workers must be positive, with --connections ≥ --threads")

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # unwind through every ``finally``: stop the server, drop the database

    signal.signal(signal.SIGTERM, _terminate)
    try:
        report = run([benchmarks[n] for n in dict.fromkeys(args.names)], args)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; server stopped and database dropped.", file=sys.stderr)
        return 130
    print(f"\n{report}")
    if not args.no_record:
        _record(report)
        print(f"(appended to {DOC.relative_to(ROOT)})")
    return 0
