"""The nonparametric MLE of the CDF of censored data: the empirical curve a fit is judged by.

With exact and right-censored values only (and possibly delayed entry), it is the Kaplan–Meier
product-limit estimate. With left- or interval-censored values it is Turnbull's (1976)
self-consistent estimate: probability sits only on the "innermost" intervals (a left end
followed by a right end with no end in between), and the EM iteration
``p_j <- sum_i w_i a_ij p_j / sum_k a_ik p_k / sum_i w_i`` (``a_ij`` = 1 when innermost interval j
lies inside observation i) converges to the MLE. Counts are treated as continuous here: the
curve is a picture, not a likelihood term.

With truncation (a global window, or delayed entry: row i could only be seen inside its window
``B_i``) the likelihood is ``prod_i P(A_i) / P(B_i)``, and Turnbull's EM adds, for each row, the
observations its window hid: with ``b_ij`` = 1 when cell j lies inside ``B_i``,

    p_j <- sum_i w_i (a_ij p_j / sum_k a_ik p_k + (1 - b_ij) p_j / sum_k b_ik p_k) / M

(M the sum over j of the numerators). The cells are the pieces of the data's range cut at
every end, censoring's and truncation's (Frydman 1994: the innermost intervals of the censoring
sets alone need not hold the MLE's mass once windows overlap them); a cell no observation
covers gets no mass. The estimate is that of X given X inside the union of the windows (of X
past the earliest entry, for delayed entry), as Kaplan–Meier with delayed entry is, its
special case.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gaussfit.data.observations import Observations

TURNBULL_TOL = 1e-10
TURNBULL_MAX_ITER = 5_000
TURNBULL_MAX_CELLS = 1_000_000
"""Distinct observations times innermost intervals beyond which Turnbull's EM (a dense
matrix-vector product per iteration) is not run."""


def nonparametric_cdf(obs: Observations) -> tuple[dict[str, Any] | None, str | None]:
    """``{"method", "lower", "upper", "cdf"}``: F just after each support interval
    ``[lower_j, upper_j]`` (points for Kaplan–Meier); or None and the reason when neither
    estimate applies (too many distinct intervals for Turnbull's EM)."""
    counts = obs.counts()
    if counts["left"] == 0 and counts["interval"] == 0 and obs.truncation[1] == np.inf:
        times, cdf = kaplan_meier(obs)
        return {"method": "kaplan-meier", "lower": times, "upper": times, "cdf": cdf}, None
    lower, upper, cdf = turnbull(obs)
    if cdf is None:
        return None, (
            f"more than {TURNBULL_MAX_CELLS:,} observation-by-interval cells for Turnbull's EM"
        )
    return {"method": "turnbull", "lower": lower, "upper": upper, "cdf": cdf}, None


def kaplan_meier(obs: Observations) -> tuple[list[float], list[float]]:
    """Event times and 1 - S(t) just after each, for exact and right-censored rows (with
    delayed entry, or a global lower truncation point, a row is at risk at t when
    entry < t <= its time: the curve is then that of X given X > the smallest entry)."""
    time = obs.lower
    event = obs.lower == obs.upper
    w = np.ones(len(obs)) if obs.weights is None else obs.weights
    event_times = np.unique(time[event])
    deaths = np.bincount(
        np.searchsorted(event_times, time[event]), weights=w[event], minlength=event_times.size
    )
    # at risk at t: time >= t (and entry < t)
    order = np.sort(time)
    weights_by_time = w[np.argsort(time, kind="stable")]
    tail = np.concatenate([np.cumsum(weights_by_time[::-1])[::-1], [0.0]])
    at_risk = tail[np.searchsorted(order, event_times, side="left")]
    if obs.truncated:
        entry = obs.windows()[0]
        entry_order = np.argsort(entry, kind="stable")
        entries = entry[entry_order]
        entered = np.concatenate([[0.0], np.cumsum(w[entry_order])])
        not_yet = entered[-1] - entered[np.searchsorted(entries, event_times, side="left")]
        at_risk = at_risk - not_yet
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - deaths / at_risk, 1.0)
    survival = np.cumprod(factor)
    return event_times.tolist(), (1.0 - survival).tolist()


