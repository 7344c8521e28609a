"""numpy kernels that only compiled plans use: what some rewrites turn a group of ops into.

They are not graph ops (a graph never contains them and they have no gradient rule); the
rewriter in ``rewrite.py`` introduces them when it recognises the pattern they replace.
"""

from __future__ import annotations

import numpy as np


def sum_of_products(a: np.ndarray, b: np.ndarray) -> np.float64:
    """sum(a * b) over every element as one dot product: one pass, no temporary a * b.

    This is the kernel a numpy programmer would write (``a @ b``): BLAS, with the threads the
    user's numpy is configured for (``OPENBLAS_NUM_THREADS=1`` keeps parallel jobs from
    competing for cores). BLAS adds in another order than numpy's pairwise sum, so the result
    may differ in the last bits (a reassociation, as every rewrite of a sum here is).
    """
    return np.dot(np.reshape(a, -1), np.reshape(b, -1))


def sum_of_squares(v: np.ndarray) -> np.float64:
    """sum(v * v) over every element as one dot product (see ``sum_of_products``)."""
    flat = np.reshape(v, -1)
    return np.dot(flat, flat)


def sum_all(v: np.ndarray) -> np.generic:
    """sum(v) over every element: ``np.add.reduce`` without ``np.sum``'s argument handling,
    which at a thousand elements costs as much as the sum itself."""
    return np.add.reduce(v, None)
