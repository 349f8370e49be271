"""Run benchmarks against PostgreSQL through the production server; see docs/performance.md.

One run: create a throw-away database, ``cqs migrate`` and ``cqs collectstatic``, seed, start ``cqs serve``
(gunicorn, production settings) on a loopback port, wait for /readyz, then measure, in interleaved rounds at the
same concurrency, wrk on the hello endpoint, wrk on each benchmark's endpoint and pgbench on its SQL. Print a
markdown table and append it to docs/performance.md. Everything is torn down in ``finally``.
"""

from __future__ import annotations

import argparse
import ctypes
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
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import HELLO_PATH, Benchmark, registry

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("wrk_report.lua")
DOC = ROOT / "docs" / "performance.md"
LOOPBACK = {"127.0.0.1", "localhost"}
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
# Settings a developer's shell may carry that would change what is measured: the run uses the defaults.
INHERITED_KNOBS = {
    *("REDIS_URL", "CONN_MAX_AGE", "LOG_LEVEL", "STORAGE_BACKEND", "STATIC_ROOT", "MEDIA_ROOT"),
    *("WEB_CONCURRENCY", "WEB_THREADS", "CQS_ACCESS_LOG", "GUNICORN_CMD_ARGS", "DJANGO_SETTINGS_MODULE"),
}


class BenchError(Exception):
    """A run cannot go on; the message says why and what to do."""


@dataclass
class Tally:
    """One measurement summed over its rounds."""

    count: int = 0  # requests (wrk) or transactions (pgbench)
    seconds: float = 0.0
    errors: int = 0
    histogram: Counter[int] = field(default_factory=Counter)  # wrk's exact latencies: µs → requests
    latency_ms_sum: float = 0.0  # pgbench: transactions × its mean latency (it has no usable histogram)
    cpu_s: float = 0.0  # wrk: CPU time the server's processes spent meanwhile
    rates: list[float] = field(default_factory=list)  # per round

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def add_wrk(self, data: Mapping[str, Any], cpu_s: float = 0.0) -> None:
        """One wrk round (the BENCH_JSON of wrk_report.lua) and the server's CPU seconds during it."""
        seconds = data["duration_us"] / 1e6
        self.count += data["requests"]
        self.seconds += seconds
        self.errors += sum(data["errors"].values())
        self.histogram.update({us: n for us, n in data["latency_us"]})
        self.cpu_s += cpu_s
        self.rates.append(data["requests"] / seconds)

    def add_pgbench(self, transactions: int, tps: float, mean_ms: float, failed: int) -> None:
        self.count += transactions
        self.seconds += transactions / tps
        self.errors += failed
        self.latency_ms_sum += transactions * mean_ms
        self.rates.append(tps)

    def cpu_ms(self) -> float:
        return 1000 * self.cpu_s / self.count if self.count else 0.0

    def mean_ms(self) -> float:
        if self.histogram:
            return sum(us * n for us, n in self.histogram.items()) / self.histogram.total() / 1000
        return self.latency_ms_sum / self.count if self.count else 0.0

    def percentile_ms(self, q: float) -> float:
        target, seen = q / 100 * self.histogram.total(), 0
        for us in sorted(self.histogram):
            seen += self.histogram[us]
            if seen >= target:
                return us / 1000
        return 0.0


