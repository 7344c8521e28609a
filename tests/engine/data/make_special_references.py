"""Record mpmath's values of the special functions and their shape derivatives, for
``test_special_functions.py``: references that reach tails where scipy underflows.

Run from the repository root with mpmath installed (recorded with mpmath 1.3.0):

    python tests/engine/data/make_special_references.py

It writes ``special_references.json`` beside itself. Every value is computed at 100 significant
digits (``mp.dps = 100``); derivatives in the shape parameters by ``mpmath.diff`` of
``mpmath.gammainc(a, 0, x, regularized=True)`` / ``mpmath.betainc(a, b, 0, x,
regularized=True)`` (or of their logarithms / upper-tail versions).
"""

from __future__ import annotations

import json
from pathlib import Path

import mpmath as mp

mp.mp.dps = 100

GAMMA_POINTS = [
    (0.05, 1e-6),
    (0.05, 0.3),
    (0.05, 5.0),
    (0.5, 1e-4),
    (0.5, 0.5),
    (0.5, 30.0),
    (1.0, 1.0),
    (2.5, 0.01),
    (2.5, 2.5),
    (2.5, 12.0),
    (2.5, 60.0),
    (2.5, 800.0),
    (10.0, 0.5),
    (10.0, 9.0),
    (10.0, 11.0),
    (10.0, 40.0),
    (80.0, 5.0),
    (80.0, 79.0),
    (80.0, 82.0),
    (80.0, 200.0),
    (300.0, 1.0),
    (1000.0, 1001.0),
    (3.0, 2000.0),
]
BETA_POINTS = [
    (0.5, 0.5, 1e-6),
    (0.5, 0.5, 0.3),
    (0.5, 0.5, 0.9999),
    (2.0, 5.0, 0.01),
    (2.0, 5.0, 0.2),
    (2.0, 5.0, 0.7),
    (0.6, 0.8, 0.5),
    (30.0, 0.5, 0.5),
    (30.0, 0.5, 1e-3),
    (0.5, 30.0, 0.9),
    (100.0, 200.0, 0.3),
    (100.0, 200.0, 0.05),
    (5.0, 1.0, 1e-40),
    (1.5, 0.5, 3e-7),
    (1.0, 2001.0, 0.5),
    (250.0, 0.5, 0.02),
]


def _gamma(a, x, upper, log):
    def f(s):
        value = (
            mp.gammainc(s, x, mp.inf, regularized=True)
            if upper
            else mp.gammainc(s, 0, x, regularized=True)
        )
        return mp.log(value) if log else value

    return f


def _beta(x, log):
    def f(s, t):
        value = mp.betainc(s, t, 0, x, regularized=True)
        return mp.log(value) if log else value

    return f


def gamma_rows():
    rows = []
    for a, x in GAMMA_POINTS:
        row = {"a": a, "x": x}
        for upper in (False, True):
            for log in (False, True):
                f = _gamma(mp.mpf(a), mp.mpf(x), upper, log)
                key = ("log_" if log else "") + ("q" if upper else "p")
                row[key] = [float(mp.diff(f, mp.mpf(a), k)) for k in range(3)]
        rows.append(row)
    return rows


def beta_rows():
    rows = []
    for a, b, x in BETA_POINTS:
        row = {"a": a, "b": b, "x": x}
        for log in (False, True):
            f = _beta(mp.mpf(x), log)
            key = "log_i" if log else "i"
            row[key] = {
                f"{i}{j}": float(mp.diff(f, (mp.mpf(a), mp.mpf(b)), (i, j)))
                for i, j in ((0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2))
            }
        rows.append(row)
    return rows


def normal_rows():
    xs = [-1e4, -300.0, -38.5, -20.0, -8.0, -1.0, 0.0, 0.5, 3.0, 8.0, 20.0, 38.0]
    return [
        {
            "x": x,
            # log(1 - Φ(-x)) on the right: Φ(x) itself rounds to 1 at 100 digits for x > 21.
            "log_ndtr": float(mp.log(mp.ncdf(x)) if x <= 0 else mp.log1p(-mp.ncdf(-x))),
            "ndtr": float(mp.ncdf(x)),
        }
        for x in xs
    ]


if __name__ == "__main__":
    out = {
        "provenance": (
            f"mpmath {mp.__version__}, mp.dps = 100; tests/engine/data/make_special_references.py"
        ),
        "gamma": gamma_rows(),
        "beta": beta_rows(),
        "normal": normal_rows(),
    }
    path = Path(__file__).with_name("special_references.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")
