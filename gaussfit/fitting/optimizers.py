"""The optimisers a fit can use, all maximising the engine's log-likelihood.

- ``gd``, ``momentum``, ``adam``: the engine's own ``tf.train`` optimisers, stepping on
  -log p(X) exactly as the lab does (``run([minimize_op, log_p])`` each iteration).
- ``newton``: Newton's method with the engine's Hessian, made safe by Levenberg–Marquardt damping
  (the Hessian is shifted until it is negative definite) and a backtracking line search that
  only accepts steps that increase the log-likelihood. The default: quadratic convergence, no
  learning rate to tune.
- ``lbfgs``: scipy's L-BFGS-B driven by the engine's value and gradient. When scipy stops
  before the convergence test below passes (its line search stalls near rounding level, at a
  point that differs between scipy versions), at most five Newton steps finish the fit, so that
  ``lbfgs`` converges by the same rule on every scipy.

Convergence criterion (the same for all): the largest gradient component, measured against its
coordinate's natural size (the data's standard deviation for a location or scale in data units,
the value itself for a positive parameter in the natural space) and divided by the total weight
n, is at most ``tol`` — a per-observation, unit-free gradient, so the criterion means the same
at n = 20 and n = 10⁷, and for data in metres or in nanometres. Newton also stops when its
predicted gain (half the Newton decrement) is at rounding level, i.e. at most
1e-12·(|log L| + 1): no representable step can improve the fit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import gaussfit.engine as tf
from gaussfit.errors import ConfigError, FitError
from gaussfit.fitting.model import LikelihoodModel

OPTIMIZERS = ("newton", "lbfgs", "gd", "momentum", "adam")
ROUNDING = 1e-12
"""A gain in log-likelihood at most ROUNDING * (|log L| + 1) is below what float64 resolves."""
POLISH_STEPS = 5
"""Newton iterations that finish an L-BFGS run whose line search stalled short of ``tol``."""


@dataclass(frozen=True)
class Step:
    """One row of the iteration table: the state at the start of an iteration."""

    iteration: int
    loglik: float
    grad_norm: float
    params: dict[str, float]


@dataclass
class Outcome:
    iterations: int
    converged: bool
    stopped: str  # "converged", "max_iter", "time_budget", "line_search"
    trace: list[Step] = field(default_factory=list)
    start_loglik: float | None = None


@dataclass(frozen=True)
class Settings:
    """How to optimise. ``unit`` is the data's standard deviation and ``measures`` says, per
    variable, what its gradient is measured against for the convergence test: ``"unit"`` (a
    location or scale in data units), ``"value"`` (a positive parameter itself: a relative
    change), ``"odds"`` (a probability itself) or nothing (a coordinate without units)."""

    optimizer: str
    lr: float | None
    max_iter: int
    tol: float
    n: float
    deadline: float | None = None
    on_step: Callable[[Step], None] | None = None
    unit: float = 1.0
    measures: dict[str, str] = field(default_factory=dict)


def default_max_iter(optimizer: str) -> int:
    return {"newton": 100, "lbfgs": 1000, "gd": 5000, "momentum": 5000, "adam": 5000}[optimizer]


def default_lr(optimizer: str, n: float, variance: float, space: str) -> float | None:
    """A stable first step size for the first-order optimisers.

    The log-likelihood is a sum over n observations, and its curvature in a location or scale
    measured in data units is about n / variance; gradient descent is stable below twice the
    inverse curvature, so the default is half of that: 0.5 * variance / n (the lab's 0.05 at
    n=20 and 0.001 at n=1000 are this rule). In the unconstrained space (log scales) the
    curvature is about 2n, whatever the data's units. Momentum takes a tenth of the step (its
    velocity multiplies it by ten); Adam's steps are scale-free.
    """
    if optimizer == "adam":
        return 0.05
    if optimizer not in ("gd", "momentum"):
        return None
    spread = variance if space == "natural" else min(variance, 1.0)
    rate = 0.5 * spread / max(n, 1.0) if space == "natural" else 0.25 * spread / max(n, 1.0)
    return rate if optimizer == "gd" else 0.1 * rate


def optimize(model: LikelihoodModel, settings: Settings) -> Outcome:
    """Run the chosen optimiser from the model's current point."""
    if settings.optimizer not in OPTIMIZERS:
        raise ConfigError(
            f"unknown optimizer '{settings.optimizer}'; choose one of {', '.join(OPTIMIZERS)}"
        )
    if not model.variables:
        loglik, grad = model.value_and_gradient()
        return Outcome(0, True, "converged", [_record(model, settings, 0, loglik, grad)])
    runner = {
        "newton": _newton,
        "lbfgs": _lbfgs,
        "gd": _first_order,
        "momentum": _first_order,
        "adam": _first_order,
    }[settings.optimizer]
    outcome = runner(model, settings)
    _check_not_worse(outcome, settings)
    return outcome


