"""Time to fit each family, next to scipy's own ``fit`` on the same data.

Like is compared with like: each family's ``scipy_fit`` calls scipy the way gaussfit's model is
parameterised (``gamma.fit(x, floc=0)`` because gaussfit's gamma has no location, ``t.fit(x)``
with all three parameters free, ...). scipy runs in a child process so that a fit taking minutes
can be cut off (``timeout``); its import is not timed, nor are gaussfit's (a small fit of each
family runs first). Both log-likelihoods are computed with scipy's ``logpdf`` on the
same data, so "at least as high" compares like with like too.
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
    x, _ = simulate(family, n, seed=seed)
    fit(x[:1000], family_name, references=False, gof=False)  # one-time imports are not timed
    options: dict[str, Any] = {} if defaults else {"references": False, "gof": False}
    seconds, result = median_seconds(lambda: fit(x, family_name, **options), repeats)
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
    return row


def _loglik(family: Any, x: Any, params: dict[str, float]) -> float | None:
    try:
        return float(family.log_pdf_numpy(x, params).sum())
    except NotImplementedError:  # no scipy counterpart (a mixture): no common yardstick
        return None
