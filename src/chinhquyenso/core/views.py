from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else."""
    return JsonResponse({"status": "ok"})


_migrations_applied = False  # once true in a process it stays true: new migrations come with a new deployment


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and every migration is applied."""
    global _migrations_applied
    checks: dict[str, str] = {}
    ready = True
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        if not _migrations_applied:
            # Building the migration graph costs ~13 ms; a load balancer polls this often.
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            _migrations_applied = not pending
            checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
        else:
            checks["migrations"] = "ok"
        ready = _migrations_applied
    except Exception as exc:  # any database failure means "not ready", with its class name only
        checks["database"] = f"error: {type(exc).__name__}"
        ready = False
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
