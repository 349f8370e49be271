"""Runs inside Django on the bench database, for bench/dossiers_scale.py: ``python -m bench.dossiers_seed STEP …``.

- ``world DIR``: the demo province without its dossiers (agencies, calendar, the 40-procedure catalog, the demo
  accounts), 64 citizens with API tokens whose declarations for "Chứng thực bản sao từ bản chính" (2.000815, the most
  filed procedure) were filled by the demo generator, a one-stop officer of phường Hồng Bàng only, API tokens for
  ``motcua`` (Hồng Bàng and the city's service centre) and for that officer, and the PDF the citizens attach.
- ``grow --count N --seed S --now ISO [--copies K] [--accounts]``: N more dossiers, stories told by the demo
  generator (``demo/dossiers.py``: its procedure, channel and agency mix, and every action replayed with the
  services' rules by ``dossiers/bulk.py``), written with ``bulk_write(…, copy=True)`` one chunk (one transaction)
  at a time, so neither the process nor a lock holds more than a chunk. ``--copies K`` writes every story K times
  (fresh ids and codes; same times and contents) when telling 1,000,000 distinct stories does not fit the time.
- ``prepare DIR …``: ``VACUUM (ANALYZE)``; the pools the write benchmarks consume (dossiers submitted online to
  Hồng Bàng, ``lock_version`` 1, with their attachment); a random sample of existing codes; the cursors of deep
  inbox pages (page 10,000, or half-way through a view that has fewer pages); then each endpoint requested once to warm and once while recording its SQL through Django's test
  client (as bench/prepare.py does), and the pgbench scripts made from that SQL (bench/dossiers_pgbench.py).
  Writes ``prepare.json`` and the Lua scripts' data files into DIR.

Personal data is the demo generator's: clearly fake identity numbers (``0319999…``), ``0100…`` phones,
``example.com`` e-mails. Seeding writes no audit entries and no notifications (see ``dossiers/bulk.py``).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

CHUNK = 5_000
PROCEDURE, CASE = "2.000815", "01"  # Chứng thực bản sao từ bản chính: about a sixth of a commune's dossiers
HONG_BANG = "113.11.00.H26"
CITIZENS = 64
HB_OFFICER = "bench.motcua.hongbang"
UPLOAD_BYTES = 100 * 1024  # one scanned page as PDF
INBOX_STATE = 10  # the "returned" view: the only one that holds 10,000 pages of one desk at 1,000,000 dossiers
INBOX_LIMIT = 20


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chinhquyenso.config.settings")
    import django

    django.setup()


# --- world ---------------------------------------------------------------------------------------------------------
def world(out_dir: Path) -> dict[str, Any]:
    from django.db import transaction
    from django.test import override_settings
    from django.utils import timezone

    from chinhquyenso.accounts.models import User
    from chinhquyenso.accounts.services import api_token_create
    from chinhquyenso.agencies.models import Agency, Membership, Role
    from chinhquyenso.catalog.forms_render import validate_submission
    from chinhquyenso.catalog.selectors import case_for_filing
    from chinhquyenso.demo.dossiers import DemoDossiers, DemoWorld
    from chinhquyenso.demo.loader import load_demo
    from chinhquyenso.dossiers.bulk import BulkContext
    from chinhquyenso.dossiers.models import Channel

    with override_settings(DEMO_MODE=True):  # the demo province is the world; the server itself runs production
        load_demo(with_dossiers=False)
    case = case_for_filing(code=PROCEDURE, case_code=CASE)
    component = case.components.filter(required=True).order_by("order").first()
    assert component is not None
    gen = DemoDossiers(world=DemoWorld.load(), ctx=BulkContext.load(), rng=random.Random(20261122), now=timezone.now())
    citizens: list[dict[str, Any]] = []
    seen: set[str] = set()
    with transaction.atomic():
        for _ in range(40_000):
            if len(citizens) == CITIZENS:
                break
            builder = gen._tell(gen._random_slot(workload=False))
            dossier = builder.dossier
            number = dossier.applicant_id_number
            if dossier.case_id != case.pk or dossier.channel != Channel.ONLINE or number in seen:
                continue
            if len(number) != 12 or validate_submission(case=case, data=dossier.data):
                continue
            seen.add(number)
            data = dossier.data
            user = User(
                username=f"bench.congdan.{len(citizens):02d}", kind=User.Kind.CITIZEN, full_name=dossier.applicant_name,
                cccd=number, phone=dossier.applicant_phone, email=dossier.applicant_email or "",
                ward_code=int(data.get("nguoi_yeu_cau_xa_phuong") or 11311),
                address_line=str(data.get("nguoi_yeu_cau_noi_cu_tru") or ""),
            )  # fmt: skip
            user.set_unusable_password()
            user.save()
            _, token = api_token_create(actor=user, name="benchmark")
            body = {"procedure_code": PROCEDURE, "case_code": CASE, "data": data}
            citizens.append({"username": user.username, "token": token, "id_number": number, "body": body})
        if len(citizens) < CITIZENS:
            raise SystemExit(f"the generator gave only {len(citizens)} online declarations for {PROCEDURE}")
        officer = User(username=HB_OFFICER, kind=User.Kind.OFFICER, full_name="Ngô Thị Hằng")
        officer.set_unusable_password()
        officer.save()
        Membership.objects.create(
            user=officer, agency=Agency.objects.get(code=HONG_BANG), role=Role.ONE_STOP, title="Cán bộ tiếp nhận"
        )
        tokens = {
            "motcua": api_token_create(actor=User.objects.get(username="motcua"), name="benchmark")[1],
            "hongbang": api_token_create(actor=officer, name="benchmark")[1],
        }
    rng = random.Random(0)
    head = f"%PDF-1.4\n1 0 obj <</Length {UPLOAD_BYTES}>> stream\n".encode()
    pdf = head + rng.randbytes(UPLOAD_BYTES) + b"\nendstream"
    (out_dir / "upload.pdf").write_bytes(pdf + b"\nendobj\ntrailer <<>>\n%%EOF\n")
    with (out_dir / "submit_data.txt").open("w", encoding="utf-8") as f:
        f.write(f"{component.code}\n")
        for c in citizens:
            f.write(f"{c['token']}\t{c['id_number']}\t{json.dumps(c['body'], ensure_ascii=False)}\n")
    result = {"citizens": citizens, "officers": tokens, "component": component.code}
    (out_dir / "world.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


# --- grow ----------------------------------------------------------------------------------------------------------
def _stories_class() -> type:
    from chinhquyenso.demo.dossiers import WORKLOAD_SHARE, DemoDossiers, Person

    class Stories(DemoDossiers):  # type: ignore[misc,valid-type]
        """The demo generator, streamed: one story at a time and a bounded memory of returning applicants."""

        def person(self, ward: int) -> Person:
            known = self._people[ward]
            if len(known) > 400:  # the demo keeps every applicant to let 12 % come back; 1,000,000 would not fit
                del known[:200]
            return super().person(ward)

        def story(self) -> Any:
            return self._tell(self._random_slot(workload=self.rng.random() < WORKLOAD_SHARE))

    return Stories


def _clone(builder: Any) -> Any:
    """The same story as a new dossier: own model instances, so ``bulk_write`` gives it fresh ids and a new code."""
    twin = copy.copy(builder)
    twin.dossier = copy.copy(builder.dossier)
    twin.events = [copy.copy(e) for e in builder.events]
    for original, event in zip(builder.events, twin.events, strict=True):
        if original is builder._receive_event:
            twin._receive_event = event
    twin.forms = [(copy.copy(form), at) for form, at in builder.forms]
    twin.route = dict(builder.route)
    return twin


def grow(*, count: int, seed: int, now: datetime, copies: int, accounts: bool) -> None:
    from chinhquyenso.demo.dossiers import DemoWorld
    from chinhquyenso.dossiers.bulk import BulkContext, bulk_write

    gen = _stories_class()(world=DemoWorld.load(), ctx=BulkContext.load(), rng=random.Random(seed), now=now)
    started, written, told = time.monotonic(), 0, 0
    last_report = started
    while written < count:
        n = min(CHUNK, -(-(count - written) // copies))
        builders = gen.generate(n) if accounts and told == 0 else [gen.story() for _ in range(n)]
        told += len(builders)
        builders.sort(key=lambda b: b.dossier.received_at or b.dossier.submitted_at)  # codes in order of receipt
        for copy_index in range(copies):
            batch = builders if copy_index == 0 else [_clone(b) for b in builders]
            batch = batch[: count - written]
            if not batch:
                break
            written += bulk_write(batch, copy=True, chunk_size=len(batch))
        if time.monotonic() - last_report > 20 or written >= count:
            last_report = time.monotonic()
            rate = written / max(1e-9, last_report - started)
            print(f"  · seed {seed}: {written:,}/{count:,} dossiers ({told:,} stories told), {rate:,.0f}/s", flush=True)


# --- prepare -------------------------------------------------------------------------------------------------------
def _capture(call: Any) -> tuple[Any, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, [q["sql"] for q in captured]


def _explain(sql: str) -> dict[str, float]:
    """The statement alone, one client: best of three ``EXPLAIN (ANALYZE, BUFFERS)`` runs (ms, 8 kB pages)."""
    from django.db import connection

    best: dict[str, float] = {}
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            top = plan["Plan"]
            run = {"ms": float(plan["Execution Time"]),
                   "pages": float(top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0))}  # fmt: skip
            if not best or run["ms"] < best["ms"]:
                best = run
    return best


def _explain_page(queries: list[str]) -> dict[str, float]:
    """An inbox page: one keyset query per agency of the officer (selectors.dossier_inbox), summed."""
    pages = [_explain(q) for q in queries if q.startswith('SELECT "dossiers_dossier"."id"') and " LIMIT " in q]
    if not pages:
        raise RuntimeError("no inbox page query recorded: the selector changed")
    return {"ms": sum(p["ms"] for p in pages), "pages": sum(p["pages"] for p in pages)}


def _pool(size: int, *, citizens: list[Any], component: Any, rng: random.Random) -> list[int]:
    """``size`` dossiers just submitted online to Hồng Bàng (state 1, version 1, one attachment), written in bulk."""
    from django.utils import timezone

    from chinhquyenso.agencies.models import Agency
    from chinhquyenso.catalog.selectors import case_for_filing
    from chinhquyenso.catalog.text import normalize_search
    from chinhquyenso.dossiers.bulk import Actor, Applicant, BulkContext, bulk_write
    from chinhquyenso.dossiers.models import Attachment

    ctx, case, now = BulkContext.load(), case_for_filing(code=PROCEDURE, case_code=CASE), timezone.now()
    desk = Agency.objects.get(code=HONG_BANG)
    builders = []
    for i in range(size):
        user, body = citizens[i % len(citizens)]
        at = now - timedelta(seconds=rng.randint(60, 6 * 3600))
        applicant = Applicant(name=user.display_name, id_number=user.cccd or "", phone=user.phone or "",
                              email=user.email, address=user.address_line)  # fmt: skip
        b = ctx.submitted_online(case=case, receiving_agency=desk, applicant=applicant, submitted_at=at,
                                 by=Actor.of(user), data=body["data"], applicant_user_id=user.pk,
                                 created_at=at - timedelta(minutes=rng.randint(3, 30)))  # fmt: skip
        b.dossier.applicant_search = normalize_search(user.display_name)
        builders.append(b)
    bulk_write(builders, copy=True, chunk_size=max(1, size))
    Attachment.objects.bulk_create(
        (
            Attachment(dossier_id=b.dossier.pk, component=component, file=f"dossiers/attachments/{b.dossier.pk}/scan.pdf",
                       original_name="ban-chinh.pdf", content_type="application/pdf", size=UPLOAD_BYTES,
                       sha256="0" * 64, uploaded_by_id=b.dossier.applicant_id)
            for b in builders
        ),
        batch_size=2000,
    )  # fmt: skip
    return [b.dossier.pk for b in builders]


def _page_cursor(actor: Any, *, page: int) -> str:
    """The cursor that opens ``page`` of the officer's view (the last row of the page before), checked."""
    from chinhquyenso.core.cursor import cursor_encode
    from chinhquyenso.dossiers import selectors

    view = _view(actor)
    at, pk = view.values_list("submitted_at", "id")[(page - 1) * INBOX_LIMIT - 1]
    cursor = cursor_encode(at, pk)
    shown = selectors.dossier_inbox(
        actor=actor, filters=selectors.InboxFilter(state=INBOX_STATE), cursor=cursor, limit=INBOX_LIMIT
    )
    expected = list(view.values_list("id", flat=True)[(page - 1) * INBOX_LIMIT : page * INBOX_LIMIT])
    if [d.pk for d in shown.items] != expected:
        raise SystemExit(f"the cursor of page {page} does not give the rows of page {page}")
    return cursor


