"""The batch summary: one row per job, written atomically as CSV or JSON.

A CSV summary gets a sibling ``<name>.results.json`` with every job's full result, so nothing a
fit produced is lost to the flat table.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from gaussfit.batch.runner import JobOutcome

COLUMNS = [
    "name",
    "status",
    "family",
    "n",
    "estimates",
    "loglik",
    "aic",
    "converged",
    "iterations",
    "seconds",
    "error",
]


def summary_rows(outcomes: list[JobOutcome]) -> list[dict[str, Any]]:
    rows = []
    for outcome in outcomes:
        s = outcome.summary
        rows.append(
            {
                "name": outcome.name,
                "status": outcome.status,
                "family": s.get("family"),
                "n": s.get("n"),
                "estimates": s.get("estimates"),
                "loglik": s.get("loglik"),
                "aic": s.get("aic"),
                "converged": s.get("converged"),
                "iterations": s.get("iterations"),
                "seconds": round(outcome.seconds, 4),
                "error": outcome.error,
            }
        )
    return rows


def format_estimates(estimates: dict[str, float] | None) -> str:
    if not estimates:
        return ""
    return "; ".join(f"{k}={v:.6g}" for k, v in estimates.items())


def jobs_document(outcomes: list[JobOutcome]) -> dict[str, Any]:
    """The ``--json`` object: ``{"jobs": [{name, status, error, result}, ...]}``."""
    from gaussfit.fitting.result import json_safe

    return json_safe({"jobs": [o.to_dict() for o in outcomes]})


def write_summary(path: Path, outcomes: list[JobOutcome]) -> list[Path]:
    """Write the summary (CSV or JSON by suffix) atomically; returns the files written."""
    from gaussfit.data import atomic_write_text

    if path.suffix.lower() == ".json":
        atomic_write_text(
            path, json.dumps(jobs_document(outcomes), indent=2, allow_nan=False) + "\n"
        )
        return [path]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in summary_rows(outcomes):
        row = dict(row)
        row["estimates"] = format_estimates(row["estimates"])
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    atomic_write_text(path, buffer.getvalue())
    sidecar = path.with_suffix(".results.json")
    atomic_write_text(
        sidecar, json.dumps(jobs_document(outcomes), indent=2, allow_nan=False) + "\n"
    )
    return [path, sidecar]
