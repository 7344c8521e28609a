"""``python -m benchmarks``: run the suite, print the tables, write the JSON."""

from benchmarks.run import main

raise SystemExit(main())
