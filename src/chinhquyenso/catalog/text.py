"""Vietnamese text normalisation for search: case- and diacritic-insensitive, with đ/Đ folded to d."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_search(text: str) -> str:
    """'Đăng ký  KHAI SINH' → 'dang ky khai sinh'. Unicode does not decompose đ, so it is mapped by hand."""
    folded = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
