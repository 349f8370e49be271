"""The project-wide fixtures of the package's test suite apply to these tests too (fresh cache, media in tmp)."""

from chinhquyenso.conftest import _default_language, _fresh_cache, _media_in_tmp

__all__ = ["_default_language", "_fresh_cache", "_media_in_tmp"]
