from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and cached lookups live in the cache: every test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()
