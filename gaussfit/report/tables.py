"""Rich renderables for people: the iteration table, the results table, fit statistics, the
compare ranking and the list of families.

Each function takes a result object and returns something ``Console.print`` can show; none of
them prints, so the same table serves the screen, ``--quiet`` and the tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from gaussfit.fitting import CompareResult, FitResult, Step
from gaussfit.report.numbers import MISSING, assignments, fixed, interval, num, small

# Beyond this many parameters (a 3-component mixture has 9) the iteration table drops its
# parameter columns; the results table lists them all.
MAX_PARAMETER_COLUMNS = 6
DEFAULT_ROWS = 10


def select_steps(trace: Sequence[Step], every: int | None = None) -> list[Step]:
    """Every ``every``-th iteration (default: about ten rows), and always the last one."""
    if not trace:
        return []
    every = every or max(1, math.ceil(len(trace) / DEFAULT_ROWS))
    rows = [s for s in trace if s.iteration % every == 0]
    if not rows or rows[-1] is not trace[-1]:
        rows.append(trace[-1])
    return rows


def iteration_table(
    trace: Sequence[Step], every: int | None = None, passes: int | None = None
) -> Table:
    """Iteration, log p(X), largest gradient component and the parameters, as the lab prints;
    a fit that streamed its data says how many passes over the data it made."""
    title = "Iterations" + (f" ({passes} passes over the data)" if passes else "")
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("iter", justify="right")
    table.add_column("log p(X)", justify="right")
    table.add_column("max |grad|", justify="right")
    names = list(trace[0].params) if trace else []
    if len(names) > MAX_PARAMETER_COLUMNS:
        names = []
    for name in names:
        table.add_column(name, justify="right")
    for step in select_steps(trace, every):
        table.add_row(
            str(step.iteration),
            fixed(step.loglik),
            small(step.grad_norm),
            *(num(step.params[name]) for name in names),
        )
    return table


def largest_difference(result: FitResult, name: str) -> float | None:
    """max |estimate - reference| over the closed form and scipy's fit, where they exist."""
    gaps = [
        abs(result.params[name] - ref.params[name])
        for ref in result.reference.values()
        if ref is not None and ref.params.get(name) is not None
    ]
    return max(gaps) if gaps else None


def results_table(result: FitResult, truth: dict[str, float] | None = None) -> Table:
    """Estimates with standard errors and intervals beside the closed form and scipy's fit."""
    table = Table(
        title=f"Estimates: {result.distribution}", title_justify="left", box=box.SIMPLE_HEAD
    )
    for header in (
        "parameter",
        "estimate",
        "std. error",
        "95% CI",
        "closed form",
        "scipy",
        "max |diff|",
    ):
        table.add_column(header, justify="left" if header == "parameter" else "right")
    if truth is not None:
        table.add_column("truth", justify="right")
        table.add_column("z", justify="right")
        table.caption = "z = (estimate - truth) / std. error: |z| < 2 in about 95% of fits"
        table.caption_justify = "left"
    closed, scipy = result.reference.get("closed_form"), result.reference.get("scipy")
    for name, value in result.params.items():
        row = [
            name,
            num(value),
            "fixed" if name in result.fixed else num(result.stderr.get(name), 4),
            interval(result.ci95.get(name)),
            num(closed.params.get(name)) if closed is not None else MISSING,
            num(scipy.params.get(name)) if scipy is not None else MISSING,
            small(largest_difference(result, name)),
        ]
        if truth is not None:
            row += [num(truth.get(name)), small(_z(value, truth.get(name), result, name))]
        table.add_row(*row)
    return table


def _z(value: float, true: float | None, result: FitResult, name: str) -> float | None:
    se = result.stderr.get(name)
    if true is None or not se:
        return None
    return (value - true) / se


def bootstrap_table(result: FitResult) -> Table | None:
    boot = result.bootstrap
    if not boot:
        return None
    title = f"Bootstrap: {boot['resamples']} resamples"
    if boot.get("failed"):
        title += f", {boot['failed']} failed"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("parameter", "std. error", "95% percentile interval"):
        table.add_column(header, justify="left" if header == "parameter" else "right")
    for name in result.params:
        table.add_row(name, num(boot["stderr"].get(name), 4), interval(boot["ci95"].get(name)))
    return table


def goodness_of_fit(gof: dict[str, Any]) -> str:
    """``KS D = 0.204 (p = 0.33)  ...`` or ``chi-square = 4.67 on 6 df (p = 0.59)``."""
    if "chi2_dof" in gof:
        if gof.get("chi2_statistic") is None:
            return "chi-square: too few cells after merging"
        return (
            f"chi-square = {num(gof['chi2_statistic'], 4)} on {gof['chi2_dof']} df "
            f"(p = {small(gof.get('chi2_pvalue'))})"
        )
    parts = []
    for key, label in (("ks", "KS D"), ("cvm", "CvM W²"), ("ad", "AD A²")):
        if f"{key}_statistic" in gof:
            parts.append(
                f"{label} = {num(gof[f'{key}_statistic'], 3)} "
                f"(p = {small(gof.get(f'{key}_pvalue'))})"
            )
    return "   ".join(parts) if parts else "not computed"


