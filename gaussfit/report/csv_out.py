"""A fit as CSV: one row per parameter, the fit-level numbers repeated on every row.

Repeating the fit-level columns keeps the file one flat table that a spreadsheet or
``pandas.read_csv`` takes as is, and lets files from many fits be concatenated.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from typing import Any

from gaussfit.fitting import FitResult

PARAMETER_COLUMNS = (
    "parameter",
    "estimate",
    "stderr",
    "ci_low",
    "ci_high",
    "fixed",
    "closed_form",
    "scipy",
)
FIT_COLUMNS = (
    "distribution",
    "n",
    "loglik",
    "aic",
    "aicc",
    "bic",
    "optimizer",
    "iterations",
    "converged",
    "stopped",
)


def fit_csv(result: FitResult) -> str:
    """The CSV text (header line first, ``\\n`` line ends, numbers at full precision)."""
    gof = _flat_gof(result.gof)
    gof_columns = list(gof)
    header = [
        *PARAMETER_COLUMNS,
        *FIT_COLUMNS,
        *gof_columns,
        "source_path",
        "source_column",
    ]
    closed, scipy = result.reference.get("closed_form"), result.reference.get("scipy")
    source = result.source or {}
    fit_level = [
        result.distribution,
        result.n,
        result.loglik,
        result.aic,
        result.aicc,
        result.bic,
        result.optimizer,
        result.iterations,
        result.converged,
        result.stopped,
        *(gof[k] for k in gof_columns),
        source.get("path"),
        source.get("column"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for name, value in result.params.items():
        ci = result.ci95.get(name) or (None, None)
        row = [
            name,
            value,
            result.stderr.get(name),
            ci[0],
            ci[1],
            name in result.fixed,
            closed.params.get(name) if closed is not None else None,
            scipy.params.get(name) if scipy is not None else None,
        ]
        writer.writerow([_cell(v) for v in (*row, *fit_level)])
    return buffer.getvalue()


def _flat_gof(gof: dict[str, Any]) -> dict[str, Any]:
    """The goodness-of-fit numbers as flat columns (``bootstrap_ks_pvalue``, ...)."""
    out: dict[str, Any] = {}
    for key, value in gof.items():
        if isinstance(value, dict):
            out.update({f"{key}_{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def _cell(value: Any) -> str:
    """Empty for missing, shortest round-trip text for numbers, lower-case booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        return repr(number) if math.isfinite(number) else ""
    return str(value)
