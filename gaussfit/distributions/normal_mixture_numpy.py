"""The normal mixture's log-likelihood in numpy: EM steps to start Newton from, and its exact
Hessian in the optimiser's coordinates.

Both are sums over the data of per-component moments of the responsibilities, a few passes
over a k x N array. The engine's Hessian of the same log-likelihood differentiates twice
through a log-sum-exp of k stacked rows: (3k - 1)² second derivatives, a graph that costs more
to build and to compile than a whole EM fit, then a pass over the data for each entry.

Notation: eta_ij = log w_j + log N(x_i; mu_j, sigma_j) is observation i's joint log-density
with component j, r_ij = exp(eta_ij - log f(x_i)) its responsibility, z_ij = (x_i - mu_j) /
sigma_j. The free coordinates are the weights' logits a_2..a_k (a_1 = 0), then mu_1..mu_k,
then log sigma_1..log sigma_k, as ``NormalMixture.free_names`` orders them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)
_HALVINGS = 12
BLOCK = 1 << 14
"""Values per block of a pass over the data (k x BLOCK arrays stay in the caches, and a
pass at N = 10⁷ does not hold gigabytes of intermediates)."""
ROUNDING = 1e-12
"""A gain in log-likelihood at most ROUNDING * (|log L| + 1) is below what float64 resolves
(the fitting layer's Newton stops at the same level)."""


@dataclass(frozen=True)
class Components:
    """A mixture's weights, means and standard deviations, as length-k arrays."""

    weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray


class Workspace:
    """The k x m arrays of a pass over blocks of at most m values, allocated once and reused
    by every block: a fresh array per operation costs more than its arithmetic (the pages of
    each new megabyte are faulted in again)."""

    def __init__(self, k: int, m: int) -> None:
        self.z, self.z2, self.resp, self.rz, self.rz2 = np.empty((5, k, m))
        self.scores = np.empty((3 * k - 1, m))
        self.top, self.density, self.log_density = np.empty((3, m))


@dataclass(frozen=True)
class Responsibilities:
    """What one pass over a block of the data gives at one point: the standardised values
    ``z`` and their squares (k x m), the responsibilities (k x m, summing to 1 over
    components) and each observation's log-density (length m); views into the workspace,
    overwritten by the next block."""

    z: np.ndarray
    z2: np.ndarray
    resp: np.ndarray
    log_density: np.ndarray


def responsibilities(
    x: np.ndarray, c: Components, work: Workspace | None = None
) -> Responsibilities:
    """Responsibilities by log-sum-exp: a point far from every component still gets finite
    ones (the nearest component takes it) and a finite log-density."""
    m = x.size
    work = work or Workspace(c.weights.size, m)
    z, z2, resp = work.z[:, :m], work.z2[:, :m], work.resp[:, :m]
    np.subtract(x, c.means[:, None], out=z)
    z *= (1.0 / c.sds)[:, None]
    np.square(z, out=z2)
    np.multiply(z2, -0.5, out=resp)
    resp += (np.log(c.weights) - np.log(c.sds) - _HALF_LOG_TWO_PI)[:, None]
    top = np.max(resp, axis=0, out=work.top[:m])
    resp -= top
    np.exp(resp, out=resp)
    density = np.sum(resp, axis=0, out=work.density[:m])
    resp /= density
    log_density = np.log(density, out=work.log_density[:m])
    log_density += top
    return Responsibilities(z, z2, resp, log_density)


def em_steps(
    x: np.ndarray,
    w: np.ndarray | None,
    start: Components,
    max_steps: int,
    tolerance: float,
    min_weight: float,
) -> Components:
    """Up to ``max_steps`` expectation-maximisation steps from ``start`` on (weighted) data.

    They stop once a step raises the mean log-likelihood by less than ``tolerance`` (EM's
    gain per step shrinks linearly near the top, where Newton's steps are the faster ones),
    and keep the last good point when a step would give a component less than ``min_weight``
    of the total weight or a zero spread (a collapsing component: the likelihood is unbounded
    there, and the optimiser should not be led into it).
    """
    total = float(x.size) if w is None else float(np.sum(w))
    current = start
    previous = -math.inf
    work = Workspace(start.weights.size, x.size)
    for _ in range(max_steps):
        state = responsibilities(x, current, work)
        gain = state.log_density if w is None else state.log_density * w
        mean_loglik = float(np.sum(gain)) / total
        if mean_loglik - previous < tolerance:
            break
        previous = mean_loglik
        resp = state.resp if w is None else state.resp * w
        mass = np.sum(resp, axis=1)
        if np.any(mass <= min_weight * total):
            break
        # Sum_i r_ij (x_i - m_j)² from the old standardised values: x - m_new is
        # sigma_old z - (m_new - m_old), so no second k x N difference is needed.
        shift = (resp @ x) / mass - current.means
        second = np.einsum("ij,ij->i", resp, state.z2)
        spread = (second * np.square(current.sds) - mass * np.square(shift)) / mass
        if not np.all(np.isfinite(spread)) or np.any(spread <= 0):
            break
        current = Components(mass / total, current.means + shift, np.sqrt(spread))
    return current


def derivatives(
    x: np.ndarray, w: np.ndarray | None, c: Components
) -> tuple[float, np.ndarray, np.ndarray]:
    """sum_i w_i log f(x_i), its gradient and its (3k - 1) x (3k - 1) Hessian in the free
    coordinates, from one pass over the data in blocks of ``BLOCK`` values.

    Each observation's log-density is log sum_j exp(eta_ij), so its gradient is
    g_i = sum_j r_ij eta_ij' and its Hessian sum_j r_ij (eta_ij'' + eta_ij' eta_ij'^T) - g_i g_i^T.
    eta_ij' is e_j - w in the logits, z_ij / sigma_j in mu_j and z_ij² - 1 in log sigma_j;
    eta_ij'' is -(diag(w) - w w^T) in the logits, -1/sigma_j², -2 z_ij / sigma_j and -2 z_ij²
    in (mu_j, mu_j), (mu_j, log sigma_j), (log sigma_j, log sigma_j), and 0 across
    components. The first sum then needs only the moments sum_i w_i r_ij z_ij^p, p = 0..4;
    the second is a (3k - 1) x N product.
    """
    k = c.weights.size
    value, total = 0.0, 0.0
    gradient = np.zeros(3 * k - 1)
    outer = np.zeros((3 * k - 1, 3 * k - 1))
    moments = np.zeros((5, k))
    inv_sd = (1.0 / c.sds)[:, None]
    work = Workspace(k, min(BLOCK, x.size))
    for lo in range(0, x.size, BLOCK):
        block = x[lo : lo + BLOCK]
        weight = None if w is None else w[lo : lo + BLOCK]
        m = block.size
        state = responsibilities(block, c, work)
        z, z2, resp = state.z, state.z2, state.resp
        # Per-observation scores g_i, one row per free coordinate: r_im - w_m in the logits,
        # r_ij z_ij / sigma_j in mu_j, r_ij (z_ij² - 1) in log sigma_j.
        rz = np.multiply(resp, z, out=work.rz[:, :m])
        rz2 = np.multiply(resp, z2, out=work.rz2[:, :m])
        scores = work.scores[:, :m]
        np.subtract(resp[1:], c.weights[1:, None], out=scores[: k - 1])
        np.multiply(rz, inv_sd, out=scores[k - 1 : 2 * k - 1])
        np.subtract(rz2, resp, out=scores[2 * k - 1 :])
        if weight is None:
            total += block.size
            value += float(np.sum(state.log_density))
            scored = scores
        else:
            total += float(np.sum(weight))
            value += float(state.log_density @ weight)
            scored = scores * weight
            resp, rz, rz2 = resp * weight, rz * weight, rz2 * weight
        moments[0] += np.sum(resp, axis=1)
        moments[1] += np.sum(rz, axis=1)
        moments[2] += np.sum(rz2, axis=1)
        moments[3] += np.einsum("ij,ij->i", rz, z2)
        moments[4] += np.einsum("ij,ij->i", rz2, z2)
        gradient += np.sum(scored, axis=1)
        outer += scores @ scored.T
    hessian = _first_term(c, moments, total) - outer
    return value, gradient, 0.5 * (hessian + hessian.T)  # exactly symmetric, weights or not


def _first_term(c: Components, moments: np.ndarray, total: float) -> np.ndarray:
    """sum_i w_i sum_j r_ij (eta_ij'' + eta_ij' eta_ij'^T) from the moments
    m_p = sum_i w_i r_ij z_ij^p (rows p = 0..4) and the total weight."""
    k = c.weights.size
    m0, m1, m2, m3, m4 = moments
    inv_sd = 1.0 / c.sds
    first = np.zeros((3 * k - 1, 3 * k - 1))
    logits, mus, logs = slice(0, k - 1), slice(k - 1, 2 * k - 1), slice(2 * k - 1, 3 * k - 1)
    wl, rl = c.weights[1:], m0[1:]
    # Logits: -N (diag(w) - w w^T) + sum_j R_j (e_j - w)(e_j - w)^T, with R_j = m0_j.
    first[logits, logits] = (
        -total * (np.diag(wl) - np.outer(wl, wl))
        + np.diag(rl)
        - np.outer(rl, wl)
        - np.outer(wl, rl)
        + total * np.outer(wl, wl)
    )
    # Logit a_m against component j's mu and log sigma: (delta_jm - w_m) times the moment.
    indicator = np.eye(k)[1:] - wl[:, None]  # [m, j] = delta_jm - w_m
    first[logits, mus] = indicator * (m1 * inv_sd)[None, :]
    first[logits, logs] = indicator * (m2 - m0)[None, :]
    first[mus, logits] = first[logits, mus].T
    first[logs, logits] = first[logits, logs].T
    # Within a component; across components the second derivatives vanish.
    rows = np.arange(k)
    first[k - 1 + rows, k - 1 + rows] = (m2 - m0) * np.square(inv_sd)
    cross = (m3 - 3.0 * m1) * inv_sd
    first[k - 1 + rows, 2 * k - 1 + rows] = cross
    first[2 * k - 1 + rows, k - 1 + rows] = cross
    first[2 * k - 1 + rows, 2 * k - 1 + rows] = m4 - 4.0 * m2 + m0
    return first


def to_free(c: Components) -> np.ndarray:
    """The free coordinates of ``c``: logits against component 1, means, log sds."""
    log_weights = np.log(c.weights)
    return np.concatenate([log_weights[1:] - log_weights[0], c.means, np.log(c.sds)])


def from_free(theta: np.ndarray) -> Components:
    """The components at free coordinates ``theta`` (the inverse of ``to_free``)."""
    k = (theta.size + 1) // 3
    logits = np.concatenate([[0.0], theta[: k - 1]])
    weights = np.exp(logits - np.max(logits))
    return Components(
        weights / np.sum(weights), theta[k - 1 : 2 * k - 1], np.exp(theta[2 * k - 1 :])
    )


def newton_steps(
    x: np.ndarray,
    w: np.ndarray | None,
    start: Components,
    max_steps: int,
    min_weight: float,
) -> Components:
    """Up to ``max_steps`` Newton steps from ``start`` with the exact Hessian, each halved
    until the log-likelihood rises enough (Armijo).

    They stop once the predicted gain is at rounding level, after taking that last step
    unevaluated (the log-likelihood cannot resolve its gain; it brings the gradient down to
    rounding too, so the fitting layer's gradient test, which evaluates it, passes at once).
    They also stop, keeping the last point, where the Hessian is not negative definite (no
    Newton direction: the fitting layer's damped Newton takes over), where halving finds no
    better point, or where a step would give a component less than ``min_weight`` of the
    weight (a collapsing component).
    """
    theta, current = to_free(start), start
    value, gradient, hessian = derivatives(x, w, current)
    rounding = ROUNDING * (abs(value) + 1.0)
    for _ in range(max_steps):
        try:
            root = np.linalg.cholesky(-hessian)
        except np.linalg.LinAlgError:
            break
        direction = np.linalg.solve(root.T, np.linalg.solve(root, gradient))
        gain = float(gradient @ direction)
        if 0.5 * gain <= rounding:
            last = from_free(theta + direction)
            return last if np.all(last.weights >= min_weight) else current
        step = 1.0
        for _ in range(_HALVINGS):
            candidate = from_free(theta + step * direction)
            if np.all(candidate.weights >= min_weight):
                # Near the top the full step is taken: its derivatives are the next step's.
                trial = derivatives(x, w, candidate)
                if math.isfinite(trial[0]) and trial[0] >= value + 1e-4 * step * gain:
                    break
            step *= 0.5
        else:
            break
        theta, current = theta + step * direction, candidate
        value, gradient, hessian = trial
    return current
