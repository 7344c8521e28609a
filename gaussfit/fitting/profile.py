"""Profile-likelihood intervals for the parameters, and for quantities derived from them.

The profile log-likelihood of a parameter theta_j is the log-likelihood maximised over the
other parameters with theta_j held: l_p(theta_j). Its 95% interval is where the deviance
2 (l_hat - l_p(theta_j)) stays below the chi-square(1) 95% point, 3.8415 (Wilks). Unlike the
Wald interval it follows the likelihood's own shape (asymmetric where the likelihood is), and
it does not depend on how the parameter is written: the interval of log sigma is the log of
sigma's.

Each l_p(theta_j) is a constrained refit, done through the batched graph
(``gaussfit.fitting.batched``) with theta_j's coordinate held and the others maximised by
Newton's method, warm-started at the estimate. The ends are found on the
deviance in the coordinate the optimiser uses (log of a positive parameter), bracketed by
stepping out from the estimate in multiples of the Wald standard error (one batch), then
found on both sides at once by Newton steps on the deviance, whose slope is the held
coordinate's gradient at the refit (envelope theorem), falling back to bisection when a step
leaves the bracket. An end not reached within 16 standard errors is reported as open (None):
the likelihood does not bound the parameter there (a Student t's df on nearly normal data),
and further out the log-likelihood's own rounding (lgamma of a huge df) would fake a crossing.

A derived quantity g(theta) — a quantile, P(X > x) — is profiled as if the model were
reparameterised with g as one of its parameters: l_p(q) = max {l(theta) : g(theta) = q}, and
the interval is {q : 2 (l_hat - l_p(q)) <= 3.8415}. That set is the range of g over the
likelihood region R = {theta : l(theta) >= l_hat - 3.8415 / 2} (q is in it exactly when some
theta in R has g(theta) = q), so its ends are the minimum and the maximum of g over R: two
smooth constrained optimisations (SLSQP), with no reparameterisation to write per family and
no nested profile. They run in the coordinates v = L^-1 (u - u_hat), L the Cholesky factor of
the inverse observed information in the optimiser's coordinates u, where R is nearly the ball
|v|² <= 3.8415 and each search starts at the delta method's end; the log-likelihood and its
gradient come from the same batched graph, g's gradient from central differences. An end
further than 16 standard errors out (|v| > 16) is reported as open, as for the parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.fitting.batched import BatchedLikelihood, batchable, batched_likelihood, fit_rows
from gaussfit.fitting.model import free_to_param

# A derived quantity of the natural parameters, given as arrays (one entry per point).
Quantity = Callable[[dict[str, np.ndarray]], np.ndarray]

CHI2_1_95 = 3.841458820694124
_STEPS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
MAX_ROOT_STEPS = 60


def profile_intervals(
    family: Family,
    x: np.ndarray,
    params: dict[str, float],
    fixed: dict[str, float],
    stderr: dict[str, float | None],
) -> dict[str, tuple[float | None, float | None] | None]:
    """Each free parameter's 95% profile-likelihood interval (None for held parameters, or
    where the family cannot be profiled: a mixture's weights share their coordinates)."""
    out: dict[str, tuple[float | None, float | None] | None] = {
        name: None for name in family.parameter_names
    }
    if not batchable(family):
        return out
    block = np.asarray(x, dtype=np.float64)[None, :]
    with batched_likelihood(family, fixed, block.size * 2 * len(_STEPS)) as model:
        for coordinate, name in free_to_param(family).items():
            if name in fixed or not stderr.get(name):
                continue
            out[name] = _interval(model, block, family, params, coordinate, name, stderr[name])
    return out


