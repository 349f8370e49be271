from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from chinhquyenso.dossiers.tests.conftest import World
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_applicant_and_officers_on_the_route_download_files_others_get_404(world: World, client: Client) -> None:
    dossier = submitted(world)
    attachment = dossier.attachments.get()
    act(world.desk, dossier, "receive")
    act(world.specialist, dossier, "forward")
    act(world.leader, dossier, "approve", result_file=ContentFile(b"%PDF-1.4 ket qua", name="kq.pdf"))
    url = f"/ho-so/{dossier.pk}/tep/{attachment.pk}/"
    result_url = f"/ho-so/{dossier.pk}/ket-qua/"

    statuses = []
    for user in (world.citizen, world.desk, world.leader, world.stranger):
        client.force_login(user)
        statuses.append((client.get(url).status_code, client.get(result_url).status_code))

    assert statuses == [(200, 200), (200, 200), (200, 200), (404, 404)]
    client.force_login(world.citizen)
    assert b"".join(client.get(result_url).streaming_content) == b"%PDF-1.4 ket qua"  # type: ignore[attr-defined]