def _check_not_worse(outcome: Outcome, settings: Settings) -> None:
    """Refuse an end point whose log-likelihood is below the start's: the fit diverged.

    Steps far too large can throw the parameters where the likelihood is flat (a scale of
    1e10): the gradient there may pass any test, or the steps wander on; either way the fit
    has diverged, and calling it converged (or merely unfinished) would be a quiet wrong answer.
    """
    if outcome.start_loglik is None or not outcome.trace:
        return
    start, end = outcome.start_loglik, outcome.trace[-1].loglik
    if end >= start - 1e-9 * (abs(start) + 1.0):
        return
    advice = (
        f"lower the learning rate (--lr, now {settings.lr:g}) or use --optimizer newton"
        if settings.lr is not None
        else "give a better starting point with --init, or try --optimizer newton"
    )
    raise FitError(
        f"the fit diverged: after {outcome.iterations} iterations its log-likelihood "
        f"({end:.6g}) is below the start's ({start:.6g}); {advice}"
    )


def _grad_ok(
    grad: np.ndarray,
    settings: Settings,
    model: LikelihoodModel,
    params: dict[str, float] | None = None,
) -> bool:
    """The convergence test on the gradient, in units that do not depend on the data's:
    d log L / d theta times theta's natural size (the data's spread for a location, the value
    itself for a scale), so that data multiplied by 1e9 converge at the same point."""
    sizes = _natural_sizes(model, settings, params)
    return bool(np.max(np.abs(grad) * sizes) <= settings.tol * max(settings.n, 1.0))


def _natural_sizes(
    model: LikelihoodModel, settings: Settings, params: dict[str, float] | None
) -> np.ndarray:
    sizes = np.ones(len(model.variables))
    if not settings.measures:
        return sizes
    values = None
    for i, name in enumerate(model.variable_names):
        measure = settings.measures.get(name)
        if measure == "unit":
            sizes[i] = settings.unit
        elif measure in ("value", "odds"):
            values = values if values is not None else params or model.natural_params()
            v = abs(values[name])
            sizes[i] = v if measure == "value" else v * (1.0 - v)
    return sizes


def _record(
    model: LikelihoodModel,
    settings: Settings,
    k: int,
    loglik: float,
    grad: np.ndarray,
    params: dict[str, float] | None = None,
) -> Step:
    """One row: the log-likelihood, gradient and parameters of the same point."""
    step = Step(
        k,
        loglik,
        float(np.max(np.abs(grad))) if grad.size else 0.0,
        params if params is not None else model.natural_params(),
    )
    if settings.on_step is not None:
        settings.on_step(step)
    return step


def _check_finite(
    model: LikelihoodModel, settings: Settings, k: int, loglik: float, grad: np.ndarray
) -> None:
    if math.isfinite(loglik) and np.all(np.isfinite(grad)):
        return
    what = "log-likelihood" if not math.isfinite(loglik) else "gradient"
    advice = (
        f"lower the learning rate (--lr, now {settings.lr:g}) or use --optimizer newton"
        if settings.lr is not None
        else "give a better starting point with --init, or try --optimizer lbfgs"
    )
    raise FitError(f"the fit diverged at iteration {k} (the {what} became {loglik:g}); {advice}")


def _out_of_time(settings: Settings) -> bool:
    return settings.deadline is not None and time.perf_counter() > settings.deadline


# -- first-order optimisers on the engine's tf.train ------------------------------------------
def _train_op(model: LikelihoodModel, settings: Settings) -> tf.Operation:
    with model.graph.as_default():
        before = set(tf.global_variables())
        if settings.optimizer == "gd":
            optimiser = tf.train.GradientDescentOptimizer(settings.lr)
        elif settings.optimizer == "momentum":
            optimiser = tf.train.MomentumOptimizer(settings.lr, momentum=0.9)
        else:
            optimiser = tf.train.AdamOptimizer(settings.lr)
        op = optimiser.minimize(model.objective, var_list=model.variables)
        slots = [v for v in tf.global_variables() if v not in before]
        if slots:
            model.session.run(tf.variables_initializer(slots))
    return op


