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

from gaussfit.fitting import CompareResult, FitResult

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
    return _table(fit_rows(result))


def compare_csv(result: CompareResult) -> str:
    """``compare``'s fits as one CSV: a fit's rows (one per parameter) prefixed by ``table``
    (``ranking``, or ``apart`` for continuous fits on counts), ``rank``, ``delta_aic`` and
    ``akaike_weight``; goodness-of-fit columns are the union over the families."""
    rows = []
    for table, fits in (("ranking", result.ranking), ("apart", result.apart)):
        weights = result.akaike_weights(fits)
        for rank, (fit, weight) in enumerate(zip(fits, weights, strict=True), start=1):
            lead = {
                "table": table,
                "rank": rank,
                "delta_aic": fit.aic - fits[0].aic,
                "akaike_weight": weight,
            }
            rows += [{**lead, **row} for row in fit_rows(fit)]
    return _table(rows)


def fit_rows(result: FitResult) -> list[dict[str, Any]]:
    """One dict per parameter: the parameter's columns, then the fit-level ones."""
    closed, scipy = result.reference.get("closed_form"), result.reference.get("scipy")
    source = result.source or {}
    fit_level = dict(
        zip(
            FIT_COLUMNS,
            (
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
            ),
            strict=True,
        )
    )
    fit_level.update(_flat_gof(result.gof))
    fit_level.update({"source_path": source.get("path"), "source_column": source.get("column")})
    rows = []
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
        rows.append({**dict(zip(PARAMETER_COLUMNS, row, strict=True)), **fit_level})
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    """``rows`` as CSV text under a header of every key, in order of first appearance; the
    source columns last."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    tail = [k for k in ("source_path", "source_column") if k in header]
    header = [k for k in header if k not in tail] + tail
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key in header])
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
