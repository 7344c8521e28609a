"""The zero-inflated Poisson and negative binomial laws as scipy.stats distributions.

scipy has no zero-inflated families; these give the fitted models the same interface as every
other family's ``scipy_dist`` (pmf, cdf, sf, ppf, mean, var, rvs), for goodness of fit,
quantiles and plots. A zero-inflated law draws a structural zero with probability pi and else
a count from the base law: P(0) = pi + (1 - pi) f(0), P(k) = (1 - pi) f(k) for k >= 1,
F(k) = pi + (1 - pi) F_base(k), S(k) = (1 - pi) S_base(k).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats


class _ZeroInflated(stats.rv_discrete):
    """A zero-inflated law around ``self._base(*shapes)`` (a scipy.stats law)."""

    def _base(self, *shapes: Any) -> Any:
        raise NotImplementedError

    def _argcheck(self, pi: Any, *shapes: Any) -> Any:
        return (pi >= 0) & (pi < 1) & self._base_argcheck(*shapes)

    def _base_argcheck(self, *shapes: Any) -> Any:
        raise NotImplementedError

    def _pmf(self, k: Any, pi: Any, *shapes: Any) -> Any:
        return np.exp(self._logpmf(k, pi, *shapes))

    def _logpmf(self, k: Any, pi: Any, *shapes: Any) -> Any:
        base = self._base(*shapes)
        counted = np.log1p(-pi) + base.logpmf(k)
        with np.errstate(divide="ignore"):
            return np.where(k == 0, np.logaddexp(np.log(pi), counted), counted)

    def _cdf(self, k: Any, pi: Any, *shapes: Any) -> Any:
        return pi + (1.0 - pi) * self._base(*shapes).cdf(k)

    def _sf(self, k: Any, pi: Any, *shapes: Any) -> Any:
        return (1.0 - pi) * self._base(*shapes).sf(k)

    def _logsf(self, k: Any, pi: Any, *shapes: Any) -> Any:
        return np.log1p(-pi) + self._base(*shapes).logsf(k)

    def _stats(self, pi: Any, *shapes: Any) -> Any:
        mean, var = self._base(*shapes).stats(moments="mv")
        # Mixture moments: E X = (1 - pi) m, E X^2 = (1 - pi) (v + m^2).
        zi_mean = (1.0 - pi) * mean
        zi_var = (1.0 - pi) * (var + mean * mean) - zi_mean * zi_mean
        return zi_mean, zi_var, None, None

    def _rvs(self, pi: Any, *shapes: Any, size: Any = None, random_state: Any = None) -> Any:
        counts = self._base(*shapes).rvs(size=size, random_state=random_state)
        extra = random_state.uniform(size=size) < pi
        return np.where(extra, 0, counts)


class _ZIPoisson(_ZeroInflated):
    def _base(self, mu: Any) -> Any:
        return stats.poisson(mu)

    def _base_argcheck(self, mu: Any) -> Any:
        return mu > 0


class _ZINegativeBinomial(_ZeroInflated):
    def _base(self, n: Any, p: Any) -> Any:
        return stats.nbinom(n, p)

    def _base_argcheck(self, n: Any, p: Any) -> Any:
        return (n > 0) & (p > 0) & (p <= 1)


ZIP_LAW = _ZIPoisson(a=0, name="zero_inflated_poisson", shapes="pi, mu")
ZINB_LAW = _ZINegativeBinomial(a=0, name="zero_inflated_nbinom", shapes="pi, n, p")
