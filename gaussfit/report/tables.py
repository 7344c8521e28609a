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
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from gaussfit.fitting import CompareResult, FitResult, Step
from gaussfit.fitting.goodness import NOMINAL_NOTE
from gaussfit.report.numbers import MISSING, assignments, count_of, fixed, interval, num, small

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


SOLVED = {
    "closed_form": "by a closed formula",
    "least_squares": "the moment equations, by least squares",
}
"""Moment matching's ways to its estimate: no iterations of an optimiser to report."""


def iteration_table(
    trace: Sequence[Step],
    every: int | None = None,
    passes: int | None = None,
    objective: str = "log p(X)",
) -> Table:
    """Iteration, log p(X), largest gradient component and the parameters, as the lab prints;
    a fit that streamed its data says how many passes over the data it made. A fit by another
    estimator names what it maximised instead of log p(X) (``objective``)."""
    title = "Iterations" + (f" ({count_of(passes, 'pass')} over the data)" if passes else "")
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("iter", justify="right")
    table.add_column(objective, justify="right")
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
    """Estimates with standard errors and intervals beside the closed form and scipy's fit
    (their columns only where they were computed)."""
    table = Table(
        title=f"Estimates: {result.distribution}", title_justify="left", box=box.SIMPLE_HEAD
    )
    closed, scipy = result.reference.get("closed_form"), result.reference.get("scipy")
    references = [
        (header, ref) for header, ref in (("closed form", closed), ("scipy", scipy)) if ref
    ]
    headers = ["parameter", "estimate", "std. error", "95% CI"]
    headers += [header for header, _ in references] + (["max |diff|"] if references else [])
    for header in headers:
        table.add_column(header, justify="left" if header == "parameter" else "right", no_wrap=True)
    if truth is not None:
        table.add_column("truth", justify="right", no_wrap=True)
        table.add_column("z", justify="right", no_wrap=True)
        table.caption = "z = (estimate - truth) / std. error: |z| < 2 in about 95% of fits"
        table.caption_justify = "left"
    for name, value in result.params.items():
        row = [
            name,
            num(value),
            "fixed" if name in result.fixed else num(result.stderr.get(name), 4),
            interval(result.ci95.get(name)),
            *(num(ref.params.get(name)) for _, ref in references),
        ]
        if references:
            row.append(small(largest_difference(result, name)))
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
    kind = "parametric " if boot.get("method") == "parametric" else ""
    title = f"Bootstrap: {boot['resamples']} {kind}resamples"
    if boot.get("failed"):
        title += f", {boot['failed']} failed"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("parameter", "std. error", "95% percentile interval"):
        table.add_column(header, justify="left" if header == "parameter" else "right")
    for name in result.params:
        table.add_row(name, num(boot["stderr"].get(name), 4), interval(boot["ci95"].get(name)))
    return table


def goodness_of_fit(gof: dict[str, Any], separator: str = "   ") -> str:
    """``KS D = 0.204 (p = 0.33)  ...`` or ``chi-square = 4.67 on 6 df (p = 0.59)``; the tests
    joined by ``separator`` (a newline puts each on its own line, so none is split)."""
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
    return separator.join(parts) if parts else "not computed"


