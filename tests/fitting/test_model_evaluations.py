"""The likelihood model's joint evaluation and what it keeps for its point.

Newton asks for the value, gradient and Hessian in one run, and the fit's summary asks again at
the point Newton ended on; the model keeps what it computed for the current point and the data
fed now. These tests pin down that what it keeps is never stale and that one run gives what
separate runs give, with the compiler on and off.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from gaussfit.distributions import get_family
from gaussfit.engine import compiler_hook
from gaussfit.fitting.model import LikelihoodModel


def _model(x: np.ndarray) -> LikelihoodModel:
    family = get_family("weibull")
    model = LikelihoodModel(
        family, statistic_names=None, weighted=False, start={"shape": 1.2, "scale": 1.5}
    )
    model.set_data(x, None)
    return model


def _sample(n: int, seed: int) -> np.ndarray:
    return 2.0 * np.random.default_rng(seed).weibull(1.5, n)


def _scipy_loglik(x: np.ndarray, model: LikelihoodModel) -> float:
    p = model.natural_params()
    return float(np.sum(stats.weibull_min.logpdf(x, p["shape"], scale=p["scale"])))


def _finite_difference_hessian(model: LikelihoodModel, step: float = 1e-5) -> np.ndarray:
    """Central differences of the engine's gradient (an independent check of its Hessian)."""
    theta = model.get_free()
    columns = []
    for j in range(len(theta)):
        shift = np.zeros_like(theta)
        shift[j] = step
        model.set_free(theta + shift)
        up = model.value_and_gradient()[1]
        model.set_free(theta - shift)
        down = model.value_and_gradient()[1]
        columns.append((up - down) / (2 * step))
    model.set_free(theta)
    return np.column_stack(columns)


@pytest.mark.parametrize("compiler", [True, False], ids=["compiled", "interpreted"])
def test_one_run_gives_the_value_gradient_and_hessian_of_separate_runs(compiler):
    x = _sample(70_000, 1)  # large enough that the compiler takes the plans at once
    old = compiler_hook.set_enabled(compiler)
    try:
        joint = _model(x)
        value, grad, hess = joint.value_gradient_hessian()
        apart = _model(x)
        apart_value, apart_grad = apart.value_and_gradient()
        apart_hess = apart.hessian()
        assert value == pytest.approx(_scipy_loglik(x, joint), rel=1e-12)
        assert value == pytest.approx(apart_value, rel=1e-13)
        np.testing.assert_allclose(grad, apart_grad, rtol=1e-10, atol=1e-8)
        np.testing.assert_allclose(hess, apart_hess, rtol=1e-10)
        np.testing.assert_allclose(hess, _finite_difference_hessian(joint), rtol=1e-6)
    finally:
        compiler_hook.set_enabled(old)


def test_the_compiled_and_interpreted_joint_runs_agree():
    x = _sample(70_000, 2)
    compiled = _model(x).value_gradient_hessian()
    with compiler_hook.disabled():
        interpreted = _model(x).value_gradient_hessian()
    assert compiled[0] == pytest.approx(interpreted[0], rel=1e-13)
    np.testing.assert_allclose(compiled[1], interpreted[1], rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(compiled[2], interpreted[2], rtol=1e-10)


def test_feeding_new_data_forgets_what_was_computed_on_the_old():
    first, second = _sample(5000, 3), _sample(5000, 4)
    model = _model(first)
    before = model.value_gradient_hessian()
    model.set_data(second, None)
    after = model.value_gradient_hessian()
    fresh = _model(second).value_gradient_hessian()
    assert after[0] == pytest.approx(fresh[0], rel=1e-13)
    assert after[0] != pytest.approx(before[0], rel=1e-6)
    np.testing.assert_allclose(after[2], fresh[2], rtol=1e-12)
    assert model.value() == pytest.approx(_scipy_loglik(second, model), rel=1e-12)


def test_a_feed_replaced_by_hand_is_new_data_too():
    first, second = _sample(3000, 5), _sample(3000, 6)
    model = _model(first)
    model.value_and_gradient()
    model.feed = {model.x: second}
    assert model.value() == pytest.approx(_scipy_loglik(second, model), rel=1e-12)


def test_moving_the_point_forgets_and_coming_back_recomputes_the_same():
    x = _sample(4000, 7)
    model = _model(x)
    here = model.value_gradient_hessian()
    theta = model.get_free()
    model.set_free(theta + np.array([0.1, -0.2]))
    moved = model.value_and_gradient()
    assert moved[0] == pytest.approx(_scipy_loglik(x, model), rel=1e-12)
    assert moved[0] != pytest.approx(here[0], rel=1e-6)
    np.testing.assert_allclose(model.hessian(), _finite_difference_hessian(model), rtol=1e-6)
    model.set_free(theta)
    back = model.value_gradient_hessian()
    assert back[0] == pytest.approx(here[0], rel=1e-14)
    np.testing.assert_allclose(back[2], here[2], rtol=1e-13)


def test_what_is_kept_cannot_be_changed_through_a_returned_array():
    model = _model(_sample(2000, 8))
    _, grad, hess = model.value_gradient_hessian()
    grad[:] = 0.0
    hess[:] = 0.0
    _, grad_again, hess_again = model.value_gradient_hessian()
    assert np.all(grad_again != 0.0)
    assert np.all(hess_again != 0.0)