def _view(actor: Any) -> Any:
    """The measured inbox view as a plain queryset: the officer's agencies, returned dossiers, newest first."""
    from chinhquyenso.dossiers import selectors
    from chinhquyenso.dossiers.models import Dossier

    agencies = selectors.officer_agency_ids(actor=actor)
    return Dossier.objects.filter(current_agency_id__in=agencies, is_draft=False, state=INBOX_STATE).order_by(
        "-submitted_at", "-id"
    )


def prepare(
    out_dir: Path, *, label: str, http_pool: int, pg_pool: int, codes: int, page: int, vacuum: bool
) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from bench import dossiers_pgbench as pg
    from chinhquyenso.accounts.models import User
    from chinhquyenso.catalog.selectors import case_for_filing
    from chinhquyenso.dossiers import selectors
    from chinhquyenso.dossiers.models import Dossier

    world_data = json.loads((out_dir / "world.json").read_text(encoding="utf-8"))
    timings: dict[str, float] = {}
    started = time.monotonic()
    with connection.cursor() as cursor:
        if vacuum:  # a live database is vacuumed; a fresh COPY is not, and autovacuum would start mid-measurement
            cursor.execute("VACUUM (ANALYZE) dossiers_dossier, dossiers_dossierevent, dossiers_issuedform, "
                           "dossiers_dossier_route_agencies")  # fmt: skip
        cursor.execute("ANALYZE")
    timings["vacuum_s"] = time.monotonic() - started
    rng = random.Random(label)
    users = {u.username: u for u in User.objects.filter(username__in=[c["username"] for c in world_data["citizens"]])}
    citizens = [(users[c["username"]], c["body"]) for c in world_data["citizens"]]
    case = case_for_filing(code=PROCEDURE, case_code=CASE)
    component = case.components.get(code=world_data["component"])
    started = time.monotonic()
    probe_ids = _pool(2, citizens=citizens, component=component, rng=rng)
    http_ids = _pool(http_pool, citizens=citizens, component=component, rng=rng)
    pg_ids = _pool(pg_pool, citizens=citizens, component=component, rng=rng)
    (out_dir / f"receive_ids_{label}.txt").write_text("".join(f"{i}\n" for i in http_ids), encoding="ascii")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_receive_pool; DROP SEQUENCE IF EXISTS bench_receive_seq")
        cursor.execute("CREATE TABLE bench_receive_pool (n integer PRIMARY KEY, id bigint NOT NULL)")
        cursor.execute("CREATE SEQUENCE bench_receive_seq")
        cursor.executemany("INSERT INTO bench_receive_pool VALUES (%s, %s)", list(enumerate(pg_ids, start=1)))
        cursor.execute(
            "SELECT id, code FROM dossiers_dossier WHERE code IS NOT NULL AND NOT is_draft ORDER BY random() LIMIT %s",
            [codes],
        )
        sample = cursor.fetchall()
        cursor.execute("DROP TABLE IF EXISTS bench_track_codes")
        cursor.execute("CREATE TABLE bench_track_codes (n integer PRIMARY KEY, id bigint NOT NULL, code text NOT NULL)")
        cursor.executemany(
            "INSERT INTO bench_track_codes VALUES (%s, %s, %s)", [(n, i, c) for n, (i, c) in enumerate(sample, 1)]
        )
        cursor.execute("ANALYZE bench_receive_pool; ANALYZE bench_track_codes")
    (out_dir / f"track_codes_{label}.txt").write_text("".join(f"{c}\n" for _, c in sample), encoding="ascii")
    timings["pools_s"] = time.monotonic() - started

    # --- requests, once warm and once recorded ---------------------------------------------------------------------
    def client(token: str | None) -> Client:
        return Client(headers={"Authorization": f"Bearer {token}"} if token else {}, SERVER_NAME="127.0.0.1")

    def check(response: Any, status: int, what: str) -> Any:
        if response.status_code != status:
            raise SystemExit(f"{what}: {response.status_code}, expected {status}: {response.content[:500]!r}")
        return response

    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = (out_dir / "upload.pdf").read_bytes()
    citizen = world_data["citizens"][0]
    applicant = client(citizen["token"])

    def submission(key: str) -> tuple[int, list[list[str]]]:
        r, create = _capture(lambda: applicant.post("/api/v1/dossiers", data=json.dumps(citizen["body"]),
                                                    content_type="application/json", headers={"Idempotency-Key": key}))  # fmt: skip
        dossier_id = check(r, 201, "create a draft").json()["id"]
        upload_file = SimpleUploadedFile(f"d{dossier_id}.pdf", pdf, content_type="application/pdf")
        r, upload = _capture(lambda: applicant.post(f"/api/v1/dossiers/{dossier_id}/attachments",
                                                    data={"component_code": world_data["component"],
                                                          "file": upload_file}))  # fmt: skip
        check(r, 201, "attach the document")
        r, submit = _capture(lambda: applicant.post(f"/api/v1/dossiers/{dossier_id}/submit"))
        check(r, 200, "submit")
        return dossier_id, [create, upload, submit]

    submission(f"probe-{label}-warm")
    key = f"probe-{label}"
    dossier_id, (create, upload, submit) = submission(key)
    workloads: dict[str, dict[str, Any]] = {}
    workloads["submit"] = {
        "http_sql": len(create) + len(upload) + len(submit) + 3,
        "script": pg.submit_script(create, upload, submit, dossier_id=dossier_id, key=key),
    }
    desk = client(world_data["officers"]["motcua"])

    def receive(pk: int) -> tuple[Any, list[str]]:
        return _capture(lambda: desk.post(f"/api/v1/dossiers/{pk}/actions/receive",
                                          data=json.dumps({"expected_version": 1}), content_type="application/json"))  # fmt: skip

    check(receive(probe_ids[0])[0], 200, "receive")
    r, queries = receive(probe_ids[1])
    check(r, 200, "receive")
    workloads["receive"] = {"http_sql": len(queries) + 1, "script": pg.receive_script(queries, dossier_id=probe_ids[1])}
    public = client(None)
    check(public.get("/healthz"), 200, "hello")
    r, queries = _capture(lambda: public.get("/healthz"))
    hello_sql = len(queries) + (1 if queries else 0)
    check(public.get(f"/api/v1/tracking/{sample[0][1]}"), 200, "tracking")
    r, queries = _capture(lambda: public.get(f"/api/v1/tracking/{sample[1][1]}"))
    check(r, 200, "tracking")
    explained: dict[str, dict[str, float]] = {"track": _explain(queries[0])}
    workloads["track"] = {
        "http_sql": len(queries) + 1,
        "script": pg.tracking_script(queries, dossier_id=sample[1][0], code=sample[1][1], codes=len(sample)),
    }
    inbox: dict[str, dict[str, Any]] = {}
    for who, username in (("2", "motcua"), ("1", HB_OFFICER)):
        officer = User.objects.get(username=username)
        token = world_data["officers"]["motcua" if who == "2" else "hongbang"]
        rows = _view(officer).count()
        last = rows // INBOX_LIMIT
        # Page 10,000 where the view has it; else the page half-way (the last page is no test of depth: there the
        # keyset condition leaves a few rows and PostgreSQL reads just those).
        deep = page if page <= last else max(2, last // 2)
        cursor_deep = _page_cursor(officer, page=deep) if last >= 2 else None
        view = selectors.InboxFilter(state=INBOX_STATE)
        for what, number in (("half", max(2, last // 2)), ("last", last)):  # not under load: what one page costs
            if last >= 2 and number != deep:
                cursor = _page_cursor(officer, page=number)
                _, queries = _capture(
                    partial(selectors.dossier_inbox, actor=officer, filters=view, cursor=cursor, limit=INBOX_LIMIT)
                )
                explained[f"inbox{who}-{what}"] = {**_explain_page(queries), "page": number}
        base = f"/api/v1/dossiers/inbox?state={INBOX_STATE}&limit={INBOX_LIMIT}"
        pages = [("p1", base, 1)] + ([("deep", f"{base}&cursor={cursor_deep}", deep)] if cursor_deep else [])
        for tag, path, number in pages:
            officer_client = client(token)
            check(officer_client.get(path), 200, "inbox")
            r, queries = _capture(lambda: officer_client.get(path))  # noqa: B023 (called at once)
            check(r, 200, "inbox")
            explained[f"inbox{who}-{tag}"] = {**_explain_page(queries), "page": number}
            if tag == "deep":
                explained[f"inbox{who}-{'p10000' if number == page else 'half'}"] = explained[f"inbox{who}-{tag}"]
            name = f"inbox{who}-{tag}"
            title = f"inbox page {number:,} of {rows:,} rows, officer of {who} agenc{'ies' if who == '2' else 'y'}"
            workloads[name] = {
                "http_sql": len(queries) + 1, "script": pg.verbatim_script(title, queries), "path": path,
                "token": token, "page": number, "rows": rows, "pages": last, "agencies": int(who),
            }  # fmt: skip
            inbox[name] = workloads[name]
    for name, w in workloads.items():
        w["pgbench_sql"] = pg.count_statements(w["script"])
        w["picks"] = pg.picks(w["script"])
        (out_dir / f"{name}_{label}.sql").write_text(w["script"], encoding="utf-8")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname IN ('dossiers_dossier', "
            "'dossiers_dossierevent', 'dossiers_issuedform', 'dossiers_dossier_route_agencies')"
        )
        sizes = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM dossiers_dossierevent")
        events = cursor.fetchone()[0]
    result = {
        "dossiers": Dossier.objects.count(), "events": events, "sizes": sizes, "timings": timings,
        "http_pool": len(http_ids), "pg_pool": len(pg_ids), "codes": len(sample), "workloads": workloads,
        "hello_sql": hello_sql, "explain": explained,
    }  # fmt: skip
    (out_dir / f"prepare_{label}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dossiers_seed", description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    p = steps.add_parser("world")
    p.add_argument("dir", type=Path)
    p = steps.add_parser("grow")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--now", required=True, help="ISO moment the stories stop at (the same for every process)")
    p.add_argument("--copies", type=int, default=1)
    p.add_argument("--accounts", action="store_true", help="also the demo accounts' own stories (once per database)")
    p = steps.add_parser("prepare")
    p.add_argument("dir", type=Path)
    p.add_argument("--label", required=True)
    p.add_argument("--http-pool", type=int, required=True)
    p.add_argument("--pg-pool", type=int, required=True)
    p.add_argument("--codes", type=int, default=10_000)
    p.add_argument("--page", type=int, default=10_000)
    p.add_argument("--no-vacuum", action="store_true")
    args = parser.parse_args(argv)
    _setup()
    if args.step == "world":
        world(args.dir)
    elif args.step == "grow":
        grow(count=args.count, seed=args.seed, now=datetime.fromisoformat(args.now), copies=max(1, args.copies),
             accounts=args.accounts)  # fmt: skip
    else:
        prepare(args.dir, label=args.label, http_pool=args.http_pool, pg_pool=args.pg_pool, codes=args.codes,
                page=args.page, vacuum=not args.no_vacuum)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
