"""JSON for scripts: exactly one strict JSON object (no NaN, no Infinity) per command.

The objects are the library's own ``to_dict()`` documents (see ``report/schema.py``), completed
with what the command line adds: the truth for simulated data.
"""

from __future__ import annotations

import json
from typing import Any

from gaussfit.fitting import CompareResult, FitResult
from gaussfit.fitting.result import json_safe


def fit_document(result: FitResult, *, truth: dict[str, float] | None = None) -> dict[str, Any]:
    """The fit object; with ``truth`` (simulate --fit) the parameters the data were drawn from."""
    doc = result.to_dict()
    if truth is not None:
        doc["truth"] = dict(truth)
    return json_safe(doc)


def compare_document(result: CompareResult) -> dict[str, Any]:
    """``{"ranking": [fit objects, best first], "failed": [{distribution, error}]}``."""
    return json_safe(result.to_dict())


def dumps(document: dict[str, Any]) -> str:
    """Strict JSON text ending in a newline; ValueError if a NaN slipped through."""
    return json.dumps(document, allow_nan=False, indent=2, ensure_ascii=False) + "\n"