def _first_order(model: LikelihoodModel, settings: Settings) -> Outcome:
    op = _train_op(model, settings)
    outcome = Outcome(0, False, "max_iter")
    for k in range(1, settings.max_iter + 1):
        # One run reads every value before the step, as the lab's run([minimize, log_p]) does.
        _, loglik, grad, params = model.session.run(
            [op, model.log_likelihood, model.gradient, model.params], model.feed
        )
        grad = np.asarray(grad, dtype=np.float64)
        _check_finite(model, settings, k, float(loglik), grad)
        before = {name: float(value) for name, value in params.items()}
        if outcome.start_loglik is None:
            outcome.start_loglik = float(loglik)
        outcome.trace.append(_record(model, settings, k, float(loglik), grad, before))
        outcome.iterations = k
        if model.space == "natural":
            _check_domain(model, k, settings)
        if _grad_ok(grad, settings, model, before):
            outcome.converged, outcome.stopped = True, "converged"
            break
        if _out_of_time(settings):
            outcome.stopped = "time_budget"
            break
    return outcome


def _check_domain(model: LikelihoodModel, k: int, settings: Settings) -> None:
    params = model.natural_params()
    for p in model.family.parameters:
        value = params[p.name]
        if not p.constraint.contains(value):
            raise FitError(
                f"parameter {p.name} left its domain ({p.constraint.name}) at iteration {k} "
                f"(value {value:g}); lower the learning rate (--lr, now {settings.lr:g}) or use "
                "--optimizer newton"
            )


# -- Newton's method with the engine's Hessian -------------------------------------------------
def _newton_direction(grad: np.ndarray, hess: np.ndarray, damping: float = 0.0) -> np.ndarray:
    """Solve (-H + lambda I) d = g, raising lambda from ``damping`` until -H + lambda I is
    positive definite."""
    neg = -hess
    scale = max(float(np.max(np.abs(np.diag(neg)))), 1e-12)
    for _ in range(60):
        try:
            chol = np.linalg.cholesky(neg + damping * np.eye(len(grad)))
        except np.linalg.LinAlgError:
            damping = max(damping * 10.0, scale * 1e-10)
            continue
        return np.linalg.solve(chol.T, np.linalg.solve(chol, grad))
    return grad / scale


def _newton(model: LikelihoodModel, settings: Settings) -> Outcome:
    return _newton_steps(model, settings, Outcome(0, False, "max_iter"), settings.max_iter)


def _newton_steps(
    model: LikelihoodModel, settings: Settings, outcome: Outcome, limit: int
) -> Outcome:
    """At most ``limit`` safeguarded Newton iterations from the model's point, continuing
    ``outcome`` (its iteration count and trace)."""
    theta = model.get_free()
    loglik, grad = _evaluate(model, with_hessian=True)
    _check_finite(model, settings, outcome.iterations, loglik, grad)
    if outcome.start_loglik is None:
        outcome.start_loglik = loglik
    for k in range(outcome.iterations + 1, outcome.iterations + limit + 1):
        outcome.trace.append(_record(model, settings, k, loglik, grad))
        outcome.iterations = k
        if _grad_ok(grad, settings, model):
            outcome.converged, outcome.stopped = True, "converged"
            break
        hessian = model.hessian()
        direction = _newton_direction(grad, hessian)
        gain = float(grad @ direction)
        if 0.5 * gain <= ROUNDING * (abs(loglik) + 1.0):
            outcome.converged, outcome.stopped = True, "converged"
            break
        accepted = False
        # A (nearly) singular Hessian gives a useless direction: damp it more and more, towards
        # a short gradient step, before giving up (Levenberg–Marquardt).
        size = max(float(np.max(np.abs(np.diag(hessian)))), 1e-12)
        for damping in (0.0, *(size * 10.0**k for k in range(-6, 7, 2))):
            if damping:
                direction = _newton_direction(grad, hessian, damping)
                gain = float(grad @ direction)
            candidate, new_loglik, new_grad, accepted = _line_search(
                model, theta, loglik, direction, gain
            )
            if accepted:
                break
        if not accepted:
            model.set_free(theta)
            outcome.stopped = "line_search"
            break
        theta, loglik, grad = candidate, new_loglik, new_grad
        if _out_of_time(settings):
            outcome.stopped = "time_budget"
            break
    return outcome


