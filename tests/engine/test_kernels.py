"""The dot-product kernels of compiled plans: BLAS for short arrays, einsum's single-threaded
loop from ``BLAS_BELOW`` elements on; both sums equal the exactly rounded one to rounding."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gaussfit.engine.compiler import kernels


@pytest.mark.parametrize("size", [1, 7, kernels.BLAS_BELOW - 1, kernels.BLAS_BELOW, 100_003])
def test_sum_of_products_and_of_squares_match_an_exact_sum(size: int) -> None:
    rng = np.random.default_rng(size)
    a, b = rng.normal(size=size), rng.normal(size=size)
    exact = math.fsum((a * b).tolist())  # each product is rounded once, then summed exactly
    scale = math.fsum(np.abs(a * b).tolist())
    assert abs(float(kernels.sum_of_products(a, b)) - exact) <= 1e-14 * scale
    squares = math.fsum((a * a).tolist())
    assert float(kernels.sum_of_squares(a)) == pytest.approx(squares, rel=1e-14)


def test_kernels_read_any_shape_as_one_flat_vector() -> None:
    a = np.arange(12.0).reshape(3, 4)
    b = np.full((3, 4), 0.5)
    assert float(kernels.sum_of_products(a, b)) == 33.0
    assert float(kernels.sum_of_squares(a.T)) == float(np.sum(np.square(a)))
    big = np.linspace(0.0, 1.0, 2 * kernels.BLAS_BELOW).reshape(2, -1)
    assert float(kernels.sum_of_squares(big)) == pytest.approx(float(np.sum(big * big)), rel=1e-14)
