"""The signer's title printed in a signature stamp stays in Vietnamese whatever the language of the signer's page."""

from __future__ import annotations

import pytest
from django.utils import translation

from chinhquyenso.agencies.models import Membership, Role
from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.signing.selectors import signer_title

pytestmark = pytest.mark.django_db


def test_a_role_without_a_title_is_named_in_vietnamese_on_an_english_page(world: World) -> None:
    with translation.override("en"):
        title = signer_title(user=world.leader, agency=world.commune, role=Role.LEADER)
        page_label = str(Role.LEADER.label)

    assert title == "Lãnh đạo"
    assert page_label == "Leader"


def test_a_membership_title_is_printed_as_it_was_typed(world: World) -> None:
    Membership.objects.filter(user=world.leader).update(title="Phó Chủ tịch UBND phường")

    with translation.override("en"):
        assert signer_title(user=world.leader, agency=world.commune, role=Role.LEADER) == "Phó Chủ tịch UBND phường"
