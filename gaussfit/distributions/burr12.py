"""The Burr type XII (Singh-Maddala) family with shapes c, d and scale s:
S(x) = (1 + (x/s)^c)^-d. It holds the log-logistic (d = 1) and the Lomax (c = 1), and tends to
the Weibull as d grows; income and insurance losses (scipy's ``burr12``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.starting import median
from gaussfit.distributions.tails import log1mexp
from gaussfit.distributions.weighted import weighted_mean_var


class Burr12(Family):
    name = "burr12"
    aliases = ("burr_xii",)
    title = "Burr XII with shapes c, d and scale s"
    support = Support(lower=0.0)
    params = (
        Parameter("c", POSITIVE, "shape c (the body)"),
        Parameter("d", POSITIVE, "shape d (the tail: moments below c d exist)"),
        Parameter("scale", POSITIVE, "scale s"),
    )

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # The log-logistic member (d = 1): log x logistic with median log s, sd pi / (c sqrt 3).
        log_x = np.log(x)
        _, var = weighted_mean_var(log_x, w)
        c = math.pi / math.sqrt(3.0 * var) if var > 0 else 1.0
        return {"c": c, "d": 1.0, "scale": math.exp(median(log_x, w))}

    def _cz(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return p["c"] * (tf.log(x) - tf.log(p["scale"]))

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        c, d = p["c"], p["d"]
        cz = self._cz(x, p)
        return tf.log(c) + tf.log(d) - tf.log(x) + cz - (d + 1.0) * tf.softplus(cz)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return -p["d"] * tf.softplus(self._cz(x, p))

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return log1mexp(-(self.log_sf(x, p)))

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        # Inverse CDF: (x/s)^c = S^(-1/d) - 1, with S uniform.
        u = rng.uniform(size=n)
        return params["scale"] * np.expm1(-np.log(u) / params["d"]) ** (1.0 / params["c"])

    def scipy_dist(self, params: dict[str, float]) -> Any:
        from scipy import stats

        return stats.burr12(c=params["c"], d=params["d"], scale=params["scale"])

    def scipy_fit(self, x: np.ndarray) -> dict[str, float]:
        from scipy import stats

        c, d, _, scale = stats.burr12.fit(x, floc=0)
        return {"c": float(c), "d": float(d), "scale": float(scale)}
