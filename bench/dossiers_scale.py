"""Dossiers at scale: ``uv run python -m bench.dossiers_scale`` (docs/adr/0012-dossier-benchmarks.md).

One run, one throw-away database, two sizes (``--levels``, default 100,000 then 1,000,000 dossiers): the demo
province is loaded, dossiers are seeded through the bulk path (the demo generator's stories, ``bulk_write`` with
COPY, in chunks, in ``--seed-workers`` processes) up to the first size, the server is measured, seeding goes on up
to the second size, the server is measured again. Each measurement is wrk through ``cqs serve`` against pgbench
running the SQL the endpoint really sent (recorded by bench/dossiers_seed.py, turned into a script by
bench/dossiers_pgbench.py), with the hello endpoint as the framework's ceiling, in interleaved rounds at the same
concurrency: bench/harness.py's method, its functions reused as they are.

Workloads: online submission (create a draft with an Idempotency-Key, attach the required document, submit),
reception of submitted dossiers (each request on another dossier, with its expected version), public tracking
of random existing codes, and the officer inbox (page 1 and page 10,000, or half-way where a view is shorter) for
an officer of two agencies (the demo's ``motcua``) and for an officer of one. A markdown section is printed and
appended to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import HELLO_PATH
from bench.harness import (
    DEFAULT_PG,
    DOC,
    INHERITED_KNOBS,
    LOOPBACK,
    ROOT,
    BenchError,
    Tally,
    admin_sql,
    cpu_busy,
    die_with_parent,
    free_port,
    http_get,
    machine_facts,
    pgbench_measure,
    run_command,
    server,
    spread,
    throwaway_database,
    wrk_measure,
)

HERE = Path(__file__).resolve().parent
SEED = [sys.executable, "-m", "bench.dossiers_seed"]
CQS = [sys.executable, "-m", "chinhquyenso.config.cli"]
COPY_SHARE = 0.3  # of the time to seed one distinct story, the part that is writing it (COPY), the rest telling it


@dataclass(frozen=True)
class Workload:
    name: str
    label: str  # the endpoint, as shown in the table
    description: str
    lua: str | None = None  # bench/dossiers_<lua>.lua; None: a fixed GET through wrk_report.lua (the inbox)


WORKLOADS = [
    Workload(
        "submit",
        "`POST /api/v1/dossiers` + `…/{id}/attachments` + `…/{id}/submit`",
        "online submission of 2.000815 (chứng thực bản sao) by 64 citizens in turn: a draft with the declaration and "
        "a fresh Idempotency-Key, the required document (a 100 KB PDF, multipart, stored on disk), then submit; "
        "three requests per dossier, so op/s = dossiers submitted per second, req/s and latencies per request. "
        "pgbench: the three requests' statements in one script.",
        lua="submit",
    ),
    Workload(
        "receive",
        "`POST /api/v1/dossiers/{id}/actions/receive`",
        "the one-stop officer of phường Hồng Bàng receives dossiers submitted online, each request another dossier "
        "of a pool with its expected_version: the day's code counter (one row per desk and day: receptions at one "
        "desk queue on it), due date, form 01, timeline, audit chain (one head row: every write in the system "
        "queues on it), the notification task. pgbench: the same statements on its own pool, plus the pick.",
        lua="receive",
    ),
    Workload(
        "track",
        "`GET /api/v1/tracking/{code}`",
        "public tracking of a random code out of 10,000 sampled from all received dossiers: the dossier by its "
        "unique code with its procedure and agencies, then its timeline. pgbench: the same two statements plus the "
        "pick of the code.",
        lua="track",
    ),
    Workload(
        "inbox2-p1",
        "`GET /api/v1/dossiers/inbox?state=10&limit=20`",
        "inbox page 1 of `motcua` (one-stop officer of the city's service centre and of phường Hồng Bàng: "
        "two agencies), the returned dossiers, newest first, 20 a page. pgbench: the same statements.",
    ),
    Workload(
        "inbox2-deep",
        "`GET /api/v1/dossiers/inbox?state=10&limit=20&cursor=…`",
        "the same view at page 10,000, with the cursor of that page computed before the run; where the view has "
        "fewer pages (at 100,000), the page half-way through it. pgbench: the same statements.",
    ),
    Workload(
        "inbox1-p1",
        "`GET /api/v1/dossiers/inbox?state=10&limit=20`",
        "inbox page 1 of a one-stop officer of phường Hồng Bàng only (one agency), the returned dossiers.",
    ),
    Workload(
        "inbox1-deep",
        "`GET /api/v1/dossiers/inbox?state=10&limit=20&cursor=…`",
        "the same view at page 10,000, or half-way through it where it has fewer pages.",
    ),
]


@dataclass
class Level:
    target: int
    label: str
    seeding_s: float = 0.0
    grown: int = 0
    distinct: int = 0
    copies: int = 1
    prepared: dict[str, Any] = field(default_factory=dict)
    hello: Tally = field(default_factory=Tally)
    http: dict[str, Tally] = field(default_factory=dict)
    pg: dict[str, Tally] = field(default_factory=dict)
    ops: dict[str, float] = field(default_factory=dict)  # operations done (a third of a dossier per submit request)
    submitted: int = 0  # dossiers whose three requests all completed inside a round
    notes: list[str] = field(default_factory=list)


# --- processes -----------------------------------------------------------------------------------------------------
def _env(db_url: str, tmp: Path) -> dict[str, str]:
    """The production environment bench/harness.py gives the server (kept in step with its ``run``)."""
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
        env["GUNICORN_CMD_ARGS"] = "--no-control-socket"
    return env


def _count(db_url: str) -> int:
    return int(admin_sql(db_url, "SELECT count(*) FROM dossiers_dossier")[0][0])


def _grow(env: Mapping[str, str], *, count: int, workers: int, copies: int, seed: int, now: str, accounts: bool,
          timeout: float) -> None:  # fmt: skip
    """``count`` more dossiers in ``workers`` processes (each its own stories, chunk by chunk), bounded in time."""
    shares = [count // workers + (1 if w < count % workers else 0) for w in range(workers)]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for w, share in enumerate(shares):
            if share <= 0:
                continue
            cmd = [*SEED, "grow", "--count", str(share), "--seed", str(seed + w), "--now", now, "--copies", str(copies)]
            if accounts and w == 0:
                cmd.append("--accounts")
            procs.append(subprocess.Popen(cmd, env=dict(env), cwd=ROOT, preexec_fn=die_with_parent))
        deadline = time.monotonic() + timeout
        for proc in procs:
            code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            if code != 0:
                raise BenchError(f"seeding process {proc.pid} exited with {code} (its output is above).")
    except subprocess.TimeoutExpired:
        raise BenchError(f"seeding did not finish within {timeout:g} s; try --copies or smaller --levels.") from None
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)


def _start_server(stack: ExitStack, env: Mapping[str, str], args: argparse.Namespace, log: Path) -> str:
    """bench/harness.py's server, given three chances: on a crowded machine its 30 s to be ready can pass."""
    for attempt in (1, 2, 3):
        try:
            return str(stack.enter_context(server(env, args.port or free_port(), args.workers, log)))
        except BenchError:
            if attempt == 3:
                raise
            print("· the server was not ready within 30 s (busy machine); starting it again", flush=True)
    raise AssertionError


