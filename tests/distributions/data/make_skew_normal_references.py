"""Record mpmath's skew-normal log-CDFs and log-survival functions from the centre to far in
both tails, with derivatives in the parameters at a few deep points, for
``test_dist_skew_normal.py``.

Run from the repository root with mpmath installed (recorded with mpmath 1.3.0):

    python tests/distributions/data/make_skew_normal_references.py

It writes ``skew_normal_references.json`` beside itself. Values at 50 significant digits from
the defining integral F(z; a) = 2 ∫_{-inf}^z φ(t) Φ(at) dt, never from Owen's T: for z <= 0 <= a
(the thin tail, where Φ(z) - 2T(z, a) cancels) rotating (X, Y) so that the wedge {X > -z,
Y > aX} has a side on an axis gives 2/(b √(2π)) ∫_g^∞ φ(t) R(δ t) dt, b = √(1+a²), δ = a/b,
g = -z b, R(y) = Φ(-y)/φ(y) the Mills ratio: a positive integrand. For a < 0 and z <= 0,
F(z; a) = 2Φ(z) - F(z; |a|); for z > 0, F = 1 - F(-z; -a); and S(z; a) = F(-z; -a).
Derivatives are central differences at 50 digits (step 1e-12, second differences 1e-10).
"""

from __future__ import annotations

import json
from pathlib import Path

import mpmath as mp

mp.mp.dps = 50


def thin(z, a):
    b = mp.sqrt(1 + a * a)
    g, d = -z * b, a / b

    def mills(y):
        return mp.sqrt(mp.pi / 2) * mp.exp(y * y / 2) * mp.erfc(y / mp.sqrt(2))

    width = 1 / (g + 1)
    body = mp.quad(
        lambda s: mp.exp(-g * s - s * s / 2) * mills(d * (g + s)),
        [0, width, 10 * width, 100 * width, mp.inf],
    )
    return 2 / (b * mp.sqrt(2 * mp.pi)) * body * mp.npdf(g)


def lower(z, a):
    return thin(z, a) if a >= 0 else 2 * mp.ncdf(z) - thin(z, -a)


def log_side(side, x, loc, scale, a):
    z = (mp.mpf(x) - loc) / scale
    a = mp.mpf(a)
    if side == "sf":
        z, a = -z, -a
    return mp.log(lower(z, a)) if z <= 0 else mp.log1p(-lower(-z, -a))


PARAMS = [
    {"loc": 1.0, "scale": 2.0, "a": 4.0},
    {"loc": -1.0, "scale": 0.5, "a": -1.5},
    {"loc": 0.0, "scale": 1.0, "a": 30.0},
    {"loc": 0.0, "scale": 1.0, "a": 0.01},
    {"loc": 2.0, "scale": 3.0, "a": -1000.0},
]
Z = [-1e3, -40.0, -19.0, -5.0, -1.6, -0.5, -1e-3, 0.0, 1e-3, 0.4, 2.0, 7.1, 21.0, 38.0]
DEEP = [
    ("cdf", -19.0, {"loc": 0.0, "scale": 1.0, "a": 4.0}),
    ("sf", 6.0, {"loc": 0.0, "scale": 1.0, "a": 0.3}),
    ("cdf", 2.5, {"loc": 0.0, "scale": 1.0, "a": 1.0}),
    ("sf", -0.2, {"loc": 0.0, "scale": 1.0, "a": 30.0}),
]


def derivatives(side, x, params):
    names = list(params)
    h1, h2 = mp.mpf("1e-12"), mp.mpf("1e-10")

    def at(name, shift):
        shifted = {n: mp.mpf(v) + (shift if n == name else 0) for n, v in params.items()}
        return log_side(side, x, **shifted)

    gradient = [float((at(n, h1) - at(n, -h1)) / (2 * h1)) for n in names]
    centre = log_side(side, x, **{n: mp.mpf(v) for n, v in params.items()})
    second_a = float((at("a", h2) - 2 * centre + at("a", -h2)) / (h2 * h2))
    return gradient, second_a


def main() -> None:
    rows = []
    for params in PARAMS:
        for z in Z:
            x = params["loc"] + params["scale"] * z
            for side in ("cdf", "sf"):
                value = float(log_side(side, x, **params))
                rows.append({"side": side, "x": x, "params": params, "value": value})
    deep = []
    for side, x, params in DEEP:
        gradient, second_a = derivatives(side, x, params)
        value = float(log_side(side, x, **params))
        deep.append(
            {"side": side, "x": x, "params": params, "value": value, "gradient": gradient,
             "d2_a": second_a}
        )  # fmt: skip
    out = Path(__file__).with_name("skew_normal_references.json")
    note = "mpmath 1.3.0, 50 digits, make_skew_normal_references.py"
    out.write_text(json.dumps({"source": note, "rows": rows, "deep": deep}, indent=1) + "\n")


if __name__ == "__main__":
    main()
