"""Helpers shared by the payment tests: issue an order, pay it through the simulator's pages."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.payments import services
from chinhquyenso.payments.models import FeeOrder, Payment

TOKEN = re.compile(r'name="khoa" value="([^"]+)"')


def issue(world: World, dossier: Dossier, **kwargs: Any) -> FeeOrder:
    kwargs.setdefault("pay_before_processing", True)
    return services.fee_order_issue(actor=world.specialist, dossier_id=dossier.pk, **kwargs)


def start_payment(client: Client, dossier: Dossier) -> tuple[Payment, str]:
    """Press "Thanh toán" on the fee page; returns the payment and the simulator URL the browser is sent to."""
    page = client.get(reverse("payments:order", args=[dossier.pk]))
    token = TOKEN.search(page.content.decode())
    assert token is not None, "the fee page has no payment button"
    response = client.post(reverse("payments:order", args=[dossier.pk]), {"khoa": token.group(1)})
    assert response.status_code == 303, response.content.decode()[:500]
    payment = Payment.objects.filter(order__dossier=dossier).latest("created_at", "id")
    return payment, response["Location"]


def gateway_page(client: Client, url: str) -> Any:
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def choose(client: Client, url: str, outcome: str, delivery: str = "now", **extra: Any) -> Any:
    """On the simulator's page: choose the outcome and how the notification is delivered; returns the response."""
    page = gateway_page(client, url)
    assert page.status_code == 200, page.content.decode().split('role="alert">')[-1][:300]
    action = re.search(r'action="(/sandbox-pay/giao-dich/\d+/ket-qua/)"', page.content.decode())
    assert action is not None
    data = {"outcome": outcome, "delivery": delivery, "late_seconds": 20, "bank_code": "NCB", **extra}
    return client.post(action.group(1), data)


def follow_return(client: Client, location: str) -> Any:
    """The browser comes back from the gateway to the platform's return URL, then to the status page."""
    parts = urlsplit(location)
    back = client.get(f"{parts.path}?{parts.query}")
    assert back.status_code == 302
    return client.get(back["Location"])
