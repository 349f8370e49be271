"""``cqs``: the project's command line, a thin layer over Django's management commands.

cqs demo [--host H] [--port P]   migrate ./var/cqs.sqlite3, load the demo province once, run web + worker
cqs serve [--bind ADDR] [--workers N]   production web server (gunicorn, several worker processes)
cqs worker                       the background task worker
cqs migrate                      apply database migrations
cqs audit verify                 check the audit chain; non-zero exit on the first broken link
cqs calendar due|days ...        ask the working-day calendar
cqs token create USERNAME        create a personal API token (printed alone on the last line)
cqs bench NAME                   run a benchmark from bench/
cqs <anything else>              passed to Django's manage.py
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

SETTINGS = "chinhquyenso.config.settings"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Lỗi cấu hình: {exc}\n")
        raise SystemExit(2) from None


def _manage(argv: Sequence[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["cqs", *argv])
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(
            f"Lỗi cơ sở dữ liệu: {first_line}. Kiểm tra DATABASE_URL và chạy «cqs migrate» nếu chưa khởi tạo.\n"
        )
        return 1
    return 0


def _demo(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="cqs demo", description="Chạy bản trình diễn (demo) trên máy này.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-worker", action="store_true", help="không chạy tiến trình xử lý tác vụ nền")
    args = parser.parse_args(argv)
    os.environ.setdefault("CQS_ENV", "demo")
    os.environ.setdefault("CQS_DEMO", "true")
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from chinhquyenso.demo.loader import DEMO_PASSWORD, DEMO_SIGN_INS

    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_load")
    call_command("pki", "init")  # demo CA, timestamp authority and signing certificates (idempotent)
    env = os.environ.copy()
    processes: list[subprocess.Popen[bytes]] = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "chinhquyenso.config.wsgi:application",
                "--bind",
                f"{args.host}:{args.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
            ],
            env=env,
        )
    ]
    if not args.no_worker:
        processes.append(subprocess.Popen([sys.executable, "-m", "chinhquyenso.config.cli", "worker"], env=env))
    url = f"http://{args.host}:{args.port}/"
    print(
        f"\nChính quyền số (demo) — {settings.SITE_NAME}\n  Địa chỉ: {url}\n  Cơ sở dữ liệu: "
        f"{settings.DATABASES['default']['NAME']}\n\nTài khoản trình diễn (mật khẩu: {DEMO_PASSWORD}):"
    )
    for username, role in DEMO_SIGN_INS:
        print(f"  {username:<12} {role}")
    print("\nNhấn Ctrl-C để dừng.\n", flush=True)

    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    code = 0
    while not stopping:
        if any(p.poll() is not None for p in processes):
            code = 1
            sys.stderr.write("Một tiến trình của bản demo đã dừng bất thường (cổng đã bị chiếm?).\n")
            break
        time.sleep(0.3)
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    print("Đã dừng bản demo.")
    return code


def _serve(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="cqs serve", description="Máy chủ web cho môi trường vận hành.")
    parser.add_argument("--bind", default=os.environ.get("CQS_BIND", "0.0.0.0:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "0")) or None)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))
    args = parser.parse_args(argv)
    _setup()  # fail fast, with one sentence, on bad configuration
    workers = args.workers or (os.cpu_count() or 1) * 2 + 1
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "chinhquyenso.config.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(workers),
        "--threads",
        str(args.threads),
        "--access-logfile",
        "-" if os.environ.get("CQS_ACCESS_LOG") else "/dev/null",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    os.execv(sys.executable, cmd)  # noqa: S606 (replace this process by gunicorn)
    return 0  # not reached


def _worker(argv: Sequence[str]) -> int:
    return _manage(["db_worker", *argv])


def _bench(argv: Sequence[str]) -> int:
    # exec, not a child: Ctrl-C must reach the harness so its clean-up (server, throw-away database) runs.
    os.execv(sys.executable, [sys.executable, "-m", "bench", *argv])  # noqa: S606
    return 0  # not reached


COMMANDS = {"demo": _demo, "serve": _serve, "worker": _worker, "bench": _bench}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    handler = COMMANDS.get(args[0])
    if handler is not None:
        return handler(args[1:])
    # `cqs import-catalog` runs the Django command `import_catalog`.
    return _manage([args[0].replace("-", "_"), *args[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