def goodness_of_fit_notes(gof: dict[str, Any], *, truncated: bool = False) -> list[tuple[str, str]]:
    """What the p-values above are: nominal ones say so and name the option that gives valid
    ones (which is not offered for truncated data); a parametric bootstrap adds a row with its
    p-values and their Monte Carlo errors."""
    if not any(f"{key}_pvalue" in gof for key in ("ks", "cvm", "ad")):
        return []
    boot = gof.get("bootstrap")
    if not boot:
        return [("", NOMINAL_NOTE.split(";")[0] if truncated else NOMINAL_NOTE)]
    parts = [
        f"{label} p = {small(boot.get(f'{key}_pvalue'))} ± {num(boot.get(f'{key}_pvalue_se'), 2)}"
        for key, label in (("ks", "KS"), ("cvm", "CvM"), ("ad", "AD"))
    ]
    parts.append(f"({boot['resamples']} parametric-bootstrap refits)")
    return [("valid p-values", "   ".join(parts))]


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
    if result.gof.get("method") == "npmle_distance":
        boot = result.gof.get("bootstrap") or {}
        grid.add_row(
            "goodness of fit",
            f"D = {num(result.gof.get('ks_statistic'), 3)}, "
            f"W² = {num(result.gof.get('cvm_statistic'), 3)}: distance between the "
            "Kaplan–Meier/Turnbull curve and the fitted CDF (KS, CvM and AD as for exact "
            "values do not apply)",
        )
        grid.add_row(
            "valid p-values",
            f"D p = {small(boot.get('ks_pvalue'))} ± {num(boot.get('ks_pvalue_se'), 2)}   "
            f"W² p = {small(boot.get('cvm_pvalue'))} ± {num(boot.get('cvm_pvalue_se'), 2)}   "
            f"({boot.get('resamples')} parametric-bootstrap refits, censoring simulated as "
            "observed)",
        )
    elif result.censoring is not None and not result.gof:
        grid.add_row("goodness of fit", "KS, CvM and AD do not apply to censored or truncated data")
    else:
        grid.add_row("goodness of fit", goodness_of_fit(result.gof, separator="\n"))
        # --gof-bootstrap is offered for neither censored data nor estimators other than MLE.
        truncated = result.censoring is not None or result.method is not None
        for label, line in goodness_of_fit_notes(result.gof, truncated=truncated):
            grid.add_row(label, line)
    if result.censoring is not None and result.empirical is not None:
        method = {"kaplan-meier": "Kaplan–Meier", "turnbull": "Turnbull NPMLE"}
        grid.add_row(
            "empirical CDF",
            f"{method[result.empirical['method']]}, {len(result.empirical['cdf'])} steps "
            "(in the JSON)",
        )
    if result.optimizer in SOLVED:
        grid.add_row("solved", f"{SOLVED[result.optimizer]} ({result.seconds:.2f} s)")
    else:
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


def compare_table(
    result: CompareResult, fits: Sequence[FitResult] | None = None, title: str | None = None
) -> Table:
    """Fits ranked by AIC with ΔAIC, Akaike weight, BIC, KS and the estimates: the ranking, or
    ``fits`` (the continuous fits kept apart on counts) with their own ΔAIC and weights. A
    family that did not converge is marked ``*``, one whose parameters the data do not
    determine ``?``. With bootstrap results, each family's valid KS and AD p-values and its
    share of bootstrap wins."""
    ranked = list(result.ranking if fits is None else fits)
    table = Table(
        title=title or "Families ranked by AIC", title_justify="left", box=box.SIMPLE_HEAD
    )
    valid = any(fit.gof.get("bootstrap") for fit in ranked)
    ranking = fits is None or fits is result.ranking  # wins are counted for the ranking only
    wins = result.selection["wins"] if result.selection and ranking else None
    extra = (["KS p (boot)", "AD p (boot)"] if valid else []) + (["wins"] if wins else [])
    headers = [*COMPARE_HEADERS[:-1], *extra, COMPARE_HEADERS[-1]]
    for header in headers:
        table.add_column(
            header,
            justify="left" if header in ("family", "estimates") else "right",
            no_wrap=True,
        )
    captions = []
    if any("chi2_dof" in fit.gof for fit in ranked):
        captions.append("χ²: Pearson's chi-square for count families, in place of KS")
    if not valid and any("ks_pvalue" in fit.gof for fit in ranked):
        by_mle = all(fit.method is None for fit in ranked)
        captions.append(
            "KS p is nominal (too large)"
            + ("; --gof-bootstrap B gives valid p-values" if by_mle else "")
        )
    if any(fit.gof.get("method") == "npmle_distance" for fit in ranked):
        captions.append(
            "censored data: KS D is the largest distance between the Kaplan–Meier/Turnbull "
            "curve and the fitted CDF, its p-value by parametric bootstrap with the censoring "
            "simulated as observed (AD does not apply)"
        )
    if wins is not None:
        boot = result.selection or {}
        captions.append(
            f"wins: share of {boot.get('resamples')} bootstrap resamples where the family "
            "ranks first by AIC"
        )
    if captions:
        table.caption = "\n".join(captions)
        table.caption_justify = "left"
    best = ranked[0].aic if ranked else 0.0
    for rank, (fit, weight) in enumerate(
        zip(ranked, result.akaike_weights(ranked), strict=True), start=1
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
            *_compare_extras(fit, valid, wins),
            assignments(fit.params),
        )
    return table


COMPARE_HEADERS = (
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
)
COMPARE_OPTIONAL = ("BIC", "log-lik", "weight")
"""The compare table's columns to leave out, in this order, when it is wider than the screen."""
RESULTS_OPTIONAL = ("max |diff|", "closed form", "scipy")
DISTS_OPTIONAL = ("aliases", "type")


def natural_width(console: Console, renderable: Any) -> int:
    """How wide ``renderable`` is when nothing has to wrap."""
    return console.measure(renderable, options=console.options.update_width(10_000)).maximum


