"""Time to fit each family, next to scipy's own ``fit`` on the same data.

Like is compared with like: each family's ``scipy_fit`` calls scipy the way gaussfit's model is
parameterised (``gamma.fit(x, floc=0)`` because gaussfit's gamma has no location, ``t.fit(x)``
with all three parameters free, ...). scipy runs in a child process so that a fit taking minutes
can be cut off (``timeout``); its import is not timed, nor are gaussfit's (a small fit of each
family runs first). Both log-likelihoods are computed with scipy's ``logpdf`` on the
same data, so "at least as high" compares like with like too.

A family with a given parameter (the binomial's number of trials) is fitted with it held at the
value the data were drawn with. Where scipy has no fit, the reference is the family's closed
form (the zero-inflated Poisson's score equations), or for the zero-inflated negative binomial
scipy.optimize on a numpy log-mass written out here, summed over the distinct counts.
"""

from __future__ import annotations

from typing import Any

from benchmarks.timing import median_seconds, run_child


def fit_row(
    family_name: str, n: int, seed: int, repeats: int, timeout: float, defaults: bool = False
) -> dict[str, Any]:
    """One family at one size: gaussfit's time and log-likelihood next to scipy's; with
    ``defaults`` gaussfit runs as a user calls it (goodness of fit and references included)."""
    from gaussfit.data.simulate import simulate
    from gaussfit.distributions import get_family
    from gaussfit.fitting import fit

    family = get_family(family_name)
    x, truth = simulate(family, n, seed=seed)
    family = family.bind(truth)
    fit(x[:1000], family, references=False, gof=False)  # one-time imports are not timed
    options: dict[str, Any] = {} if defaults else {"references": False, "gof": False}
    seconds, result = median_seconds(lambda: fit(x, family, **options), repeats)
    row: dict[str, Any] = {
        "family": family_name,
        "n": n,
        "gaussfit_s": seconds,
        "gaussfit_loglik": _loglik(family, x, result.params),
        "converged": bool(result.converged),
    }
    scipy = run_child("scipy_fit", family_name, n, seed, timeout=timeout)
    if "seconds" in scipy:
        row.update(scipy_s=scipy["seconds"], scipy_loglik=scipy["loglik"])
        row["speedup"] = scipy["seconds"] / seconds
        row["loglik_gain"] = row["gaussfit_loglik"] - scipy["loglik"]
    elif "timeout" in scipy:
        row["scipy_s"] = None
        row["scipy_status"] = f"over {timeout:g} s (cut off)"
        row["speedup_at_least"] = timeout / seconds
    else:
        row["scipy_s"] = None
        row["scipy_status"] = "no scipy fit" if scipy.get("unavailable") else scipy["error"]
        if scipy.get("unavailable"):
            row.update(_own_reference(family, x, seconds))
            if row.get("scipy_loglik") is not None and row["gaussfit_loglik"] is not None:
                row["loglik_gain"] = row["gaussfit_loglik"] - row["scipy_loglik"]
    return row


def _own_reference(family: Any, x: Any, seconds: float) -> dict[str, Any]:
    """The reference of a family scipy cannot fit: its closed form, or for the zero-inflated
    negative binomial scipy.optimize on ``_zinb_logpmf``; with its time and log-likelihood."""
    import time

    start = time.perf_counter()
    if family.name == "zinb":
        params, loglik = _zinb_reference(x)
    else:
        params = family.closed_form(x, None)
        if params is None:
            return {}
        loglik = _loglik(family, x, params)
    took = time.perf_counter() - start
    label = "scipy.optimize" if family.name == "zinb" else "closed form"
    return {"reference": label, "scipy_s": took, "scipy_loglik": loglik, "speedup": took / seconds}


def _zinb_logpmf(k: Any, pi: float, n: float, p: float) -> Any:
    """log P(X = k) of the zero-inflated negative binomial, written out with gammaln."""
    import numpy as np
    from scipy.special import gammaln

    base = gammaln(k + n) - gammaln(n) - gammaln(k + 1.0) + n * np.log(p) + k * np.log1p(-p)
    return np.where(k == 0, np.log(pi + (1 - pi) * np.exp(base)), np.log1p(-pi) + base)


def _zinb_reference(x: Any) -> tuple[dict[str, float], float]:
    """Nelder-Mead on logit pi, log n, logit p over the distinct counts, from the moments."""
    import numpy as np
    from scipy import optimize
    from scipy.special import expit, logit

    values, counts = np.unique(x, return_counts=True)
    mean, var = float(np.mean(x)), float(np.var(x))
    pi = float(np.mean(x == 0)) / 2
    part_mean = mean / (1 - pi)
    part_var = max((var + mean**2) / (1 - pi) - part_mean**2, 1.1 * part_mean)

    def negative(t: Any) -> float:
        return -float(np.sum(counts * _zinb_logpmf(values, expit(t[0]), np.exp(t[1]), expit(t[2]))))

    start = [logit(pi), np.log(part_mean**2 / (part_var - part_mean)), logit(part_mean / part_var)]
    best = optimize.minimize(
        negative,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-13 * abs(negative(start)), "maxiter": 20000},
    )
    params = {
        "pi": float(expit(best.x[0])),
        "n": float(np.exp(best.x[1])),
        "p": float(expit(best.x[2])),
    }
    return params, -float(best.fun)


def _loglik(family: Any, x: Any, params: dict[str, float]) -> float | None:
    try:
        return float(family.log_pdf_numpy(x, params).sum())
    except NotImplementedError:  # no scipy counterpart (a mixture): no common yardstick
        return None
