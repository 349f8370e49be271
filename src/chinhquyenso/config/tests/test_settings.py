"""Configuration is checked at start-up in a fresh process, as an operator would start it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_KEY = "k" * 20 + "Q7#pz" * 10


def run_cqs(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # As an operator starts it: none of the test run's own variables (DJANGO_ALLOW_ASYNC_UNSAFE is set while the
    # browser journeys drive Playwright, and would rightly fail the deploy checklist).
    dropped = {"DATABASE_URL", "PYTEST_VERSION", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "CQS_ENV"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "chinhquyenso.config.cli", *args],
        env={**base, "CQS_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"CQS_ENV": "production", "ALLOWED_HOSTS": "dvc.example.vn"}, "cần biến môi trường SECRET_KEY riêng"),
        (
            {"CQS_ENV": "production", "SECRET_KEY": GOOD_KEY, "DEBUG": "true", "ALLOWED_HOSTS": "dvc.example.vn"},
            "không được bật DEBUG",
        ),
        ({"DATABASE_URL": "mysql2://nope"}, "DATABASE_URL"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' không hợp lệ"),
    ],
)
def test_bad_configuration_stops_start_up_with_one_clear_sentence(
    tmp_path: Path, env: dict[str, str], sentence: str
) -> None:
    result = run_cqs("check", tmp_path=tmp_path, **env)

    assert result.returncode != 0
    assert sentence in result.stderr
    assert result.stderr.strip().count("\n") == 0  # one line, no traceback
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_checklist(tmp_path: Path) -> None:
    result = run_cqs(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        CQS_ENV="production",
        CQS_DEMO="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="dvc.example.vn",
        CQS_SIGNING_KEY_PASSPHRASE="a-long-passphrase-for-signing-keys",
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