def _wrk_lua(
    wrk: str, script: Path, url: str, args: argparse.Namespace, headers: Mapping[str, str], seconds: int,
    script_args: Sequence[str],
) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """bench/harness.py's ``wrk_measure`` with one of our scripts: (BENCH_JSON, BENCH_DOSSIERS) of one run."""
    cmd = [
        wrk, "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s", "--timeout", "10s",
        "-s", str(script), *(x for k, v in headers.items() for x in ("-H", f"{k}: {v}")), url, "--", *script_args,
    ]  # fmt: skip
    out = run_command(cmd, timeout=seconds + 30)
    found: dict[str, dict[str, Any]] = {}
    for line in out.splitlines():
        for key in ("BENCH_JSON", "BENCH_DOSSIERS"):
            if line.startswith(key + " "):
                found[key] = json.loads(line.removeprefix(key + " "))
    if "BENCH_JSON" not in found:
        raise BenchError(f"wrk printed no BENCH_JSON line:\n{out}")
    return found["BENCH_JSON"], found.get("BENCH_DOSSIERS", {})


def _pgbench_into(
    tally: Tally, pgbench: str, script: Path, db_url: str, args: argparse.Namespace, seconds: int
) -> None:  # fmt: skip
    """bench/harness.py's ``pgbench_measure`` into ``tally``; a round in which no transaction finished counts as 0 tps."""
    try:
        tally.add_pgbench(*pgbench_measure(pgbench, script, db_url, args, seconds))
    except BenchError as exc:
        if "number of transactions actually processed: 0/" not in str(exc) and "processed: 0\n" not in str(exc):
            raise
        failed = re.search(r"number of failed transactions: (\d+)", str(exc))
        tally.seconds += seconds
        tally.errors += int(failed.group(1)) if failed else 0
        tally.rates.append(0.0)


