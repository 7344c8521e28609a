"""Bootstraps of censored and truncated fits: resampled records, or the censoring simulated
as observed, and a goodness-of-fit test that is valid for such data.

Nonparametric bootstrap: resample the records (rows with their bounds, weights and windows).

Parametric bootstrap ("censoring simulated as observed", the conditional scheme of Davison &
Hinkley 1997, section 3.5): each record keeps its own observation scheme, and only the value
behind it is drawn again, from the fitted model truncated to the record's window:

- a right-censored record at c keeps its censoring time c: the new value is right-censored at
  c when it exceeds c, and exact otherwise;
- an exact value's censoring time was not recorded, only that it exceeds the value: it is
  drawn from the Kaplan–Meier estimate of the censoring times' distribution (the censored
  records' times as events) given that it exceeds the value (never, beyond the last one);
- a left-censored record at u keeps its detection limit: left-censored at u when the new
  value is at most u, exact otherwise; an exact value's limit is drawn likewise from the
  estimate of the limits' distribution given that it lies below the value;
- an interval (l, u] keeps its two inspection times: (l, u] when the new value falls between
  them, left-censored at l before, right-censored at u after;
- the truncation window (global, or a row's entry time) is kept, and draws come from the
  fitted law truncated to it.

(For counts every bound is inclusive, as in ``Observations``: "more than c" is ``X >= c``.)

Goodness of fit. KS, CvM and AD as printed for exact values do not apply to censored data.
The statistics here are distances between the nonparametric MLE of the CDF (Kaplan–Meier or
Turnbull, ``empirical``) and the fitted CDF conditioned on the union of the windows:

    D = max_j max(|F̂(lower_j-) - F(lower_j)|, |F̂(upper_j) - F(upper_j)|)
    W = n sum_j m_j (F̂_mid_j - F(t_j))^2

over the NPMLE's cells j (mass m_j, ``F̂`` before and after it, ``F̂_mid`` their mean,
``t_j`` the cell's point or middle). D is KS's sup-distance evaluated where the NPMLE is
determined; on exact data W is the CvM statistic less 1/(12n). Their null distributions
depend on the family, the censoring and the estimate, so only the parametric bootstrap
gives their p-values: each sample is simulated as observed, refitted, and its own NPMLE
computed.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from gaussfit.data.observations import Observations
from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError, FitError, GaussfitError
from gaussfit.fitting import censored
from gaussfit.fitting.empirical import kaplan_meier, nonparametric_cdf
from gaussfit.fitting.gof_bootstrap import AUTO, DEFAULT_TARGET_SE
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.optimizers import Settings, optimize

STATISTICS = ("ks", "cvm")
DESCRIPTION = (
    "KS- and CvM-type distances between the nonparametric MLE of the CDF (Kaplan-Meier or "
    "Turnbull) and the fitted CDF; p-values by parametric bootstrap with the censoring "
    "simulated as observed"
)


def check_simulable(family: Family, obs: Observations, what: str) -> None:
    """Refuse what the parametric scheme cannot simulate: weighted records (a weight is not
    one unit to redraw) and truncation for a family without an inverse CDF."""
    if obs.weights is not None:
        raise ConfigError(
            f"{what}: the censoring is simulated record by record; not for weighted records"
        )
    if obs.truncated and family.scipy_dist(_probe(family)) is None:
        raise ConfigError(f"{what}: {family.name} has no inverse CDF to draw truncated values")


def simulate_as_observed(
    family: Family, obs: Observations, params: dict[str, float], rng: np.random.Generator
) -> Observations:
    """A sample with ``obs``'s observation scheme and values drawn from ``params`` (see the
    module's docstring)."""
    x = _draw(family, obs, params, rng)
    step = 1.0 if family.discrete else 0.0
    kinds = obs.kinds()
    lower, upper = x.copy(), x.copy()
    lo, hi = obs.lower.copy(), obs.upper.copy()
    exact = kinds["exact"]
    if np.any(kinds["right"]) and np.any(exact):  # censoring times of the exact values
        kinds["right"] = kinds["right"] | exact
        times = _censoring_times(obs.lower, exact, kinds["right"] & ~exact, obs.entry, rng)
        lo[exact] = times[exact]
    if np.any(kinds["left"]) and np.any(exact):  # detection limits of the exact values
        mirrored = -_censoring_times(-obs.upper, exact, kinds["left"], None, rng)
        limited = exact & np.isfinite(mirrored)
        hi[limited] = mirrored[limited]
        kinds["left"] = kinds["left"] | limited
    kinds["right"] = kinds["right"] & np.isfinite(lo)
    right = kinds["right"] & (x >= lo + step) if step else kinds["right"] & (x > lo)
    lower[right], upper[right] = lo[right], np.inf
    left = kinds["left"] & (x <= hi)
    lower[left], upper[left] = -np.inf, hi[left]
    interval = kinds["interval"]
    if step:
        inside = interval & (x >= lo) & (x <= hi)
        before, after = interval & (x < lo), interval & (x > hi)
        lower[before], upper[before] = -np.inf, lo[before] - 1.0
        lower[after], upper[after] = hi[after] + 1.0, np.inf
    else:
        inside = interval & (x > lo) & (x <= hi)
        before, after = interval & (x <= lo), interval & (x > hi)
        lower[before], upper[before] = -np.inf, lo[before]
        lower[after], upper[after] = hi[after], np.inf
    lower[inside], upper[inside] = lo[inside], hi[inside]
    return Observations(lower, upper, None, obs.truncation, obs.entry, obs.source, obs.column)


