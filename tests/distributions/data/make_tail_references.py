"""Record mpmath's log-CDFs and log-survival functions far in the tails, where scipy's
values underflow, with their first and second derivatives in the parameters, for
``test_dist_cdf_graphs.py``.

Run from the repository root with mpmath installed (recorded with mpmath 1.3.0):

    python tests/distributions/data/make_tail_references.py

It writes ``tail_references.json`` beside itself. Values at 60 significant digits
(``mp.dps = 60``); derivatives by ``mpmath.diff`` of the formulas below in the parameters.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import mpmath as mp

mp.mp.dps = 60


def normal(x, side, mu, sigma):
    z = (x - mu) / sigma
    return mp.log(mp.ncdf(z if side == "cdf" else -z))


def gamma(x, side, shape, scale):
    y = x / scale
    if side == "cdf":
        return mp.log(mp.gammainc(shape, 0, y, regularized=True))
    return mp.log(mp.gammainc(shape, y, mp.inf, regularized=True))


def student_t(x, side, df, loc, scale):
    z = (x - loc) / scale if side == "cdf" else (loc - x) / scale
    tail = mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + z * z), regularized=True) / 2
    return mp.log(tail if z < 0 else 1 - tail)


def beta(x, side, alpha, beta):
    if side == "cdf":
        return mp.log(mp.betainc(alpha, beta, 0, x, regularized=True))
    return mp.log(mp.betainc(beta, alpha, 0, 1 - x, regularized=True))


def poisson(x, side, rate):
    k = mp.floor(x)
    if side == "cdf":
        return mp.log(mp.gammainc(k + 1, rate, mp.inf, regularized=True))
    return mp.log(mp.gammainc(k + 1, 0, rate, regularized=True))


def negative_binomial(x, side, n, p):
    k = mp.floor(x)
    if side == "cdf":
        return mp.log(mp.betainc(n, k + 1, 0, p, regularized=True))
    return mp.log(mp.betainc(k + 1, n, 0, 1 - p, regularized=True))


POINTS = {
    "normal": (normal, {"mu": 0.3, "sigma": 1.7}, [(-70.0, "cdf"), (70.0, "sf"), (-5.0, "sf")]),
    "gamma": (
        gamma,
        {"shape": 2.5, "scale": 2.0},
        [(2000.0, "sf"), (1e-250, "cdf"), (40.0, "cdf")],
    ),
    "student_t": (
        student_t,
        {"df": 6.0, "loc": -1.0, "scale": 2.0},
        [(-1e60, "cdf"), (1e60, "sf"), (-1.001, "cdf"), (-1.0 + 1e-9, "sf")],
    ),
    "beta": (beta, {"alpha": 2.0, "beta": 5.0}, [(1e-200, "cdf"), (1e-200, "sf"), (0.999, "sf")]),
    "poisson": (poisson, {"rate": 3.5}, [(400.0, "sf"), (400.0, "cdf"), (0.0, "cdf")]),
    "negative_binomial": (
        negative_binomial,
        {"n": 2.5, "p": 0.3},
        [(3000.0, "sf"), (3000.0, "cdf"), (0.0, "cdf")],
    ),
}


def rows():
    out = []
    for family, (function, params, points) in POINTS.items():
        names = list(params)
        for x, side in points:

            def f(*values, x=x, side=side, function=function):
                return function(mp.mpf(x), side, *values)

            at = [mp.mpf(params[name]) for name in names]
            gradient = []
            for i in range(len(names)):
                order = [int(j == i) for j in range(len(names))]
                gradient.append(float(mp.diff(f, at, order)))
            hessian = [[0.0] * len(names) for _ in names]
            for i, j in itertools.combinations_with_replacement(range(len(names)), 2):
                order = [int(k == i) + int(k == j) for k in range(len(names))]
                hessian[i][j] = hessian[j][i] = float(mp.diff(f, at, order))
            out.append(
                {
                    "family": family,
                    "params": params,
                    "x": x,
                    "side": side,
                    "value": float(f(*at)),
                    "gradient": gradient,
                    "hessian": hessian,
                }
            )
    return out


if __name__ == "__main__":
    result = {
        "provenance": (
            f"mpmath {mp.__version__}, mp.dps = 60; "
            "tests/distributions/data/make_tail_references.py"
        ),
        "rows": rows(),
    }
    path = Path(__file__).with_name("tail_references.json")
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {path}")
