"""One generic likelihood for censored and truncated observations, for every family.

As in lifelines, a family adds no censoring code of its own: it declares ``log_prob``,
``log_cdf`` and ``log_sf`` and this module writes every observation's term from them:

- exact ``x``: ``log f(x)`` (the ordinary graph, or the family's sufficient statistics);
- left-censored at ``u``: ``log F(u)``;
- right-censored at ``l``: ``log S(l)``;
- interval ``(l, u]``: ``log(F(u) - F(l))``, computed as ``log F(u) + log1mexp(log F(u) -
  log F(l))`` in the lower part of the distribution and as ``log S(l) + log1mexp(log S(l) -
  log S(u))`` in the upper part (whichever tail holds less probability), so a narrow interval
  far in a tail never becomes ``log(0)``;
- truncation to ``[a, b]``: ``- log P(a < X <= b)`` per observation, the same interval term
  with a negative weight.

Each observation is first cut to its truncation window (the probability of ``X in [l, u]``
given ``X in [a, b]`` is that of the intersection over that of the window), and bounds at the
edge of the family's support become open sides (``F`` is 0 there). For counts the lower bound
``l`` of ``l <= X`` is evaluated as ``P(X <= l - 1)``.

The graph has separate placeholders per kind (``left``, ``right``, ``interval``), built only
for the kinds present, so a fit of exact values is the ordinary graph, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import gaussfit.engine as tf
from gaussfit.data.observations import Observations
from gaussfit.distributions.base import Family
from gaussfit.distributions.tails import log1mexp, select
from gaussfit.errors import ConfigError, DataError

GROUPS = ("left", "right", "interval")


@dataclass(frozen=True)
class Terms:
    """What a fit feeds: the exact values (with weights) and, per censored group, the bounds
    and (signed) weights of its terms. ``groups`` names the censored groups present."""

    x: np.ndarray
    w: np.ndarray | None
    bounds: dict[str, dict[str, np.ndarray]]

    @property
    def groups(self) -> list[str]:
        return [g for g in GROUPS if g in self.bounds]


def prepare(family: Family, obs: Observations) -> Terms:
    """The terms of ``obs`` for ``family``: rows cut to their windows, support edges opened,
    truncation added as negative-weight terms, identical bounds merged."""
    lower, upper = obs.lower.copy(), obs.upper.copy()
    weights = np.ones(len(obs)) if obs.weights is None else obs.weights
    kinds = obs.kinds()
    exact = kinds["exact"]
    low, high = obs.windows()
    _check_windows(family, obs, lower, upper, exact, low, high)
    censored = ~exact
    lower[censored] = np.maximum(lower[censored], low[censored])
    upper[censored] = np.minimum(upper[censored], high[censored])
    _check_support(family, obs, lower, upper, exact)
    x = obs.lower[exact]
    w = None if obs.weights is None else obs.weights[exact]
    pieces = [(lower[censored], upper[censored], weights[censored])]
    if obs.truncated:
        pieces.append((low, high, -weights))
    bounds: dict[str, list[tuple[np.ndarray, ...]]] = {g: [] for g in GROUPS}
    for lo, hi, wt in pieces:
        lo, hi = _open_support_edges(family, lo, hi)
        if family.discrete:
            lo = np.where(np.isfinite(lo), lo - 1.0, lo)  # l <= X is X > l - 1
        left = np.isneginf(lo) & np.isfinite(hi)
        right = np.isfinite(lo) & np.isposinf(hi)
        interval = np.isfinite(lo) & np.isfinite(hi)
        bounds["left"].append((hi[left], wt[left]))
        bounds["right"].append((lo[right], wt[right]))
        bounds["interval"].append((lo[interval], hi[interval], wt[interval]))
    merged: dict[str, dict[str, np.ndarray]] = {}
    for group, parts in bounds.items():
        columns = [np.concatenate(c) for c in zip(*parts, strict=True)]
        if columns[-1].size == 0:
            continue
        keys = ["upper", "weight"] if group == "left" else ["lower", "weight"]
        if group == "interval":
            keys = ["lower", "upper", "weight"]
        merged[group] = _merge(dict(zip(keys, columns, strict=True)))
    return Terms(x, w, merged)


def _merge(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Add the weights of identical bounds (a global truncation is then one term, a detection
    limit shared by many rows one term) and drop terms whose weights cancel."""
    names = [k for k in group if k != "weight"]
    # one sortable key per term: the bound itself, or lower + i*upper (numpy sorts complex
    # numbers by real part, then imaginary part) for an interval's two bounds
    key = group[names[0]] if len(names) == 1 else group["lower"] + 1j * group["upper"]
    unique, inverse = np.unique(key, return_inverse=True)
    weight = np.bincount(np.ravel(inverse), weights=group["weight"], minlength=unique.size)
    keep = weight != 0
    if len(names) == 1:
        out = {names[0]: np.ascontiguousarray(unique[keep])}
    else:
        out = {
            "lower": np.ascontiguousarray(unique.real[keep]),
            "upper": np.ascontiguousarray(unique.imag[keep]),
        }
    out["weight"] = weight[keep]
    return out