def _censoring_times(
    values: np.ndarray,
    exact: np.ndarray,
    censored: np.ndarray,
    entry: np.ndarray | None,
    rng: np.random.Generator,
) -> np.ndarray:
    """For each exact row, a censoring time drawn from the Kaplan–Meier estimate of the
    censoring distribution (the ``censored`` rows' ``values`` as its events, the exact rows
    as its censored ones) given that it exceeds the row's value; +inf where the estimate has
    no mass beyond it. Other rows get NaN."""
    rows = exact | censored
    time = values[rows]
    sub_entry = None if entry is None else entry[rows]
    reverse = Observations(time, np.where(censored[rows], time, np.inf), entry=sub_entry)
    times, cdf = (np.asarray(v, dtype=np.float64) for v in kaplan_meier(reverse))
    out = np.full(values.size, np.nan)
    t = values[exact]
    below = np.searchsorted(times, t, side="right")  # censoring times <= t
    floor = np.where(below > 0, cdf[np.maximum(below - 1, 0)], 0.0)
    u = floor + rng.uniform(size=t.size) * (1.0 - floor)
    pick = np.searchsorted(cdf, u, side="left")
    drawn = np.where(pick < times.size, times[np.minimum(pick, times.size - 1)], np.inf)
    out[exact] = np.where(u >= cdf[-1], np.inf, np.maximum(drawn, t))
    return out


def _draw(
    family: Family, obs: Observations, params: dict[str, float], rng: np.random.Generator
) -> np.ndarray:
    """One value per record from the fitted law truncated to the record's window."""
    if not obs.truncated:
        return np.asarray(family.sample(params, len(obs), rng), dtype=np.float64)
    dist = family.scipy_dist(params)
    low, high = obs.windows()
    if family.discrete:
        low = low - 1.0  # a count window [a, b] holds a: X > a - 1
    u = rng.uniform(size=len(obs))
    f_low, f_high = dist.cdf(low), dist.cdf(high)
    s_low, s_high = dist.sf(low), dist.sf(high)
    with np.errstate(all="ignore"):
        from_left = dist.ppf(f_low + u * (f_high - f_low))
        from_right = dist.isf(s_low - u * (s_low - s_high))
    x = np.where(f_low < 0.5, from_left, from_right)
    return x if family.discrete else np.clip(x, low, high)


def npmle_distances(
    family: Family, obs: Observations, params: dict[str, float]
) -> tuple[float, float] | None:
    """D and W (module docstring) of ``obs`` against ``params``; None without an NPMLE."""
    curve, _ = nonparametric_cdf(obs)
    if curve is None:
        return None
    lower = np.asarray(curve["lower"], dtype=np.float64)
    upper = np.asarray(curve["upper"], dtype=np.float64)
    after = np.asarray(curve["cdf"], dtype=np.float64)
    before = np.concatenate([[0.0], after[:-1]])
    fitted = _conditional_cdf(family, obs, params)
    d = float(np.max(np.maximum(np.abs(before - fitted(lower)), np.abs(after - fitted(upper)))))
    middle = np.where(
        np.isfinite(lower) & np.isfinite(upper),
        0.5 * (lower + upper),
        np.where(np.isfinite(lower), lower, upper),
    )
    mass = after - before
    total = float(len(obs) if obs.weights is None else np.sum(obs.weights))
    w = total * float(np.sum(mass * (0.5 * (before + after) - fitted(middle)) ** 2))
    return d, w