def _interval(
    model: BatchedLikelihood,
    block: np.ndarray,
    family: Family,
    params: dict[str, float],
    coordinate: str,
    name: str,
    se: float,
) -> tuple[float | None, float | None]:
    constraint = next(p.constraint for p in family.parameters if p.name == name)
    centre = constraint.to_unconstrained(params[name])
    se_u = se / abs(constraint.jacobian(params[name]))
    column = model.free_names.index(coordinate)
    free = family.to_unconstrained({**params, **model.fixed})
    estimate = np.array([free[c] for c in model.free_names], dtype=np.float64)
    last: list[np.ndarray] = []  # the previous refits' coordinates (the estimate where failed)

    def profile(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """l_p at held values, and its slope: by the envelope theorem d l_p / d u is the held
        coordinate's own gradient at the constrained refit. The root search's refits move
        by ever smaller steps, so each starts from the previous one's (row by row) rather
        than from the estimate."""
        rows = np.broadcast_to(block, (len(values), block.shape[1]))
        warm = last[0] if last and len(last[0]) == len(values) else None
        fitted = fit_rows(model, rows, params, held={coordinate: values}, warm=warm)
        assert fitted.loglik is not None and fitted.gradient is not None
        last[:] = [np.where(fitted.converged[:, None], fitted.coordinates, estimate)]
        return np.where(fitted.converged, fitted.loglik, np.nan), fitted.gradient[:, column]

    top = float(profile(np.array([centre]))[0][0])

    def gap(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Deviance minus the chi-square point, and its slope."""
        value, slope = profile(values)
        return 2.0 * (top - value) - CHI2_1_95, -2.0 * slope

    steps = np.array(_STEPS)
    trial = np.concatenate([centre - se_u * steps, centre + se_u * steps])
    values, _ = gap(trial)
    inner, outer, found, rows = [], [], [], []
    for side in (slice(0, len(steps)), slice(len(steps), 2 * len(steps))):
        beyond = np.flatnonzero(np.isfinite(values[side]) & (values[side] > 0))
        found.append(len(beyond) > 0)
        k = int(beyond[0]) if len(beyond) else 0
        outer.append(float(trial[side][k]))
        inner.append(centre if k == 0 else float(trial[side][k - 1]))
        rows.append(side.start + k)
    last[:] = [last[0][rows]]  # the root search starts from the bracket's outer refits
    ends = _roots(gap, np.array(inner), np.array(outer))
    low, high = (
        constraint.from_unconstrained(float(end)) if closed else None
        for end, closed in zip(ends, found, strict=True)
    )
    if constraint.jacobian(params[name]) < 0:  # a bound above: the value falls as u rises
        low, high = high, low
    return low, high


def _roots(
    gap: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    inner: np.ndarray,
    outer: np.ndarray,
) -> np.ndarray:
    """Both ends at once by safeguarded Newton steps: ``gap`` < 0 at ``inner`` and > 0 at
    ``outer``; a step that leaves its bracket is replaced by bisection."""
    low, high = inner.copy(), outer.copy()  # gap < 0 at low, > 0 at high, side by side
    u = 0.5 * (low + high)
    for _ in range(MAX_ROOT_STEPS):
        value, slope = gap(u)
        if np.all(np.abs(value) < 1e-10) or np.all(np.abs(high - low) < 1e-13 * (1 + np.abs(u))):
            break
        below = value < 0
        low = np.where(below, u, low)
        high = np.where(below, high, u)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = u - value / slope
        inside = np.isfinite(step) & ((step - low) * (step - high) < 0)
        u = np.where(inside, step, 0.5 * (low + high))
    return u


def quantity_interval(
    family: Family,
    x: np.ndarray,
    params: dict[str, float],
    fixed: dict[str, float],
    quantity: Quantity,
) -> tuple[float | None, float | None] | None:
    """The 95% profile-likelihood interval of ``quantity`` (a function of the natural
    parameters, every one given as an array, held ones included, evaluated at several points
    in one call), or None where the family cannot be
    profiled (a mixture) or the information matrix is not positive definite."""
    if not batchable(family):
        return None
    with batched_likelihood(family, fixed, np.size(x)) as model:
        return _quantity_interval(model, np.asarray(x, dtype=np.float64), params, quantity)


def _quantity_interval(
    model: BatchedLikelihood, x: np.ndarray, params: dict[str, float], quantity: Quantity
) -> tuple[float | None, float | None] | None:
    from scipy.optimize import minimize

    family = model.family
    data = model.data_feed(x[None, :])
    free = family.to_unconstrained({**params, **model.fixed})
    centre = np.array([free[name] for name in model.free_names], dtype=np.float64)
    if len(centre) == 0:
        return None
    top, _, hessian = (a[0] for a in model.derivatives(data, centre[None, :]))
    try:
        root = np.linalg.cholesky(np.linalg.inv(-hessian))
    except np.linalg.LinAlgError:
        return None
    floor = float(top) - 0.5 * CHI2_1_95
    by_name = {p.name: p for p in family.parameters}
    coordinate_of = free_to_param(family)
    moving = [by_name[coordinate_of[name]] for name in model.free_names]
    k = len(centre)
    # the point itself and its central-difference neighbours, in one evaluation of g
    offsets = np.vstack([np.zeros(k), 1e-5 * np.eye(k), -1e-5 * np.eye(k)])

    def with_slope(v: np.ndarray) -> tuple[float, np.ndarray]:
        """g at v and its gradient in v, from one vectorised call of ``quantity``."""
        u = centre + (v + offsets) @ root.T
        natural = {name: np.full(len(u), float(value)) for name, value in params.items()}
        natural.update({name: np.full(len(u), float(value)) for name, value in model.fixed.items()})
        for j, parameter in enumerate(moving):
            to_natural = parameter.constraint.from_unconstrained
            natural[parameter.name] = np.array([to_natural(float(value)) for value in u[:, j]])
        values = np.asarray(quantity(natural), dtype=np.float64)
        return float(values[0]), (values[1 : k + 1] - values[k + 1 :]) / 2e-5

    def with_gradient(v: np.ndarray) -> tuple[float, np.ndarray]:
        """The slack l(v) - floor and its gradient in v, from one run of the graph."""
        value, gradient, _ = model.derivatives(data, (centre + root @ v)[None, :])
        return float(value[0]) - floor, np.asarray(root.T @ gradient[0], dtype=np.float64)

    g, l = _memoised(with_slope), _memoised(with_gradient)
    estimate, direction = g(np.zeros(k))
    size = float(np.linalg.norm(direction))
    if not (math.isfinite(estimate) and math.isfinite(size)) or size == 0.0:
        return None
    ends: list[float | None] = []
    for sign in (1.0, -1.0):
        start = -sign * math.sqrt(CHI2_1_95) * direction / size  # the delta method's end
        found = minimize(
            lambda v, s=sign: s * (g(v)[0] - estimate) / size,
            start,
            jac=lambda v, s=sign: s * g(v)[1] / size,
            constraints=[{"type": "ineq", "fun": lambda v: l(v)[0], "jac": lambda v: l(v)[1]}],
            method="SLSQP",
            options={"ftol": 1e-12, "maxiter": 200},
        )
        end = found.x
        value, slope = g(end)
        closed = (
            float(np.linalg.norm(end)) <= _STEPS[-1]
            and math.isfinite(value)
            and _at_optimum(slope, *l(end))
        )
        ends.append(value if closed else None)
    return ends[0], ends[1]


def _memoised(
    compute: Callable[[np.ndarray], tuple[float, np.ndarray]],
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """``compute`` remembering its last point: SLSQP asks for a function and its gradient at
    the same point in two calls."""
    last: list = [None, None]

    def call(v: np.ndarray) -> tuple[float, np.ndarray]:
        if last[0] is None or not np.array_equal(last[0], v):
            last[0], last[1] = np.array(v, dtype=np.float64), compute(v)
        return last[1]

    return call


def _at_optimum(objective: np.ndarray, slack: float, normal: np.ndarray) -> bool:
    """The first-order conditions of an end: on the boundary of the likelihood region, and
    the quantity's gradient along the boundary's normal (nothing left along the boundary).
    SLSQP may stop on a line-search message once rounding is all that is left to gain; this
    is what decides whether it got there."""
    if not (abs(slack) < 1e-7 and np.all(np.isfinite(objective)) and np.any(normal != 0)):
        return False
    along = objective - (objective @ normal) / (normal @ normal) * normal
    return float(np.linalg.norm(along)) <= 1e-5 * float(np.linalg.norm(objective))


def profile_curve(
    family: Family,
    x: np.ndarray,
    params: dict[str, float],
    fixed: dict[str, float],
    name: str,
    values: np.ndarray,
) -> np.ndarray:
    """The profile log-likelihood l_p of parameter ``name`` at each of ``values`` (its natural
    scale): one batched constrained refit per value, warm-started at the estimate, as the
    interval's ends are found; NaN where a refit did not converge. For drawing the curve
    (``--plot-profile``, fitdistrplus's ``llplot``)."""
    if not batchable(family):
        raise ValueError(f"{family.name} cannot be profiled (its coordinates are shared)")
    constraint = next(p.constraint for p in family.parameters if p.name == name)
    coordinate = next(c for c, n in free_to_param(family).items() if n == name)
    held = np.array([constraint.to_unconstrained(float(v)) for v in values])
    block = np.asarray(x, dtype=np.float64)[None, :]
    with batched_likelihood(family, fixed, block.size * len(held)) as model:
        rows = np.broadcast_to(block, (len(held), block.shape[1]))
        fitted = fit_rows(model, rows, params, held={coordinate: held})
    assert fitted.loglik is not None
    return np.where(fitted.converged, fitted.loglik, np.nan)


GRID_POINTS = 41
GRID_WIDEN = 1.5
"""A drawn profile reaches this many times as far from the estimate as the interval's end."""
GRID_OPEN_REACH = 4.0
"""Standard errors a drawn profile reaches on a side where the interval is open."""


def profile_grid(
    family: Family,
    params: dict[str, float],
    stderr: dict[str, float | None],
    name: str,
    interval: tuple[float | None, float | None] | None,
    points: int = GRID_POINTS,
) -> np.ndarray:
    """Values of ``name`` at which to draw its profile: evenly spaced in the optimiser's
    coordinate (log of a positive parameter), past the interval's ends on both sides."""
    constraint = next(p.constraint for p in family.parameters if p.name == name)
    centre = constraint.to_unconstrained(params[name])
    se_u = (stderr.get(name) or 0.0) / constraint.jacobian(params[name])
    reach = [
        abs(constraint.to_unconstrained(end) - centre) * GRID_WIDEN
        if end is not None
        else GRID_OPEN_REACH * se_u
        for end in (interval or (None, None))
    ]
    u = np.linspace(centre - reach[0], centre + reach[1], points)
    return np.array([constraint.from_unconstrained(float(v)) for v in u])
