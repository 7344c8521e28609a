"""A family of your own for ``gaussfit fit --family-module configs/gompertz_family.py:Gompertz``.

The Gompertz law of lifetimes (scipy.stats.gompertz(c, scale=s)), declared by the four things
gaussfit needs: a name, the parameters with their domains, the support and the log-density as
engine ops. Gradients and Hessians come from the engine; the start, the CDF for goodness of
fit and the normalisation check have defaults (see gaussfit.Family).
"""

import gaussfit.engine as tf
from gaussfit import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE


class Gompertz(Family):
    name = "gompertz"
    params = (Parameter("c", POSITIVE, "shape"), Parameter("s", POSITIVE, "scale"))
    support = Support(lower=0.0)

    def log_prob(self, x, p):
        z = x / p["s"]
        return tf.log(p["c"]) - tf.log(p["s"]) + z - p["c"] * tf.expm1(z)