def _line_search(
    model: LikelihoodModel, theta: np.ndarray, loglik: float, direction: np.ndarray, gain: float
) -> tuple[np.ndarray, float, np.ndarray, bool]:
    """Backtracking from a full step until the log-likelihood rises enough (Armijo)."""
    step = 1.0
    for trial in range(40):
        candidate = theta + step * direction
        model.set_free(candidate)
        # The full step is usually taken, and Newton's next iteration (or the fit's summary)
        # needs the Hessian there: one run gives all three. A shorter step asks for less.
        new_loglik, new_grad = _evaluate(model, with_hessian=trial == 0)
        if (
            math.isfinite(new_loglik)
            and np.all(np.isfinite(new_grad))
            and (new_loglik >= loglik + 1e-4 * step * gain)
        ):
            return candidate, new_loglik, new_grad, True
        step *= 0.5
    return theta, loglik, np.zeros_like(theta), False


def _evaluate(model: LikelihoodModel, with_hessian: bool) -> tuple[float, np.ndarray]:
    """The value and gradient at the model's point; with ``with_hessian``, from the run that
    gives the Hessian too (kept by the model for ``hessian()``) where the model has one."""
    if with_hessian and model.joint_evaluation:
        value, grad, _ = model.value_gradient_hessian()
        return value, grad
    return model.value_and_gradient()


# -- L-BFGS from scipy, with the engine's value and gradient ------------------------------------
class _StopRun(Exception):
    pass


def _lbfgs(model: LikelihoodModel, settings: Settings) -> Outcome:
    from scipy.optimize import minimize

    outcome = Outcome(0, False, "max_iter")
    # scipy works on z = theta / size, each coordinate in its natural units (a location in
    # standard deviations of the data), so that its own tests and steps do not depend on the
    # data's units any more than ours do.
    size = _natural_sizes(model, settings, None)

    def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
        model.set_free(z * size)
        loglik, grad = model.value_and_gradient()
        if not (math.isfinite(loglik) and np.all(np.isfinite(grad))):
            return math.inf, np.zeros_like(z)
        return -loglik, -grad * size

    def callback(intermediate_result: object) -> None:
        model.set_free(np.asarray(intermediate_result.x) * size)  # type: ignore[attr-defined]
        loglik, grad = model.value_and_gradient()
        outcome.iterations += 1
        outcome.trace.append(_record(model, settings, outcome.iterations, loglik, grad))
        if _grad_ok(grad, settings, model):
            outcome.converged, outcome.stopped = True, "converged"
            raise StopIteration
        if _out_of_time(settings):
            outcome.stopped = "time_budget"
            raise StopIteration

    start = model.get_free()
    loglik0, grad0 = model.value_and_gradient()
    _check_finite(model, settings, 0, loglik0, grad0)
    outcome.start_loglik = loglik0
    if _grad_ok(grad0, settings, model):
        outcome.trace.append(_record(model, settings, 0, loglik0, grad0))
        outcome.converged, outcome.stopped = True, "converged"
        return outcome
    result = minimize(
        objective,
        start / size,
        jac=True,
        method="L-BFGS-B",
        callback=callback,
        options={
            "maxiter": settings.max_iter,
            "gtol": settings.tol * max(settings.n, 1.0),
            "ftol": 1e-15,
            "maxcor": 20,
        },
    )
    model.set_free(result.x * size)
    loglik, grad = model.value_and_gradient()
    _check_finite(model, settings, outcome.iterations, loglik, grad)
    if outcome.converged or outcome.stopped == "time_budget":
        return outcome
    if _grad_ok(grad, settings, model):
        outcome.converged, outcome.stopped = True, "converged"
        return outcome
    left = settings.max_iter - outcome.iterations
    if left <= 0:
        return outcome
    # scipy stopped early (its line search found no decrease it could resolve, or its own
    # ftol/gtol tests fired). How close to rounding level that happens differs between scipy
    # versions, so the answer is finished by Newton steps, whose stopping rule is ours.
    return _newton_steps(model, settings, outcome, min(left, POLISH_STEPS))