def fit_statistics(result: FitResult) -> Table:
    """Log-likelihood, information criteria, goodness of fit, iterations and convergence."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    refs = [
        f"{label} {fixed(ref.loglik)}"
        for label, ref in (
            ("closed form", result.reference.get("closed_form")),
            ("scipy", result.reference.get("scipy")),
        )
        if ref is not None and ref.loglik is not None
    ]
    loglik = fixed(result.loglik) + (f"   ({'; '.join(refs)})" if refs else "")
    grid.add_row("log-likelihood", loglik)
    grid.add_row(
        "AIC / AICc / BIC", f"{fixed(result.aic)} / {fixed(result.aicc)} / {fixed(result.bic)}"
    )
    grid.add_row("goodness of fit", goodness_of_fit(result.gof))
    settings = [f"{result.optimizer}"]
    if result.settings.get("lr") is not None:
        settings.append(f"lr {num(result.settings['lr'], 4)}")
    settings.append(f"tol {num(result.settings.get('tol'), 3)}")
    grid.add_row(
        "iterations", f"{result.iterations}   ({', '.join(settings)}; {result.seconds:.2f} s)"
    )
    if result.converged:
        grid.add_row("converged", Text("yes", style="green"))
    else:
        grid.add_row("converged", Text(f"NO (stopped: {result.stopped})", style="bold red"))
    return grid


def messages(result: FitResult, *, notes: bool = True) -> Group:
    """Warnings (loud), identifiability flags and (unless ``notes`` is False) notes."""
    lines = [Text(f"warning: {w}", style="bold yellow") for w in result.warnings]
    lines += [Text(f"identifiability: {f}", style="yellow") for f in result.flags]
    if notes:
        lines += [Text(f"note: {n}", style="dim") for n in result.notes]
    return Group(*lines)


def compare_table(result: CompareResult) -> Table:
    """All fits ranked by AIC with ΔAIC, Akaike weight, BIC, KS and the estimates; a family
    that did not converge is marked ``*``, one whose parameters the data do not determine
    ``?``."""
    table = Table(title="Families ranked by AIC", title_justify="left", box=box.SIMPLE_HEAD)
    for header in (
        "#",
        "family",
        "k",
        "log-lik",
        "AIC",
        "ΔAIC",
        "weight",
        "BIC",
        "KS D",
        "KS p",
        "estimates",
    ):
        table.add_column(header, justify="left" if header in ("family", "estimates") else "right")
    if any("chi2_dof" in fit.gof for fit in result.ranking):
        table.caption = "χ²: Pearson's chi-square for count families, in place of KS"
        table.caption_justify = "left"
    best = result.ranking[0].aic if result.ranking else 0.0
    for rank, (fit, weight) in enumerate(
        zip(result.ranking, result.akaike_weights(), strict=True), start=1
    ):
        name = fit.distribution + ("" if fit.converged else " *")
        name += " ?" if fit.identifiable is False else ""
        if "chi2_dof" in fit.gof:
            stat = f"χ² {num(fit.gof.get('chi2_statistic'), 3)}"
            pvalue = small(fit.gof.get("chi2_pvalue"))
        else:
            stat = num(fit.gof.get("ks_statistic"), 3)
            pvalue = small(fit.gof.get("ks_pvalue"))
        table.add_row(
            str(rank),
            name,
            str(round((fit.aic + 2.0 * fit.loglik) / 2.0)),
            fixed(fit.loglik),
            fixed(fit.aic),
            fixed(fit.aic - best, 2),
            small(weight),
            fixed(fit.bic),
            stat,
            pvalue,
            assignments(fit.params),
        )
    return table


def failed_lines(result: CompareResult, skipped: Sequence[str] = ()) -> Group:
    """Families that could not be fitted (with their errors), not converged, not determined by
    the data (marked ``?``, with their flags), or not tried."""
    lines = []
    if any(not fit.converged for fit in result.ranking):
        lines.append(Text("* did not converge: its ranking is not reliable", style="bold yellow"))
    for fit in result.ranking:
        if fit.identifiable is False:
            lines.append(Text(f"? {fit.distribution}: {'; '.join(fit.flags)}", style="yellow"))
    for name, error in result.failed.items():
        lines.append(Text(f"failed: {name}: {error}", style="red"))
    if skipped:
        lines.append(
            Text(
                f"not tried (the data lie outside their support): {', '.join(skipped)}", style="dim"
            )
        )
    return Group(*lines)


def dists_table(records: Sequence[dict[str, Any]]) -> Table:
    """One row per family: parameters with domains, support, closed form, kind."""
    table = Table(title="Distribution families", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("name", "aliases", "parameters", "support", "closed form", "type"):
        table.add_column(header)
    for record in records:
        params = ", ".join(
            f"{p['name']} {p['domain']}"
            if p["domain"].startswith(">")
            else f"{p['name']} in {p['domain']}"
            for p in record["parameters"]
        )
        if record["options"]:
            params += " (" + ", ".join(f"{k}={v}" for k, v in record["options"].items()) + ")"
        table.add_row(
            record["name"],
            ", ".join(record["aliases"]) or MISSING,
            params,
            record["support"],
            "yes" if record["closed_form"] else "no",
            "discrete" if record["discrete"] else "continuous",
        )
    return table