def _open_support_edges(
    family: Family, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A lower bound at or below the support's lower end is an open side (F is 0 there), an
    upper bound at or above its upper end likewise (S is 0)."""
    support = family.support
    lo = np.where(lo <= support.lower, -np.inf, lo)
    hi = np.where(hi >= support.upper, np.inf, hi)
    return lo, hi


def _check_windows(
    family: Family,
    obs: Observations,
    lower: np.ndarray,
    upper: np.ndarray,
    exact: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
) -> None:
    """Every observation must be possible inside its truncation window."""
    if not obs.truncated:
        return
    if family.discrete:
        outside = np.where(exact, (lower < low) | (lower > high), (upper < low) | (lower > high))
    else:
        outside = np.where(exact, (lower < low) | (lower > high), (upper <= low) | (lower >= high))
    if np.any(outside):
        i = int(np.argmax(outside))
        what = f"value {lower[i]:g}" if exact[i] else f"range [{lower[i]:g}, {upper[i]:g}]"
        raise DataError(
            f"{obs.where(i)}: the truncation window [{low[i]:g}, {high[i]:g}] excludes the "
            f"observed {what}: a truncated sample holds only values inside its window"
        )


def _check_support(
    family: Family, obs: Observations, lower: np.ndarray, upper: np.ndarray, exact: np.ndarray
) -> None:
    """Exact values inside the support; censored ranges that reach into it; integer bounds
    for counts."""
    bad = np.zeros(len(obs), dtype=bool)
    bad[exact] = family.support.violations(lower[exact])
    support = family.support
    censored = ~exact
    below = upper < support.lower if not support.lower_open else upper <= support.lower
    above = lower > support.upper if not support.upper_open else lower >= support.upper
    bad |= censored & (below | above)
    if family.discrete:
        finite_low = np.isfinite(lower) & (lower != np.floor(lower))
        finite_high = np.isfinite(upper) & (upper != np.floor(upper))
        bad |= finite_low | finite_high
    if np.any(bad):
        i = int(np.argmax(bad))
        what = f"value {lower[i]:g}" if exact[i] else f"range [{lower[i]:g}, {upper[i]:g}]"
        raise DataError(
            f"{obs.where(i)}: {what} is outside the support of {family.name} "
            f"({family.support.describe()})"
        )


def check_one_sided(family: Family, counts: dict[str, int], fixed: dict[str, float]) -> None:
    """When every observation is censored on the same side the likelihood grows as the
    distribution moves past them all, so the MLE need not exist: refuse unless a parameter
    is held."""
    if fixed:
        return
    total = sum(counts.values())
    simpler = (
        ", or choose a family with fewer parameters (e.g. exponential)"
        if len(family.parameters) > 1
        else ""
    )
    for side, direction in (("right", "above"), ("left", "below")):
        if counts[side] == total:
            raise DataError(
                f"all {total} observations are {side}-censored: the likelihood keeps growing "
                f"as the distribution moves {direction} them, so the MLE may not exist; add "
                f"exact or interval observations, hold a parameter with --fix{simpler}"
            )


# -- the graph ---------------------------------------------------------------------------
def placeholders(groups: list[str]) -> dict[str, dict[str, tf.Tensor]]:
    """Placeholders for the bounds and weights of each censored group present."""
    out: dict[str, dict[str, tf.Tensor]] = {}
    with tf.name_scope("censored"):
        for group in groups:
            names = {"left": ["upper"], "right": ["lower"], "interval": ["lower", "upper"]}
            out[group] = {
                k: tf.placeholder(tf.float64, shape=[None], name=f"{group}_{k}")
                for k in [*names[group], "weight"]
            }
    return out


def log_likelihood(
    family: Family, params: dict[str, tf.Tensor], inputs: dict[str, dict[str, tf.Tensor]]
) -> tf.Tensor | None:
    """Sum over the censored groups of weight times the log-probability of each range."""
    total = None
    try:
        for group, ph in inputs.items():
            with tf.name_scope(group):
                if group == "left":
                    terms = family.log_cdf(ph["upper"], params)
                elif group == "right":
                    terms = family.log_sf(ph["lower"], params)
                else:
                    terms = log_interval(family, ph["lower"], ph["upper"], params)
                part = tf.reduce_sum(terms * ph["weight"])
            total = part if total is None else total + part
    except NotImplementedError as exc:
        raise ConfigError(f"{exc}: it cannot be fitted to censored or truncated data") from None
    return total


def log_interval(
    family: Family, lower: tf.Tensor, upper: tf.Tensor, params: dict[str, tf.Tensor]
) -> tf.Tensor:
    """log(F(upper) - F(lower)) from the tail that holds less probability (see module)."""
    log_f_low = family.log_cdf(lower, params)
    log_f_high = family.log_cdf(upper, params)
    log_s_low = family.log_sf(lower, params)
    log_s_high = family.log_sf(upper, params)
    upper_tail = tf.less(log_s_low, log_f_high)
    from_sf = log_s_low + log1mexp(select(upper_tail, log_s_low - log_s_high, 1.0))
    from_cdf = log_f_high + log1mexp(
        select(tf.logical_not(upper_tail), log_f_high - log_f_low, 1.0)
    )
    return tf.where(upper_tail, from_sf, from_cdf)


def feed(inputs: dict[str, dict[str, tf.Tensor]], terms: Terms) -> dict[tf.Tensor, np.ndarray]:
    """The feed of the censored placeholders (an absent group is fed empty)."""
    out = {}
    for group, ph in inputs.items():
        values = terms.bounds.get(group)
        for key, tensor in ph.items():
            out[tensor] = values[key] if values is not None else np.zeros(0)
    return out


__all__ = ["GROUPS", "Terms", "check_one_sided", "feed", "log_likelihood", "prepare"]
