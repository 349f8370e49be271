"""``GET /readyz``: the readiness probe a load balancer polls (database answers, no migration pending)."""

from bench import Benchmark

# What one request sends, captured with Django's test client (bench/prepare.py) on PostgreSQL.
SQL = """\
-- Django's connection health check (CONN_HEALTH_CHECKS) before the request's first query
SELECT 1;
-- the view's own probe
SELECT 1;
-- MigrationRecorder.has_table(): the table list, through introspection
SELECT c.relname,
       CASE WHEN c.relispartition THEN 'p' WHEN c.relkind IN ('m', 'v') THEN 'v' ELSE 't' END,
       obj_description(c.oid, 'pg_class')
  FROM pg_catalog.pg_class c
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('f', 'm', 'p', 'r', 'v')
   AND n.nspname NOT IN ('pg_catalog', 'pg_toast')
   AND pg_catalog.pg_table_is_visible(c.oid);
-- MigrationRecorder.applied_migrations()
SELECT "django_migrations"."id", "django_migrations"."app", "django_migrations"."name", "django_migrations"."applied"
  FROM "django_migrations";
"""

BENCHMARK = Benchmark(
    name="readyz",
    path="/readyz",
    sql=SQL,
    description="readiness probe: `SELECT 1`, then the migration check (table list, `django_migrations`, and "
    "building the migration graph in Python); pgbench runs the same four statements.",
)
