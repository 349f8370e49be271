"""``GET /api/v1/quality/766``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chinhquyenso.quality.tests.conftest import AFTER_NOVEMBER, World, approve, local, received_online, signed_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/quality/766"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def test_an_officer_gets_the_indicators_of_their_agency(world: World, at: Any) -> None:
    approve(world, at, received_online(world, at, local(2026, 11, 16, 8)), local(2026, 11, 19, 9))  # late
    approve(world, at, received_online(world, at, local(2026, 11, 16, 8)), local(2026, 11, 17, 9))  # early

    with at(AFTER_NOVEMBER):
        response = signed_in(world.desk).get(URL, {"agency_id": world.commune.pk, **NOVEMBER})

    body = response.json()
    assert response.status_code == 200
    assert (body["agency"]["code"], body["from"], body["to"]) == ("113.11.00.H26", "2026-11-01", "2026-11-30")
    assert body["as_of"] == "2026-12-01T00:00:00+07:00"
    timeliness = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "timeliness")
    assert timeliness == {
        "key": "timeliness", "number": "2.1", "name": "Hồ sơ giải quyết trước hạn, đúng hạn", "status": "computed",
        "numerator": 1, "denominator": 2, "ratio": 0.5, "threshold": 1.0, "max_points": 20.0, "points": 10.0,
        "note": "",
    }  # fmt: skip
    feedback = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "feedback_on_time")
    assert (feedback["status"], feedback["ratio"], feedback["points"]) == ("not_computed", None, None)
    assert body["max_points"] == 100.0


def test_another_agency_the_province_or_a_citizen_answers_404(world: World) -> None:
    officer = signed_in(world.desk)

    for response in (
        officer.get(URL, {"agency_id": world.other_commune.pk}),
        officer.get(URL),
        signed_in(world.citizen).get(URL, {"agency_id": world.commune.pk}),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"


def test_a_system_administrator_gets_the_province_without_agency_id(world: World, at: Any, admin: Any) -> None:
    received_online(world, at, local(2026, 11, 16, 8))

    with at(AFTER_NOVEMBER):
        body = signed_in(admin).get(URL, NOVEMBER).json()

    online = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "online_dossiers")
    assert body["agency"] is None
    assert (online["numerator"], online["denominator"]) == (1, 1)


def test_a_wrong_period_is_a_422_problem_naming_the_parameter(world: World, at: Any) -> None:
    with at(AFTER_NOVEMBER):
        response = signed_in(world.desk).get(URL, {"agency_id": world.commune.pk, "from": "2026-11-30",
                                                   "to": "2026-11-01"})  # fmt: skip

    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "invalid_period"
    assert body["errors"] == [{"field": "to", "message": "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."}]


def test_without_signing_in_the_answer_is_401(world: World) -> None:
    response = Client().get(URL, {"agency_id": world.commune.pk})

    assert response.status_code == 401