def _drain(base: str, db_url: str, limit: float = 180) -> None:
    """Wait until requests queued by the last run are served and no statement of the bench database is running.

    wrk and pgbench stop sending at the end of a run, but the server's listen queue and PostgreSQL's running
    statements finish afterwards; a slow endpoint (seconds per request) would otherwise spill into the next
    measurement. Bounded: after ``limit`` seconds the run goes on (and the spill shows in the figures).
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and http_get(base + HELLO_PATH)[0] != 200:
        time.sleep(0.2)
    busy = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' " \
        "AND pid <> pg_backend_pid()"  # fmt: skip
    while time.monotonic() < deadline and int(admin_sql(db_url, busy)[0][0]) > 0:
        time.sleep(0.2)


# --- measuring one level -------------------------------------------------------------------------------------------
class Runner:
    """The HTTP side of each workload, with the state that moves between runs (the reception pool's position)."""

    def __init__(self, wrk: str, base: str, args: argparse.Namespace, tmp: Path, level: Level, world: dict[str, Any]):
        self.wrk, self.base, self.args, self.tmp, self.level, self.world = wrk, base, args, tmp, level, world
        self.offset, self.tag = 0, 0

    def http(self, w: Workload, seconds: int, record: bool) -> None:
        prepared = self.level.prepared["workloads"][w.name]
        label, args = self.level.label, self.args
        if w.lua is None:
            data, extra = wrk_measure(self.wrk, self.base + prepared["path"], args,
                               {"Authorization": f"Bearer {prepared['token']}"}, seconds), {}  # fmt: skip
        elif w.lua == "submit":
            self.tag += 1
            data, extra = _wrk_lua(self.wrk, HERE / "dossiers_submit.lua", self.base, args, {}, seconds,
                                   [str(self.tmp / "submit_data.txt"), str(self.tmp / "upload.pdf"),
                                    f"{label}-{self.tag}-{secrets.token_hex(3)}"])  # fmt: skip
        elif w.lua == "receive":
            token = self.world["officers"]["motcua"]
            data, extra = _wrk_lua(self.wrk, HERE / "dossiers_receive.lua", self.base, args,
                                   {"Authorization": f"Bearer {token}"}, seconds,
                                   [str(self.tmp / f"receive_ids_{label}.txt"), str(self.offset),
                                    str(args.threads)])  # fmt: skip
            self.offset += args.threads * int(extra["issued_per_thread"])
            if extra.get("exhausted"):
                self.level.notes.append(f"receive: the HTTP pool ran out ({extra['exhausted']} requests): invalid.")
        else:
            data, extra = _wrk_lua(self.wrk, HERE / "dossiers_track.lua", self.base, args, {}, seconds,
                                   [str(self.tmp / f"track_codes_{label}.txt")])  # fmt: skip
        if not record:
            return
        self.level.http.setdefault(w.name, Tally()).add_wrk(data)
        if w.lua == "submit":  # each request a third of a dossier: chains cut at a round's end still count
            done = (int(extra["created"]) + int(extra["uploaded"]) + int(extra["submitted"])) / 3
            self.level.submitted += int(extra["submitted"])
        else:
            done = int(data["requests"])
        self.level.ops[w.name] = self.level.ops.get(w.name, 0) + done
        if w.lua == "submit" and extra.get("unexpected"):
            self.level.notes.append(f"submit: {extra['unexpected']} responses were not the expected 201/201/200.")


def _measure_level(wrk: str, pgbench: str, base: str, db_url: str, args: argparse.Namespace, tmp: Path,
                   level: Level, world: dict[str, Any]) -> None:  # fmt: skip
    runner = Runner(wrk, base, args, tmp, level, world)
    slice_s = args.duration // args.rounds
    if args.warmup:
        wrk_measure(wrk, base + HELLO_PATH, args, {}, args.warmup)
        for w in WORKLOADS:
            if w.name in level.prepared["workloads"]:
                runner.http(w, args.warmup, record=False)
                _drain(base, db_url)
    present = [w for w in WORKLOADS if w.name in level.prepared["workloads"]]
    _drain(base, db_url)
    for r in range(1, args.rounds + 1):
        print(f"· {level.label}, round {r}/{args.rounds}: hello, {', '.join(w.name for w in present)}", flush=True)
        level.hello.add_wrk(wrk_measure(wrk, base + HELLO_PATH, args, {}, slice_s))
        for w in present:
            runner.http(w, slice_s, record=True)
            _drain(base, db_url)
            script = tmp / f"{w.name}_{level.label}.sql"
            _pgbench_into(level.pg.setdefault(w.name, Tally()), pgbench, script, db_url, args, slice_s)
            _drain(base, db_url)
    used = int(admin_sql(db_url, "SELECT last_value FROM bench_receive_seq")[0][0])
    if used > level.prepared["pg_pool"]:
        level.notes.append(f"receive: pgbench ran out of its pool ({used:,} > {level.prepared['pg_pool']:,}): invalid.")


def _server_errors(log: Path, level: Level) -> None:
    """What the server's log says about failed requests (it is deleted with the temporary folder)."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    failed = len(re.findall(r'"status": 5\d\d', text))
    deadlocks = text.count("deadlock detected")
    if failed or deadlocks:
        level.notes.append(f'server log: {failed} responses 5xx; "deadlock detected" {deadlocks} times.')


# --- report --------------------------------------------------------------------------------------------------------
def _ratio(x: float, base: float) -> str:
    if not base:
        return "—"
    r = x / base
    return f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"


def _rate(level: Level, name: str) -> float:
    t = level.http[name]
    return level.ops[name] / t.seconds if t.seconds else 0.0


def _pct(t: Tally) -> str:
    if not t.histogram:
        return "— | — | —"
    return " | ".join(f"{t.percentile_ms(q):.2f}" for q in (50, 95, 99))


def _mean(t: Tally) -> str:
    return f"{t.mean_ms():.2f}" if t.count else "—"


def _level_table(level: Level) -> str:
    lines = [
        "| measurement | op/s (tps) | req/s | mean ms | p50 ms | p95 ms | p99 ms | errors | SQL/op | ÷ hello | ÷ pgbench |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    h = level.hello
    sql = level.prepared["hello_sql"]
    lines.append(f"| hello `GET {HELLO_PATH}` | {h.rate:,.0f} | {h.rate:,.0f} | {_mean(h)} | {_pct(h)} | {h.errors} "
                 f"| {sql} | 1.00 | — |")  # fmt: skip
    for w in WORKLOADS:
        if w.name not in level.http:
            continue
        t, pg, prep = level.http[w.name], level.pg[w.name], level.prepared["workloads"][w.name]
        ops = _rate(level, w.name)
        label = w.label
        if w.name.startswith("inbox"):
            label += f" page {prep['page']:,} of {prep['pages']:,}"
        lines.append(
            f"| **{w.name}** {label} | {ops:,.1f} | {t.rate:,.1f} | {_mean(t)} | {_pct(t)} | {t.errors} "
            f"| {prep['http_sql']} | {_ratio(t.rate, h.rate)} | {_ratio(ops, pg.rate)} |"
        )
        picks = f" (+{prep['picks']} pick)" if prep["picks"] else ""
        lines.append(
            f"| pgbench `{w.name}.sql` | {pg.rate:,.1f} | — | {_mean(pg)} | — | — | — | {pg.errors} "
            f"| {prep['pgbench_sql'] - prep['picks']}{picks} | — | 1.00 |"
        )
    return "\n".join(lines)


def _compare_table(levels: Sequence[Level]) -> str:
    a, b = levels[0], levels[-1]

    def arrow(x: float, y: float, fmt: str) -> str:
        change = f" ({(y / x - 1) * 100:+.0f} %)" if x else ""
        return f"{x:{fmt}} → {y:{fmt}}{change}"

    lines = [
        "| measurement | op/s | p95 ms | ÷ hello | ÷ pgbench | pgbench tps | pgbench mean ms |",
        "|---|---|---|---|---|---|---|",
    ]
    lines.append(f"| hello | {arrow(a.hello.rate, b.hello.rate, ',.0f')} "
                 f"| {arrow(a.hello.percentile_ms(95), b.hello.percentile_ms(95), '.1f')} | — | — | — | — |")  # fmt: skip
    for w in WORKLOADS:
        if w.name not in a.http or w.name not in b.http:
            continue
        ra, rb = _rate(a, w.name), _rate(b, w.name)
        ta, tb, pa, pb = a.http[w.name], b.http[w.name], a.pg[w.name], b.pg[w.name]
        page = ""
        if w.name.endswith("deep"):
            page = f" (page {a.prepared['workloads'][w.name]['page']:,} → {b.prepared['workloads'][w.name]['page']:,})"
        lines.append(
            f"| **{w.name}**{page} | {arrow(ra, rb, ',.1f')} | {arrow(ta.percentile_ms(95), tb.percentile_ms(95), '.1f')} "
            f"| {_ratio(ta.rate, a.hello.rate)} → {_ratio(tb.rate, b.hello.rate)} "
            f"| {_ratio(ra, pa.rate)} → {_ratio(rb, pb.rate)} | {arrow(pa.rate, pb.rate, ',.0f')} "
            f"| {arrow(pa.mean_ms(), pb.mean_ms(), '.2f')} |"
        )
    return "\n".join(lines)


def _explain_table(levels: Sequence[Level]) -> str:
    head = " | ".join(f"{lv.label} ms | {lv.label} pages" for lv in levels)
    lines = [f"| statement (alone: one client, EXPLAIN ANALYZE, best of 3) | {head} |",
             "|---|" + "---:|" * (2 * len(levels))]  # fmt: skip
    names = {"track": "tracking: the dossier by its code"}
    for who, officer in (("2", "two agencies"), ("1", "one agency")):
        for tag, where in (("p1", "page 1"), ("half", "half-way"), ("p10000", "page 10,000"), ("last", "last page")):
            names[f"inbox{who}-{tag}"] = f"inbox, officer of {officer}: {where}"
    for name, title in names.items():
        cells = []
        for lv in levels:
            e = lv.prepared.get("explain", {}).get(name)
            note = f" (page {int(e['page']):,})" if e and "page" in e and not name.endswith("p1") else ""
            cells.append(f"{e['ms']:.2f}{note} | {e['pages']:,.0f}" if e else "— | —")
        lines.append(f"| {title} | {' | '.join(cells)} |")
    return "\n".join(lines)


def _report(started: dt.datetime, facts: dict[str, str], levels: Sequence[Level], args: argparse.Namespace) -> str:
    mb = 2**20
    data = []
    for lv in levels:
        p = lv.prepared
        sizes = p["sizes"]
        how = f"{lv.distinct:,} stories told" + (f", each written {lv.copies}×" if lv.copies > 1 else "")
        data.append(
            f"{lv.label}: {p['dossiers']:,} dossiers and {p['events']:,} timeline events "
            f"(+{lv.grown:,} seeded in {lv.seeding_s:,.0f} s, {lv.grown / max(lv.seeding_s, 1e-9):,.0f}/s, "
            f"{args.seed_workers} processes: {how}); `dossiers_dossier` {sizes.get('dossiers_dossier', 0) / mb:,.0f} MB, "
            f"`dossiers_dossierevent` {sizes.get('dossiers_dossierevent', 0) / mb:,.0f} MB with indexes; "
            f"VACUUM (ANALYZE) took {p['timings']['vacuum_s']:.0f} s"
        )
    facts = {**facts, "data": "; ".join(data)}
    facts["stability"] = "; ".join(
        f"hello per round {spread(lv.hello.rates)} req/s at {lv.label} "
        f"({100 * (max(lv.hello.rates) / min(lv.hello.rates) - 1):.0f} % apart)"
        for lv in levels
    )
    facts_md = "\n".join(f"- {k}: {v}" for k, v in facts.items())
    title = f"### {started:%Y-%m-%d %H:%M} UTC: dossiers at {' and '.join(f'{lv.target:,}' for lv in levels)}"
    parts = [
        title,
        "",
        "Run with `uv run python -m bench.dossiers_scale` (25–30 minutes; `--no-record` prints only; "
        "`--levels 20000,60000 --duration 5 --warmup 1` is a quick check; options and why it is built this way: "
        "[ADR 0012](adr/0012-dossier-benchmarks.md)). op/s: dossiers submitted, dossiers received, lookups or "
        "pages per second; ÷ hello compares requests per second, ÷ pgbench operations per second.",
        "",
        facts_md,
    ]
    for lv in levels:
        parts += ["", f"#### {lv.prepared['dossiers']:,} dossiers ({lv.label})", "", _level_table(lv)]
    if len(levels) > 1:
        parts += ["", f"#### From {levels[0].label} to {levels[-1].label}", "", _compare_table(levels)]
    parts += ["", "#### What the database does for one read, alone", "", _explain_table(levels)]
    notes = []
    for w in WORKLOADS:
        per_round = []
        for lv in levels:
            if w.name in lv.http:
                ratios = [e / h for e, h in zip(lv.http[w.name].rates, lv.hello.rates, strict=True)]
                per_round.append(f"{spread(ratios, '.2f' if min(ratios) >= 0.1 else '.2g')} at {lv.label}")
        if per_round:
            notes.append(f"- {w.name}: {w.description} ÷ hello per round: {'; '.join(per_round)}.")
    for lv in levels:
        notes.append(f"- {lv.label}: {lv.submitted:,} dossiers went through all three submission requests inside a "
                     "round (the rest were cut by a round's end; op/s counts each request as a third).")  # fmt: skip
        notes += [f"- {lv.label}: {n}" for n in dict.fromkeys(lv.notes)]
    return "\n".join(parts) + "\n\n" + "\n".join(notes) + "\n"


# --- run -----------------------------------------------------------------------------------------------------------
def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def run(args: argparse.Namespace) -> str:
    wrk, pgbench = shutil.which("wrk"), shutil.which("pgbench")
    if wrk is None or pgbench is None:
        raise BenchError("wrk and pgbench are needed: `sudo apt-get install -y wrk postgresql-client`.")
    if (urlsplit(args.pg).hostname or "") not in LOOPBACK:
        raise BenchError("benchmarks run on loopback only.")
    targets = sorted({int(x.replace("_", "")) for x in args.levels.split(",")})
    started, busy = dt.datetime.now(dt.UTC), cpu_busy()
    facts = machine_facts(args, wrk, pgbench, busy)
    if busy > 20:
        print(f"· warning: the CPUs are {busy:.0f} % busy with other work: figures will be noisy", flush=True)
    now = started.isoformat()
    levels: list[Level] = []
    with tempfile.TemporaryDirectory(prefix="cqs-bench-dossiers-") as tmp_name, throwaway_database(args.pg) as db_url:
        tmp = Path(tmp_name)
        env = _env(db_url, tmp)
        print(f"· database {urlsplit(db_url).path[1:]}: migrate, collectstatic, the demo province", flush=True)
        run_command([*CQS, "migrate", "--noinput", "-v", "0"], env)
        run_command([*CQS, "collectstatic", "--noinput", "-v", "0"], env)
        run_command([*SEED, "world", str(tmp)], env, timeout=900)
        world = json.loads((tmp / "world.json").read_text(encoding="utf-8"))
        rate_ms: float | None = None  # wall ms per distinct dossier, measured on the first level
        for i, target in enumerate(targets):
            level = Level(target=target, label=_label(target))
            have = _count(db_url)
            pools = args.http_pool + args.pg_pool + 2
            level.grown = max(0, target - have - pools)
            copies = 1
            if args.copies == "auto":
                if rate_ms is not None and level.grown:
                    budget_ms = args.seed_budget * 1000

                    def cost(k: int, n: int = level.grown, r: float = rate_ms) -> float:
                        return n * r * ((1 - COPY_SHARE) / k + COPY_SHARE)

                    copies = next((k for k in range(1, 21) if cost(k) <= budget_ms), 20)
            else:
                copies = max(1, int(args.copies))
            level.copies = copies
            level.distinct = -(-level.grown // copies)
            print(f"· {level.label}: seeding {level.grown:,} dossiers ({level.distinct:,} stories"
                  f"{f', each written {copies}×' if copies > 1 else ''}) in {args.seed_workers} processes", flush=True)  # fmt: skip
            t0 = time.monotonic()
            _grow(env, count=level.grown, workers=args.seed_workers, copies=copies, seed=1000 * (i + 1), now=now,
                  accounts=i == 0, timeout=args.seed_timeout)  # fmt: skip
            level.seeding_s = time.monotonic() - t0
            if copies == 1 and level.grown:
                rate_ms = level.seeding_s * 1000 / level.grown
            print(
                f"· {level.label}: seeded in {level.seeding_s:,.0f} s; vacuum, pools, codes, cursors, SQL", flush=True
            )
            run_command([*SEED, "prepare", str(tmp), "--label", level.label, "--http-pool", str(args.http_pool),
                  "--pg-pool", str(args.pg_pool), "--page", str(args.page)], env, timeout=1800)  # fmt: skip
            level.prepared = json.loads((tmp / f"prepare_{level.label}.json").read_text(encoding="utf-8"))
            with ExitStack() as stack:
                base = _start_server(stack, env, args, tmp / f"server_{level.label}.log")
                print(f"· {level.label}: server ready on {base} ({args.workers} workers)", flush=True)
                _measure_level(wrk, pgbench, base, db_url, args, tmp, level, world)
            _server_errors(tmp / f"server_{level.label}.log", level)
            levels.append(level)
    return _report(started, facts, levels, args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dossiers_scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="100000,1000000", help="dossier counts to measure at (100000,1000000)")
    parser.add_argument("--seed-workers", type=int, default=2, help="seeding processes (default 2)")
    parser.add_argument("--copies", default="auto",
                        help="write every story this many times; auto (default): 1 for the first level, then as few "
                        "as keep each later level's seeding within --seed-budget")  # fmt: skip
    parser.add_argument("--seed-budget", type=int, default=900, help="seconds for a later level's seeding (900)")
    parser.add_argument("--seed-timeout", type=int, default=2400, help="seconds before seeding is abandoned (2400)")
    parser.add_argument("--http-pool", type=int, default=3000, help="submitted dossiers wrk may receive, per level")
    parser.add_argument("--pg-pool", type=int, default=12000, help="submitted dossiers pgbench may receive, per level")
    parser.add_argument("--page", type=int, default=10_000, help="the deep inbox page (default 10000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement, in all (default 10)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds it is split into (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unrecorded load per endpoint (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients, wrk and pgbench (16)")
    parser.add_argument("--threads", type=int, default=2, help="load-generator threads, wrk and pgbench (2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--port", type=int, default=0, help="server port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG),
                        help=f"PostgreSQL admin URL on loopback, $BENCH_PG_URL (default {DEFAULT_PG})")  # fmt: skip
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to docs/performance.md")
    args = parser.parse_args(argv)
    if args.duration < args.rounds or args.duration % args.rounds or args.warmup < 0:
        parser.error("--duration must be a whole multiple of --rounds (each round lasts whole seconds)")
    if min(args.connections, args.workers, args.rounds, args.seed_workers) <= 0 or args.connections < args.threads:
        parser.error(
            "--connections, --workers, --rounds and --seed-workers must be positive, --connections ≥ --threads"
        )
    if args.copies != "auto" and not args.copies.isdigit():
        parser.error("--copies is a whole number or auto")

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # unwind through every ``finally``: stop the server and the seeders, drop the database

    signal.signal(signal.SIGTERM, _terminate)
    try:
        report = run(args)
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


if __name__ == "__main__":
    raise SystemExit(main())
