"""Fixtures: the dossier world (a commune with desk, specialist, leader), the demo PKI, result PDFs, and a dossier
waiting at the leader's approval step."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from fpdf import FPDF

from chinhquyenso.accounts.tests.factories import PASSWORD
from chinhquyenso.dossiers.documents.pdf import FAMILY, FONT_DIR, FONT_FILES
from chinhquyenso.dossiers.models import Dossier
from chinhquyenso.dossiers.tests.conftest import World, at, world
from chinhquyenso.dossiers.tests.test_lifecycle import act, submitted
from chinhquyenso.signing import pki
from chinhquyenso.signing.models import PlatformKey

__all__ = ["PASSWORD", "at", "world"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def result_pdf(text: str = "GIẤY KHAI SINH", pages: int = 1) -> bytes:
    """A result as an agency's software would export it: A4, Vietnamese text, no signature yet."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONT_DIR / FONT_FILES[""]))
    pdf.set_font(FAMILY, "", 14)
    for page in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{text}\nHọ, chữ đệm, tên: Nguyễn Minh Khôi\nTrang {page + 1}")
    return bytes(pdf.output())


def upload(data: bytes, name: str = "ket-qua.pdf") -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


@dataclass
class Signing:
    world: World
    root_pem: str


@pytest.fixture
def signing(world: World) -> Signing:
    pki.pki_init()
    root = PlatformKey.objects.get(role=PlatformKey.Role.ROOT)
    return Signing(world=world, root_pem=root.certificate_pem)


def at_approval(world: World) -> Dossier:
    """A dossier received, appraised by the specialist and forwarded to the leader's approval step."""
    dossier = submitted(world)
    act(world.desk, dossier, "receive")
    act(world.specialist, dossier, "forward")
    dossier.refresh_from_db()
    return dossier


def at_appraisal(world: World) -> Dossier:
    dossier = submitted(world)
    act(world.desk, dossier, "receive")
    dossier.refresh_from_db()
    return dossier


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