def _conditional_cdf(family: Family, obs: Observations, params: dict[str, float]) -> Any:
    """The fitted CDF of X given X inside the union of the windows (what the NPMLE
    estimates)."""
    low, high = obs.windows()
    a, b = float(np.min(low)), float(np.max(high))
    f_a = 0.0 if a == -math.inf else float(family.cdf(np.array([a]), params)[0])
    f_b = 1.0 if b == math.inf else float(family.cdf(np.array([b]), params)[0])

    def cdf(t: np.ndarray) -> np.ndarray:
        inner = np.clip(t, a, b)
        values = np.where(np.isfinite(inner), family.cdf(np.nan_to_num(inner), params), 0.0)
        values = np.where(inner == math.inf, 1.0, np.where(inner == -math.inf, 0.0, values))
        return np.clip((values - f_a) / (f_b - f_a), 0.0, 1.0)

    return cdf


class Refitter:
    """Refits samples of one data set through one likelihood graph that takes any kind of
    record (every censored group, exact values fed as weighted data).

    Samples differ in how many records of each kind they hold, and the engine compiles a
    program per shape of its inputs: every sample is therefore padded to the same shapes
    (room for each record in each group, and for its window), with zero-weight terms at an
    interior value of the data, so that the graph is compiled once for all samples.
    """

    def __init__(
        self,
        family: Family,
        obs: Observations,
        params: dict[str, float],
        fixed: dict[str, float],
        space: str,
        settings: Settings,
    ) -> None:
        self.family = family
        self.settings = replace(settings, on_step=None, deadline=None)
        self.model = LikelihoodModel(
            family,
            statistic_names=None,
            weighted=True,
            space=space,
            fixed=fixed,
            start=params,
            censored_groups=list(censored.GROUPS),
            exact=True,
        )
        self.best = self.model.get_free()
        self.loglik = math.nan
        self.rows = len(obs)
        self.room = self.rows * (2 if obs.truncated else 1)
        inner = np.sort(censored.prepare(family, obs).x)
        bounds = obs.finite_bounds()
        values = inner if inner.size >= 2 else np.sort(bounds)
        self.filler = (
            float(values[len(values) // 2]),
            float(values[len(values) // 4]),
            float(values[(3 * len(values)) // 4]),
        )
        if not self.filler[1] < self.filler[2]:
            self.filler = (self.filler[0], float(np.min(bounds)), float(np.max(bounds)))

    def __call__(self, sample: Observations) -> dict[str, float] | None:
        """``sample``'s estimate, from the data's; None when the sample cannot be fitted
        (every record censored on one side), or the fit fails or does not converge."""
        try:
            terms = censored.prepare(self.family, sample)
            censored.check_one_sided(self.family, sample.counts(), self.model.fixed)
            self.model.set_free(self.best)
            self.model.set_terms(self._padded(terms))
            outcome = optimize(self.model, self.settings)
        except GaussfitError:
            return None
        if not outcome.converged:
            return None
        self.loglik = self.model.value()  # the padding's terms weigh nothing
        return self.model.natural_params()

    def _padded(self, terms: censored.Terms) -> censored.Terms:
        middle, low, high = self.filler
        x = _pad(terms.x, self.rows, middle)
        w = _pad(np.ones(terms.x.size) if terms.w is None else terms.w, self.rows, 0.0)
        fill = {"left": {"upper": middle}, "right": {"lower": middle}}
        fill["interval"] = {"lower": low, "upper": high}
        bounds = {}
        for group in censored.GROUPS:
            given = terms.bounds.get(group)
            size = 0 if given is None else given["weight"].size
            if size > self.room:  # more distinct terms than records cannot happen; be safe
                return terms
            bounds[group] = {
                key: _pad(np.zeros(0) if given is None else given[key], self.room, value)
                for key, value in fill[group].items()
            }
            bounds[group]["weight"] = _pad(
                np.zeros(0) if given is None else given["weight"], self.room, 0.0
            )
        return censored.Terms(x, w, bounds)

    def close(self) -> None:
        self.model.close()


def _pad(values: np.ndarray, size: int, filler: float) -> np.ndarray:
    out = np.full(size, filler, dtype=np.float64)
    out[: values.size] = values
    return out


def gof_bootstrap_censored(
    family: Family,
    obs: Observations,
    params: dict[str, float],
    fixed: dict[str, float],
    space: str,
    settings: Settings,
    resamples: int | str,
    seed: int | None,
    target_se: float = DEFAULT_TARGET_SE,
) -> dict[str, Any]:
    """The ``gof`` object of a censored fit: the observed distances and, in ``bootstrap``,
    their parametric-bootstrap p-values with Monte Carlo standard errors."""
    check_simulable(family, obs, "--gof-bootstrap")
    observed = npmle_distances(family, obs, params)
    if observed is None:
        raise ConfigError(
            "--gof-bootstrap: no nonparametric MLE of the CDF for these data (too many "
            "distinct intervals for Turnbull's EM)"
        )
    rng = np.random.default_rng(seed)
    limit = resamples if resamples != AUTO else math.ceil(1.0 / (4.0 * target_se**2))
    exceed = np.zeros(len(STATISTICS), dtype=np.int64)
    used = drawn = 0
    refit = Refitter(family, obs, params, fixed, space, settings)
    try:
        while drawn < limit:
            drawn += 1
            sample = simulate_as_observed(family, obs, params, rng)
            fitted = refit(sample)
            distances = None if fitted is None else npmle_distances(family, sample, fitted)
            if distances is not None:
                used += 1
                exceed += np.array(distances) >= np.array(observed) * (1.0 - 1e-12)
            if resamples == AUTO and drawn % 50 == 0 and used:
                p = (1.0 + exceed) / (used + 1.0)
                if np.max(np.sqrt(p * (1.0 - p) / used)) < target_se:
                    break
    finally:
        refit.close()
    if used == 0:
        raise FitError("every parametric-bootstrap refit failed")
    p = (1.0 + exceed) / (used + 1.0)
    se = np.sqrt(p * (1.0 - p) / used)
    boot: dict[str, Any] = {"resamples": used, "statistics": DESCRIPTION}
    for i, name in enumerate(STATISTICS):
        boot[f"{name}_pvalue"] = float(p[i])
        boot[f"{name}_pvalue_se"] = float(se[i])
    boot.update(
        {
            "failed": drawn - used,
            "seed": seed,
            "adaptive": resamples == AUTO,
            "target_se": target_se if resamples == AUTO else None,
            "censoring": "simulated as observed",
        }
    )
    return {
        "method": "npmle_distance",
        "ks_statistic": observed[0],
        "cvm_statistic": observed[1],
        "bootstrap": boot,
    }


def censored_ranking_wins(
    obs: Observations,
    fits: list[tuple[Family, dict[str, float], dict[str, float], str, Settings]],
    count: int,
    seed: int | None,
) -> dict[str, Any]:
    """``compare``'s model-selection bootstrap for censored or truncated records: the same
    B resamples of the records for every family (``fits``: family, estimate, fixed, space),
    each refitted and ranked by AIC; the share of resamples each family wins. ``fits`` are
    (family, estimate, fixed, space, optimiser settings) of each ranked fit."""
    if count < 2:
        raise ConfigError(f"bootstrap needs at least 2 resamples, not {count}")
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(obs), size=len(obs)) for _ in range(count)]
    aic = np.full((count, len(fits)), np.inf)
    for column, (family, params, fixed, space, settings) in enumerate(fits):
        refit = Refitter(family, obs, params, fixed, space, settings)
        k = len(family.parameter_names) - len(fixed)
        try:
            for row, index in enumerate(samples):
                if refit(obs.take(index)) is not None and math.isfinite(refit.loglik):
                    aic[row, column] = 2.0 * k - 2.0 * refit.loglik
        finally:
            refit.close()
    decided = np.isfinite(np.min(aic, axis=1))
    wins = np.bincount(np.argmin(aic[decided], axis=1), minlength=len(fits))
    return {
        "resamples": count,
        "seed": seed,
        "undecided": int(np.sum(~decided)),
        "wins": {fit[0].name: float(won) / count for fit, won in zip(fits, wins, strict=True)},
        "resampled": "records (bounds, weights and windows together)",
    }


def _probe(family: Family) -> dict[str, float]:
    """Some valid parameters, to ask whether the family has a scipy counterpart."""
    return {name: 1.0 for name in family.parameter_names}
