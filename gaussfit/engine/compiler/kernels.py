"""numpy kernels that only compiled plans use: what some rewrites turn a group of ops into.

They are not graph ops (a graph never contains them and they have no gradient rule); the
rewriter in ``rewrite.py`` introduces them when it recognises the pattern they replace.
"""

from __future__ import annotations

import numpy as np

BLAS_BELOW = 8192
"""Below this many elements a dot product goes to BLAS (which runs it on one thread there);
from it on to ``np.einsum``'s own single-threaded loop. OpenBLAS splits a longer dot product
across threads, and on a machine whose cores are busy each split waits for a time slice: a dot
product of 1e5 values measured 20 ms threaded against 60 us in einsum on a loaded 2-core
machine, more than the whole likelihood pass around it. A memory-bound sum gains little from
a second thread even on idle cores."""


def sum_of_products(a: np.ndarray, b: np.ndarray) -> np.float64:
    """sum(a * b) over every element as one dot product: one pass, no temporary a * b.

    This is the kernel a numpy programmer would write (``a @ b``), on one thread (see
    ``BLAS_BELOW``). Both add in another order than numpy's pairwise sum, so the result may
    differ in the last bits (a reassociation, as every rewrite of a sum here is).
    """
    flat_a, flat_b = np.reshape(a, -1), np.reshape(b, -1)
    if np.size(flat_a) < BLAS_BELOW:
        return np.dot(flat_a, flat_b)
    return np.einsum("i,i->", flat_a, flat_b)


def sum_of_squares(v: np.ndarray) -> np.float64:
    """sum(v * v) over every element as one dot product (see ``sum_of_products``)."""
    flat = np.reshape(v, -1)
    if np.size(flat) < BLAS_BELOW:
        return np.dot(flat, flat)
    return np.einsum("i,i->", flat, flat)


def sum_all(v: np.ndarray) -> np.generic:
    """sum(v) over every element: ``np.add.reduce`` without ``np.sum``'s argument handling,
    which at a thousand elements costs as much as the sum itself."""
    return np.add.reduce(v, None)