def turnbull(obs: Observations) -> tuple[list[float], list[float], list[float] | None]:
    """Turnbull's innermost intervals and the CDF after each (None when too large).

    A censored observation is the half-open range (l, u] and an exact one the point [x, x],
    so intervals that only touch at an end do not share an innermost interval. Truncated
    observations go to ``turnbull_truncated``.
    """
    if obs.truncated:
        return turnbull_truncated(obs)
    w = np.ones(len(obs)) if obs.weights is None else obs.weights
    rows, inverse = np.unique(np.column_stack([obs.lower, obs.upper]), axis=0, return_inverse=True)
    weight = np.bincount(np.ravel(inverse), weights=w, minlength=len(rows))
    exact = rows[:, 0] == rows[:, 1]
    left, right, left_open = _innermost(rows[:, 0], rows[:, 1], exact)
    if len(rows) * len(left) > TURNBULL_MAX_CELLS:
        return [], [], None
    lo, hi = rows[:, :1], rows[:, 1:]
    starts_inside = (left[None, :] > lo) | ((left[None, :] == lo) & left_open[None, :])
    censored_inside = ~exact[:, None] & starts_inside & (right[None, :] <= hi)
    point_inside = exact[:, None] & (left[None, :] == lo) & (right[None, :] == lo)
    a = (censored_inside | (point_inside & ~left_open[None, :])).astype(float)
    p = np.full(len(left), 1.0 / len(left))
    total = weight.sum()
    for _ in range(TURNBULL_MAX_ITER):
        denominator = a @ p
        new = p * ((weight / np.where(denominator > 0, denominator, 1.0)) @ a) / total
        if np.max(np.abs(new - p)) < TURNBULL_TOL:
            p = new
            break
        p = new
    return left.tolist(), right.tolist(), np.minimum(np.cumsum(p), 1.0).tolist()


def _innermost(
    lower: np.ndarray, upper: np.ndarray, exact: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turnbull's innermost intervals [q, p]: a left end q immediately followed, in sorted
    order of all ends, by a right end p. At a tie an exact value's (closed) left end comes
    first, then right ends, then censored (open) left ends. Also returns whether q is open."""
    values = np.concatenate([lower, upper])
    rank = np.concatenate([np.where(exact, 0, 2), np.ones(upper.size, dtype=int)])
    order = np.lexsort((rank, values))
    values, rank = values[order], rank[order]
    is_left = rank != 1
    starts = np.flatnonzero(is_left[:-1] & ~is_left[1:])
    found = np.unique(
        np.column_stack([values[starts], values[starts + 1], rank[starts] == 2]), axis=0
    )
    return found[:, 0], found[:, 1], found[:, 2].astype(bool)


def turnbull_truncated(
    obs: Observations,
) -> tuple[list[float], list[float], list[float] | None]:
    """Turnbull's estimate with truncation (see the module's docstring): the cells with mass,
    ``[lower_j, upper_j]`` (a point when equal, else the open gap between them), and the CDF
    after each; None when the EM would be too large.

    A row's window is the global ``[a, b]``, or ``(e, b]`` after its entry time ``e``: entered
    at ``e``, a unit is watched after it, as Kaplan–Meier's risk set counts it. A censored
    range is ``(l, u]`` cut to the window; an exact value always lies inside its own window.
    """
    w = np.ones(len(obs)) if obs.weights is None else obs.weights
    window_low, window_high = obs.windows()
    entered = np.zeros(len(obs)) if obs.entry is None else obs.entry >= obs.truncation[0]
    table = np.column_stack([obs.lower, obs.upper, window_low, window_high, entered])
    rows, inverse = np.unique(table, axis=0, return_inverse=True)
    weight = np.bincount(np.ravel(inverse), weights=w, minlength=len(rows))
    lo, hi, a_end, b_end, open_low = (rows[:, k : k + 1] for k in range(5))
    ends = np.unique(rows[:, :4][np.isfinite(rows[:, :4])])
    # cells: each end as a point, and the open gaps around and between them
    gap_low = np.concatenate([[-np.inf], ends])
    gap_high = np.concatenate([ends, [np.inf]])
    point = np.concatenate([np.ones(ends.size, bool), np.zeros(gap_low.size, bool)])
    cell_low = np.concatenate([ends, gap_low])
    cell_high = np.concatenate([ends, gap_high])
    order = np.lexsort((point, cell_high))  # in order along the line: a gap, then its end
    point, cell_low, cell_high = point[None, order], cell_low[None, order], cell_high[None, order]
    exact = lo == hi
    in_range = np.where(
        point, (lo < cell_low) & (cell_high <= hi), (lo <= cell_low) & (cell_high <= hi)
    )
    covered = np.where(exact, point & (cell_low == lo), in_range & ~exact)
    strictly = point & (open_low > 0)
    inside = np.where(strictly, a_end < cell_low, a_end <= cell_low) & (cell_high <= b_end)
    a = covered & (inside | exact)
    used = np.any(a, axis=0)
    if len(rows) * int(np.count_nonzero(used)) > TURNBULL_MAX_CELLS:
        return [], [], None
    a = a[:, used].astype(float)
    b = np.maximum(inside[:, used].astype(float), a)
    outside = 1.0 - b
    p = np.full(a.shape[1], 1.0 / a.shape[1])
    for _ in range(TURNBULL_MAX_ITER):
        seen = weight / np.maximum(a @ p, 1e-300)
        hidden = weight / np.maximum(b @ p, 1e-300)
        new = p * (seen @ a + hidden @ outside)
        new = new / np.sum(new)
        done = np.max(np.abs(new - p)) < TURNBULL_TOL
        p = new
        if done:
            break
    cdf = np.minimum(np.cumsum(p), 1.0)
    keep = p > TURNBULL_TOL
    low, high = cell_low[0, used][keep], cell_high[0, used][keep]
    return low.tolist(), high.tolist(), cdf[keep].tolist()
