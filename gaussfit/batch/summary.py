"""The batch summary: one row per job, one column per parameter estimate and per standard error.

A CSV summary gets a sibling ``<name>.results.json`` with every job's full result, so nothing a
fit produced is lost to the flat table. The two are published as a pair: both are written in
full before either replaces its old version, so a full disk leaves the previous pair whole, and
the sidecar records the SHA-256 of the CSV it belongs with, so a reader can check that the two
files came from one run.

An interrupted batch writes ``<name>.partial.csv`` (and its sidecar) instead, so a complete
earlier summary is never replaced by a partial one; a later complete run removes the stale
partial pair.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from gaussfit.batch.runner import JobOutcome

LEADING = ["name", "status", "family", "n"]
TRAILING = ["loglik", "aic", "converged", "iterations", "seconds", "error"]
ERROR_LIMIT = 300
"""Characters of a job's error kept in the CSV (the full text is in the sidecar)."""


def parameter_names(outcomes: list[JobOutcome]) -> list[str]:
    """Every parameter any job estimated, in order of first appearance."""
    names: dict[str, None] = {}
    for outcome in outcomes:
        for name in outcome.summary.get("estimates") or {}:
            names[name] = None
    return list(names)


def summary_rows(outcomes: list[JobOutcome]) -> list[dict[str, Any]]:
    """One flat row per job: the columns of :func:`csv_columns` (absent values are None)."""
    names = parameter_names(outcomes)
    rows = []
    for outcome in outcomes:
        s = outcome.summary
        estimates = s.get("estimates") or {}
        stderr = s.get("stderr") or {}
        row: dict[str, Any] = {
            "name": outcome.name,
            "status": outcome.status,
            "family": s.get("family"),
            "n": s.get("n"),
        }
        for name in names:
            row[f"est_{name}"] = estimates.get(name)
        for name in names:
            row[f"se_{name}"] = stderr.get(name)
        row.update(
            {
                "loglik": s.get("loglik"),
                "aic": s.get("aic"),
                "converged": s.get("converged"),
                "iterations": s.get("iterations"),
                "seconds": round(outcome.seconds, 4),
                "error": outcome.error,
            }
        )
        rows.append(row)
    return rows


def csv_columns(outcomes: list[JobOutcome]) -> list[str]:
    names = parameter_names(outcomes)
    return LEADING + [f"est_{n}" for n in names] + [f"se_{n}" for n in names] + TRAILING


def format_estimates(estimates: dict[str, float] | None) -> str:
    """``mu=2.65; sigma=1.44`` for the terminal table (the CSV has a column for each)."""
    if not estimates:
        return ""
    return "; ".join(f"{k}={v:.6g}" for k, v in estimates.items())


def jobs_document(outcomes: list[JobOutcome], *, partial: bool = False) -> dict[str, Any]:
    """The ``--json`` object: ``{"partial", "jobs": [{name, status, error, result}, ...]}``."""
    from gaussfit.fitting.result import json_safe

    return json_safe({"partial": partial, "jobs": [o.to_dict() for o in outcomes]})


def csv_text(outcomes: list[JobOutcome]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_columns(outcomes), lineterminator="\n")
    writer.writeheader()
    for row in summary_rows(outcomes):
        if row["error"] and len(row["error"]) > ERROR_LIMIT:
            row["error"] = row["error"][: ERROR_LIMIT - 3] + "..."
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def sidecar_of(path: Path) -> Path:
    """Where a CSV summary's full results go: ``summary.csv`` -> ``summary.results.json``."""
    return path.with_suffix(".results.json")


def partial_of(path: Path) -> Path:
    """Where an interrupted run's summary goes: ``summary.csv`` -> ``summary.partial.csv``."""
    return path.with_name(f"{path.stem}.partial{path.suffix}")


def summary_files(path: Path, outcomes: list[JobOutcome], *, partial: bool) -> dict[Path, bytes]:
    """The file(s) a summary at ``path`` consists of, with their bytes."""
    if path.suffix.lower() == ".json":
        document = jobs_document(outcomes, partial=partial)
        return {path: (json.dumps(document, indent=2, allow_nan=False) + "\n").encode()}
    table = csv_text(outcomes).encode()
    document = jobs_document(outcomes, partial=partial)
    document["summary"] = {"file": path.name, "sha256": hashlib.sha256(table).hexdigest()}
    sidecar = (json.dumps(document, indent=2, allow_nan=False) + "\n").encode()
    return {sidecar_of(path): sidecar, path: table}


def write_summary(path: Path, outcomes: list[JobOutcome], *, partial: bool = False) -> list[Path]:
    """Publish the summary (CSV + sidecar, or one JSON file); the files written, CSV first.

    With ``partial`` the files go to :func:`partial_of` ``path``. A complete summary removes a
    partial pair left by an earlier interrupted run.
    """
    from gaussfit.data.atomic import atomic_write_together

    target = partial_of(path) if partial else path
    files = summary_files(target, outcomes, partial=partial)
    atomic_write_together(files)
    if not partial:
        stale = partial_of(path)
        for old in (stale, sidecar_of(stale)):
            with contextlib.suppress(OSError):
                old.unlink()
    return sorted(files, key=lambda p: p.suffix != path.suffix)