def run_command(cmd: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 300) -> str:
    """Run a bounded subprocess and return its stdout; fail with its output on a non-zero exit."""
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"`{' '.join(cmd)}` did not finish within {timeout:g} s.") from None
    if proc.returncode != 0:
        raise BenchError(
            f"`{' '.join(cmd)}` exited with {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return proc.stdout


def _first_line(cmd: Sequence[str]) -> str:
    """First line a short command prints (on either stream: `wrk -v` prints to stdout and exits 1)."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=10, cwd=ROOT, check=False)
    return next(iter((proc.stdout or proc.stderr).splitlines()), "").strip()


# --- database ------------------------------------------------------------------------------------------------------
def admin_sql(pg_url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


@contextmanager
def throwaway_database(pg_url: str) -> Iterator[str]:
    # First drop what runs that were killed left behind: cqs_bench_<pid>_... whose process is gone.
    for (stale,) in admin_sql(pg_url, "SELECT datname FROM pg_database WHERE datname LIKE 'cqs_bench_%'"):
        pid = stale.split("_")[2]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            admin_sql(pg_url, f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
    name = f"cqs_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin_sql(pg_url, f'CREATE DATABASE "{name}"')
    try:
        parts = urlsplit(pg_url)
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        admin_sql(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- server --------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (always http://127.0.0.1)
            return int(response.status), response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except OSError as exc:
        return 0, str(exc)


def _cpu_seconds(pgid: int) -> float:
    """User + system CPU time of the processes in a process group (the server: gunicorn's master and workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp ...
            if int(fields[2]) == pgid:
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the harness is killed outright (Linux), so no server outlives it."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextmanager
def server(env: Mapping[str, str], port: int, workers: int, log: Path) -> Iterator[str]:
    """``cqs serve`` on 127.0.0.1:port, ready; yields its base URL."""
    with _server_group(env, port, workers, log) as (base, _):
        yield base


@contextmanager
def _server_group(env: Mapping[str, str], port: int, workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """``cqs serve`` on 127.0.0.1:port, ready; yields its base URL and its process group's id."""
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "chinhquyenso.config.cli",
        *f"serve --bind 127.0.0.1:{port} --workers {workers}".split(),
    ]
    with log.open("wb") as out:
        # Its own session: gunicorn's master and workers form one process group that only we own and stop.
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
            preexec_fn=die_with_parent,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90  # a busy 2-core machine can take a while to import Django
        while (answer := http_get(f"{base}/readyz"))[0] != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                raise BenchError(f"`cqs serve` is not ready: /readyz answered {answer}. Server log:\n{tail}")
            time.sleep(0.2)
        yield base, proc.pid  # the process group's id
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
def wrk_measure(
    wrk: str, url: str, args: argparse.Namespace, headers: Mapping[str, str], seconds: int
) -> dict[str, Any]:
    cmd = [
        *f"{wrk} -t {args.threads} -c {args.connections} -d {seconds}s --timeout 10s -s".split(), str(LUA),
        *(x for k, v in headers.items() for x in ("-H", f"{k}: {v}")), url,
    ]  # fmt: skip
    out = run_command(cmd, timeout=seconds + 30)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no BENCH_JSON line:\n{out}")
    data: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    return data


def pgbench_measure(
    pgbench: str, script: Path, db_url: str, args: argparse.Namespace, seconds: int
) -> tuple[int, float, float, int]:
    """One pgbench run: (transactions, tps, mean latency in ms, failed transactions).

    No percentiles: pgbench 15's per-transaction log (-l) records most sub-millisecond transactions as taking 0 µs
    (70 % for SELECT 1 here). Its average latency (clients × duration ÷ transactions) is exact.
    """
    parts = urlsplit(db_url)
    env = {**os.environ, **({"PGPASSWORD": parts.password} if parts.password else {})}
    # -M simple: Django's psycopg cursors send parameters merged into the text, over the simple query protocol.
    cmd = [
        *f"{pgbench} -n -c {args.connections} -j {args.threads} -T {seconds} -M simple -f".split(), str(script),
        *("-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"),
        parts.path.lstrip("/"),
    ]  # fmt: skip
    out = run_command(cmd, env=env, timeout=seconds + 60)

    def grab(pattern: str) -> str | None:
        match = re.search(rf"^{pattern}", out, re.MULTILINE)
        return match.group(1) if match else None

    transactions = grab(r"number of transactions actually processed: (\d+)")
    tps, mean = grab(r"tps = ([\d.]+)"), grab(r"latency average = ([\d.]+) ms")
    if transactions is None or tps is None or mean is None:
        raise BenchError(f"could not read pgbench's figures:\n{out}")
    return int(transactions), float(tps), float(mean), int(grab(r"number of failed transactions: (\d+)") or 0)


# --- report --------------------------------------------------------------------------------------------------------
def cpu_busy(seconds: float = 1.0) -> float:
    """Share of CPU time, all cores, not idle over the next ``seconds``: what else the machine is doing."""

    def sample() -> tuple[int, int]:
        # "cpu user nice system idle iowait irq softirq steal ..." (guest time is already counted in user)
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        return sum(ticks), ticks[3] + ticks[4]

    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 100 * (1 - (idle1 - idle0) / max(1, total1 - total0))


def machine_facts(args: argparse.Namespace, wrk: str, pgbench: str, busy: float) -> dict[str, str]:
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    mem = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    dirty = _first_line(["git", "status", "--porcelain", "--untracked-files=no"])
    return {
        "machine": f"{cpu.group(1) if cpu else platform.machine()}, {os.cpu_count()} cores, "
        f"{int(mem.group(1)) / 2**20 if mem else 0:.1f} GiB RAM, {platform.system()} {platform.release()}; "
        f"before the run: CPU {busy:.0f} % busy, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "software": f"Python {platform.python_version()}, Django {metadata.version('django')}, "
        f"PostgreSQL {admin_sql(args.pg, 'SHOW server_version')[0][0]}",
        "server": f"`cqs serve` (gunicorn {metadata.version('gunicorn')}), {args.workers} sync workers, "
        "CQS_ENV=production",
        "load": f"{_first_line([wrk, '-v']).split(' [')[0]}, {_first_line([pgbench, '--version'])}; "
        f"{args.connections} connections, {args.threads} threads; {args.duration} s per measurement in "
        f"{args.rounds} interleaved rounds, after {args.warmup} s of warm-up",
        "commit": (_first_line(["git", "rev-parse", "--short", "HEAD"]) or "?")
        + (" with uncommitted changes" if dirty else ""),
    }


def spread(values: Sequence[float], fmt: str = ",.0f") -> str:
    return f"{min(values):{fmt}}–{max(values):{fmt}}" if values else "—"


def _table(rows: Sequence[tuple[str, Tally, int, Tally | None, Tally | None]]) -> str:
    """Rows of (label, measurement, SQL per request, hello baseline, pgbench baseline)."""

    def ratio(t: Tally, base: Tally | None) -> str:
        if base is None or not base.rate:
            return "—"
        x = t.rate / base.rate
        return f"{x:.2f}" if x >= 0.1 else f"{x:.2g}"

    lines = [
        "| measurement | req/s (tps) | mean ms | p50 ms | p95 ms | p99 ms | errors | SQL/req | server CPU ms/req "
        "| ÷ hello | ÷ pgbench |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, t, sql, hello, pg in rows:
        pct = " | ".join(f"{t.percentile_ms(q):.2f}" for q in (50, 95, 99)) if t.histogram else "— | — | —"
        cpu = f"{t.cpu_ms():.2f}" if t.histogram else "—"
        lines.append(
            f"| {label} | {t.rate:,.0f} | {t.mean_ms():.2f} | {pct} | {t.errors} | {sql} | {cpu} "
            f"| {ratio(t, hello)} | {ratio(t, pg)} |"
        )
    return "\n".join(lines)


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
    started, busy = dt.datetime.now(dt.UTC), cpu_busy()
    facts = machine_facts(args, wrk, pgbench, busy)
    if busy > 20:
        print(f"· warning: the CPUs are {busy:.0f} % busy with other work: figures will be noisy", flush=True)
    with tempfile.TemporaryDirectory(prefix="cqs-bench-") as tmp_name, throwaway_database(args.pg) as db_url:
        tmp = Path(tmp_name)
        env = {
            **{k: v for k, v in os.environ.items() if k not in INHERITED_KNOBS},
            "CQS_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48)[:64],
            "DEBUG": "false",
            "CQS_DEMO": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": db_url,
            "CQS_VAR_DIR": str(tmp / "var"),
        }
        if tuple(map(int, metadata.version("gunicorn").split(".")[:2])) >= (25, 1):
            # gunicorn's control socket defaults to one path per user: keep off any server already running.
            env["GUNICORN_CMD_ARGS"] = "--no-control-socket"
        cqs = [sys.executable, "-m", "chinhquyenso.config.cli"]
        print(f"· database {urlsplit(db_url).path[1:]}: migrate, collectstatic, seed", flush=True)
        run_command([*cqs, "migrate", "--noinput", "-v", "0"], env)
        run_command([*cqs, "collectstatic", "--noinput", "-v", "0"], env)
        probe_file = tmp / "probe.json"
        run_command([sys.executable, "-m", "bench.prepare", str(probe_file), *(b.name for b in benchmarks)], env)
        probe: dict[str, dict[str, Any]] = json.loads(probe_file.read_text(encoding="utf-8"))
        for name, expected in [("hello", 200), *((b.name, b.status) for b in benchmarks)]:
            if probe[name]["status"] != expected:
                raise BenchError(f"{name}: the endpoint answered {probe[name]['status']}, expected {expected}.")
        scripts = {b.name: tmp / f"{b.name}.sql" for b in benchmarks}
        for b in benchmarks:
            scripts[b.name].write_text(b.sql, encoding="utf-8")
        hello, http, pg = Tally(), {b.name: Tally() for b in benchmarks}, {b.name: Tally() for b in benchmarks}
        slice_s = args.duration // args.rounds
        with _server_group(env, args.port or free_port(), args.workers, tmp / "server.log") as (base, pgid):
            print(f"· server ready on {base} ({args.workers} workers)", flush=True)

            def load(tally: Tally, url: str, headers: Mapping[str, str]) -> None:
                cpu = _cpu_seconds(pgid)
                data = wrk_measure(wrk, url, args, headers, slice_s)
                tally.add_wrk(data, _cpu_seconds(pgid) - cpu)

            if args.warmup:
                wrk_measure(wrk, base + HELLO_PATH, args, {}, args.warmup)
                for b in benchmarks:
                    wrk_measure(wrk, base + b.path, args, probe[b.name]["headers"], args.warmup)
            # Interleaved rounds: a change in what else the machine does hits the endpoint and its baselines alike.
            for r in range(1, args.rounds + 1):
                print(f"· round {r}/{args.rounds}: hello, {', '.join(b.name for b in benchmarks)}", flush=True)
                load(hello, base + HELLO_PATH, {})
                for b in benchmarks:
                    load(http[b.name], base + b.path, probe[b.name]["headers"])
                    pg[b.name].add_pgbench(*pgbench_measure(pgbench, scripts[b.name], db_url, args, slice_s))
    drift = 100 * (max(hello.rates) / min(hello.rates) - 1)
    facts["stability"] = f"hello per round {spread(hello.rates)} req/s ({drift:.0f} % apart)"
    if drift > 20:
        print(f"· warning: hello varied {drift:.0f} % between rounds: something else used the CPUs", flush=True)
    rows: list[tuple[str, Tally, int, Tally | None, Tally | None]] = [
        (f"hello `GET {HELLO_PATH}`", hello, len(probe["hello"]["queries"]), hello, None)
    ]
    notes = []
    for b in benchmarks:
        statements = sum(ln.split("--")[0].count(";") for ln in b.sql.splitlines())
        rows += [
            (f"**{b.name}** `GET {b.path}`", http[b.name], len(probe[b.name]["queries"]), hello, pg[b.name]),
            (f"pgbench `{b.name}.sql`", pg[b.name], statements, None, pg[b.name]),
        ]
        per_round = [e / h for e, h in zip(http[b.name].rates, hello.rates, strict=True)]
        cpu_x = http[b.name].cpu_ms() / hello.cpu_ms() if hello.cpu_ms() else 0
        notes.append(
            f"- {b.name}: {b.description} ÷ hello per round: {spread(per_round, '.2f')}; "
            f"server CPU per request: {cpu_x:.1f} × hello's."
        )
    facts_md = "\n".join(f"- {k}: {v}" for k, v in facts.items())
    title = f"### {started:%Y-%m-%d %H:%M} UTC: {', '.join(b.name for b in benchmarks)}"
    return f"{title}\n\n{facts_md}\n\n{_table(rows)}\n\n" + "\n".join(notes) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    benchmarks = registry()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (see --list)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement, in all (default 10)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds it is split into (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unrecorded load per endpoint (default 2)")
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
        print("\n".join(f"{b.name:<{width}}  GET {b.path}" for b in benchmarks.values()))
        return 0
    unknown = [n for n in args.names if n not in benchmarks]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(benchmarks)}")
    if min(args.connections, args.workers, args.rounds) <= 0 or args.connections < args.threads:
        parser.error("--connections, --workers and --rounds must be positive, with --connections ≥ --threads")
    if args.duration < args.rounds or args.duration % args.rounds or args.warmup < 0:
        parser.error("--duration must be a whole multiple of --rounds (each round lasts whole seconds)")
    if not args.no_record and not DOC.exists():
        parser.error(f"{DOC} is missing: it holds the methodology the figures depend on (or pass --no-record)")

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
        with DOC.open("a", encoding="utf-8") as doc:
            doc.write(f"\n{report}")
        print(f"(appended to {DOC.relative_to(ROOT)})")
    return 0
