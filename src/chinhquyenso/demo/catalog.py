"""The demo catalog: 40 real procedures (39 national codes + 1 local code) from ``demo/catalog.csv``.

The CSV is in the import layout (docs/catalog-import-format.md) and goes through the same importer as
``cqs import-catalog``; forms are named by key from ``demo/catalog_forms.py``. Decisions and demo assumptions:
docs/adr/0007-catalog.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chinhquyenso.catalog.importer import import_catalog

CATALOG_CSV = Path(__file__).with_name("catalog.csv")


def load_demo_catalog(actor: Any = None) -> int:
    """Import the demo catalog; returns how many procedures were created or changed (0 when already loaded).

    Idempotent: a second call finds identical content and writes nothing. The demo agencies must exist
    (province departments referenced by unit code, e.g. Công an thành phố 000.00.16.H26).
    """
    result = import_catalog(CATALOG_CSV, actor=actor)
    return result.changed
