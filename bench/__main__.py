"""``python -m bench NAME...``: see bench/harness.py and docs/performance.md."""

from bench.harness import main

raise SystemExit(main())
