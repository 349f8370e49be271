#!/usr/bin/env python
"""Django's manage.py, for tools that expect it; `cqs` is the same thing with extra commands."""

import sys

from chinhquyenso.config.cli import _manage

if __name__ == "__main__":
    raise SystemExit(_manage(sys.argv[1:]))
