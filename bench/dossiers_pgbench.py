"""pgbench scripts for the dossier benchmarks, made from the SQL the endpoints really sent (bench/dossiers_seed.py
records it through Django's test client, as bench/prepare.py does for the registry's benchmarks).

A script is the recorded statements in order, one pgbench transaction per operation (one dossier submitted, one
dossier received, one lookup, one page), with only the literals that must change per operation replaced:

- the dossier's id becomes ``:d_id`` (from ``INSERT … RETURNING`` for a new dossier, from a pick statement otherwise);
- the audit chain: the head row read ``FOR UPDATE`` is kept (``\\gset h_``), the new entry's ``seq`` is
  ``:h_last_seq + 1`` and it links to ``:h_last_hash``; its own hash is ``md5() || md5()`` of random text (the
  application computes a SHA-256 in Python; what the database does is the same: one 64-character unique key);
- the dossier code: ``INSERT … ON CONFLICT … RETURNING last`` on the day's counter is kept (``\\gset c_``) and the
  code written is ``<unit>-<yymmdd>-`` followed by that number, as ``codes.format_code`` does;
- the task queue row's UUID is ``gen_random_uuid()``; the ``Idempotency-Key`` is a random ``pgb-<n>``.

Everything else, including constants that stand for the request's actor (the token hash, the applicant's id) and
``BEGIN``/``SAVEPOINT``/``COMMIT``, is sent as recorded. The one statement pgbench runs that the server does not is
the *pick* that stands for what wrk's Lua script chooses (the next dossier of a pool, a random tracking code): a
primary-key lookup in a small ``bench_*`` table, marked as such in the script. Pure functions, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

HEALTH_CHECK = "SELECT 1"  # CONN_HEALTH_CHECKS: Django's probe of a reused connection before a request's first query
NEW_HASH = "md5(random()::text) || md5(random()::text)"

_AUDIT_INSERT = re.compile(
    r"""^(INSERT INTO "core_auditentry" \(.*?\) VALUES \()\d+(, .*, )'[0-9a-f]{64}', '[0-9a-f]{64}'(\).*)$""", re.S
)
_AUDIT_HEAD_UPDATE = re.compile(
    r"""^(UPDATE "core_audithead" SET "last_seq" = )\d+(, "last_hash" = )'[0-9a-f]{64}'( WHERE .*)$""", re.S
)
_TASK_INSERT = re.compile(
    r"""^(INSERT INTO "django_tasks_database_dbtaskresult" \(.*?\) VALUES \()'[0-9a-f-]{32,36}'"""
)
_CODE_SET = re.compile(r"""("code" = ')([^']*-\d{6}-)\d{4,}(')""")


class ScriptError(ValueError):
    """The recorded SQL no longer has the shape the transforms expect (the application changed): update them."""


def _replace_id(sql: str, dossier_id: int) -> str:
    # A number that is the whole token: not a part of a timestamp (``.433462``, ``16:48``), a date or a file path.
    return re.sub(rf"(?<![\w.:/-]){dossier_id}(?!\d)", ":d_id", sql)


def _line(sql: str, gset: str | None = None) -> str:
    sql = sql.strip().rstrip(";")
    return f"{sql} \\gset {gset}" if gset is not None else f"{sql};"


def _transform(sql: str, dossier_id: int | None) -> str:
    """One recorded statement as a pgbench command (with ``\\gset`` where a later statement needs its result)."""
    if dossier_id is not None:
        sql = _replace_id(sql, dossier_id)
    if sql.startswith('SELECT "core_audithead"') and sql.rstrip().endswith("FOR UPDATE"):
        return _line(sql, "h_")
    if sql.startswith('INSERT INTO "core_auditentry"'):
        match = _AUDIT_INSERT.match(sql)
        if match is None:
            raise ScriptError(f"audit entry insert not recognised: {sql[:200]}")
        return _line(f"{match[1]}:h_last_seq + 1{match[2]}':h_last_hash', {NEW_HASH}{match[3]}")
    if sql.startswith('UPDATE "core_audithead"'):
        match = _AUDIT_HEAD_UPDATE.match(sql)
        if match is None:
            raise ScriptError(f"audit head update not recognised: {sql[:200]}")
        return _line(f"{match[1]}:h_last_seq + 1{match[2]}{NEW_HASH}{match[3]}")
    if sql.startswith('INSERT INTO "django_tasks_database_dbtaskresult"'):
        sql, n = _TASK_INSERT.subn(r"\1gen_random_uuid()", sql)
        if n != 1:
            raise ScriptError(f"task insert not recognised: {sql[:200]}")
        return _line(sql)
    if sql.startswith('INSERT INTO "dossiers_codecounter"'):
        return _line(sql, "c_")
    if sql.startswith('UPDATE "dossiers_dossier" SET "code" = '):
        sql, n = _CODE_SET.subn(r"\1\2' || lpad(':c_last', greatest(4, length(':c_last')), '0')", sql, count=1)
        if n != 1:
            raise ScriptError(f"code update not recognised: {sql[:200]}")
        return _line(sql)
    if sql.startswith('INSERT INTO "dossiers_dossier" (') and 'RETURNING "dossiers_dossier"."id"' in sql:
        return _line(sql, "d_")
    return _line(sql)


def _request(queries: Sequence[str], dossier_id: int | None) -> list[str]:
    lines = [f"-- request: {len(queries) + 1} statements (health check included)", _line(HEALTH_CHECK)]
    return lines + [_transform(q, dossier_id) for q in queries]


def count_statements(script: str) -> int:
    """Statements one transaction sends (the pick included), not counting the exhausted-pool branch."""
    main = script.split("\\else", 1)[0]
    return sum(
        1 for ln in main.splitlines() if not ln.startswith("--") and (ln.rstrip().endswith(";") or "\\gset" in ln)
    )


def submit_script(
    create: Sequence[str], upload: Sequence[str], submit: Sequence[str], *, dossier_id: int, key: str
) -> str:
    """Create a draft (with an Idempotency-Key), attach the required document, submit: one dossier per transaction."""
    created = [q.replace(f"'{key}'", "'pgb-:k'") for q in create]
    if sum(q.count("'pgb-:k'") for q in created) < 2:
        raise ScriptError("the Idempotency-Key is no longer looked up and inserted as recorded")
    lines = [
        "-- online submission: POST /api/v1/dossiers, POST …/attachments, POST …/submit (bench/dossiers_pgbench.py)",
        "\\set k random(1, 999999999999)",
        *_request(created, dossier_id),
        *_request(upload, dossier_id),
        *_request(submit, dossier_id),
    ]
    return _checked(lines, need=("\\gset d_", ":d_id", ":h_last_seq"))


def receive_script(queries: Sequence[str], *, dossier_id: int) -> str:
    """Receive the next dossier of the pgbench pool (``bench_receive_pool``): code, due date, form 01, timeline."""
    lines = [
        "-- reception: POST /api/v1/dossiers/{id}/actions/receive (bench/dossiers_pgbench.py)",
        "-- pick (not sent by the server): the next dossier of the pool, as wrk's Lua script walks its own pool",
        "SELECT COALESCE(MAX(id), 0) AS d_id, COUNT(*) AS p_ok FROM bench_receive_pool "
        "WHERE n = (SELECT nextval('bench_receive_seq')) \\gset",
        "\\if :p_ok",
        *_request(queries, dossier_id),
        "\\else",
        "SELECT 1; -- the pool is used up: the run is reported as invalid",
        "\\endif",
    ]
    return _checked(lines, need=("\\gset c_", ":d_id", "lpad(':c_last'"))


def tracking_script(queries: Sequence[str], *, dossier_id: int, code: str, codes: int) -> str:
    """Public tracking of a random existing code (``bench_track_codes`` holds the same sample wrk picks from)."""
    replaced = [q.replace(f"'{code}'", "':t_code'") for q in queries]
    if not any(":t_code" in q for q in replaced):
        raise ScriptError("the tracking code is no longer a literal of the recorded SQL")
    lines = [
        "-- public tracking: GET /api/v1/tracking/{code} (bench/dossiers_pgbench.py)",
        f"\\set n random(1, {codes})",
        "-- pick (not sent by the server): a random code of the sample, as wrk's Lua script does",
        "SELECT code AS t_code, id AS d_id FROM bench_track_codes WHERE n = :n \\gset",
        *_request(replaced, dossier_id),
    ]
    return _checked(lines, need=(":t_code", ":d_id"))


def verbatim_script(title: str, queries: Sequence[str]) -> str:
    """A read whose SQL does not change between requests (an inbox page): sent as recorded."""
    return "\n".join([f"-- {title} (bench/dossiers_pgbench.py)", *_request(queries, None)]) + "\n"


def _checked(lines: Iterable[str], *, need: Sequence[str]) -> str:
    script = "\n".join(lines) + "\n"
    missing = [n for n in need if n not in script]
    if missing:
        raise ScriptError(f"the recorded SQL did not give {', '.join(missing)}: the transforms need updating")
    return script


def picks(script: str) -> int:
    """How many statements of the script stand for the load generator's choice (not sent by the server)."""
    return script.count("-- pick (not sent by the server)")
