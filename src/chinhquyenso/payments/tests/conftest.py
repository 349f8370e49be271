"""Fixtures of the payment tests: the dossier world (dossiers/tests/conftest.py), a case with fees, and the
gateway SIMULATOR wired in-process: the platform's HTTP calls to the gateway API go to the simulator's view, and the
simulator's notifications go to the platform's IPN view, both through Django's test client (no network)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from chinhquyenso.catalog.models import ApplicantCategory, Fee
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.tests.conftest import World, at, world  # noqa: F401 (fixtures)
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted
from chinhquyenso.payments.gateways import transport
from chinhquyenso.sandbox_pay import delivery

URLS = "chinhquyenso.payments.tests.urls"


@pytest.fixture(autouse=True)
def _simulator_in_process(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings.CQS_SANDBOX_PAY = True
    settings.CQS_SANDBOX_PAY_TIMERS = False
    settings.ROOT_URLCONF = URLS

    def post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = Client().post(urlsplit(url).path, data=json.dumps(body), content_type="application/json")
        answer: dict[str, Any] = response.json()
        return answer

    def send(url: str, params: Mapping[str, str]) -> tuple[int, str]:
        response = Client(REMOTE_ADDR="203.0.113.10").get(f"{urlsplit(url).path}?{urlencode(params)}")
        return response.status_code, response.content.decode()

    monkeypatch.setattr(transport, "post_json", post_json)
    monkeypatch.setattr(delivery, "send", send)
    yield


@pytest.fixture
def fees(world: World) -> dict[str, Fee]:  # noqa: F811 (the imported fixture)
    """Lệ phí 8.000 đ (exempt for poor households) and a copy fee of 2.000 đ per page."""
    poor = ApplicantCategory.objects.create(code="ho-ngheo", name="Hộ nghèo")
    ApplicantCategory.objects.create(code="nguoi-co-cong", name="Người có công với cách mạng")
    fee = Fee.objects.create(case=world.case, kind=Fee.Kind.FEE, name="Lệ phí đăng ký khai sinh", amount=8000)
    fee.exemptions.set([poor])
    copy = Fee.objects.create(case=world.case, kind=Fee.Kind.CHARGE, name="Phí cấp bản sao trích lục", amount=2000,
                              unit="bản")  # fmt: skip
    return {"fee": fee, "copy": copy}


def received(world: World) -> Dossier:  # noqa: F811 (a plain helper taking the fixture)
    """A dossier received by the desk, at the specialist's step (who may request payment)."""
    dossier = submitted(world)
    return act(world.desk, dossier, "receive")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


Runner = Callable[[Callable[[], None]], None]
