"""Tables of what users derive from a fit: profile-likelihood intervals beside the Wald ones,
and quantiles and exceedance probabilities with their intervals by each method."""

from __future__ import annotations

from rich import box
from rich.table import Table

from gaussfit.fitting import FitResult
from gaussfit.report.numbers import interval, num

METHOD_HEADERS = {
    "delta": "95% CI (delta)",
    "profile": "95% CI (profile)",
    "bootstrap": "95% CI (bootstrap)",
}


def profile_table(result: FitResult) -> Table | None:
    """Each parameter's Wald and profile-likelihood 95% intervals side by side."""
    if result.profile_ci95 is None:
        return None
    table = Table(title="Intervals", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("parameter", "estimate", "95% CI (Wald)", "95% CI (profile likelihood)"):
        table.add_column(header, justify="left" if header == "parameter" else "right")
    for name, value in result.params.items():
        table.add_row(
            name,
            num(value),
            interval(result.ci95.get(name)),
            "fixed" if name in result.fixed else interval(result.profile_ci95.get(name)),
        )
    return table


def quantity_table(result: FitResult, *, stacked: bool = False) -> Table | None:
    """Quantiles and P(X > x), one row each with an interval column per method; ``stacked``
    (for a narrow screen, where three intervals side by side do not fit): one row per
    quantity and method, the method named in its own column."""
    rows = [("quantile", "p", q) for q in result.quantiles or []]
    rows += [("P(X > x)", "x", q) for q in result.prob_above or []]
    if not rows:
        return None
    methods = list(dict.fromkeys(q["method"] for _, _, q in rows))
    table = Table(title="Derived quantities", title_justify="left", box=box.SIMPLE_HEAD)
    merged: dict[tuple[str, float], dict] = {}
    for label, key, q in rows:
        entry = merged.setdefault((label, q[key]), {"value": q["value"]})
        entry[q["method"]] = q["ci95"]
    if stacked:
        for header in ("quantity", "at", "value", "method", "95% CI"):
            table.add_column(
                header, justify="left" if header in ("quantity", "method") else "right"
            )
        for (label, at), entry in merged.items():
            shown = [m for m in methods if m in entry]
            for k, method in enumerate(shown):
                first = k == 0
                table.add_row(
                    label if first else "",
                    num(at) if first else "",
                    num(entry["value"]) if first else "",
                    method,
                    interval(entry[method]),
                )
        return table
    for header in ("quantity", "at", "value", *(METHOD_HEADERS[m] for m in methods)):
        table.add_column(header, justify="left" if header == "quantity" else "right")
    for (label, at), entry in merged.items():
        table.add_row(
            label,
            num(at),
            num(entry["value"]),
            *(interval(entry.get(m)) for m in methods),
        )
    return table
