"""`uv run cqs demo` as a newcomer runs it: fresh ./var, web + worker, sign-ins printed, Ctrl-C stops it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                return int(response.status)
        except OSError:
            time.sleep(0.3)
    return 0


def test_demo_starts_web_and_worker_prints_sign_ins_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_VERSION", "CQS_ENV"}}
    env["CQS_VAR_DIR"] = str(tmp_path / "var")
    process = subprocess.Popen(
        [sys.executable, "-m", "chinhquyenso.config.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = wait_ready(f"http://127.0.0.1:{port}/readyz", seconds=90)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=5) as response:
            login_page = response.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)

    assert status == 200
    assert "Đăng nhập" in login_page
    assert process.returncode == 0
    for username in ("congdan", "doanhnghiep", "motcua", "chuyenvien", "lanhdao", "quantri"):
        assert username in output
    assert "mật khẩu: demo" in output
    assert "Starting worker" in output  # the task worker ran beside the web server
    assert "Đã dừng bản demo." in output
    assert (tmp_path / "var" / "cqs.sqlite3").exists()