def without_columns(table: Table, headers: Sequence[str]) -> Table:
    """``table`` with the columns headed ``headers`` removed (their cells go with them)."""
    table.columns = [column for column in table.columns if column.header not in headers]
    return table


def fitted(console: Console, table: Table, optional: Sequence[str]) -> tuple[Table, list[str]]:
    """``table`` with optional columns left out, in order, until it fits the console's width;
    and the headers left out. A table that still does not fit may wrap any cell: a cell too
    narrow for its number is folded onto more lines, never cut short."""
    left_out: list[str] = []
    for header in optional:
        if natural_width(console, table) <= console.width:
            break
        if any(column.header == header for column in table.columns):
            without_columns(table, [header])
            left_out.append(header)
    if natural_width(console, table) > console.width:
        for column in table.columns:
            column.no_wrap = False
            column.overflow = "fold"
    return table, left_out


def estimates_lines(fits: Sequence[FitResult]) -> Table:
    """``#  family  estimates``, one line per fit: the estimates of a table too narrow for them."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for rank, fit in enumerate(fits, start=1):
        grid.add_row(str(rank), fit.distribution, assignments(fit.params))
    return grid


def _compare_extras(fit: FitResult, valid: bool, wins: dict[str, float] | None) -> list[str]:
    """The bootstrap columns of one ranked family: valid KS and AD p-values, share of wins."""
    cells = []
    if valid:
        boot = fit.gof.get("bootstrap") or {}
        cells += [small(boot.get("ks_pvalue")), small(boot.get("ad_pvalue"))]
    if wins is not None:
        cells.append(small(wins.get(fit.distribution)))
    return cells


def failed_lines(result: CompareResult) -> Group:
    """Families that could not be fitted (with their errors), did not converge, are not
    determined by the data (marked ``?``, with their flags), or were not tried (grouped by the
    reason, which says which values and what to do)."""
    lines = []
    fits = [*result.ranking, *result.apart]
    if any(not fit.converged for fit in fits):
        lines.append(Text("* did not converge: its ranking is not reliable", style="bold yellow"))
    for fit in fits:
        if fit.identifiable is False:
            lines.append(Text(f"? {fit.distribution}: {'; '.join(fit.flags)}", style="yellow"))
    for name, error in result.failed.items():
        lines.append(Text(f"failed: {name}: {error}", style="red"))
    by_reason: dict[str, list[str]] = {}
    for name, reason in result.skipped.items():
        by_reason.setdefault(reason, []).append(name)
    for reason, names in by_reason.items():
        lines.append(Text(f"not tried: {', '.join(names)}: {reason}", style="dim"))
    return Group(*lines)


def parameter_domains(parameters: Sequence[dict[str, Any]], separator: str = ", ") -> str:
    """``mu in real, sigma > 0``; neighbours with one domain share it: ``w1, w2 in (0, 1)``;
    the groups joined by ``separator``."""
    groups: list[tuple[list[str], str]] = []
    for parameter in parameters:
        domain = parameter["domain"]
        if parameter.get("given"):  # not estimated: the user gives it with --fix
            domain = f"given ({domain})"
        if groups and groups[-1][1] == domain:
            groups[-1][0].append(parameter["name"])
        else:
            groups.append(([parameter["name"]], domain))
    return separator.join(
        f"{', '.join(names)} {domain}"
        if domain.startswith((">", "given"))
        else f"{', '.join(names)} in {domain}"
        for names, domain in groups
    )


def dists_table(records: Sequence[dict[str, Any]], *, stacked: bool = False) -> Table:
    """One row per family: parameters with domains, support, closed form, kind; ``stacked``
    puts each group of parameters on its own line (for narrow screens)."""
    table = Table(title="Distribution families", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("name", "aliases", "parameters", "support", "closed form", "type"):
        # Stacked, each parameter group is kept whole and "closed form" takes two lines.
        table.add_column(
            "closed\nform" if stacked and header == "closed form" else header,
            no_wrap=header != "aliases",
        )
    for record in records:
        params = parameter_domains(record["parameters"], "\n" if stacked else ", ")
        shown = {k: v for k, v in record["options"].items() if v is not None}
        if shown:
            params += " (" + ", ".join(f"{k}={v}" for k, v in shown.items()) + ")"
        table.add_row(
            record["name"],
            ", ".join(record["aliases"]) or MISSING,
            params,
            record["support"],
            "yes" if record["closed_form"] else "no",
            "discrete" if record["discrete"] else "continuous",
        )
    return table
