"""Imported only by the batch's fork server: make it leave at once when the batch ends.

The fork server inherits the batch's standard output and error, so a reader of the batch's
output (``gaussfit batch ... | tee log``, a test's pipe) sees end-of-file only when the fork
server is gone too. It notices the batch's end at once, but a normal interpreter shutdown with
scipy loaded takes a second or more, which would make Ctrl-C look slow. It holds nothing that
needs cleaning up (its workers have their own lifelines), so it ends with ``os._exit``.
"""

from __future__ import annotations

import atexit
import os

atexit.register(os._exit, 0)
