from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _simulator_on(settings: Any) -> None:
    settings.CQS_SANDBOX_PAY = True
    settings.CQS_SANDBOX_PAY_TIMERS = False
    settings.ROOT_URLCONF = "chinhquyenso.payments.tests.urls"
